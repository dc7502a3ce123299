// ParkingLot implementation. The design and its invariants are described in
// parking_lot.h; this file explains the memory-ordering argument and the
// lifetime rules.
//
// Why notify may skip a bucket without taking its lock
// ----------------------------------------------------
// The Wasm pattern is: thread A stores a new value to the word, then
// notifies; thread B waits "if the word still holds the old value".
//
//   waiter B (under the bucket lock)      notifier A
//   W1  waiters.fetch_add(1)              N1  store to the word (atomic)
//   W2  fence(seq_cst)                    N2  fence(seq_cst)
//   W3  load the word (still_equal)       N3  waiters.load() == 0 ? return 0
//
// The two seq_cst fences are totally ordered. If W2 comes first, N3 observes
// W1 (or a later change made while B is still counted), so A takes the lock
// and finds B in the list. If N2 comes first, W3 observes N1, so B returns
// NotEqual instead of sleeping. Either way no wake-up is lost. The same
// argument, with the interrupt flag in place of the word, covers
// wake_all_for_interrupt() skipping empty buckets.
//
// Lifetime of a Waiter
// --------------------
// notify unlinks ("claims") a waiter under the bucket mutex but signals its
// condition variable only after releasing the mutex. Signalling under the
// lock makes the woken thread block at once on the mutex the notifier still
// holds; measured here, that nearly doubled the ping-pong round trip.
// Signalling after the unlock means the waiter may already have returned
// (it can wake spuriously, see that it was claimed, and go) by the time the signal is sent. So a Waiter must outlive
// any wait that uses it: each thread owns one Waiter, reused by all its
// waits, and at thread exit the Waiter goes back to an immortal pool instead
// of being freed. A late signal then reaches either a thread that is not
// waiting (a no-op) or a later wait of some thread, which treats it as a
// spurious wake-up. After unlocking, the notifier touches nothing but cv,
// so the reuse cannot race with it: every other field is written only
// under a bucket mutex.
#include "interp/parking_lot.h"

#include <cassert>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ratio>
#include <vector>

namespace wgi::interp {

namespace {

using Clock = std::chrono::steady_clock;
// A coarser-than-nanosecond clock would round a timeout up (harmless); a finer
// one could overflow when converting. Neither libstdc++ nor libc++ has one.
static_assert(std::ratio_greater_equal_v<Clock::period, std::nano>);

// The absolute deadline for a relative timeout starting now, or
// time_point::max() for "forever" (negative, or so large that now + timeout
// does not fit in the clock: a few hundred years).
Clock::time_point deadline_after(int64_t timeout_ns) {
  if (timeout_ns < 0) return Clock::time_point::max();
  Clock::time_point now = Clock::now();
  Clock::duration t = std::chrono::ceil<Clock::duration>(std::chrono::nanoseconds(timeout_ns));
  if (t >= Clock::time_point::max() - now) return Clock::time_point::max();
  return now + t;
}

// The seq_cst fence of the argument at the top of this file. ThreadSanitizer
// does not model fences (GCC 12 warns with -Wtsan) but still executes one.
// That is harmless here: the fence only orders atomics, and everything
// non-atomic is under a bucket mutex, which TSan does understand.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wtsan"
#endif
inline void full_fence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

}  // namespace

const char* wait_result_name(WaitResult r) {
  switch (r) {
    case WaitResult::Ok: return "ok";
    case WaitResult::NotEqual: return "not-equal";
    case WaitResult::TimedOut: return "timed-out";
    case WaitResult::Interrupted: return "interrupted";
  }
  return "unknown";
}

// One per thread (see "Lifetime of a Waiter"). Fields other than cv are
// accessed only under the mutex of the bucket the waiter parks in; the
// owner sets key and claimed under that mutex before linking itself.
struct ParkingLot::Waiter {
  uintptr_t key = 0;
  Waiter* prev = nullptr;  // bucket list links
  Waiter* next = nullptr;
  bool claimed = false;    // set by the notify that unlinked this waiter
  ParkObserver* observer = nullptr;  // told when a notify claims it
  std::condition_variable cv;
};

ParkingLot::Waiter& ParkingLot::this_thread_waiter() {
  // Immortal, like the Waiters it holds: threads may exit during static
  // destruction.
  struct Pool {
    std::mutex mu;
    std::vector<Waiter*> free;
  };
  static Pool* const pool = new Pool();
  struct Owner {
    Waiter* w;
    Owner() {
      std::lock_guard lock(pool->mu);
      if (pool->free.empty()) {
        w = new Waiter();
      } else {
        w = pool->free.back();
        pool->free.pop_back();
      }
    }
    ~Owner() {
      std::lock_guard lock(pool->mu);
      pool->free.push_back(w);
    }
  };
  thread_local Owner owner;
  return *owner.w;
}

// One cache line per bucket, so threads parking on different buckets do not
// contend on the line holding the mutex.
struct alignas(64) ParkingLot::Bucket {
  std::mutex mu;
  Waiter* head = nullptr;  // oldest waiter (of any key hashing here)
  Waiter* tail = nullptr;  // newest
  // The list length; written under mu, read without it by notify and
  // wake_all_for_interrupt (see the top of this file).
  std::atomic<uint32_t> waiters{0};

  void push_back(Waiter* w) {
    w->prev = tail;
    w->next = nullptr;
    (tail ? tail->next : head) = w;
    tail = w;
    waiters.fetch_add(1, std::memory_order_seq_cst);
  }

