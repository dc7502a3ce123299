// Every trap kind, raised by running Wasm code (tests/interp/traps.wat), with
// the spec testsuite's exact message; backtraces; the thread stays usable
// after a trap.
#include <gtest/gtest.h>

#include <climits>
#include <limits>
#include <string>
#include <vector>

#include "interp_support.h"

namespace wgi::test {
namespace {

using interp::TrapKind;

class TrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cm = load_test_module("traps");
    ASSERT_NE(cm, nullptr);
    inst = r.instantiate(cm);
    ASSERT_NE(inst, nullptr);
  }
  // Expects `name(args)` to trap with `kind`, whose message is `message`.
  void expect_trap(const std::string& name, std::vector<Slot> args, TrapKind kind,
                   const char* message) {
    const TrapKind k = r.call(inst, name, std::move(args));
    EXPECT_EQ(k, kind) << name << " trapped with \"" << interp::trap_message(k) << "\"";
    EXPECT_EQ(interp::trap_message(k), message) << name;
    EXPECT_TRUE(interp::is_trap(k)) << name;
    EXPECT_FALSE(interp::is_restartable(k)) << name;
    // The innermost frame is the exported function itself.
    ASSERT_FALSE(r.thread.backtrace().empty()) << name;
    EXPECT_EQ(r.thread.backtrace()[0].instance, inst) << name;
  }

  std::shared_ptr<const interp::CompiledModule> cm;
  Runner r;
  interp::Instance* inst = nullptr;
};

constexpr int32_t kMinI32 = INT32_MIN;
constexpr int64_t kMinI64 = INT64_MIN;
Slot f32(float v) { Slot s; interp::put<float>(&s, v); return s; }
Slot f64(double v) { Slot s; interp::put<double>(&s, v); return s; }

TEST_F(TrapTest, Unreachable) {
  expect_trap("unreachable", {}, TrapKind::Unreachable, "unreachable");
}

TEST_F(TrapTest, IntegerDivideByZero) {
  for (const char* f : {"i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u"})
    expect_trap(f, {i32(1), i32(0)}, TrapKind::IntegerDivideByZero, "integer divide by zero");
  expect_trap("i64.div_s", {i64(1), i64(0)}, TrapKind::IntegerDivideByZero,
              "integer divide by zero");
  expect_trap("i64.rem_u", {i64(kMinI64), i64(0)}, TrapKind::IntegerDivideByZero,
              "integer divide by zero");
}

TEST_F(TrapTest, IntegerOverflow) {
  expect_trap("i32.div_s", {i32(kMinI32), i32(-1)}, TrapKind::IntegerOverflow, "integer overflow");
  expect_trap("i64.div_s", {i64(kMinI64), i64(-1)}, TrapKind::IntegerOverflow, "integer overflow");
  // A float out of the integer range is an overflow too, NaN is not (below).
  expect_trap("i32.trunc_f32_s", {f32(2147483648.0f)}, TrapKind::IntegerOverflow,
              "integer overflow");
  expect_trap("i32.trunc_f64_u", {f64(-1.0)}, TrapKind::IntegerOverflow, "integer overflow");
  expect_trap("i64.trunc_f64_s", {f64(9223372036854775808.0)}, TrapKind::IntegerOverflow,
              "integer overflow");
  // rem_s of INT_MIN by -1 is 0, not a trap.
  EXPECT_EQ(as_i32(r.value(inst, "i32.rem_s", {i32(kMinI32), i32(-1)})), 0);
}

TEST_F(TrapTest, InvalidConversionToInteger) {
  const float nan_f = std::numeric_limits<float>::quiet_NaN();
  const double nan_d = std::numeric_limits<double>::quiet_NaN();
  expect_trap("i32.trunc_f32_s", {f32(nan_f)}, TrapKind::InvalidConversionToInteger,
              "invalid conversion to integer");
  expect_trap("i32.trunc_f64_u", {f64(-nan_d)}, TrapKind::InvalidConversionToInteger,
              "invalid conversion to integer");
  expect_trap("i64.trunc_f64_s", {f64(nan_d)}, TrapKind::InvalidConversionToInteger,
              "invalid conversion to integer");
}

TEST_F(TrapTest, OutOfBoundsMemoryAccess) {
  expect_trap("i32.load", {i32(65533)}, TrapKind::OutOfBoundsMemoryAccess,
              "out of bounds memory access");
  expect_trap("i64.store", {i32(-1)}, TrapKind::OutOfBoundsMemoryAccess,
              "out of bounds memory access");
  expect_trap("memory.fill", {i32(65536), i32(1)}, TrapKind::OutOfBoundsMemoryAccess,
              "out of bounds memory access");
}

