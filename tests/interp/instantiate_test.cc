// Instantiation: traps in the start function and in segment initialisation,
// modules the interpreter cannot run, and load_module's errors.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "interp_support.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

using interp::ExternVal;
using interp::TrapKind;

TEST(Instantiate, StartFunctionTrapIsReportedWithItsBacktrace) {
  Runner r;
  auto cm = load_test_module("start");
  ASSERT_NE(cm, nullptr);
  auto res = interp::instantiate(r.store, cm, {}, r.thread);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->trap, TrapKind::IntegerDivideByZero);
  EXPECT_NE(res->instance, nullptr) << "the instance exists, but must not be used";
  const auto& bt = r.thread.backtrace();
  ASSERT_EQ(bt.size(), 2u);
  EXPECT_EQ(frame_name(bt[0]), "fail");
  EXPECT_EQ(frame_name(bt[1]), "start");
  EXPECT_EQ(cm->module->bytes[bt[0].offset], 0x6D) << "i32.div_s";
  // The thread is still usable for other instances.
  interp::Instance* ok = r.instantiate("memory");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(as_i32(r.value(ok, "size")), 1);
}

TEST(Instantiate, DataSegmentOutOfBoundsTrapsAfterEarlierSegmentsAndBeforeStart) {
  Runner r;
  auto cm = load_test_module("segments");
  ASSERT_NE(cm, nullptr);
  MemoryType mt;
  mt.limits.min = 1;
  interp::Memory* mem = r.store.add_memory(std::move(interp::Memory::create(mt)).value());
  GlobalType gt;
  gt.type = ValType::I32;
  gt.mut = true;
  interp::GlobalInst* started = r.store.add_global(gt, 0);
  std::vector<ExternVal> ims = {ExternVal::of(mem), ExternVal::of(started)};
  auto res = interp::instantiate(r.store, cm, ims, r.thread);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->trap, TrapKind::OutOfBoundsMemoryAccess);
  EXPECT_EQ(std::memcmp(mem->base(), "ok", 2), 0) << "the first segment was written";
  EXPECT_EQ(mem->base()[65535], 0) << "the failing segment wrote nothing";
  EXPECT_EQ(started->value[0], 0u) << "the start function did not run";

  // With enough memory, both segments fit and the start function runs.
  ASSERT_EQ(mem->grow(1), 1);
  res = interp::instantiate(r.store, cm, ims, r.thread);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->trap, TrapKind::None);
  EXPECT_EQ(std::memcmp(mem->base() + 65535, "xy", 2), 0);
  EXPECT_EQ(started->value[0], 1u);
}

TEST(Instantiate, ElementSegmentOutOfBoundsTraps) {
  Runner r;
  auto cm = load_test_module("elem_trap");
  ASSERT_NE(cm, nullptr);
  auto res = interp::instantiate(r.store, cm, {}, r.thread);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->trap, TrapKind::OutOfBoundsTableAccess);
}

TEST(Instantiate, SimdModuleRuns) {
  auto cm = load_test_module("simd");
  ASSERT_NE(cm, nullptr);
  Runner r;
  auto res = interp::instantiate(r.store, cm, {}, r.thread);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(as_i32(r.value(res->instance, "f", {})), 6);
}

TEST(Instantiate, LoadModuleReportsValidationErrorsLikeTheValidator) {
  // func 0: () -> i32 { i64.const 0 } is a type mismatch at the `end`.
  Bytes bytes = WasmBuilder().func({}, {ValType::I32}, Code().i64_const(0)).build();
  auto r = interp::load_module(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Invalid);
  EXPECT_EQ(r.error().func_index, 0u);
  EXPECT_NE(r.error().offset, kNoOffset);
  EXPECT_LT(r.error().offset, bytes.size());

  bytes.resize(bytes.size() - 1);
  r = interp::load_module(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Malformed);
}

TEST(Instantiate, SeveralInstancesOfOneModuleAreIndependent) {
  Runner r;
  auto cm = load_test_module("memory");
  ASSERT_NE(cm, nullptr);
  interp::Instance* a = r.instantiate(cm);
  interp::Instance* b = r.instantiate(cm);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(r.call(a, "store32", {i32(8), i32(1234)}), TrapKind::None);
  EXPECT_EQ(as_i32(r.value(a, "load32", {i32(8)})), 1234);
  EXPECT_EQ(as_i32(r.value(b, "load32", {i32(8)})), 0);
  EXPECT_EQ(as_i32(r.value(a, "grow", {i32(1)})), 1);
  EXPECT_EQ(as_i32(r.value(b, "size")), 1);
}

TEST(Instantiate, StoreRemovesAnInstanceAndKeepsTheOthers) {
  Runner r;
  auto cm = load_test_module("memory");
  ASSERT_NE(cm, nullptr);
  interp::Instance* a = r.instantiate(cm);
  interp::Instance* b = r.instantiate(cm);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(r.store.instance_count(), 2u);
  r.store.remove(a);
  EXPECT_EQ(r.store.instance_count(), 1u);
  r.store.remove(a);  // not owned any more: nothing happens
  EXPECT_EQ(r.store.instance_count(), 1u);
  ASSERT_EQ(r.call(b, "store32", {i32(8), i32(99)}), TrapKind::None);
  EXPECT_EQ(as_i32(r.value(b, "load32", {i32(8)})), 99);
}

}  // namespace
}  // namespace wgi::test