  void unlink(Waiter* w) {
    (w->prev ? w->prev->next : head) = w->next;
    (w->next ? w->next->prev : tail) = w->prev;
    w->prev = w->next = nullptr;
    waiters.fetch_sub(1, std::memory_order_relaxed);
  }
};

ParkingLot::ParkingLot(unsigned buckets_log2)
    : mask_((size_t{1} << buckets_log2) - 1), buckets_(new Bucket[mask_ + 1]) {
  assert(buckets_log2 < 32);
}

ParkingLot::~ParkingLot() { assert(total_waiters() == 0); }

ParkingLot::Bucket& ParkingLot::bucket_for(uintptr_t key) const {
  // Fibonacci multiply, then fold the well-mixed high half onto the low bits:
  // neighbouring words (keys 4 or 8 apart) land in different buckets.
  uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 32;
  return buckets_[h & mask_];
}

WaitResult ParkingLot::wait_impl(uintptr_t key, PredRef still_equal, int64_t timeout_ns,
                                 const std::atomic<bool>* interrupt, ParkObserver* observer) {
  // The deadline is fixed before anything else, so a timed-out wait has
  // always lasted at least timeout_ns.
  const Clock::time_point deadline = deadline_after(timeout_ns);
  const bool forever = deadline == Clock::time_point::max();
  auto interrupted = [interrupt] {
    return interrupt != nullptr && interrupt->load(std::memory_order_relaxed);
  };

  Bucket& b = bucket_for(key);
  Waiter& w = this_thread_waiter();
  std::unique_lock lock(b.mu);
  w.key = key;
  w.claimed = false;
  w.observer = observer;

  // Count ourselves before looking at the flag and the word (W1, W2 above).
  b.push_back(&w);
  full_fence();
  if (interrupted()) {
    b.unlink(&w);
    return WaitResult::Interrupted;
  }
  bool equal;
  try {
    equal = still_equal();
  } catch (...) {
    b.unlink(&w);  // do not stay parked with nobody waiting
    throw;
  }
  if (!equal) {
    b.unlink(&w);
    return WaitResult::NotEqual;
  }

  // Parked from here until someone decides the outcome, under this mutex.
  if (observer) observer->parked(key, timeout_ns);
  auto leave = [&](WaitResult r) {
    b.unlink(&w);
    if (observer) observer->unparked();
    return r;
  };
  // Loop because condition variables wake spuriously, and because
  // wake_all_for_interrupt() wakes waiters whose flag is clear.
  for (;;) {
    if (w.claimed) return WaitResult::Ok;  // a notify unlinked, counted and unparked us
    if (interrupted()) return leave(WaitResult::Interrupted);
    if (forever) {
      w.cv.wait(lock);
    } else {
      if (Clock::now() >= deadline) return leave(WaitResult::TimedOut);
      w.cv.wait_until(lock, deadline);
    }
  }
}

uint32_t ParkingLot::notify(uintptr_t key, uint32_t count) {
  if (count == 0) return 0;
  Bucket& b = bucket_for(key);
  // N2, N3 above: an empty bucket needs no lock.
  full_fence();
  if (b.waiters.load(std::memory_order_relaxed) == 0) return 0;

  // The claimed waiters, to signal once the lock is released. Not linked
  // through the Waiters: once unlocked, a claimed Waiter may be reused.
  constexpr size_t kInline = 16;
  Waiter* inline_claimed[kInline];
  std::vector<Waiter*> more_claimed;  // only for notifies of > kInline waiters
  uint32_t woken = 0;
  {
    std::lock_guard lock(b.mu);
    // Oldest first: the list is in arrival order, so claiming from the
    // head is FIFO for each key.
    for (Waiter* w = b.head; w != nullptr && woken < count;) {
      Waiter* next = w->next;
      if (w->key == key) {
        b.unlink(w);
        w->claimed = true;
        if (w->observer) w->observer->unparked();
        if (woken < kInline)
          inline_claimed[woken] = w;
        else
          more_claimed.push_back(w);
        ++woken;
      }
      w = next;
    }
  }
  // See "Lifetime of a Waiter": outside the lock, and cv is all we touch.
  for (uint32_t i = 0; i < woken && i < kInline; ++i) inline_claimed[i]->cv.notify_one();
  for (Waiter* w : more_claimed) w->cv.notify_one();
  return woken;
}

void ParkingLot::wake_all_for_interrupt() {
  // Pairs with the fence in wait_impl: either we see the bucket's count, or
  // the waiter sees its interrupt flag (set by the caller before this call).
  full_fence();
  for (size_t i = 0; i <= mask_; ++i) {
    Bucket& b = buckets_[i];
    if (b.waiters.load(std::memory_order_relaxed) == 0) continue;
    std::lock_guard lock(b.mu);
    for (Waiter* w = b.head; w != nullptr; w = w->next) w->cv.notify_one();
  }
}

size_t ParkingLot::waiter_count(uintptr_t key) const {
  Bucket& b = bucket_for(key);
  std::lock_guard lock(b.mu);
  size_t n = 0;
  for (const Waiter* w = b.head; w != nullptr; w = w->next) n += w->key == key;
  return n;
}

size_t ParkingLot::total_waiters() const {
  size_t n = 0;
  for (size_t i = 0; i <= mask_; ++i) {
    Bucket& b = buckets_[i];
    std::lock_guard lock(b.mu);
    for (const Waiter* w = b.head; w != nullptr; w = w->next) ++n;
  }
  return n;
}

ParkingLot& parking_lot() {
  // Leaked on purpose: see the declaration.
  static ParkingLot* const lot = new ParkingLot();
  return *lot;
}

}  // namespace wgi::interp
