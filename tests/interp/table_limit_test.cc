// Tables have a host-set cap (StoreLimits::max_table_elements, default
// kDefaultMaxTableElements): table.grow past it returns -1 without
// allocating, and instantiating a bigger table fails with a clear error.
// Before the cap, a table without a maximum grown by 2^31 made the host
// try to allocate 16 GiB at once (found by fuzzing: an out-of-memory abort
// under AddressSanitizer).
#include <gtest/gtest.h>

#include "interp_support.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

constexpr ValType I = ValType::I32;

// A funcref table of `min` elements without a maximum; "grow" (n) -> old
// size or -1, "size" () -> size.
Bytes table_module(uint32_t min) {
  WasmBuilder b;
  b.add_table(ValType::FuncRef, Limits{min, 0, false, false});
  b.func({I}, {I}, Code().ref_null(ValType::FuncRef).local_get(0).op(Op::TableGrow).u32(0), "grow");
  b.func({}, {I}, Code().op(Op::TableSize).u32(0), "size");
  return b.build();
}

TEST(TableLimit, GrowingPastTheCapReturnsMinusOneAndAllocatesNothing) {
  auto cm = interp::load_module(table_module(1));
  ASSERT_TRUE(cm.ok());
  Runner r;
  interp::Instance* inst = r.instantiate(*cm);
  ASSERT_NE(inst, nullptr);
  // The fuzzer's case: 2^31 elements. -1 at once, the table unchanged.
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(INT32_MIN)})), -1);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(-1)})), -1);
  EXPECT_EQ(as_i32(r.value(inst, "size")), 1);
  EXPECT_EQ(inst->table_ptrs[0]->elems.capacity() < 1000, true);
  // Up to the cap it grows.
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(interp::kDefaultMaxTableElements - 1)})), 1);
  EXPECT_EQ(static_cast<uint32_t>(as_i32(r.value(inst, "size"))), interp::kDefaultMaxTableElements);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(1)})), -1);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(0)})), static_cast<int32_t>(interp::kDefaultMaxTableElements));
}

TEST(TableLimit, TheStoreSetsTheCap) {
  auto cm = interp::load_module(table_module(2));
  ASSERT_TRUE(cm.ok());
  Runner r;
  r.store.limits.max_table_elements = 10;
  interp::Instance* inst = r.instantiate(*cm);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(8)})), 2);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(1)})), -1);
  EXPECT_EQ(as_i32(r.value(inst, "size")), 10);
  // A host table gets the cap for its growth, and the size it asked for.
  interp::TableInst* host = r.store.add_table(TableType{ValType::FuncRef, Limits{20, 0, false, false}});
  EXPECT_EQ(host->size(), 20u);
  EXPECT_EQ(host->grow(1, interp::kNullRef), -1);
}

TEST(TableLimit, ATableBiggerThanTheCapDoesNotInstantiate) {
  auto cm = interp::load_module(table_module(11));
  ASSERT_TRUE(cm.ok());
  interp::Store store;
  store.limits.max_table_elements = 10;
  interp::Thread thread;
  auto r = interp::instantiate(store, *cm, {}, thread);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Runtime);
  EXPECT_EQ(r.error().message, "table 0 needs 11 elements, over the limit of 10 (--max-table-elements)");
}

}  // namespace
}  // namespace wgi::test
