// ParkingLot: the wait queues behind memory.atomic.wait32/wait64 and
// memory.atomic.notify (threads proposal).
//
// A waiter parks on a *key*: an opaque uintptr_t naming one location. The
// interpreter uses the host address of the waited-on linear-memory word.
// Shared memories reserve their maximum size up front and never move
// (memory.h: growing in place needs no lock and no stop of other threads),
// so that address is stable and unique per
// (memory, offset); two instances importing the same memory meet in the same
// queue. wait32 and wait64 on one address share a queue, and notify wakes
// both kinds, as the proposal requires.
//
// Layout: a fixed array of buckets (power of two), chosen by hashing the key.
// Each bucket has a mutex and one intrusive FIFO list of the waiters of all
// keys that hash there. Each waiting thread is one list node (its per-thread
// Waiter) with its own condition variable, so notify wakes exactly the
// waiters it unlinked, in the order they arrived:
//
//   bucket[h(key)]:  mutex | head -> W1(k) <-> W2(k') <-> W3(k) <- tail | n
//                                    ^ notify(k, 1) unlinks W1, then W3
//
// Invariants (each under the bucket mutex):
//  - A waiter is in its bucket's list exactly while it is parked and nobody
//    has decided its outcome yet. Whoever unlinks it decides: notify (Ok),
//    or the waiter itself (TimedOut / Interrupted). Hence no waiter is both
//    counted by a notify and reported as timed out.
//  - The bucket's `waiters` counter equals the list length. notify reads it
//    without the lock to skip empty buckets; parking_lot.cc explains why that
//    cannot lose a wake-up.
//  - The compare ("is the word still equal to `expected`?") runs under the
//    bucket mutex, after the waiter is counted and before it sleeps. A
//    notify that follows the store which changed the word therefore either
//    finds the waiter in the list, or the waiter's compare sees the store.
//
// Interrupts: a waiter may pass the address of an atomic<bool> (in wgi the
// interpreter Thread's interrupt_ flag). It returns Interrupted once that flag
// is set. To stop waiting threads, set their flags, then call
// wake_all_for_interrupt(), which wakes every parked waiter so it rechecks its
// flag at once; waiters whose flag is clear go back to sleep. Nothing polls:
// a parked waiter sleeps until it is notified, its timeout expires or that
// call wakes it, so a thousand parked threads cost no CPU at all.
//
// Observers: a waiter may also pass a ParkObserver, which is told when the
// waiter is parked (the compare succeeded and it is about to sleep) and when
// it stops being parked (claimed by a notify, timed out, interrupted). Both
// calls happen under the bucket mutex, at the moments that decide the
// outcome, so an observer's picture of who sleeps is exact: the threadlink
// runtime's deadlock detector (threads/blocking.h) relies on it.
#pragma once

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace wgi::interp {

// The result of a wait. Ok, NotEqual and TimedOut are the i32 results of
// memory.atomic.wait32/wait64 (0, 1, 2). Interrupted is not a Wasm value:
// the interpreter turns it into TrapKind::Interrupted.
// Told, under the bucket mutex, when its waiter is parked and when it
// stops being parked (see the file comment). Implementations must be quick
// and must not use the lot (no wait, notify or wake_all_for_interrupt):
// the calling thread holds a bucket mutex.
class ParkObserver {
 public:
  // key: the waited-on word; timeout_ns as passed to wait (< 0: forever).
  virtual void parked(uintptr_t key, int64_t timeout_ns) = 0;
  // Called by the notify that claims the waiter (on the notifier's thread)
  // or by the waiter itself when it leaves by timeout or interrupt.
  virtual void unparked() = 0;

 protected:
  ~ParkObserver() = default;
};

enum class WaitResult : uint32_t {
  Ok = 0,           // woken by a notify on this key
  NotEqual = 1,     // the word did not hold the expected value
  TimedOut = 2,     // the timeout expired first
  Interrupted = 3,  // the waiter's interrupt flag was set
};

const char* wait_result_name(WaitResult r);

class ParkingLot {
 public:
  // notify(key, kNotifyAll) wakes every waiter on key (Wasm count 0xFFFFFFFF).
  static constexpr uint32_t kNotifyAll = UINT32_MAX;
  static constexpr unsigned kDefaultBucketsLog2 = 8;

  // A lot with 2^buckets_log2 buckets. Tests use 0 (one bucket: all keys
  // collide) to exercise keys sharing a list.
  explicit ParkingLot(unsigned buckets_log2 = kDefaultBucketsLog2);
  ~ParkingLot();  // no waiter may still be parked
  ParkingLot(const ParkingLot&) = delete;
  ParkingLot& operator=(const ParkingLot&) = delete;

  static uintptr_t key_of(const void* p) { return reinterpret_cast<uintptr_t>(p); }

  // Parks the calling thread on `key` if still_equal() returns true.
  //  - still_equal() is called exactly once, with the bucket lock held, after
  //    the interrupt check. It must be quick and must not block or use this
  //    lot (typically one atomic load and a compare). false -> NotEqual.
  //  - timeout_ns < 0 waits forever; 0 returns TimedOut at once if the value
  //    is equal; huge values are clamped (no overflow).
  //  - interrupt (may be null): if *interrupt is true on entry or becomes
  //    true while parked, returns Interrupted (on entry: before the compare).
  //    A flag set while parked is seen when wake_all_for_interrupt() runs.
  //  - observer (may be null): see ParkObserver.
  // A waiter that was notified returns Ok even if its timeout or interrupt
  // happened at the same moment: the notify has already counted it.
  template <class Pred>
    requires std::predicate<Pred&>
  WaitResult wait(uintptr_t key, Pred&& still_equal, int64_t timeout_ns,
                  const std::atomic<bool>* interrupt = nullptr, ParkObserver* observer = nullptr) {
    using P = std::remove_reference_t<Pred>;  // may be const-qualified
    if constexpr (std::is_function_v<P>) {
      // A plain function: wrap it, since a function pointer is no void*.
      return wait(key, [&still_equal] { return static_cast<bool>(still_equal()); }, timeout_ns,
                  interrupt, observer);
    } else {
      void* ctx = const_cast<std::remove_const_t<P>*>(std::addressof(still_equal));
      return wait_impl(key, PredRef{&call_pred<P>, ctx}, timeout_ns, interrupt, observer);
    }
  }

  // memory.atomic.wait32 / wait64 on a host word: the compare is a seq_cst
  // atomic load of *word (which must be naturally aligned; the interpreter
  // traps on misalignment before calling) against `expected`. The key is the
  // word's address.
  template <class T>
    requires std::same_as<T, uint32_t> || std::same_as<T, uint64_t>
  WaitResult wait_on(T* word, T expected, int64_t timeout_ns,
                     const std::atomic<bool>* interrupt = nullptr, ParkObserver* observer = nullptr) {
    return wait(
        key_of(word),
        [word, expected] { return std::atomic_ref<T>(*word).load(std::memory_order_seq_cst) == expected; },
        timeout_ns, interrupt, observer);
  }

  // Wakes up to `count` waiters on key, oldest first, and returns how many
  // it woke. count 0 wakes none and returns 0; kNotifyAll wakes all.
  // Cheap when the key's bucket has no waiters (no lock taken).
  uint32_t notify(uintptr_t key, uint32_t count);
  uint32_t notify(const void* word, uint32_t count) { return notify(key_of(word), count); }

  // Wakes every parked waiter of this lot so it rechecks its interrupt flag.
  // Set the flags first. Waiters with a clear flag go back to sleep (this is
  // not a notify: nobody returns Ok because of it).
  void wake_all_for_interrupt();

  // The number of threads currently parked on key (for tests and debugging;
  // stale as soon as it returns).
  size_t waiter_count(uintptr_t key) const;
  // The number of threads parked on any key.
  size_t total_waiters() const;

 private:
  struct Bucket;
  struct Waiter;
  struct PredRef {
    bool (*fn)(void*);
    void* ctx;
    bool operator()() const { return fn(ctx); }
  };
  template <class P>
  static bool call_pred(void* ctx) {
    return static_cast<bool>((*static_cast<P*>(ctx))());
  }

  WaitResult wait_impl(uintptr_t key, PredRef still_equal, int64_t timeout_ns,
                       const std::atomic<bool>* interrupt, ParkObserver* observer);
  Bucket& bucket_for(uintptr_t key) const;
  static Waiter& this_thread_waiter();

  size_t mask_;  // number of buckets - 1
  std::unique_ptr<Bucket[]> buckets_;
};

// The process-wide lot used by the interpreter. Created on first use and
// deliberately never destroyed, so threads still parked (or notifying) while
// the process exits never touch a dead object.
ParkingLot& parking_lot();

}  // namespace wgi::interp
