// Unit tests for interp/parking_lot.h: the wait queues behind
// memory.atomic.wait32/wait64 and memory.atomic.notify.
//
// Threads are synchronised through waiter_count(): a test starts a waiter,
// then polls until the lot reports it parked, so "notify before the waiter
// sleeps" is never mistaken for a lost wake-up. Timing checks are one-sided
// (a timeout lasts at least its length); upper bounds are generous and only
// catch hangs or an interrupt that is not noticed at all.
#include "interp/parking_lot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace wgi::interp {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int64_t kForever = -1;
constexpr auto kHangLimit = std::chrono::seconds(20);  // "it hung", not a perf bound
// How long an interrupted or notified waiter may take to return. The expected
// figure is well under 10 ms; this only has to tolerate a loaded machine.
constexpr auto kPromptLimit = milliseconds(500);

int64_t ns(Clock::duration d) { return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(); }
double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Distinct, stable keys (the addresses of these words).
alignas(8) uint64_t g_words[16];
uintptr_t key(int i) { return ParkingLot::key_of(&g_words[i]); }

bool always_equal() { return true; }

// Polls until exactly n threads are parked on k.
::testing::AssertionResult wait_parked(const ParkingLot& lot, uintptr_t k, size_t n) {
  auto start = Clock::now();
  size_t have;
  while ((have = lot.waiter_count(k)) != n) {
    if (Clock::now() - start > kHangLimit)
      return ::testing::AssertionFailure() << "expected " << n << " waiters, have " << have;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return ::testing::AssertionSuccess();
}

// A thread that waits once (predicate always true) and publishes its result.
class AsyncWaiter {
 public:
  AsyncWaiter(ParkingLot& lot, uintptr_t k, int64_t timeout_ns = kForever,
              const std::atomic<bool>* interrupt = nullptr)
      : thread_([this, &lot, k, timeout_ns, interrupt] {
          WaitResult r = lot.wait(k, always_equal, timeout_ns, interrupt);
          returned_at_ = Clock::now();
          result_.store(static_cast<int>(r), std::memory_order_release);
        }) {}
  ~AsyncWaiter() {
    if (thread_.joinable()) thread_.join();
  }
  bool done() const { return result_.load(std::memory_order_acquire) >= 0; }
  // Joins and returns the result.
  WaitResult join() {
    thread_.join();
    return static_cast<WaitResult>(result_.load(std::memory_order_acquire));
  }
  Clock::time_point returned_at() const { return returned_at_; }  // after join()

 private:
  std::atomic<int> result_{-1};
  Clock::time_point returned_at_;
  std::thread thread_;
};

TEST(ParkingLot, WaitResultValuesMatchTheWasmResults) {
  EXPECT_EQ(static_cast<uint32_t>(WaitResult::Ok), 0u);
  EXPECT_EQ(static_cast<uint32_t>(WaitResult::NotEqual), 1u);
  EXPECT_EQ(static_cast<uint32_t>(WaitResult::TimedOut), 2u);
  EXPECT_STREQ(wait_result_name(WaitResult::Interrupted), "interrupted");
}

TEST(ParkingLot, NotifyWithoutWaitersReturnsZero) {
  ParkingLot lot;
  EXPECT_EQ(lot.notify(key(0), 1), 0u);
  EXPECT_EQ(lot.notify(key(0), ParkingLot::kNotifyAll), 0u);
  EXPECT_EQ(lot.notify(key(0), 0), 0u);
  EXPECT_EQ(parking_lot().notify(&g_words[15], 5), 0u);
}

TEST(ParkingLot, NotEqualReturnsAtOnceWithoutParking) {
  ParkingLot lot;
  int calls = 0;
  auto differs = [&calls] {
    ++calls;
    return false;
  };
  EXPECT_EQ(lot.wait(key(0), differs, kForever), WaitResult::NotEqual);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(lot.total_waiters(), 0u);

  alignas(8) uint32_t w32 = 7;
  alignas(8) uint64_t w64 = 0x1'0000'0007;
  EXPECT_EQ(lot.wait_on(&w32, uint32_t{8}, kForever), WaitResult::NotEqual);
  // wait64 compares all 64 bits: the low half alone is not enough.
  EXPECT_EQ(lot.wait_on(&w64, uint64_t{7}, kForever), WaitResult::NotEqual);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

TEST(ParkingLot, ZeroTimeoutTimesOutAtOnce) {
  ParkingLot lot;
  alignas(4) uint32_t w = 3;
  EXPECT_EQ(lot.wait_on(&w, uint32_t{3}, 0), WaitResult::TimedOut);
  EXPECT_EQ(lot.wait_on(&w, uint32_t{4}, 0), WaitResult::NotEqual);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

TEST(ParkingLot, TimeoutLastsAtLeastItsLength) {
  ParkingLot lot;
  std::atomic<bool> never{false};
  for (int64_t timeout : {int64_t{1}, int64_t{1'000'000}, int64_t{20'000'000}, int64_t{35'000'000}}) {
    SCOPED_TRACE(timeout);
    // With and without an interrupt flag (one that stays clear).
    for (const std::atomic<bool>* flag : {static_cast<const std::atomic<bool>*>(nullptr), static_cast<const std::atomic<bool>*>(&never)}) {
      auto start = Clock::now();
      EXPECT_EQ(lot.wait(key(0), always_equal, timeout, flag), WaitResult::TimedOut);
      auto elapsed = Clock::now() - start;
      EXPECT_GE(ns(elapsed), timeout);
      EXPECT_LT(elapsed, kHangLimit);
    }
  }
  EXPECT_EQ(lot.total_waiters(), 0u);
}

TEST(ParkingLot, NegativeAndHugeTimeoutsWaitUntilNotified) {
  ParkingLot lot;
  // INT64_MAX would overflow now + timeout if added naively.
  for (int64_t timeout : {int64_t{-1}, INT64_MIN, INT64_MAX, INT64_MAX - 1, int64_t{1} << 62}) {
    SCOPED_TRACE(timeout);
    AsyncWaiter w(lot, key(1), timeout);
    ASSERT_TRUE(wait_parked(lot, key(1), 1));
    std::this_thread::sleep_for(milliseconds(2));
    EXPECT_FALSE(w.done());
    EXPECT_EQ(lot.notify(key(1), 1), 1u);
    EXPECT_EQ(w.join(), WaitResult::Ok);
  }
}

TEST(ParkingLot, WakesInFifoOrder) {
  ParkingLot lot;
  constexpr int kWaiters = 8;
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < kWaiters; ++i) {
    threads.emplace_back([&, i] {
      EXPECT_EQ(lot.wait(key(2), always_equal, kForever), WaitResult::Ok);
      std::lock_guard lock(mu);
      order.push_back(i);
    });
    // Park them one at a time, so arrival order is 0, 1, 2, ...
    ASSERT_TRUE(wait_parked(lot, key(2), i + 1));
  }
  for (int i = 0; i < kWaiters; ++i) {
    EXPECT_EQ(lot.notify(key(2), 1), 1u);
    // Wait for the woken thread to record itself before waking the next.
    auto start = Clock::now();
    for (;;) {
      {
        std::lock_guard lock(mu);
        if (order.size() == static_cast<size_t>(i + 1)) break;
      }
      ASSERT_LT(Clock::now() - start, kHangLimit);
      std::this_thread::yield();
    }
  }
  for (auto& t : threads) t.join();
  std::vector<int> expected(kWaiters);
  for (int i = 0; i < kWaiters; ++i) expected[i] = i;
  EXPECT_EQ(order, expected);
}

TEST(ParkingLot, NotifyNWakesTheOldestN) {
  ParkingLot lot;
  constexpr int kWaiters = 6;
  std::vector<std::unique_ptr<AsyncWaiter>> waiters;
  for (int i = 0; i < kWaiters; ++i) {
    waiters.push_back(std::make_unique<AsyncWaiter>(lot, key(3)));
    ASSERT_TRUE(wait_parked(lot, key(3), i + 1));
  }
  EXPECT_EQ(lot.notify(key(3), 2), 2u);
  EXPECT_EQ(waiters[0]->join(), WaitResult::Ok);
  EXPECT_EQ(waiters[1]->join(), WaitResult::Ok);
  EXPECT_EQ(lot.waiter_count(key(3)), 4u);
  EXPECT_EQ(lot.notify(key(3), 3), 3u);
  for (int i = 2; i < 5; ++i) EXPECT_EQ(waiters[i]->join(), WaitResult::Ok);
  EXPECT_EQ(lot.waiter_count(key(3)), 1u);
  EXPECT_FALSE(waiters[5]->done());
  EXPECT_EQ(lot.notify(key(3), 1), 1u);
  EXPECT_EQ(waiters[5]->join(), WaitResult::Ok);
}

TEST(ParkingLot, NotifyCountSemantics) {
  ParkingLot lot;
  std::vector<std::unique_ptr<AsyncWaiter>> waiters;
  for (int i = 0; i < 5; ++i) waiters.push_back(std::make_unique<AsyncWaiter>(lot, key(4)));
  ASSERT_TRUE(wait_parked(lot, key(4), 5));

  EXPECT_EQ(lot.notify(key(4), 0), 0u);  // count 0 wakes nobody
  EXPECT_EQ(lot.waiter_count(key(4)), 5u);
  EXPECT_EQ(lot.notify(key(4), 1), 1u);
  EXPECT_EQ(lot.waiter_count(key(4)), 4u);
  EXPECT_EQ(lot.notify(key(4), 2), 2u);
  EXPECT_EQ(lot.waiter_count(key(4)), 2u);
  EXPECT_EQ(lot.notify(key(4), 10), 2u);  // more than are waiting
  EXPECT_EQ(lot.waiter_count(key(4)), 0u);
  EXPECT_EQ(lot.notify(key(4), ParkingLot::kNotifyAll), 0u);
  for (auto& w : waiters) EXPECT_EQ(w->join(), WaitResult::Ok);
  waiters.clear();

  for (int i = 0; i < 4; ++i) waiters.push_back(std::make_unique<AsyncWaiter>(lot, key(4)));
  ASSERT_TRUE(wait_parked(lot, key(4), 4));
  EXPECT_EQ(lot.notify(key(4), ParkingLot::kNotifyAll), 4u);
  for (auto& w : waiters) EXPECT_EQ(w->join(), WaitResult::Ok);
}

TEST(ParkingLot, Wait32AndWait64OnOneAddressShareAQueue) {
  ParkingLot lot;
  alignas(8) uint64_t word = 0;
  auto* low = reinterpret_cast<uint32_t*>(&word);
  std::thread t32([&] { EXPECT_EQ(lot.wait_on(low, uint32_t{0}, kForever), WaitResult::Ok); });
  std::thread t64([&] { EXPECT_EQ(lot.wait_on(&word, uint64_t{0}, kForever), WaitResult::Ok); });
  ASSERT_TRUE(wait_parked(lot, ParkingLot::key_of(&word), 2));
  EXPECT_EQ(lot.notify(&word, ParkingLot::kNotifyAll), 2u);
  t32.join();
  t64.join();
}

TEST(ParkingLot, PredicateExceptionLeavesNoWaiterBehind) {
  ParkingLot lot;
  auto throws = []() -> bool { throw std::runtime_error("boom"); };
  EXPECT_THROW(lot.wait(key(0), throws, kForever), std::runtime_error);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

// Keys sharing a bucket (buckets_log2 = 0: one list for everything) and keys
// spread over the default table must behave the same.
class ParkingLotKeys : public ::testing::TestWithParam<unsigned> {};

TEST_P(ParkingLotKeys, NotifyOnOneKeyLeavesOthersAlone) {
  ParkingLot lot(GetParam());
  constexpr int kKeys = 4;
  constexpr int kPerKey = 2;
  std::vector<std::unique_ptr<AsyncWaiter>> waiters;  // [k * kPerKey + j]
  // Interleave arrivals across keys: k0 k1 k2 k3 k0 k1 k2 k3.
  for (int j = 0; j < kPerKey; ++j)
    for (int k = 0; k < kKeys; ++k) {
      waiters.push_back(nullptr);
      waiters.back() = std::make_unique<AsyncWaiter>(lot, key(8 + k));
      ASSERT_TRUE(wait_parked(lot, key(8 + k), j + 1));
    }
  auto w = [&](int k, int j) -> AsyncWaiter& { return *waiters[j * kKeys + k]; };

  EXPECT_EQ(lot.notify(key(8 + 2), 1), 1u);
  EXPECT_EQ(w(2, 0).join(), WaitResult::Ok);
  EXPECT_EQ(lot.notify(key(8 + 0), ParkingLot::kNotifyAll), 2u);
  EXPECT_EQ(w(0, 0).join(), WaitResult::Ok);
  EXPECT_EQ(w(0, 1).join(), WaitResult::Ok);
  EXPECT_EQ(lot.waiter_count(key(8 + 1)), 2u);
  EXPECT_EQ(lot.waiter_count(key(8 + 2)), 1u);
  EXPECT_EQ(lot.waiter_count(key(8 + 3)), 2u);
  EXPECT_EQ(lot.notify(key(12), ParkingLot::kNotifyAll), 0u);  // a key nobody uses
  EXPECT_EQ(lot.total_waiters(), 5u);
  EXPECT_EQ(lot.notify(key(8 + 3), 5), 2u);
  EXPECT_EQ(lot.notify(key(8 + 1), 5), 2u);
  EXPECT_EQ(lot.notify(key(8 + 2), 5), 1u);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Buckets, ParkingLotKeys,
                         ::testing::Values(0u, ParkingLot::kDefaultBucketsLog2));

TEST(ParkingLot, WakeForInterruptWakesAForeverWaiterPromptly) {
  ParkingLot lot;
  std::atomic<bool> flag{false};
  AsyncWaiter w(lot, key(5), kForever, &flag);
  ASSERT_TRUE(wait_parked(lot, key(5), 1));
  auto start = Clock::now();
  flag.store(true, std::memory_order_relaxed);  // like Thread::request_interrupt()
  lot.wake_all_for_interrupt();
  EXPECT_EQ(w.join(), WaitResult::Interrupted);
  auto latency = w.returned_at() - start;
  std::printf("  interrupt latency with wake: %.3f ms\n", ms_since(start));
  EXPECT_LT(latency, kPromptLimit);
  EXPECT_EQ(lot.waiter_count(key(5)), 0u);
  EXPECT_EQ(lot.notify(key(5), 1), 0u);  // the interrupted waiter left the queue
}

// A parked waiter does not poll its flag (parking_lot.h, "Interrupts"):
// setting it is not enough, the interrupter must wake the lot.
TEST(ParkingLot, InterruptNeedsTheWake) {
  ParkingLot lot;
  std::atomic<bool> flag{false};
  AsyncWaiter w(lot, key(5), kForever, &flag);
  ASSERT_TRUE(wait_parked(lot, key(5), 1));
  flag.store(true, std::memory_order_relaxed);  // no wake_all_for_interrupt() yet
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_FALSE(w.done());
  EXPECT_EQ(lot.waiter_count(key(5)), 1u);
  lot.wake_all_for_interrupt();
  EXPECT_EQ(w.join(), WaitResult::Interrupted);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

TEST(ParkingLot, InterruptSetBeforeWaitReturnsAtOnce) {
  ParkingLot lot;
  std::atomic<bool> flag{true};
  bool called = false;
  auto pred = [&called] {
    called = true;
    return true;
  };
  EXPECT_EQ(lot.wait(key(5), pred, kForever, &flag), WaitResult::Interrupted);
  EXPECT_FALSE(called);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

TEST(ParkingLot, InterruptOnlyStopsTheFlaggedWaiter) {
  ParkingLot lot;
  std::atomic<bool> f1{false}, f2{false};
  AsyncWaiter w1(lot, key(6), kForever, &f1);
  ASSERT_TRUE(wait_parked(lot, key(6), 1));
  AsyncWaiter w2(lot, key(6), kForever, &f2);
  ASSERT_TRUE(wait_parked(lot, key(6), 2));
  f1.store(true);
  lot.wake_all_for_interrupt();
  EXPECT_EQ(w1.join(), WaitResult::Interrupted);
  EXPECT_EQ(lot.waiter_count(key(6)), 1u);
  // The interrupted waiter was first in line; notify(1) now reaches w2.
  EXPECT_EQ(lot.notify(key(6), 1), 1u);
  EXPECT_EQ(w2.join(), WaitResult::Ok);
}

TEST(ParkingLot, WakeForInterruptIsNotANotify) {
  ParkingLot lot;
  std::atomic<bool> flag{false};
  AsyncWaiter w(lot, key(7), kForever, &flag);
  AsyncWaiter plain(lot, key(7));  // no flag at all
  ASSERT_TRUE(wait_parked(lot, key(7), 2));
  for (int i = 0; i < 100; ++i) lot.wake_all_for_interrupt();
  std::this_thread::sleep_for(milliseconds(5));
  EXPECT_FALSE(w.done());
  EXPECT_FALSE(plain.done());
  EXPECT_EQ(lot.waiter_count(key(7)), 2u);
  EXPECT_EQ(lot.notify(key(7), ParkingLot::kNotifyAll), 2u);
  EXPECT_EQ(w.join(), WaitResult::Ok);
  EXPECT_EQ(plain.join(), WaitResult::Ok);
}

// Two threads hand a token back and forth through one word: the classic
// futex ping-pong. A wake-up lost between compare and sleep would park a
// thread for good; the waits carry a long timeout so such a bug shows up as
// a counted failure rather than a hung test.
void ping_pong(ParkingLot& lot, uint32_t* word, int rounds, std::atomic<int>* timeouts) {
  constexpr int64_t kTimeout = 10'000'000'000;  // 10 s
  auto player = [&](uint32_t mine, uint32_t theirs) {
    std::atomic_ref<uint32_t> w(*word);
    for (int i = 0; i < rounds; ++i) {
      while (w.load() != mine) {
        if (lot.wait_on(word, theirs, kTimeout) == WaitResult::TimedOut) timeouts->fetch_add(1);
      }
      w.store(theirs);
      lot.notify(word, 1);
    }
  };
  std::thread a(player, 0u, 1u);
  std::thread b(player, 1u, 0u);
  a.join();
  b.join();
}

TEST(ParkingLot, PingPongLosesNoWakeUps) {
  constexpr int kRounds = 100'000;
  alignas(4) static uint32_t word = 0;
  std::atomic<int> timeouts{0};
  auto start = Clock::now();
  ping_pong(parking_lot(), &word, kRounds, &timeouts);
  std::printf("  %d round trips in %.1f ms\n", kRounds, ms_since(start));
  EXPECT_EQ(timeouts.load(), 0);
  EXPECT_EQ(parking_lot().waiter_count(ParkingLot::key_of(&word)), 0u);
}

TEST(ParkingLot, ManyPairsOnCollidingKeysLoseNoWakeUps) {
  ParkingLot lot(0);  // one bucket: every pair shares the list and the mutex
  constexpr int kPairs = 4;
  constexpr int kRounds = 5'000;
  alignas(4) static uint32_t words[kPairs];
  std::atomic<int> timeouts{0};
  std::vector<std::thread> pairs;
  for (int p = 0; p < kPairs; ++p)
    pairs.emplace_back([&, p] { ping_pong(lot, &words[p], kRounds, &timeouts); });
  for (auto& t : pairs) t.join();
  EXPECT_EQ(timeouts.load(), 0);
  EXPECT_EQ(lot.total_waiters(), 0u);
}

// Waiters with short timeouts race a notifier. Every waiter that a notify
// counted must return Ok, and no other: the sum of notify's results equals
// the number of Ok results, even when timeouts and notifies coincide.
TEST(ParkingLot, NotifyCountsExactlyTheWaitersItWakes) {
  ParkingLot lot;
  constexpr int kThreads = 6;
  constexpr int kWaitsPerThread = 1'500;
  std::atomic<int> ok{0}, timed_out{0}, running{kThreads};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::minstd_rand rng(t + 1);
      for (int i = 0; i < kWaitsPerThread; ++i) {
        int64_t timeout = static_cast<int64_t>(rng() % 50'000);  // 0..50 us
        switch (lot.wait(key(13), always_equal, timeout)) {
          case WaitResult::Ok: ok.fetch_add(1); break;
          case WaitResult::TimedOut: timed_out.fetch_add(1); break;
          default: ADD_FAILURE() << "unexpected result";
        }
      }
      running.fetch_sub(1);
    });
  }
  uint64_t notified = 0;
  std::minstd_rand rng(99);
  while (running.load() > 0) {
    uint32_t r = rng() % 4;
    notified += lot.notify(key(13), r == 3 ? ParkingLot::kNotifyAll : r);
    if (rng() % 8 == 0) std::this_thread::yield();
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(notified, static_cast<uint64_t>(ok.load()));
  EXPECT_EQ(ok.load() + timed_out.load(), kThreads * kWaitsPerThread);
  EXPECT_EQ(lot.total_waiters(), 0u);
  std::printf("  %d woken by notify, %d timed out\n", ok.load(), timed_out.load());
}

TEST(ParkingLot, SingletonIsShared) {
  EXPECT_EQ(&parking_lot(), &parking_lot());
  ParkingLot* seen[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&seen, i] { seen[i] = &parking_lot(); });
  for (auto& t : threads) t.join();
  for (ParkingLot* p : seen) EXPECT_EQ(p, &parking_lot());
}

}  // namespace
}  // namespace wgi::interp