TEST_F(TrapTest, OutOfBoundsTableAccess) {
  const char* msg = "out of bounds table access";
  expect_trap("table.get", {i32(3)}, TrapKind::OutOfBoundsTableAccess, msg);
  expect_trap("table.set", {i32(-1)}, TrapKind::OutOfBoundsTableAccess, msg);
  expect_trap("table.fill", {i32(2), i32(2)}, TrapKind::OutOfBoundsTableAccess, msg);
  expect_trap("table.copy", {i32(0), i32(2), i32(2)}, TrapKind::OutOfBoundsTableAccess, msg);
  expect_trap("table.init", {i32(0), i32(1), i32(1)}, TrapKind::OutOfBoundsTableAccess, msg);
  // At the edge, with a zero count, nothing traps.
  EXPECT_EQ(r.call(inst, "table.fill", {i32(3), i32(0)}), TrapKind::None);
  EXPECT_EQ(r.call(inst, "table.copy", {i32(3), i32(3), i32(0)}), TrapKind::None);
  EXPECT_EQ(r.call(inst, "table.init", {i32(3), i32(1), i32(0)}), TrapKind::None);
}

TEST_F(TrapTest, CallIndirectTraps) {
  EXPECT_EQ(as_i32(r.value(inst, "call_indirect", {i32(0)})), 7);
  expect_trap("call_indirect", {i32(1)}, TrapKind::IndirectCallTypeMismatch,
              "indirect call type mismatch");
  expect_trap("call_indirect", {i32(2)}, TrapKind::UninitializedElement, "uninitialized element");
  expect_trap("call_indirect", {i32(3)}, TrapKind::UndefinedElement, "undefined element");
  expect_trap("call_indirect", {i32(-1)}, TrapKind::UndefinedElement, "undefined element");
}

TEST_F(TrapTest, CallStackExhausted) {
  expect_trap("forever", {}, TrapKind::CallStackExhausted, "call stack exhausted");
  EXPECT_TRUE(interp::is_exhaustion(TrapKind::CallStackExhausted));
}

TEST_F(TrapTest, UnalignedAtomic) {
  expect_trap("i32.atomic.load", {i32(2)}, TrapKind::UnalignedAtomic, "unaligned atomic");
  expect_trap("i64.atomic.rmw.add", {i32(4)}, TrapKind::UnalignedAtomic, "unaligned atomic");
  EXPECT_EQ(as_i32(r.value(inst, "i32.atomic.load", {i32(4)})), 0);
}

TEST_F(TrapTest, ExpectedSharedMemory) {
  // memory.atomic.wait32 on an unshared memory (the value matches, so on a
  // shared memory it would wait).
  expect_trap("memory.atomic.wait32", {i32(0)}, TrapKind::ExpectedSharedMemory,
              "expected shared memory");
}

// Every spec trap kind is raised by at least one test above; this keeps the
// list honest when a kind is added to trap.h.
TEST_F(TrapTest, EveryKindIsCovered) {
  // UnresolvedImport (13) is raised by tests/cli/run_test.cc's
  // Run.TrapUnknownImportsLinksStubsThatTrapWhenCalled.
  EXPECT_EQ(interp::kNumTrapKinds, 13u) << "a trap kind was added: add a test that raises it";
}

TEST_F(TrapTest, BacktraceNamesEveryFrameInnermostFirst) {
  ASSERT_EQ(r.call(inst, "outer", {i32(0)}), TrapKind::IntegerDivideByZero);
  const auto& bt = r.thread.backtrace();
  ASSERT_EQ(bt.size(), 3u);
  EXPECT_EQ(frame_name(bt[0]), "inner");
  EXPECT_EQ(frame_name(bt[1]), "middle");
  EXPECT_EQ(frame_name(bt[2]), "outer");
  // Offsets are absolute positions in the module: the innermost frame points
  // at the trapping instruction, the others at their call instruction.
  const std::vector<uint8_t>& bytes = cm->module->bytes;
  for (const auto& f : bt) {
    EXPECT_EQ(f.instance, inst);
    ASSERT_LT(f.offset, bytes.size());
    const auto& body = cm->module->body(f.func_index);
    EXPECT_GE(f.offset, body.code_offset) << frame_name(f);
    EXPECT_LT(f.offset, body.end_offset) << frame_name(f);
  }
  EXPECT_EQ(bytes[bt[0].offset], 0x6E) << "i32.div_u";
  EXPECT_EQ(bytes[bt[1].offset], 0x10) << "call";
  EXPECT_EQ(bytes[bt[2].offset], 0x10) << "call";
}

TEST_F(TrapTest, ThreadIsUsableAfterATrap) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.call(inst, "forever"), TrapKind::CallStackExhausted);
    EXPECT_EQ(r.call(inst, "outer", {i32(0)}), TrapKind::IntegerDivideByZero);
    EXPECT_EQ(r.thread.backtrace().size(), 3u) << "the backtrace is of the last trap only";
    EXPECT_EQ(as_i32(r.value(inst, "outer", {i32(1)})), 2);
    EXPECT_EQ(as_i32(r.value(inst, "call_indirect", {i32(0)})), 7);
  }
}

}  // namespace
}  // namespace wgi::test
