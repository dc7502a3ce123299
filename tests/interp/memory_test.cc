// memory.grow and bounds checks at the edge of linear memory
// (tests/interp/memory.wat: 1 page, maximum 3).
//
// The effective address of a load or store is addr + offset, both u32, and
// the access covers [ea, ea + size). The check must be done without 32-bit
// wraparound: with offset=0xFFFFFFFF, addr=1 wraps to ea=0 in 32 bits.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "interp_support.h"

namespace wgi::test {
namespace {

using interp::TrapKind;

constexpr int32_t kPage = 65536;

class MemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    inst = r.instantiate("memory");
    ASSERT_NE(inst, nullptr);
    mem = inst->memory;
    ASSERT_NE(mem, nullptr);
  }
  bool traps(const std::string& name, std::vector<Slot> args) {
    const TrapKind k = r.call(inst, name, std::move(args));
    EXPECT_TRUE(k == TrapKind::None || k == TrapKind::OutOfBoundsMemoryAccess)
        << name << ": " << interp::trap_message(k);
    return k == TrapKind::OutOfBoundsMemoryAccess;
  }
  int32_t size() { return as_i32(r.value(inst, "size")); }

  Runner r;
  interp::Instance* inst = nullptr;
  interp::Memory* mem = nullptr;
};

TEST_F(MemoryTest, GrowReturnsOldSizeOrMinusOne) {
  EXPECT_EQ(size(), 1);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(1)})), 1);
  EXPECT_EQ(size(), 2);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(2)})), -1) << "past the maximum of 3";
  EXPECT_EQ(size(), 2);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(0)})), 2);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(1)})), 2);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(1)})), -1);
  EXPECT_EQ(as_i32(r.value(inst, "grow", {i32(-1)})), -1) << "0xFFFFFFFF pages";
  EXPECT_EQ(size(), 3);
  EXPECT_EQ(mem->size(), 3u * kPage);
}

TEST_F(MemoryTest, GrownMemoryIsZeroedAndAccessible) {
  EXPECT_TRUE(traps("load32", {i32(kPage)}));
  ASSERT_EQ(as_i32(r.value(inst, "grow", {i32(1)})), 1);
  EXPECT_EQ(as_i32(r.value(inst, "load32", {i32(kPage)})), 0);
  EXPECT_FALSE(traps("store32", {i32(2 * kPage - 4), i32(0x01020304)}));
  EXPECT_EQ(as_i32(r.value(inst, "load32", {i32(2 * kPage - 4)})), 0x01020304);
  EXPECT_TRUE(traps("load32", {i32(2 * kPage - 3)}));
}

TEST_F(MemoryTest, LoadAfterGrowInTheSameInvocation) {
  EXPECT_EQ(as_i32(r.value(inst, "grow_then_load32", {i32(kPage)})), 0);
  // Grown by the embedder while no Wasm code runs: seen by the next call.
  ASSERT_EQ(mem->grow(1), 2);
  EXPECT_EQ(as_i32(r.value(inst, "load32", {i32(2 * kPage)})), 0);
}

TEST_F(MemoryTest, PlainAccessesAtTheEdge) {
  EXPECT_FALSE(traps("load8", {i32(kPage - 1)}));
  EXPECT_TRUE(traps("load8", {i32(kPage)}));
  EXPECT_FALSE(traps("load32", {i32(kPage - 4)}));
  for (int32_t a : {kPage - 3, kPage - 1, kPage, -4, -1})
    EXPECT_TRUE(traps("load32", {i32(a)})) << a;
  EXPECT_FALSE(traps("load64", {i32(kPage - 8)}));
  EXPECT_TRUE(traps("load64", {i32(kPage - 7)}));
  EXPECT_TRUE(traps("load64", {i32(-8)}));
  EXPECT_FALSE(traps("store8", {i32(kPage - 1), i32(1)}));
  EXPECT_TRUE(traps("store8", {i32(kPage), i32(1)}));
  EXPECT_FALSE(traps("store64", {i32(kPage - 8), i64(1)}));
  EXPECT_TRUE(traps("store64", {i32(kPage - 4), i64(1)}));
}

