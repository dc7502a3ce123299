// BlockRegistry: who is blocked on what, across every thread of a threadlink
// program, and the two facts that follow from it: every live thread is
// blocked for good (a live deadlock), or a cycle of threads each waits for a
// lock the next one holds (a lock deadlock, known from the lock hooks).
//
// The runtime tells the registry each transition at the moment that
// decides it:
//   parked / unparked       memory.atomic.wait (through the parking lot's
//                           observer, under its bucket lock: a notify that
//                           claims a waiter unparks it before the notifier
//                           runs on, parking_lot.h)
//   join_begin / join_end   thread_join
//   lock_request / lock_acquired / lock_released
//                           start_lock / finish_lock / start_unlock
//   add / remove            a thread starts and ends
//
// A thread is *stuck* when nothing but a stuck thread could ever let it go
// on:
//   - it is parked in a wait without a timeout (nobody running is left to
//     notify it once all are stuck);
//   - it joins a live thread that is stuck;
//   - it is between start_lock and finish_lock on a lock held by a live
//     thread that is stuck (whether it spins or sleeps meanwhile).
// A dependency cycle (A joins B joins A; A waits for B's lock, B for A's)
// is stuck too: stuck is the greatest set closed under these rules. A
// thread that runs, sleeps in a timed wait, or depends on a free lock or an
// ended thread is not stuck. A live deadlock is "every live thread is
// stuck"; it is only looked for when no live thread is free of the three
// states above (counted as transitions happen), so running threads cost
// nothing but the transitions themselves.
//
// Locking. Joins, the lock hooks, and threads starting and ending change
// the registry under its lock. Parking and unparking, the busiest
// transitions (every contended futex-style wait), take no lock: they write
// the thread's own record (atomics) and move one atomic word, which counts
// the free threads in its low half and every transition in its high half.
// The check runs under the lock when a transition leaves no thread free,
// and trusts its reading of the records only if the word did not move
// meanwhile; when it did move, the transition that moved it checks again
// itself if it left no thread free. (A parking transition cannot race with
// a check that matters: while no thread is free, nobody is running to
// notify, and a waiter unparks itself only by timeout, which never made it
// a candidate, or by interrupt, when the program stops anyway.)
//
// The registry itself never acts: it records findings and hands them to
// the runtime's monitor thread (next_finding()), which stops the program.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "interp/thread.h"
#include "util/spin.h"

namespace wgi::threads {

// One thread's state as a report shows it.
struct ThreadState {
  enum class Kind : uint8_t { Running, Wait, Join, Lock };
  uint32_t thread = 0;
  Kind kind = Kind::Running;
  uint32_t addr = 0;         // Wait: the word; Lock: the lock
  int64_t timeout_ns = -1;   // Wait: < 0 forever
  uint32_t target = 0;       // Join: the joined thread
  // Lock: the thread holding it, and where it took it.
  std::optional<uint32_t> holder;
  interp::Thread::RawFrame acquired_at;
  // Lock: where this thread asked for it (its start_lock call).
  interp::Thread::RawFrame requested_at;
};

struct BlockFinding {
  enum class Kind : uint8_t { AllBlocked, LockCycle } kind = Kind::AllBlocked;
  // AllBlocked: every live thread, by id. LockCycle: the threads of the
  // cycle, in order: each waits for a lock the next one holds.
  std::vector<ThreadState> threads;
};

class BlockRegistry {
  struct Rec;

 public:
  // A live thread's record, for the lock-free transitions (from add()
  // until remove()).
  using Handle = Rec*;

  Handle add(uint32_t tid);
  void remove(uint32_t tid);  // the thread has ended

  // Parking transitions (the parking lot's observer calls them, under its
  // bucket lock; unparked() may come from the notifying thread).
  void parked(Handle h, uint32_t addr, int64_t timeout_ns);
  void unparked(Handle h);
  // The same by thread id (for tests: looks the record up first).
  void parked(uint32_t tid, uint32_t addr, int64_t timeout_ns);
  void unparked(uint32_t tid);
  void join_begin(uint32_t tid, uint32_t target);
  void join_end(uint32_t tid);
  void lock_request(uint32_t tid, uint32_t lock, interp::Thread::RawFrame at);
  void lock_acquired(uint32_t tid, uint32_t lock, interp::Thread::RawFrame at);
  void lock_released(uint32_t tid, uint32_t lock);

  // Every live thread's state, by id.
  std::vector<ThreadState> snapshot() const;

  // Blocks until a finding is pending (returns it) or close() was called
  // (returns nullopt). A live deadlock is found once; each lock cycle (by
  // its set of locks) once.
  std::optional<BlockFinding> next_finding();
  void close();

  // The number of lock cycles found so far.
  size_t lock_cycles() const;

 private:
  struct Rec {
    explicit Rec(uint32_t t) : tid(t) {}
    const uint32_t tid;
    // Written by the parking transitions without mu_.
    std::atomic<bool> parked{false};
    std::atomic<uint32_t> park_addr{0};
    std::atomic<int64_t> park_timeout{-1};
    // Written under mu_, by the thread itself (so a parking transition,
    // which follows its thread's own writes through the bucket lock, may
    // read them too).
    std::optional<uint32_t> joining;
    std::optional<uint32_t> requesting;
    interp::Thread::RawFrame requested_at;
    bool parked_forever() const { return parked.load() && park_timeout.load() < 0; }
    // Could be stuck (parked forever, joining, requesting): not free.
    bool candidate() const { return parked_forever() || joining || requesting; }
  };
  // The word: free threads in the low 32 bits, transitions above.
  static constexpr uint64_t kEpoch = uint64_t{1} << 32;
  static uint32_t free_of(uint64_t word) { return static_cast<uint32_t>(word); }
  // Counts a transition of r from candidacy `was` to its present one;
  // returns the word after it.
  uint64_t count(const Rec& r, bool was);
  static constexpr uint32_t kFree = UINT32_MAX;  // Held::holder of a free lock
  struct Held {
    uint32_t holder;
    interp::Thread::RawFrame at;
  };

  // Under mu_: a transition of r's candidacy, then the checks.
  void update(Rec& r, bool was_candidate);
  Handle find(uint32_t tid);
  void check_all_blocked();
  void check_lock_cycle(uint32_t tid);
  ThreadState state_of(uint32_t tid, const Rec& r) const;
  void push(BlockFinding f);

  // The lock hooks pass through here on every lock operation, from every
  // thread, and each section is a few hash-map operations: a spin lock
  // (util/spin.h) keeps a lock-heavy program from sleeping in the kernel
  // here, which a mutex made it do (bench/README.md, "Deadlock detection").
  class Mutex {
   public:
    void lock() {
      int spins = 0;
      while (locked_.exchange(true, std::memory_order_acquire))
        while (locked_.load(std::memory_order_relaxed)) spin_pause(spins);
    }
    void unlock() { locked_.store(false, std::memory_order_release); }

   private:
    std::atomic<bool> locked_{false};
  };
  mutable Mutex mu_;
  std::condition_variable_any cv_;
  std::unordered_map<uint32_t, std::unique_ptr<Rec>> threads_;  // live threads
  std::unordered_map<uint32_t, Held> held_;  // lock -> holder (kFree: none)
  std::atomic<uint64_t> word_{0};    // see "Locking" above
  bool all_blocked_found_ = false;
  std::set<std::vector<uint32_t>> cycles_seen_;  // sorted lock sets
  std::deque<BlockFinding> pending_;
  bool closed_ = false;
};

}  // namespace wgi::threads
