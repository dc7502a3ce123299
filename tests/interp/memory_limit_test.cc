// The memory cap (StoreLimits::memory_budget, wgi run --max-memory): all
// of a store's memories together hold at most the budget. memory.grow
// past it returns -1, a memory whose minimum does not fit fails to
// instantiate, and a destroyed memory gives its bytes back.
#include <gtest/gtest.h>

#include "interp_support.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

constexpr ValType I = ValType::I32;
constexpr uint64_t kPage = 65536;

// A memory of `min` pages; "grow" (n) -> old size in pages or -1.
Bytes memory_module(uint32_t min) {
  WasmBuilder b;
  b.add_memory(Limits{min, 0, false, false});
  b.func({I}, {I}, Code().local_get(0).op(Op::MemoryGrow).byte(0), "grow");
  return b.build();
}

TEST(MemoryLimit, TheBudgetChargesAndRefunds) {
  interp::MemoryBudget b(100);
  EXPECT_TRUE(b.charge(60));
  EXPECT_FALSE(b.charge(41));
  EXPECT_EQ(b.used(), 60u);
  EXPECT_TRUE(b.charge(40));
  EXPECT_FALSE(b.charge(1));
  b.refund(50);
  EXPECT_TRUE(b.charge(50));
  EXPECT_FALSE(b.charge(UINT64_MAX));
  EXPECT_EQ(b.used(), 100u);
}

TEST(MemoryLimit, MemoriesOfAStoreShareTheCap) {
  auto cm = interp::load_module(memory_module(1));
  ASSERT_TRUE(cm.ok());
  Runner r;
  auto budget = std::make_shared<interp::MemoryBudget>(3 * kPage);
  r.store.limits.memory_budget = budget;
  interp::Instance* a = r.instantiate(*cm);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(as_i32(r.value(a, "grow", {i32(1)})), 1);  // 2 pages
  interp::Instance* b = r.instantiate(*cm);             // 3 pages
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(budget->used(), 3 * kPage);
  EXPECT_EQ(as_i32(r.value(a, "grow", {i32(1)})), -1);
  EXPECT_EQ(as_i32(r.value(b, "grow", {i32(1)})), -1);
  EXPECT_EQ(as_i32(r.value(b, "grow", {i32(0)})), 1);  // growing by 0 always works
  // A third memory does not fit.
  interp::Thread thread;
  auto c = interp::instantiate(r.store, *cm, {}, thread);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::Runtime);
  EXPECT_EQ(c.error().message,
            "a memory of 65536 bytes is over the limit of 196608 bytes of linear memory (--max-memory; 196608 in use)");
  // A destroyed memory gives its bytes back.
  r.store.remove(a);
  EXPECT_EQ(budget->used(), 1 * kPage);
  EXPECT_EQ(as_i32(r.value(b, "grow", {i32(2)})), 1);
  EXPECT_EQ(budget->used(), 3 * kPage);
}

TEST(MemoryLimit, WithoutABudgetOnlyTheMaximumCounts) {
  auto cm = interp::load_module(memory_module(1));
  ASSERT_TRUE(cm.ok());
  Runner r;
  interp::Instance* a = r.instantiate(*cm);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(as_i32(r.value(a, "grow", {i32(100)})), 1);
  EXPECT_EQ(as_i32(r.value(a, "grow", {i32(65536)})), -1);  // past 4 GiB
}

}  // namespace
}  // namespace wgi::test