TEST_F(MemoryTest, OffsetsDoNotWrapAround) {
  // addr + 1
  EXPECT_FALSE(traps("load8_off1", {i32(kPage - 2)}));
  EXPECT_TRUE(traps("load8_off1", {i32(kPage - 1)}));
  EXPECT_TRUE(traps("load8_off1", {i32(-1)})) << "0xFFFFFFFF + 1 is 2^32, not 0";
  // addr + 0xFFFFFFFF: out of bounds for every addr (memory < 4 GiB), in
  // particular for addr = 1, where a 32-bit sum would be 0.
  for (int32_t a : {0, 1, 4, kPage, -1}) {
    EXPECT_TRUE(traps("load32_off_max", {i32(a)})) << a;
    EXPECT_TRUE(traps("load8_off_max", {i32(a)})) << a;
    EXPECT_TRUE(traps("store32_off_max", {i32(a)})) << a;
  }
  EXPECT_EQ(as_i32(r.value(inst, "load32", {i32(0)})), 0) << "the failed stores wrote nothing";
  // addr + 65532: [65532, 65536) fits exactly.
  EXPECT_FALSE(traps("load32_off_page", {i32(0)}));
  EXPECT_TRUE(traps("load32_off_page", {i32(1)}));
}

TEST_F(MemoryTest, AtomicAccessAtTheEdge) {
  EXPECT_FALSE(traps("atomic_load32", {i32(kPage - 4)}));
  EXPECT_TRUE(traps("atomic_load32", {i32(kPage)}));
  EXPECT_TRUE(traps("atomic_load32", {i32(-4)}));
}

TEST_F(MemoryTest, TrappingStoreWritesNothing) {
  ASSERT_FALSE(traps("store8", {i32(kPage - 2), i32(0x11)}));
  ASSERT_FALSE(traps("store8", {i32(kPage - 1), i32(0x22)}));
  EXPECT_TRUE(traps("store32", {i32(kPage - 2), i32(-1)}));
  EXPECT_TRUE(traps("store64", {i32(kPage - 2), i64(-1)}));
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(kPage - 2)})), 0x11);
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(kPage - 1)})), 0x22);
}

TEST_F(MemoryTest, BulkMemoryBounds) {
  // A zero length is fine up to and including the end, not past it.
  EXPECT_FALSE(traps("fill", {i32(kPage), i32(7), i32(0)}));
  EXPECT_TRUE(traps("fill", {i32(kPage + 1), i32(7), i32(0)}));
  EXPECT_FALSE(traps("copy", {i32(kPage), i32(kPage), i32(0)}));
  EXPECT_TRUE(traps("copy", {i32(0), i32(kPage + 1), i32(0)}));
  EXPECT_FALSE(traps("init", {i32(kPage), i32(4), i32(0)}));
  EXPECT_TRUE(traps("init", {i32(0), i32(5), i32(0)}));
  // Out of bounds by one byte: traps before writing anything (Wasm 2.0).
  EXPECT_TRUE(traps("fill", {i32(kPage - 1), i32(7), i32(2)}));
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(kPage - 1)})), 0);
  EXPECT_TRUE(traps("fill", {i32(-1), i32(7), i32(2)})) << "dest + n wraps in 32 bits";
  EXPECT_TRUE(traps("copy", {i32(0), i32(kPage - 1), i32(2)}));
  EXPECT_TRUE(traps("copy", {i32(kPage - 1), i32(0), i32(2)}));
  EXPECT_TRUE(traps("init", {i32(kPage - 1), i32(0), i32(2)}));
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(kPage - 1)})), 0);
  EXPECT_TRUE(traps("init", {i32(0), i32(3), i32(2)}));
  // In bounds at the very end.
  EXPECT_FALSE(traps("init", {i32(kPage - 4), i32(0), i32(4)}));
  EXPECT_EQ(std::memcmp(mem->base() + kPage - 4, "wxyz", 4), 0);
  EXPECT_FALSE(traps("fill", {i32(kPage - 2), i32(0x5A), i32(2)}));
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(kPage - 1)})), 0x5A);
}

}  // namespace
}  // namespace wgi::test
