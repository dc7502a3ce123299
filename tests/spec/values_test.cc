// The spec runner's value conversions (spec-tests/values.cc): arguments
// into slots, results against expected values, NaN patterns, v128 lanes and
// references.
#include <gtest/gtest.h>

#include <bit>

#include "values.h"

namespace wgi::spec {
namespace {

using interp::Slot;

Value val(std::string type, std::vector<std::string> lanes, std::string lane_type = {}) {
  Value v;
  v.type = std::move(type);
  v.lane_type = std::move(lane_type);
  v.lanes = std::move(lanes);
  return v;
}

Slot to_slot(const Value& v, ValType t) {
  Slot s[2] = {~Slot{0}, ~Slot{0}};
  auto err = value_to_slots(v, t, s);
  EXPECT_FALSE(err) << *err;
  return s[0];
}

TEST(SpecValues, TypeNames) {
  EXPECT_EQ(valtype_from_name("i32"), ValType::I32);
  EXPECT_EQ(valtype_from_name("f64"), ValType::F64);
  EXPECT_EQ(valtype_from_name("v128"), ValType::V128);
  EXPECT_EQ(valtype_from_name("funcref"), ValType::FuncRef);
  EXPECT_EQ(valtype_from_name("externref"), ValType::ExternRef);
  EXPECT_FALSE(valtype_from_name("anyref"));
}

TEST(SpecValues, ScalarArgumentsAreBitPatterns) {
  EXPECT_EQ(to_slot(val("i32", {"4294967295"}), ValType::I32), 0xFFFFFFFFu);  // zero-extended
  EXPECT_EQ(to_slot(val("i32", {"-1"}), ValType::I32), 0xFFFFFFFFu);
  EXPECT_EQ(to_slot(val("i64", {"18446744073709551615"}), ValType::I64), ~Slot{0});
  EXPECT_EQ(to_slot(val("i64", {"-9223372036854775808"}), ValType::I64), Slot{1} << 63);
  EXPECT_EQ(to_slot(val("f32", {"2143289344"}), ValType::F32), 0x7FC00000u);
  EXPECT_EQ(to_slot(val("f64", {"4611686018427387904"}), ValType::F64),
            std::bit_cast<uint64_t>(2.0));
}

TEST(SpecValues, BadArgumentsAreErrors) {
  Slot s[2];
  EXPECT_TRUE(value_to_slots(val("i32", {"4294967296"}), ValType::I32, s));  // too wide
  EXPECT_TRUE(value_to_slots(val("i32", {"-2147483649"}), ValType::I32, s));
  EXPECT_TRUE(value_to_slots(val("i32", {"12x"}), ValType::I32, s));
  EXPECT_TRUE(value_to_slots(val("i32", {"1"}), ValType::I64, s));  // type mismatch
  EXPECT_TRUE(value_to_slots(val("f32", {"nan:canonical"}), ValType::F32, s));  // not an argument
  EXPECT_TRUE(value_to_slots(val("funcref", {"3"}), ValType::FuncRef, s));
  EXPECT_TRUE(value_to_slots(val("i32", {}), ValType::I32, s));
  EXPECT_TRUE(value_to_slots(val("v128", {"1", "2"}, "i32"), ValType::V128, s));  // 2 of 4 lanes
}

TEST(SpecValues, ReferenceArguments) {
  EXPECT_EQ(to_slot(val("funcref", {"null"}), ValType::FuncRef), interp::kNullRef);
  EXPECT_EQ(to_slot(val("externref", {"null"}), ValType::ExternRef), interp::kNullRef);
  // ref.extern 0 must not be null.
  EXPECT_EQ(to_slot(val("externref", {"0"}), ValType::ExternRef), extern_ref(0));
  EXPECT_NE(extern_ref(0), interp::kNullRef);
  EXPECT_EQ(extern_number(to_slot(val("externref", {"137"}), ValType::ExternRef)), 137u);
}

TEST(SpecValues, V128ArgumentsAreLittleEndianLanes) {
  Slot s[2];
  ASSERT_FALSE(value_to_slots(val("v128", {"1", "2", "3", "4"}, "i32"), ValType::V128, s));
  EXPECT_EQ(s[0], 0x0000000200000001u);
  EXPECT_EQ(s[1], 0x0000000400000003u);
  ASSERT_FALSE(value_to_slots(val("v128", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
                                           "11", "12", "13", "14", "255"},
                                  "i8"),
                              ValType::V128, s));
  EXPECT_EQ(s[0], 0x0706050403020100u);
  EXPECT_EQ(s[1], 0xFF0E0D0C0B0A0908u);
  ASSERT_FALSE(
      value_to_slots(val("v128", {"4611686018427387904", "0"}, "f64"), ValType::V128, s));
  EXPECT_EQ(s[0], std::bit_cast<uint64_t>(2.0));
  EXPECT_EQ(s[1], 0u);
}

TEST(SpecValues, IntegersMatchByBitsIgnoringTheUpperHalfOfI32Slots) {
  const Slot junk = 0xDEADBEEF00000001u;  // handlers may leave the upper half dirty
  EXPECT_FALSE(match_value(val("i32", {"1"}), ValType::I32, &junk));
  const Slot m1 = 0xFFFFFFFFu;
  EXPECT_FALSE(match_value(val("i32", {"4294967295"}), ValType::I32, &m1));
  EXPECT_TRUE(match_value(val("i32", {"4294967294"}), ValType::I32, &m1));
  EXPECT_TRUE(match_value(val("i64", {"4294967295"}), ValType::I64, &junk));
  // The type must agree too.
  EXPECT_TRUE(match_value(val("i64", {"1"}), ValType::I32, &junk));
}

TEST(SpecValues, FloatsMatchByBitsNotByValue) {
  const Slot neg_zero = 0x80000000u, pos_zero = 0;
  EXPECT_TRUE(match_value(val("f32", {"0"}), ValType::F32, &neg_zero));
  EXPECT_FALSE(match_value(val("f32", {"2147483648"}), ValType::F32, &neg_zero));
  EXPECT_FALSE(match_value(val("f32", {"0"}), ValType::F32, &pos_zero));
  const Slot nan_payload = 0x7FF4000000000000u;
  EXPECT_FALSE(match_value(val("f64", {"9219994337134247936"}), ValType::F64, &nan_payload));
  const Slot other_nan = 0x7FF8000000000000u;
  EXPECT_TRUE(match_value(val("f64", {"9219994337134247936"}), ValType::F64, &other_nan));
}

TEST(SpecValues, NanPatterns) {
  const auto canon32 = val("f32", {"nan:canonical"}), arith32 = val("f32", {"nan:arithmetic"});
  const Slot c = 0x7FC00000u, nc = 0xFFC00000u, quiet_payload = 0x7FC00001u,
             signalling = 0x7F800001u, inf = 0x7F800000u, one = 0x3F800000u;
  EXPECT_FALSE(match_value(canon32, ValType::F32, &c));
  EXPECT_FALSE(match_value(canon32, ValType::F32, &nc));  // either sign
  EXPECT_TRUE(match_value(canon32, ValType::F32, &quiet_payload));
  EXPECT_TRUE(match_value(canon32, ValType::F32, &one));
  EXPECT_FALSE(match_value(arith32, ValType::F32, &c));
  EXPECT_FALSE(match_value(arith32, ValType::F32, &quiet_payload));
  EXPECT_TRUE(match_value(arith32, ValType::F32, &signalling));
  EXPECT_TRUE(match_value(arith32, ValType::F32, &inf));

  const auto canon64 = val("f64", {"nan:canonical"}), arith64 = val("f64", {"nan:arithmetic"});
  const Slot c64 = 0xFFF8000000000000u, q64 = 0x7FF8000000000001u, s64 = 0x7FF0000000000001u;
  EXPECT_FALSE(match_value(canon64, ValType::F64, &c64));
  EXPECT_TRUE(match_value(canon64, ValType::F64, &q64));
  EXPECT_FALSE(match_value(arith64, ValType::F64, &q64));
  EXPECT_TRUE(match_value(arith64, ValType::F64, &s64));
  // An f32 canonical NaN in an f64 result is not an f64 NaN.
  EXPECT_TRUE(match_value(canon64, ValType::F64, &c));
}

TEST(SpecValues, V128ResultsMatchPerLane) {
  Slot s[2] = {0x0000000200000001u, 0x0000000400000003u};
  EXPECT_FALSE(match_value(val("v128", {"1", "2", "3", "4"}, "i32"), ValType::V128, s));
  EXPECT_FALSE(
      match_value(val("v128", {"8589934593", "17179869187"}, "i64"), ValType::V128, s));
  auto why = match_value(val("v128", {"1", "2", "3", "5"}, "i32"), ValType::V128, s);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("lane 3"), std::string::npos) << *why;

