// interp/value_text.h: parsing command-line values by type and printing
// results. Floats must round-trip: format_value, then parse_value, gives back
// the same bits for every pattern, NaN payloads and signs included.
#include "interp/value_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace wgi::interp {
namespace {

std::optional<Slot> parse(ValType t, const std::string& text) {
  Slot s[2] = {0, 0};
  if (parse_value(t, text, s)) return std::nullopt;
  return s[0];
}

std::string format(ValType t, Slot bits) {
  Slot s[2] = {bits, 0};
  return format_value(t, s);
}

TEST(ValueText, Integers) {
  EXPECT_EQ(parse(ValType::I32, "0"), Slot{0});
  EXPECT_EQ(parse(ValType::I32, "-1"), Slot{0xFFFFFFFF});
  EXPECT_EQ(parse(ValType::I32, "+7"), Slot{7});
  EXPECT_EQ(parse(ValType::I32, "0xFFFFFFFF"), Slot{0xFFFFFFFF});
  EXPECT_EQ(parse(ValType::I32, "0Xff"), Slot{0xFF});
  EXPECT_EQ(parse(ValType::I32, "-0x80000000"), Slot{0x80000000});
  EXPECT_EQ(parse(ValType::I32, "4294967295"), Slot{0xFFFFFFFF});
  EXPECT_EQ(parse(ValType::I64, "-9223372036854775808"), Slot{0x8000000000000000});
  EXPECT_EQ(parse(ValType::I64, "18446744073709551615"), Slot{~uint64_t{0}});
  for (const char* bad : {"", "-", "+", "0x", "x1", "1.0", "1e3", " 1", "1 ", "--1", "-+1",
                          "4294967296", "-2147483649", "0x100000000", "0x-1"})
    EXPECT_EQ(parse(ValType::I32, bad), std::nullopt) << "'" << bad << "'";
  for (const char* bad : {"18446744073709551616", "-9223372036854775809", "0x10000000000000000"})
    EXPECT_EQ(parse(ValType::I64, bad), std::nullopt) << bad;

  EXPECT_EQ(format(ValType::I32, 0xFFFFFFFF), "-1");
  EXPECT_EQ(format(ValType::I32, 0x80000000), "-2147483648");
  EXPECT_EQ(format(ValType::I32, 0x7FFFFFFF), "2147483647");
  EXPECT_EQ(format(ValType::I64, 0x8000000000000000), "-9223372036854775808");
}

TEST(ValueText, FloatSpecialValues) {
  EXPECT_EQ(parse(ValType::F32, "inf"), Slot{0x7F800000});
  EXPECT_EQ(parse(ValType::F32, "-inf"), Slot{0xFF800000});
  EXPECT_EQ(parse(ValType::F32, "nan"), Slot{0x7FC00000});
  EXPECT_EQ(parse(ValType::F32, "-nan"), Slot{0xFFC00000});
  EXPECT_EQ(parse(ValType::F32, "nan:0x1"), Slot{0x7F800001});
  EXPECT_EQ(parse(ValType::F32, "-nan:0x7fffff"), Slot{0xFFFFFFFF});
  EXPECT_EQ(parse(ValType::F64, "nan:0xfffffffffffff"), Slot{0x7FFFFFFFFFFFFFFF});
  EXPECT_EQ(parse(ValType::F64, "-0"), Slot{0x8000000000000000});
  EXPECT_EQ(parse(ValType::F64, "0x1p-1074"), Slot{1});
  EXPECT_EQ(parse(ValType::F32, "1e-46"), Slot{0}) << "rounds to zero";
  for (const char* bad : {"", "nan:0x0", "nan:0x800000", "nan:", "nan:1x", "1e39", "-1e39",
                          "0x1p128", "INF", "NaN", "nan(1)", " 1", "1 ", "1.0f", "abc", "--1"})
    EXPECT_EQ(parse(ValType::F32, bad), std::nullopt) << "'" << bad << "'";
  EXPECT_EQ(parse(ValType::F64, "1e309"), std::nullopt);
  EXPECT_NE(parse(ValType::F64, "1.7976931348623157e308"), std::nullopt);

  EXPECT_EQ(format(ValType::F32, 0x7FC00000), "nan");
  EXPECT_EQ(format(ValType::F32, 0xFFC00000), "-nan");
  EXPECT_EQ(format(ValType::F32, 0x7F800001), "nan:0x1");
  EXPECT_EQ(format(ValType::F64, 0xFFF8000000000000), "-nan");
  EXPECT_EQ(format(ValType::F64, 0x7FF0000000000000), "inf");
  EXPECT_EQ(format(ValType::F64, 0x8000000000000000), "-0");
}

TEST(ValueText, FloatsPrintShortest) {
  EXPECT_EQ(format(ValType::F32, *parse(ValType::F32, "0.1")), "0.1");
  EXPECT_EQ(format(ValType::F64, *parse(ValType::F64, "0.1")), "0.1");
  EXPECT_EQ(format(ValType::F64, *parse(ValType::F64, "1e21")), "1e+21");
  EXPECT_EQ(format(ValType::F64, *parse(ValType::F64, "123.5")), "123.5");
  EXPECT_EQ(format(ValType::F32, *parse(ValType::F32, "16777217")), "16777216");
}

void round_trip(ValType t, uint64_t bits) {
  const std::string text = format(t, bits);
  const std::optional<Slot> back = parse(t, text);
  ASSERT_TRUE(back.has_value()) << "cannot parse '" << text << "'";
  EXPECT_EQ(*back, bits) << text;
}

TEST(ValueText, FloatsRoundTripBitForBit) {
  std::mt19937_64 rng(12345);
  for (int i = 0; i < 200'000; ++i) {
    const uint64_t r = rng();
    // Every exponent class: random bits hit NaNs (with payloads), infinities,
    // subnormals and zeros rarely, so force each class in turn.
    uint32_t b32 = static_cast<uint32_t>(r);
    uint64_t b64 = r;
    switch (i % 4) {
      case 1: b32 |= 0x7F800000; b64 |= 0x7FF0000000000000; break;   // NaN / inf
      case 2: b32 &= 0x807FFFFF; b64 &= 0x800FFFFFFFFFFFFF; break;   // subnormal / zero
      case 3: b32 &= 0x80000001; b64 &= 0x8000000000000001; break;   // tiny
      default: break;
    }
    round_trip(ValType::F32, b32);
    round_trip(ValType::F64, b64);
  }
}

TEST(ValueText, ReferencesAndUnsupportedTypes) {
  EXPECT_EQ(parse(ValType::FuncRef, "null"), Slot{0});
  EXPECT_EQ(parse(ValType::ExternRef, "1"), std::nullopt);
  Slot s[2];
  EXPECT_NE(parse_value(ValType::V128, "0", s), std::nullopt);
  EXPECT_EQ(format(ValType::FuncRef, 0), "null");
}

}  // namespace
}  // namespace wgi::interp
