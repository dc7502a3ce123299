// Host functions (HostFn) called from Wasm, host traps, and re-entrancy: a
// host function invoking Wasm on the Thread that called it
// (tests/interp/host.wat).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "interp_support.h"

namespace wgi::test {
namespace {

using interp::ExternVal;
using interp::FuncInst;
using interp::Thread;
using interp::TrapKind;

// host.wat imports "host" "add" (i32, i64) -> i64, "host" "fail" () -> ()
// and "host" "reenter" (i32) -> i32. The test sets what fail returns and
// which export reenter invokes.
class HostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add = r.store.add_host_func(
        FuncType{{ValType::I32, ValType::I64}, {ValType::I64}},
        [this](Thread& t, Slot* s) {
          ++add_calls;
          seen_thread = &t;
          s[0] = static_cast<uint64_t>(as_i32(s[0]) + as_i64(s[1]));
          return TrapKind::None;
        },
        "add");
    fail = r.store.add_host_func(
        FuncType{}, [this](Thread&, Slot*) { return fail_with; }, "fail");
    reenter = r.store.add_host_func(
        FuncType{{ValType::I32}, {ValType::I32}},
        [this](Thread& t, Slot* s) {
          ++reenter_calls;
          Slot result = 0;
          const TrapKind k = t.invoke(*target, s, &result);
          if (k != TrapKind::None) {
            nested_trap = k;
            if (!swallow_nested_traps) return k;
            result = static_cast<uint32_t>(-1);
          }
          s[0] = result;
          return TrapKind::None;
        },
        "reenter");
    std::vector<ExternVal> ims = {ExternVal::of(add), ExternVal::of(fail), ExternVal::of(reenter)};
    inst = r.instantiate(load_test_module("host"), ims);
    ASSERT_NE(inst, nullptr);
    target = inst->get_export_func("fact");
  }

  Runner r;
  interp::Instance* inst = nullptr;
  FuncInst* add = nullptr;
  FuncInst* fail = nullptr;
  FuncInst* reenter = nullptr;
  const FuncInst* target = nullptr;
  TrapKind fail_with = TrapKind::None;
  bool swallow_nested_traps = false;
  TrapKind nested_trap = TrapKind::None;
  int add_calls = 0, reenter_calls = 0;
  Thread* seen_thread = nullptr;
};

TEST_F(HostTest, WasmCallsHostWithArgumentsAndResults) {
  EXPECT_EQ(as_i64(r.value(inst, "call_add", {i32(-5), i64(1) << 40})), ((int64_t{1} << 40) - 5) * 2);
  EXPECT_EQ(add_calls, 1);
  EXPECT_EQ(seen_thread, &r.thread);
}

TEST_F(HostTest, EmbedderInvokesHostFunctionDirectly) {
  Slot args[2] = {i32(2), i64(3)}, result = 0;
  EXPECT_EQ(r.thread.invoke(*add, args, &result), TrapKind::None);
  EXPECT_EQ(as_i64(result), 5);
  fail_with = TrapKind::Unreachable;
  EXPECT_EQ(r.thread.invoke(*fail, nullptr, nullptr), TrapKind::Unreachable);
  ASSERT_EQ(r.thread.backtrace().size(), 1u);
  EXPECT_EQ(r.thread.backtrace()[0].instance, nullptr);
  EXPECT_EQ(r.thread.backtrace()[0].host_name, "fail");
}

TEST_F(HostTest, HostTrapStopsTheWasmCaller) {
  fail_with = TrapKind::IntegerDivideByZero;
  EXPECT_EQ(r.call(inst, "call_fail"), TrapKind::IntegerDivideByZero);
  const auto& bt = r.thread.backtrace();
  ASSERT_EQ(bt.size(), 2u);
  EXPECT_EQ(bt[0].instance, nullptr);
  EXPECT_EQ(bt[0].host_name, "fail");
  EXPECT_EQ(bt[1].instance, inst);
  EXPECT_EQ(frame_name(bt[1]), "via_fail");
  EXPECT_EQ(inst->mod().bytes[bt[1].offset], 0x10) << "the call of the host function";
  // The thread is usable afterwards.
  fail_with = TrapKind::None;
  EXPECT_EQ(r.call(inst, "call_fail"), TrapKind::None);
}

TEST_F(HostTest, HostReturnsANonTrapStatus) {
  fail_with = TrapKind::Interrupted;
  const TrapKind k = r.call(inst, "call_fail");
  EXPECT_EQ(k, TrapKind::Interrupted);
  EXPECT_TRUE(interp::is_restartable(k));
  EXPECT_FALSE(interp::is_trap(k));
}