  Slot f[2] = {0x7FC00000u | (uint64_t{0x7FC00001u} << 32), 0x3F800000u};
  EXPECT_FALSE(match_value(
      val("v128", {"nan:canonical", "nan:arithmetic", "1065353216", "0"}, "f32"), ValType::V128, f));
  EXPECT_TRUE(match_value(
      val("v128", {"nan:canonical", "nan:canonical", "1065353216", "0"}, "f32"), ValType::V128, f));
}

TEST(SpecValues, ReferenceResults) {
  const Slot null = interp::kNullRef, ext3 = extern_ref(3), func = 0x1000;
  EXPECT_FALSE(match_value(val("externref", {"null"}), ValType::ExternRef, &null));
  EXPECT_TRUE(match_value(val("externref", {"null"}), ValType::ExternRef, &ext3));
  EXPECT_FALSE(match_value(val("externref", {"3"}), ValType::ExternRef, &ext3));
  EXPECT_TRUE(match_value(val("externref", {"4"}), ValType::ExternRef, &ext3));
  EXPECT_TRUE(match_value(val("externref", {"3"}), ValType::ExternRef, &null));
  EXPECT_FALSE(match_value(val("funcref", {"null"}), ValType::FuncRef, &null));
  EXPECT_TRUE(match_value(val("funcref", {"null"}), ValType::FuncRef, &func));
  // No value: any non-null reference.
  EXPECT_FALSE(match_value(val("funcref", {}), ValType::FuncRef, &func));
  EXPECT_TRUE(match_value(val("funcref", {}), ValType::FuncRef, &null));
  EXPECT_TRUE(match_value(val("funcref", {"null"}), ValType::ExternRef, &null));  // wrong type
}

TEST(SpecValues, Formatting) {
  EXPECT_EQ(format_expected(val("i32", {"4294967295"})), "i32 4294967295");
  EXPECT_EQ(format_expected(val("f32", {"nan:canonical"})), "f32 nan:canonical");
  EXPECT_EQ(format_expected(val("v128", {"1", "2", "3", "4"}, "i32")), "v128 i32x4 1 2 3 4");
  EXPECT_EQ(format_expected(val("externref", {})), "externref (any non-null)");
  const Slot m1 = 0xFFFFFFFFu;
  EXPECT_EQ(format_actual(ValType::I32, &m1), "i32 4294967295 (-1)");
  const Slot ext = extern_ref(5);
  EXPECT_EQ(format_actual(ValType::ExternRef, &ext), "externref 5");
  const Slot v[2] = {0x0000000200000001u, 0x0000000400000003u};
  EXPECT_EQ(format_actual(ValType::V128, v, "i64"), "v128 i64x2 8589934593 17179869187");
  EXPECT_EQ(format_actual(ValType::V128, v), "v128 i32x4 1 2 3 4");
}

}  // namespace
}  // namespace wgi::spec
