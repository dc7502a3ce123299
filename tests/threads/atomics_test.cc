// Multi-threaded tests of the threads proposal: atomic read-modify-writes,
// a spin lock, wait/notify and memory.grow, on real std::threads sharing one
// memory (tests/threads/atomics.wat).
//
// Setup: each test creates one shared Memory in its Store. Every worker
// thread has its own interp::Thread and instantiates atomics.wat itself
// (concurrently: Store is thread-safe), importing that memory; the workers
// then start together from a spinning start line, so they really overlap.
// Workers never use gtest assertions: they record failures as text, which
// the main thread checks after joining them.
//
// Hangs: the main thread waits for the workers with a deadline. If it
// passes (a lost wake-up, a lock never released), it interrupts every
// worker (Thread::request_interrupt plus ParkingLot::wake_all_for_interrupt)
// so the test fails with a message instead of hanging until CTest's timeout.
//
// Timing checks are one-sided: a wait with a timeout lasts at least the
// timeout; upper bounds only catch hangs.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/memory.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "interp/trap.h"
#include "interp/value.h"
#include "interp/parking_lot.h"

namespace wgi::test {
namespace {

using interp::Slot;
using interp::TrapKind;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kPage = 65536;
constexpr uint32_t kMaxPages = 64;  // atomics.wat: (memory 1 64 shared)
// "The workers hung": far above any run time, TSan builds included.
constexpr auto kHangLimit = std::chrono::seconds(240);

std::shared_ptr<const interp::CompiledModule> load_threads_module(const std::string& name) {
  const std::string path = std::string(WGI_THREADS_TEST_DATA) + "/" + name + ".wasm";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
  auto r = interp::load_module(std::move(bytes));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

Slot i32(int32_t v) { return static_cast<uint32_t>(v); }
Slot i64(int64_t v) { return static_cast<uint64_t>(v); }
int32_t as_i32(Slot s) { return static_cast<int32_t>(static_cast<uint32_t>(s)); }

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// One OS thread's view: its interp::Thread and its instance of atomics.wat.
class Worker {
 public:
  Worker() : thread_(small_stacks()) {}

  bool instantiate(interp::Store& store, const std::shared_ptr<const interp::CompiledModule>& cm,
                   interp::Memory* mem) {
    const interp::ExternVal imports[] = {interp::ExternVal::of(mem)};
    auto r = interp::instantiate(store, cm, imports, thread_);
    if (!r.ok()) return fail("instantiate: " + r.error().message);
    if (r->trap != TrapKind::None) return fail("instantiate trapped");
    inst_ = r->instance;
    return true;
  }

  // Calls export `name`; returns its result (0 for none), or records the
  // trap as a failure and returns 0.
  Slot call(const char* name, std::initializer_list<Slot> args) {
    last_trap_ = TrapKind::None;
    const interp::FuncInst* f = inst_ ? inst_->get_export_func(name) : nullptr;
    if (f == nullptr) {
      fail(std::string("no export ") + name);
      return 0;
    }
    std::vector<Slot> a(args);
    Slot results[2] = {0, 0};
    last_trap_ = thread_.invoke(*f, a.data(), results);
    if (last_trap_ != TrapKind::None) {
      fail(std::string(name) + ": " + std::string(interp::trap_message(last_trap_)));
      return 0;
    }
    return results[0];
  }
  // For calls expected to stop with a trap or interrupt.
  TrapKind call_expecting_trap(const char* name, std::initializer_list<Slot> args) {
    const std::string before = error_;
    call(name, args);
    error_ = before;  // the caller checks the kind
    return last_trap_;
  }

  bool fail(const std::string& what) {
    if (error_.empty()) error_ = what;
    return false;
  }
  const std::string& error() const { return error_; }
  interp::Thread& thread() { return thread_; }

 private:
  static interp::ThreadConfig small_stacks() {
    interp::ThreadConfig c;
    c.value_stack_bytes = size_t{1} << 20;
    c.max_call_depth = 1000;
    return c;
  }

  interp::Thread thread_;
  interp::Instance* inst_ = nullptr;
  TrapKind last_trap_ = TrapKind::None;
  std::string error_;
};

class SharedAtomics : public ::testing::Test {
 protected:
  void SetUp() override {
    cm_ = load_threads_module("atomics");
    ASSERT_NE(cm_, nullptr);
    MemoryType type;
    type.limits = {.min = 1, .max = kMaxPages, .has_max = true, .shared = true};
    auto m = interp::Memory::create(type);
    ASSERT_TRUE(m.ok()) << m.error().message;
    mem_ = store_.add_memory(std::move(*m));
    ASSERT_TRUE(main_.instantiate(store_, cm_, mem_)) << main_.error();
  }

  // Runs body(worker, i) for i in [0, n) on n std::threads, each with its
  // own Worker, started together once all have instantiated the module.
  // `during` (optional) runs on the calling thread meanwhile, with the
  // workers' array (e.g. to notify or interrupt them). Fails the test if a
  // worker recorded a failure or the workers hang.
  using Body = std::function<void(Worker&, int)>;
  void run_threads(int n, const Body& body,
                   const std::function<void(std::vector<std::unique_ptr<Worker>>&)>& during = {}) {
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < n; ++i) workers.push_back(std::make_unique<Worker>());
    // A spinning start line rather than a latch: a latch lets the last
    // arrival run ahead while the others are still being woken, long enough
    // for short loops to finish alone. Spinning (with yield, as there are
    // more threads than cores) keeps every worker runnable when they start.
    std::atomic<int> arrived{0};
    std::mutex mu;
    std::condition_variable cv;
    int done = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        Worker& w = *workers[i];
        const bool ok = w.instantiate(store_, cm_, mem_);
        arrived.fetch_add(1);
        while (arrived.load() < n) std::this_thread::yield();
        if (ok) body(w, i);
        std::lock_guard<std::mutex> lock(mu);
        ++done;
        cv.notify_all();
      });
    }
    if (during) during(workers);
    bool hung = false;
    {
      std::unique_lock<std::mutex> lock(mu);
      hung = !cv.wait_for(lock, kHangLimit, [&] { return done == n; });
    }
    if (hung) {
      for (auto& w : workers) w->thread().request_interrupt();
      interp::parking_lot().wake_all_for_interrupt();
    }
    for (auto& t : threads) t.join();
    EXPECT_FALSE(hung) << "the worker threads hung; interrupted them";
    for (int i = 0; i < n; ++i)
      EXPECT_EQ(workers[i]->error(), "") << "worker " << i;
  }

  template <class T>
  T peek(uint32_t addr) const {
    T v;
    std::memcpy(&v, mem_->base() + addr, sizeof v);
    return v;
  }
  template <class T>
  void poke(uint32_t addr, T v) {
    std::memcpy(mem_->base() + addr, &v, sizeof v);
  }
  uintptr_t key(uint32_t addr) const { return interp::ParkingLot::key_of(mem_->base() + addr); }

  // Waits (on the calling thread) until `count` threads are parked on addr.
  bool await_waiters(uint32_t addr, size_t count) {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (interp::parking_lot().waiter_count(key(addr)) != count) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
  }

  interp::Store store_;
  std::shared_ptr<const interp::CompiledModule> cm_;
  interp::Memory* mem_ = nullptr;
  Worker main_;  // the test's own thread, for calls from the main thread
};