TEST_F(HostTest, HostReentersWasmOnTheSameThread) {
  EXPECT_EQ(as_i32(r.value(inst, "fact", {i32(10)})), 3628800);
  EXPECT_EQ(reenter_calls, 10);
  EXPECT_EQ(as_i32(r.value(inst, "fact_indirect", {i32(5)})), 120) << "host function in a table";
  // Deeper: every level is Wasm -> host -> Wasm, and each one nests the
  // interpreter loop on the native stack (a few hundred bytes in a release
  // build, tens of KiB with ASan, whose redzones pad every handler's locals),
  // so sanitized builds go less deep. Past the native-stack reserve the
  // nested call would trap "call stack exhausted", which fails here.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  constexpr int32_t kDepth = 40;
#else
  constexpr int32_t kDepth = 200;
#endif
  EXPECT_EQ(as_i32(r.value(inst, "fact", {i32(kDepth)})), 0) << kDepth << "! has at least 32 factors of 2";
}

TEST_F(HostTest, TrapInANestedInvocationPropagates) {
  target = inst->get_export_func("unreachable");
  EXPECT_EQ(r.call(inst, "recurse", {i32(0)}), TrapKind::Unreachable);
  EXPECT_EQ(nested_trap, TrapKind::Unreachable);
  // Innermost first: the nested Wasm function, the host function, its caller.
  const auto& bt = r.thread.backtrace();
  ASSERT_EQ(bt.size(), 3u);
  EXPECT_EQ(bt[0].instance, inst);
  EXPECT_EQ(inst->mod().bytes[bt[0].offset], 0x00) << "unreachable";
  EXPECT_EQ(bt[1].host_name, "reenter");
  EXPECT_EQ(bt[2].instance, inst);
  EXPECT_EQ(inst->mod().bytes[bt[2].offset], 0x10) << "call";
  // Then a normal call works.
  target = inst->get_export_func("fact");
  EXPECT_EQ(as_i32(r.value(inst, "recurse", {i32(4)})), 24);
}

TEST_F(HostTest, NestedCallStackExhaustionPropagates) {
  // The nested invocation recurses forever in Wasm (no native recursion).
  target = nullptr;
  auto cm = load_test_module("recursion");
  interp::Instance* rec = r.instantiate(cm);
  ASSERT_NE(rec, nullptr);
  target = rec->get_export_func("depth");
  EXPECT_EQ(as_i32(r.value(inst, "recurse", {i32(1000)})), 1000);
  EXPECT_EQ(r.call(inst, "recurse", {i32(10'000'000)}), TrapKind::CallStackExhausted);
  EXPECT_EQ(as_i32(r.value(inst, "recurse", {i32(1000)})), 1000) << "stacks unwound";
}

// The frames of a nested invocation's trap that the host function handled
// must not stay in Thread::backtrace() ahead of the caller's own later trap.
TEST_F(HostTest, NestedTrapHandledByTheHostLeavesNoStaleBacktrace) {
  // The host catches the nested trap and returns normally; the outer Wasm
  // function then traps itself. Its backtrace must describe that trap only.
  swallow_nested_traps = true;
  target = inst->get_export_func("unreachable");
  EXPECT_EQ(r.call(inst, "reenter_then_trap", {i32(0)}), TrapKind::Unreachable);
  EXPECT_EQ(nested_trap, TrapKind::Unreachable);
  const auto& bt = r.thread.backtrace();
  ASSERT_FALSE(bt.empty());
  EXPECT_EQ(frame_name(bt[0]), "then_trap") << "innermost frame is the outer function";
  EXPECT_EQ(bt.size(), 1u);
}

TEST_F(HostTest, EndlessRecursionThroughTheHostTrapsInsteadOfOverflowingTheNativeStack) {
  // Every Wasm -> host -> Wasm level nests an interpreter loop on the native
  // stack; the Thread must stop it with "call stack exhausted" before the
  // native stack runs out (this used to crash with SIGSEGV).
  target = inst->get_export_func("recurse");
  EXPECT_EQ(r.call(inst, "recurse", {i32(0)}), TrapKind::CallStackExhausted);
  target = inst->get_export_func("fact");
  EXPECT_EQ(as_i32(r.value(inst, "recurse", {i32(4)})), 24) << "the thread is still usable";
}

}  // namespace
}  // namespace wgi::test
