// Deep and infinite recursion (tests/cli/recursion.wat): Wasm calls never
// recurse on the native stack, so running out of call depth or value stack
// is the trap "call stack exhausted", never a signal, also on an OS thread
// with a small native stack; and a recursion 1,000,000 deep traps with the
// default limits and completes with raised ones (ThreadConfig).
#include <gtest/gtest.h>
#include <pthread.h>

#include <functional>
#include <string>
#include <vector>

#include "interp_support.h"

namespace wgi::test {
namespace {

using interp::ThreadConfig;
using interp::TrapKind;

// Runs fn on a new OS thread whose native stack is `stack_bytes`, and waits.
void run_on_small_stack(size_t stack_bytes, const std::function<void()>& fn) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, stack_bytes), 0);
  pthread_t tid;
  auto body = [](void* p) -> void* {
    (*static_cast<const std::function<void()>*>(p))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&tid, &attr, body, const_cast<std::function<void()>*>(&fn)), 0);
  pthread_attr_destroy(&attr);
  ASSERT_EQ(pthread_join(tid, nullptr), 0);
}

// Far too small for a million native frames of anything. Sanitized builds
// give the interpreter loop's one frame (every handler's locals with their
// redzones) over 64 KiB, so they get more, still as far from a million.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kSmallNativeStack = 256 * 1024;
#else
constexpr size_t kSmallNativeStack = 64 * 1024;
#endif
constexpr int32_t kMillion = 1'000'000;

// A raised limit that fits a million nested calls of `depth`.
ThreadConfig raised_limits() {
  ThreadConfig c;
  c.max_call_depth = 1'100'000;
  c.value_stack_bytes = size_t{256} << 20;
  return c;
}

// The checks, run either on the test's thread or on a small native stack.
void infinite_recursion_traps(const ThreadConfig& config) {
  Runner r(config);
  interp::Instance* inst = r.instantiate("recursion");
  ASSERT_NE(inst, nullptr);
  for (const char* f : {"forever", "forever_indirect"}) {
    EXPECT_EQ(r.call(inst, f), TrapKind::CallStackExhausted) << f;
    EXPECT_EQ(interp::trap_message(TrapKind::CallStackExhausted), "call stack exhausted");
    const auto& bt = r.thread.backtrace();
    ASSERT_FALSE(bt.empty()) << f;
    EXPECT_EQ(frame_name(bt.front()), f);
    EXPECT_EQ(frame_name(bt.back()), f);
  }
}

void million_deep(const ThreadConfig& config, bool expect_completion) {
  Runner r(config);
  interp::Instance* inst = r.instantiate("recursion");
  ASSERT_NE(inst, nullptr);
  for (const char* f : {"depth", "depth_indirect"}) {
    std::vector<Slot> results;
    const TrapKind k = r.call(inst, f, {i32(kMillion)}, &results);
    if (expect_completion) {
      EXPECT_EQ(k, TrapKind::None) << f << ": " << interp::trap_message(k);
      ASSERT_EQ(results.size(), 1u);
      EXPECT_EQ(as_i32(results[0]), kMillion) << f;
    } else {
      EXPECT_EQ(k, TrapKind::CallStackExhausted) << f;
    }
    // Either way the thread is usable again.
    EXPECT_EQ(as_i32(r.value(inst, f, {i32(100)})), 100) << f;
  }
}

TEST(Recursion, DefaultLimitsAreDocumented) {
  // README.md and `wgi run --help` state these.
  EXPECT_EQ(ThreadConfig{}.max_call_depth, 200'000u);
  EXPECT_EQ(ThreadConfig{}.value_stack_bytes, size_t{64} << 20);
}

TEST(Recursion, InfiniteRecursionTrapsOnTheMainThread) { infinite_recursion_traps({}); }

TEST(Recursion, InfiniteRecursionTrapsOnASmallNativeStack) {
  run_on_small_stack(kSmallNativeStack, [] { infinite_recursion_traps({}); });
}

TEST(Recursion, InfiniteRecursionWithRaisedLimitsTrapsToo) {
  run_on_small_stack(kSmallNativeStack, [] { infinite_recursion_traps(raised_limits()); });
}

TEST(Recursion, MillionDeepTrapsWithTheDefaultLimits) { million_deep({}, false); }

TEST(Recursion, MillionDeepCompletesWithRaisedLimits) { million_deep(raised_limits(), true); }

TEST(Recursion, MillionDeepOnASmallNativeStack) {
  run_on_small_stack(kSmallNativeStack, [] {
    million_deep({}, false);
    million_deep(raised_limits(), true);
  });
}

TEST(Recursion, ValueStackExhaustionIsTheSameTrap) {
  // Call depth allowed, but 64 KiB of value stack holds only a few thousand
  // frames.
  ThreadConfig c;
  c.max_call_depth = 10'000'000;
  c.value_stack_bytes = 64 * 1024;
  Runner r(c);
  interp::Instance* inst = r.instantiate("recursion");
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(r.call(inst, "depth", {i32(kMillion)}), TrapKind::CallStackExhausted);
  EXPECT_EQ(r.call(inst, "forever_indirect"), TrapKind::CallStackExhausted);
  EXPECT_EQ(as_i32(r.value(inst, "depth", {i32(100)})), 100);
}

TEST(Recursion, MaxCallDepthCountsNestedCalls) {
  // depth(n) makes n calls nested inside the outermost one.
  for (uint32_t limit : {1u, 2u, 10u, 1000u}) {
    ThreadConfig c;
    c.max_call_depth = limit;
    Runner r(c);
    interp::Instance* inst = r.instantiate("recursion");
    ASSERT_NE(inst, nullptr);
    for (const char* f : {"depth", "depth_indirect"}) {
      std::vector<Slot> results;
      EXPECT_EQ(r.call(inst, f, {i32(int32_t(limit))}, &results), TrapKind::None)
          << f << " with limit " << limit;
      EXPECT_EQ(r.call(inst, f, {i32(int32_t(limit) + 1)}), TrapKind::CallStackExhausted)
          << f << " with limit " << limit;
      EXPECT_EQ(r.thread.backtrace().size(), limit + 1) << "every frame is in the backtrace";
    }
  }
}

}  // namespace
}  // namespace wgi::test