constexpr int kThreads = 4;         // more threads than the CI's 2 cores
constexpr int kIncrements = 1'000'000;  // per thread

// ---- read-modify-write --------------------------------------------------------

TEST_F(SharedAtomics, RmwAddI32GivesExactTotal) {
  run_threads(kThreads, [](Worker& w, int) { w.call("add_i32", {i32(0), i32(kIncrements)}); });
  EXPECT_EQ(peek<uint32_t>(0), uint32_t{kThreads * kIncrements});
}

TEST_F(SharedAtomics, RmwAddI64GivesExactTotal) {
  poke<uint64_t>(8, 0xFFFF'FFFF'0000'0000ull);  // the sum carries into no bit but 32+
  run_threads(kThreads, [](Worker& w, int) { w.call("add_i64", {i32(8), i32(kIncrements)}); });
  EXPECT_EQ(peek<uint64_t>(8), 0xFFFF'FFFF'0000'0000ull + uint64_t{kThreads * kIncrements});
}

TEST_F(SharedAtomics, RmwSubI64ReachesZero) {
  poke<uint64_t>(16, uint64_t{kThreads * kIncrements});
  run_threads(kThreads, [](Worker& w, int) { w.call("sub_i64", {i32(16), i32(kIncrements)}); });
  EXPECT_EQ(peek<uint64_t>(16), 0u);
}

TEST_F(SharedAtomics, CmpxchgLoopGivesExactTotal) {
  std::vector<int32_t> retries(kThreads);
  run_threads(kThreads, [&](Worker& w, int i) {
    retries[i] = as_i32(w.call("cas_inc", {i32(24), i32(kIncrements)}));
  });
  EXPECT_EQ(peek<uint32_t>(24), uint32_t{kThreads * kIncrements});
  int64_t total_retries = 0;
  for (int32_t r : retries) total_retries += r;
  RecordProperty("cmpxchg_retries", std::to_string(total_retries));
}

// Each thread increments its own byte (rmw8) and its own half-word (rmw16)
// of words that all threads update: narrow RMWs must not disturb the
// neighbouring bytes.
TEST_F(SharedAtomics, NarrowRmwsKeepNeighbours) {
  static_assert(kThreads == 4);
  constexpr int n = 700'001;  // not a multiple of 256
  run_threads(kThreads, [](Worker& w, int i) {
    w.call("add_u8", {i32(32 + i), i32(n)});
    w.call("add_u16", {i32(40 + 2 * i), i32(n)});
  });
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(peek<uint8_t>(32 + i), uint8_t(n % 256)) << "byte " << i;
    EXPECT_EQ(peek<uint16_t>(40 + 2 * i), uint16_t(n % 65536)) << "half-word " << i;
  }
  EXPECT_EQ(peek<uint32_t>(36), 0u) << "past the bytes";
}

TEST_F(SharedAtomics, XorAndOrOnSharedWord) {
  constexpr int n = 500'001;  // odd: each thread's bits end up set
  run_threads(kThreads, [](Worker& w, int i) {
    w.call("xor_or", {i32(48), i32(0x11 << i), i32(n)});
  });
  const uint32_t all = 0x11 | 0x22 | 0x44 | 0x88;
  EXPECT_EQ(peek<uint32_t>(48), all) << "xor";
  EXPECT_EQ(peek<uint32_t>(52), all) << "or";
}

// ---- spin lock ------------------------------------------------------------------

TEST_F(SharedAtomics, SpinLockProtectsPlainCounter) {
  constexpr int n = 200'000;
  constexpr uint32_t lock = 128, counter = 192;
  const auto t0 = Clock::now();
  run_threads(kThreads, [&](Worker& w, int) {
    w.call("lock_inc", {i32(lock), i32(counter), i32(n)});
  });
  RecordProperty("ms", std::to_string(ms_between(t0, Clock::now())));
  EXPECT_EQ(peek<uint32_t>(lock), 0u) << "released";
  EXPECT_EQ(peek<uint32_t>(counter), uint32_t{kThreads * n});
  EXPECT_EQ(peek<uint64_t>(counter + 8), uint64_t{kThreads * n} * 0x1'0000'0001ull)
      << "a two-half i64 counter updated inside the lock";
}

// ---- racing plain accesses ------------------------------------------------------

// Wasm allows plain accesses to race; the interpreter must still not have a
// C++ data race (the TSan build checks this test), nor show a value nobody
// wrote. Every byte written by thread i is i + 1.
TEST_F(SharedAtomics, RacingPlainAccessesSeeOnlyWrittenBytes) {
  constexpr uint32_t base = 512;
  std::vector<int32_t> bad(kThreads, -1);
  run_threads(kThreads, [&](Worker& w, int i) {
    bad[i] = as_i32(w.call("racy_plain", {i32(base), i32(i + 1), i32(100'000)}));
  });
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(bad[i], 0) << "thread " << i;
  for (uint32_t a = base; a < base + 64; ++a) {
    const uint8_t b = peek<uint8_t>(a);
    EXPECT_TRUE(b >= 1 && b <= kThreads) << "byte " << a - base << " is " << int(b);
  }
}

// Instantiating a module whose active data segment targets a shared memory
// writes the segment while other threads use the memory: to Wasm, plain
// stores racing with theirs. The segment must be written with relaxed
// atomics (Memory::copy_in), or ThreadSanitizer reports a C++ data race.
TEST_F(SharedAtomics, ActiveDataSegmentIntoMemoryInUse) {
  auto data_cm = load_threads_module("atomics_data");
  ASSERT_NE(data_cm, nullptr);
  std::vector<int32_t> bad(3, -1);
  run_threads(3, [&](Worker& w, int i) {
    if (i == 0) {
      const interp::ExternVal imports[] = {interp::ExternVal::of(mem_)};
      for (int k = 0; k < 200; ++k) {
        auto r = interp::instantiate(store_, data_cm, imports, w.thread());
        if (!r.ok() || r->trap != TrapKind::None) w.fail("instantiating atomics_data failed");
      }
      bad[0] = 0;
    } else {
      bad[i] = as_i32(w.call("racy_plain", {i32(1024), i32(1), i32(20'000)}));
    }
  });
  for (int i = 0; i < 3; ++i) EXPECT_EQ(bad[i], 0) << "thread " << i;
  for (uint32_t a = 1024; a < 1024 + 64; ++a) EXPECT_EQ(peek<uint8_t>(a), 1) << a;
}

// ---- wait / notify --------------------------------------------------------------

TEST_F(SharedAtomics, WaitNotifyPingPong100000RoundTrips) {
  constexpr int rounds = 100'000;
  constexpr uint32_t turn = 256;
  std::vector<int32_t> woken(2);
  const auto t0 = Clock::now();
  run_threads(2, [&](Worker& w, int me) {
    woken[me] = as_i32(w.call("ping_pong", {i32(turn), i32(me), i32(rounds)}));
  });
  const double ms = ms_between(t0, Clock::now());
  EXPECT_EQ(peek<uint32_t>(turn), 0u) << "player 1 hands the turn back last";
  EXPECT_GE(woken[0], 0);
  EXPECT_GE(woken[1], 0);
  RecordProperty("ms", std::to_string(ms));
  RecordProperty("woken", std::to_string(woken[0]) + "+" + std::to_string(woken[1]));
}

TEST_F(SharedAtomics, WaitWithTimeoutReturnsTimedOutAfterTheTimeout) {
  constexpr int64_t timeout_ns = 50'000'000;  // 50 ms
  // Several threads time out on the same word at once; one uses wait64.
  std::vector<int32_t> results(3, -1);
  std::vector<double> elapsed(3);
  run_threads(3, [&](Worker& w, int i) {
    const auto t0 = Clock::now();
    results[i] = as_i32(i == 2 ? w.call("wait64", {i32(320), i64(0), i64(timeout_ns)})
                               : w.call("wait32", {i32(320), i32(0), i64(timeout_ns)}));
    elapsed[i] = ms_between(t0, Clock::now());
  });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(results[i], 2) << "thread " << i;
    EXPECT_GE(elapsed[i], 50.0) << "thread " << i;
  }
}

TEST_F(SharedAtomics, WaitReturnsAtOnceWhenNotEqualOrTimeoutZero) {
  poke<uint64_t>(320, 7);
  EXPECT_EQ(as_i32(main_.call("wait32", {i32(320), i32(6), i64(-1)})), 1) << "not-equal";
  EXPECT_EQ(as_i32(main_.call("wait64", {i32(320), i64(8), i64(-1)})), 1) << "not-equal";
  EXPECT_EQ(as_i32(main_.call("wait32", {i32(320), i32(7), i64(0)})), 2) << "timeout 0";
  EXPECT_EQ(as_i32(main_.call("wait64", {i32(320), i64(7), i64(0)})), 2) << "timeout 0";
  EXPECT_EQ(as_i32(main_.call("notify", {i32(320), i32(-1)})), 0) << "nobody waits";
  EXPECT_EQ(main_.error(), "");
}

// notify wakes exactly `count` waiters and returns how many it woke; every
// woken waiter returns 0.
TEST_F(SharedAtomics, NotifyWakesCountWaiters) {
  constexpr uint32_t word = 384;
  std::vector<int32_t> results(3, -1);
  int32_t first = -1, second = -1, third = -1;
  size_t left_after_first = 99;
  run_threads(
      3,
      [&](Worker& w, int i) {
        results[i] = as_i32(w.call("wait32", {i32(word), i32(0), i64(-1)}));
      },
      [&](std::vector<std::unique_ptr<Worker>>&) {
        if (!await_waiters(word, 3)) return;  // run_threads reports the hang
        first = as_i32(main_.call("notify", {i32(word), i32(2)}));
        left_after_first = interp::parking_lot().waiter_count(key(word));
        second = as_i32(main_.call("notify", {i32(word + 4), i32(-1)}));  // another word
        third = as_i32(main_.call("notify", {i32(word), i32(-1)}));  // all remaining
      });
  EXPECT_EQ(first, 2);
  EXPECT_EQ(left_after_first, 1u);
  EXPECT_EQ(second, 0);
  EXPECT_EQ(third, 1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(results[i], 0) << "waiter " << i;
  EXPECT_EQ(main_.error(), "");
}

TEST_F(SharedAtomics, WaitForeverIsInterruptible) {
  TrapKind k = TrapKind::None;
  run_threads(
      1, [&](Worker& w, int) { k = w.call_expecting_trap("wait32", {i32(448), i32(0), i64(-1)}); },
      [&](std::vector<std::unique_ptr<Worker>>& workers) {
        if (!await_waiters(448, 1)) return;
        workers[0]->thread().request_interrupt();
        interp::parking_lot().wake_all_for_interrupt();
      });
  EXPECT_EQ(k, TrapKind::Interrupted) << interp::trap_message(k);
}

// ---- memory.grow under running threads --------------------------------------------

// Three threads read and write the newest page (and page 0) while a fourth
// grows the memory to its maximum, a page at a time, alternating
// memory.grow in Wasm and Memory::grow from the host.
TEST_F(SharedAtomics, GrowWhileOtherThreadsReadAndWrite) {
  constexpr int readers = 3;
  constexpr int batch = 2'000;
  std::atomic<bool> grown{false};
  std::vector<int64_t> iterations(readers + 1, 0);
  std::vector<int64_t> old_sizes;
  run_threads(readers + 1, [&](Worker& w, int i) {
    if (i == readers) {  // the grower
      for (uint32_t p = 1; p < kMaxPages; ++p) {
        const int64_t old = (p % 2) ? as_i32(w.call("grow", {i32(1)})) : mem_->grow(1);
        old_sizes.push_back(old);
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      }
      if (as_i32(w.call("grow", {i32(1)})) != -1) w.fail("grew past the maximum");
      if (mem_->grow(1) != -1) w.fail("host grew past the maximum");
      grown.store(true);
      return;
    }
    // Readers: batches until the grower is done, then one more.
    bool last = false;
    do {
      last = grown.load();
      const int32_t r = as_i32(w.call("read_write", {i32(i), i32(batch)}));
      if (r != 0) w.fail(r == -2 ? "memory.size decreased" : "read back a different value");
      iterations[i] += batch;
    } while (!last && w.error().empty());
  });
  ASSERT_EQ(old_sizes.size(), kMaxPages - 1);
  for (uint32_t p = 1; p < kMaxPages; ++p) EXPECT_EQ(old_sizes[p - 1], int64_t(p));
  EXPECT_EQ(mem_->pages(), kMaxPages);
  EXPECT_EQ(as_i32(main_.call("size", {})), int32_t{kMaxPages});
  int64_t expected = 0, counted = 0, pages_used = 0;
  for (int64_t n : iterations) expected += n;
  for (uint32_t p = 0; p < kMaxPages; ++p) {
    const uint32_t c = peek<uint32_t>(p * kPage + 1024);
    counted += c;
    pages_used += c != 0;
  }
  EXPECT_EQ(counted, expected) << "the per-page atomic counters";
  RecordProperty("pages_written", std::to_string(pages_used));
}

// Four threads grow by one page each until the maximum: every page is
// handed to exactly one of them.
TEST_F(SharedAtomics, ConcurrentGrowsHandOutEachPageOnce) {
  std::vector<int32_t> grown(kThreads, -1);
  run_threads(kThreads, [&](Worker& w, int i) {
    grown[i] = as_i32(w.call("grow_all", {i32(i + 1)}));
  });
  int32_t total = 0;
  std::vector<int32_t> claimed(kThreads + 1, 0);
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_GE(grown[i], 0) << "thread " << i << " was handed a page twice";
    total += grown[i];
  }
  EXPECT_EQ(total, int32_t{kMaxPages - 1});
  EXPECT_EQ(mem_->pages(), kMaxPages);
  for (uint32_t p = 1; p < kMaxPages; ++p) {
    const uint32_t id = peek<uint32_t>(p * kPage);
    ASSERT_TRUE(id >= 1 && id <= uint32_t{kThreads}) << "page " << p << " claimed by " << id;
    ++claimed[id];
  }
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(claimed[i + 1], grown[i]) << "thread " << i;
}

// ---- an unshared memory -----------------------------------------------------------

TEST(UnsharedAtomics, WaitTrapsNotifyReturnsZero) {
  auto cm = load_threads_module("atomics_unshared");
  ASSERT_NE(cm, nullptr);
  interp::Store store;
  interp::Thread thread;
  auto r = interp::instantiate(store, cm, {}, thread);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const interp::Instance* inst = r->instance;
  auto call = [&](const char* name, std::vector<Slot> args, Slot* result = nullptr) {
    Slot out[1] = {0};
    const TrapKind k = thread.invoke(*inst->get_export_func(name), args.data(), out);
    if (result) *result = out[0];
    return k;
  };
  Slot v = 0;
  EXPECT_EQ(call("wait32", {i32(0), i32(0), i64(0)}), TrapKind::ExpectedSharedMemory);
  EXPECT_EQ(call("wait64", {i32(0), i64(0), i64(-1)}), TrapKind::ExpectedSharedMemory);
  EXPECT_EQ(call("wait32", {i32(0), i32(1), i64(0)}), TrapKind::ExpectedSharedMemory)
      << "traps even when the value differs";
  ASSERT_EQ(call("notify", {i32(0), i32(-1)}, &v), TrapKind::None);
  EXPECT_EQ(as_i32(v), 0);
  ASSERT_EQ(call("add_i32", {i32(4), i32(5)}, &v), TrapKind::None);
  ASSERT_EQ(call("add_i32", {i32(4), i32(5)}, &v), TrapKind::None);
  EXPECT_EQ(as_i32(v), 5);
  EXPECT_EQ(call("add_i32", {i32(6), i32(1)}), TrapKind::UnalignedAtomic);
  EXPECT_EQ(call("add_i32", {i32(kPage - 2), i32(1)}), TrapKind::UnalignedAtomic)
      << "alignment is checked before bounds";
  EXPECT_EQ(call("add_i32", {i32(kPage), i32(1)}), TrapKind::OutOfBoundsMemoryAccess);
  EXPECT_EQ(call("notify", {i32(2), i32(1)}), TrapKind::UnalignedAtomic);
}

}  // namespace
}  // namespace wgi::test
