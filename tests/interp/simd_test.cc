// Unit tests for interp/simd.h.
//
// Five layers:
//  1. Coverage (compile time): every 0xFD row of decoder/opcodes.def that
//     needs a function has a simd:: function with exactly the signature of
//     the calling convention (simd.h header comment); rows that need none
//     (v128.const, v128.load/store, lane loads/stores) are counted too.
//  2. Hand-written edge cases for every operator, with expected values
//     written out from the spec's definitions, compared bit for bit.
//  3. A reference model: every operator against a plain per-lane loop (C++
//     integer arithmetic and the num:: scalar operators) on edge-value and
//     random inputs; the SSE2 paths are also compared with simd::portable.
//  4. constexpr: the word-level operators work in constant expressions.
//  5. Cross-check against the spec testsuite: every exported function of
//     the simd_*.wast modules whose body is straight-line code over params,
//     constants, SIMD operators and (read-only) loads is evaluated with
//     simd:: for each assert_return that invokes it (wast2json output,
//     decoded with the wgi decoder).
#include "interp/simd.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "decoder/decoder.h"
#include "decoder/instr_reader.h"
#include "decoder/opcodes.h"
#include "interp/numeric.h"
#include "script.h"
#include "values.h"
#include "sig_types.h"

namespace wgi::interp::simd {
// gtest printing: the 16 bytes as two little-endian words.
void PrintTo(const V128& v, std::ostream* os) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "{hi 0x%016" PRIx64 " lo 0x%016" PRIx64 "}", v.hi, v.lo);
  *os << buf;
}
}  // namespace wgi::interp::simd

namespace wgi::interp {
namespace {

using simd::V128;
using simd::lane;
using simd::with_lane;

// ===========================================================================
// Helpers
// ===========================================================================

// A value the optimiser cannot see through.
template <class T>
T rt(T x) {
  volatile T v = x;
  return v;
}
V128 rt(V128 x) { return {rt(x.lo), rt(x.hi)}; }

float F(uint32_t b) { return num::f32_from_bits(b); }
double D(uint64_t b) { return num::f64_from_bits(b); }

// A V128 from its lanes, lane 0 first (like `v128.const i8x16 ...`).
template <class T>
V128 make(std::initializer_list<T> lanes) {
  V128 v{};
  uint32_t i = 0;
  for (T x : lanes) v = with_lane<T>(v, x, i++);
  return v;
}
V128 i8(std::initializer_list<int8_t> l) { return make<int8_t>(l); }
V128 u8(std::initializer_list<uint8_t> l) { return make<uint8_t>(l); }
V128 i16(std::initializer_list<int16_t> l) { return make<int16_t>(l); }
V128 u16(std::initializer_list<uint16_t> l) { return make<uint16_t>(l); }
V128 i32(std::initializer_list<int32_t> l) { return make<int32_t>(l); }
V128 u32(std::initializer_list<uint32_t> l) { return make<uint32_t>(l); }
V128 i64(std::initializer_list<int64_t> l) { return make<int64_t>(l); }
V128 f32(std::initializer_list<float> l) { return make<float>(l); }
V128 f64(std::initializer_list<double> l) { return make<double>(l); }

constexpr uint32_t kF32Canon = 0x7FC0'0000u;
constexpr uint32_t kF32SNaN = 0x7FA0'0000u;  // signalling, payload 0x200000
constexpr uint64_t kF64Canon = 0x7FF8'0000'0000'0000u;
constexpr uint64_t kF64SNaN = 0x7FF4'0000'0000'0000u;
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();

// ===========================================================================
// 1. Coverage: select the 0xFD rows of opcodes.def with the preprocessor
// and check each one's function against the calling convention. A handler
// generator can select rows the same way.
// ===========================================================================

using sig_types::SigT;

template <unsigned bytes>
using UIntN = UInt<bytes>;

// The exact function-pointer type the calling convention prescribes for a
// row with signature s, immediate kind imm and `bytes` column b.
template <Sig s, ImmKind imm, unsigned b>
struct Expected {
  using S = SigT<s>;
  static auto make() {
    if constexpr (imm == ImmKind::Memarg) {
      // Load transforms: the loaded bits -> V128.
      return static_cast<V128 (*)(UIntN<b>)>(nullptr);
    } else if constexpr (imm == ImmKind::Shuffle) {
      return static_cast<V128 (*)(V128, V128, V128)>(nullptr);
    } else if constexpr (imm == ImmKind::Lane && S::n == 1) {  // extract
      return static_cast<typename S::R (*)(typename S::P0, uint32_t)>(nullptr);
    } else if constexpr (imm == ImmKind::Lane) {  // replace
      return static_cast<typename S::R (*)(typename S::P0, typename S::P1, uint32_t)>(nullptr);
    } else if constexpr (S::n == 1) {
      return static_cast<typename S::R (*)(typename S::P0)>(nullptr);
    } else if constexpr (S::n == 2) {
      return static_cast<typename S::R (*)(typename S::P0, typename S::P1)>(nullptr);
    } else {
      return static_cast<typename S::R (*)(typename S::P0, typename S::P1, typename S::P2)>(nullptr);
    }
  }
  using type = decltype(make());
};

// Preprocessor "probe" selection: SD_IS(X) is 1 if X expands to SD_PROBE.
#define SD_CAT(a, b) SD_CAT_(a, b)
#define SD_CAT_(a, b) a##b
#define SD_SECOND(a, b, ...) b
#define SD_IS_(...) SD_SECOND(__VA_ARGS__, 0, ~)
#define SD_PROBE ~, 1
#define SD_IF(c) SD_CAT(SD_IF_, c)
#define SD_IF_0(...)
#define SD_IF_1(...) __VA_ARGS__
#define SD_UNLESS(c) SD_CAT(SD_UNLESS_, c)
#define SD_UNLESS_0(...) __VA_ARGS__
#define SD_UNLESS_1(...)
#define SD_PFX_0xFD SD_PROBE
// Rows the interpreter executes without a simd:: function.
#define SD_NOFN_IMM_MemargLane SD_PROBE  // v128.loadN_lane / storeN_lane
#define SD_NOFN_IMM_V128 SD_PROBE        // v128.const
#define SD_NOFN_V128Load SD_PROBE
#define SD_NOFN_V128Store SD_PROBE
#define SD_SIMD(prefix, ...) SD_IF(SD_IS_(SD_PFX_##prefix))(__VA_ARGS__)
// SD_WITH_FN(prefix, imm, Name, body...): body for the 0xFD rows with a function.
#define SD_WITH_FN(prefix, imm, Name, ...) \
  SD_SIMD(prefix, SD_UNLESS(SD_IS_(SD_NOFN_IMM_##imm))(SD_UNLESS(SD_IS_(SD_NOFN_##Name))(__VA_ARGS__)))

#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind)                                     \
  SD_WITH_FN(prefix, imm, Name,                                                                     \
             static_assert(std::is_same_v<decltype(&simd::Name),                                    \
                                          Expected<Sig::sig, ImmKind::imm, bytes>::type>,           \
                           "simd::" #Name " is missing or has the wrong signature");)
#include "decoder/opcodes.def"

constexpr int count_simd_rows() {
  int n = 0;
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) SD_SIMD(prefix, ++n;)
#include "decoder/opcodes.def"
  return n;
}
constexpr int count_simd_functions() {
  int n = 0;
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) SD_WITH_FN(prefix, imm, Name, ++n;)
#include "decoder/opcodes.def"
  return n;
}
// Fixed-width SIMD has 236 instructions (codes 0x00..0xFF less 20 unused);
// 11 need no function: v128.const, v128.load, v128.store and the 8 lane
// loads/stores.
static_assert(count_simd_rows() == 236);
static_assert(count_simd_functions() == 236 - 11);

// ===========================================================================
// 2. Hand-written edge cases
// ===========================================================================

TEST(SimdLanes, LittleEndianLaneOrder) {
  V128 v{0x0706'0504'0302'0100u, 0x0F0E'0D0C'0B0A'0908u};
  for (uint32_t i = 0; i < 16; ++i) EXPECT_EQ(lane<uint8_t>(v, i), i);
  EXPECT_EQ(lane<uint16_t>(v, 0), 0x0100u);
  EXPECT_EQ(lane<uint16_t>(v, 7), 0x0F0Eu);
  EXPECT_EQ(lane<uint32_t>(v, 1), 0x0706'0504u);
  EXPECT_EQ(lane<uint32_t>(v, 2), 0x0B0A'0908u);
  EXPECT_EQ(lane<uint64_t>(v, 1), 0x0F0E'0D0C'0B0A'0908u);
  EXPECT_EQ(lane<int8_t>(V128{0x80, 0}, 0), -128);
  EXPECT_EQ(with_lane<uint8_t>(v, 0xAA, 9), (V128{v.lo, 0x0F0E'0D0C'0B0A'AA08u}));
  EXPECT_EQ(with_lane<uint16_t>(v, 0xBEEF, 3), (V128{0xBEEF'0504'0302'0100u, v.hi}));
  EXPECT_EQ(with_lane<uint32_t>(v, 0xDEAD'BEEFu, 3), (V128{v.lo, 0xDEAD'BEEF'0B0A'0908u}));
  EXPECT_EQ(with_lane<uint64_t>(v, 5, 0), (V128{5, v.hi}));
  EXPECT_EQ(num::bits(lane<float>(V128{0, uint64_t(kF32SNaN) << 32}, 3)), kF32SNaN);
  // The lane index is taken modulo the lane count.
  EXPECT_EQ(lane<uint8_t>(v, 17), 1u);
  EXPECT_EQ(lane<uint32_t>(v, 6), 0x0B0A'0908u);
}

TEST(SimdLanes, SplatExtractReplace) {
  EXPECT_EQ(simd::I8x16Splat(rt(0x1FFu)), (V128{~0ull, ~0ull}));
  EXPECT_EQ(simd::I8x16Splat(rt(0x1234'5680u)), (V128{0x8080'8080'8080'8080u, 0x8080'8080'8080'8080u}));
  EXPECT_EQ(simd::I16x8Splat(rt(0xABCD'8001u)), (V128{0x8001'8001'8001'8001u, 0x8001'8001'8001'8001u}));
  EXPECT_EQ(simd::I32x4Splat(rt(0x8000'0001u)), (V128{0x8000'0001'8000'0001u, 0x8000'0001'8000'0001u}));
  EXPECT_EQ(simd::I64x2Splat(rt(0x0123'4567'89AB'CDEFu)), (V128{0x0123'4567'89AB'CDEFu, 0x0123'4567'89AB'CDEFu}));
  EXPECT_EQ(simd::F32x4Splat(rt(F(kF32SNaN | 0x8000'0000u))),
            (V128{0xFFA0'0000'FFA0'0000u, 0xFFA0'0000'FFA0'0000u}));  // NaN bits kept
  EXPECT_EQ(simd::F64x2Splat(rt(-0.0)), (V128{1ull << 63, 1ull << 63}));

  V128 v = i8({-1, 2, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -2});
  EXPECT_EQ(simd::I8x16ExtractLaneS(rt(v), 0), 0xFFFF'FFFFu);
  EXPECT_EQ(simd::I8x16ExtractLaneU(rt(v), 0), 0xFFu);
  EXPECT_EQ(simd::I8x16ExtractLaneS(rt(v), 2), 0xFFFF'FF80u);
  EXPECT_EQ(simd::I8x16ExtractLaneU(rt(v), 2), 0x80u);
  EXPECT_EQ(simd::I8x16ExtractLaneS(rt(v), 3), 127u);
  EXPECT_EQ(simd::I8x16ExtractLaneS(rt(v), 15), 0xFFFF'FFFEu);
  EXPECT_EQ(simd::I8x16ReplaceLane(rt(v), 0x1234'5678u, 15), i8({-1, 2, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x78}));

  V128 w = i16({-32768, 1, 0, 0, 0, 0, 0, -1});
  EXPECT_EQ(simd::I16x8ExtractLaneS(rt(w), 0), 0xFFFF'8000u);
  EXPECT_EQ(simd::I16x8ExtractLaneU(rt(w), 0), 0x8000u);
  EXPECT_EQ(simd::I16x8ExtractLaneS(rt(w), 7), 0xFFFF'FFFFu);
  EXPECT_EQ(simd::I16x8ExtractLaneU(rt(w), 7), 0xFFFFu);
  EXPECT_EQ(simd::I16x8ReplaceLane(rt(w), 0xFFFF'1234u, 1), i16({-32768, 0x1234, 0, 0, 0, 0, 0, -1}));

  V128 x = u32({1, 2, 0xFFFF'FFFFu, 4});
  EXPECT_EQ(simd::I32x4ExtractLane(rt(x), 2), 0xFFFF'FFFFu);
  EXPECT_EQ(simd::I32x4ReplaceLane(rt(x), 9, 3), u32({1, 2, 0xFFFF'FFFFu, 9}));
  EXPECT_EQ(simd::I64x2ExtractLane(rt(V128{1, 2}), 1), 2u);
  EXPECT_EQ(simd::I64x2ReplaceLane(rt(V128{1, 2}), ~0ull, 0), (V128{~0ull, 2}));

  V128 f = u32({0, kF32SNaN, 0x8000'0000u, 0x3F80'0000u});
  EXPECT_EQ(num::bits(simd::F32x4ExtractLane(rt(f), 1)), kF32SNaN);  // signalling NaN kept
  EXPECT_EQ(num::bits(simd::F32x4ExtractLane(rt(f), 2)), 0x8000'0000u);
  EXPECT_EQ(simd::F32x4ReplaceLane(rt(f), F(0xFFC1'2345u), 0), u32({0xFFC1'2345u, kF32SNaN, 0x8000'0000u, 0x3F80'0000u}));
  EXPECT_EQ(num::bits(simd::F64x2ExtractLane(rt(V128{0, kF64SNaN}), 1)), kF64SNaN);
  EXPECT_EQ(simd::F64x2ReplaceLane(rt(V128{0, 0}), D(kF64SNaN), 1), (V128{0, kF64SNaN}));
}

TEST(SimdLanes, ShuffleAndSwizzle) {
  V128 a = u8({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  V128 b = u8({16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
  V128 rev = u8({31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16});
  EXPECT_EQ(simd::I8x16Shuffle(rt(a), rt(b), rev), rev);
  V128 mix = u8({0, 16, 1, 17, 15, 31, 15, 31, 7, 7, 7, 7, 24, 8, 0, 0});
  EXPECT_EQ(simd::I8x16Shuffle(rt(V128{~a.lo, ~a.hi}), rt(b), mix),
            u8({0xFF, 16, 0xFE, 17, 0xF0, 31, 0xF0, 31, 0xF8, 0xF8, 0xF8, 0xF8, 24, 0xF7, 0xFF, 0xFF}));

  V128 src = u8({0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF});
  // Indices >= 16 (including 0x80..0xFF, which are negative as i8) give 0.
  V128 idx = u8({15, 0, 16, 255, 128, 17, 1, 14, 32, 0x7F, 8, 8, 0x10, 0x0F, 0x90, 3});
  EXPECT_EQ(simd::I8x16Swizzle(rt(src), rt(idx)),
            u8({0xAF, 0xA0, 0, 0, 0, 0, 0xA1, 0xAE, 0, 0, 0xA8, 0xA8, 0, 0xAF, 0, 0xA3}));
}

TEST(SimdBitwise, AllOps) {
  V128 a{0xFF00'FF00'1234'5678u, 0x0000'FFFF'8000'0001u};
  V128 b{0x0F0F'0F0F'FFFF'0000u, 0xFFFF'0000'0000'0001u};
  EXPECT_EQ(simd::V128Not(rt(a)), (V128{0x00FF'00FF'EDCB'A987u, 0xFFFF'0000'7FFF'FFFEu}));
  EXPECT_EQ(simd::V128And(rt(a), b), (V128{0x0F00'0F00'1234'0000u, 0x0000'0000'0000'0001u}));
  EXPECT_EQ(simd::V128AndNot(rt(a), b), (V128{0xF000'F000'0000'5678u, 0x0000'FFFF'8000'0000u}));
  EXPECT_EQ(simd::V128Or(rt(a), b), (V128{0xFF0F'FF0F'FFFF'5678u, 0xFFFF'FFFF'8000'0001u}));
  EXPECT_EQ(simd::V128Xor(rt(a), b), (V128{0xF00F'F00F'EDCB'5678u, 0xFFFF'FFFF'8000'0000u}));
  // bitselect(v1, v2, c): v1 where c is 1.
  V128 c{0xFFFF'FFFF'0000'0000u, 0x00FF'00FF'00FF'00FFu};
  EXPECT_EQ(simd::V128Bitselect(rt(a), b, c), (V128{0xFF00'FF00'FFFF'0000u, 0xFF00'00FF'0000'0001u}));
  EXPECT_EQ(simd::V128AnyTrue(rt(V128{0, 0})), 0u);
  EXPECT_EQ(simd::V128AnyTrue(rt(V128{0, 1ull << 63})), 1u);
  EXPECT_EQ(simd::V128AnyTrue(rt(V128{1, 0})), 1u);
}

TEST(SimdInt, AddSubMulWrap) {
  EXPECT_EQ(simd::I8x16Add(rt(i8({127, -128, -1, 1})), i8({1, -1, 1, -1})), i8({-128, 127, 0, 0}));
  EXPECT_EQ(simd::I8x16Sub(rt(i8({-128, 127, 0})), i8({1, -1, 1})), i8({127, -128, -1}));
  EXPECT_EQ(simd::I16x8Add(rt(i16({32767, -32768})), i16({1, -1})), i16({-32768, 32767}));
  EXPECT_EQ(simd::I16x8Sub(rt(i16({-32768})), i16({1})), i16({32767}));
  EXPECT_EQ(simd::I16x8Mul(rt(i16({-32768, 256, 255, -1})), i16({-1, 256, 255, -1})),
            i16({-32768, 0, -511, 1}));
  EXPECT_EQ(simd::I32x4Add(rt(u32({0xFFFF'FFFFu, 0x7FFF'FFFFu})), u32({1, 1})), u32({0, 0x8000'0000u}));
  EXPECT_EQ(simd::I32x4Sub(rt(u32({0, 0x8000'0000u})), u32({1, 1})), u32({0xFFFF'FFFFu, 0x7FFF'FFFFu}));
  EXPECT_EQ(simd::I32x4Mul(rt(u32({0x8000'0000u, 0x1234'5678u, 0xFFFF'FFFFu, 65536})),
                           u32({0xFFFF'FFFFu, 0x10u, 0xFFFF'FFFFu, 65536})),
            u32({0x8000'0000u, 0x2345'6780u, 1, 0}));
  EXPECT_EQ(simd::I64x2Add(rt(V128{~0ull, 1ull << 63}), V128{1, 1ull << 63}), (V128{0, 0}));
  EXPECT_EQ(simd::I64x2Sub(rt(V128{0, 0}), V128{1, 1ull << 63}), (V128{~0ull, 1ull << 63}));
  EXPECT_EQ(simd::I64x2Mul(rt(V128{0x1'0000'0001u, ~0ull}), V128{0x1'0000'0001u, ~0ull}),
            (V128{0x2'0000'0001u, 1}));
}

TEST(SimdInt, AbsNegPopcnt) {
  EXPECT_EQ(simd::I8x16Abs(rt(i8({-128, -127, -1, 0, 1, 127}))), i8({-128, 127, 1, 0, 1, 127}));
  EXPECT_EQ(simd::I16x8Abs(rt(i16({-32768, -32767, -1, 0, 5}))), i16({-32768, 32767, 1, 0, 5}));
  EXPECT_EQ(simd::I32x4Abs(rt(i32({INT32_MIN, -INT32_MAX, -1, 7}))), i32({INT32_MIN, INT32_MAX, 1, 7}));
  EXPECT_EQ(simd::I64x2Abs(rt(i64({INT64_MIN, -5}))), i64({INT64_MIN, 5}));
  EXPECT_EQ(simd::I8x16Neg(rt(i8({-128, 127, 1, 0}))), i8({-128, -127, -1, 0}));
  EXPECT_EQ(simd::I16x8Neg(rt(i16({-32768, 1}))), i16({-32768, -1}));
  EXPECT_EQ(simd::I32x4Neg(rt(i32({INT32_MIN, 1, -1}))), i32({INT32_MIN, -1, 1}));
  EXPECT_EQ(simd::I64x2Neg(rt(i64({INT64_MIN, 1}))), i64({INT64_MIN, -1}));
  EXPECT_EQ(simd::I8x16Popcnt(rt(u8({0, 1, 0x80, 0xFF, 0x55, 0xAA, 0x0F, 0x7E, 3}))),
            u8({0, 1, 1, 8, 4, 4, 4, 6, 2}));
}

TEST(SimdInt, SaturatingAddSub) {
  EXPECT_EQ(simd::I8x16AddSatS(rt(i8({127, -128, 100, -100, 1})), i8({1, -1, 100, -100, -1})),
            i8({127, -128, 127, -128, 0}));
  EXPECT_EQ(simd::I8x16AddSatU(rt(u8({255, 200, 1})), u8({1, 100, 1})), u8({255, 255, 2}));
  EXPECT_EQ(simd::I8x16SubSatS(rt(i8({-128, 127, 0, -1})), i8({1, -1, -128, 127})),
            i8({-128, 127, 127, -128}));
  EXPECT_EQ(simd::I8x16SubSatU(rt(u8({0, 100, 255})), u8({1, 200, 254})), u8({0, 0, 1}));
  EXPECT_EQ(simd::I16x8AddSatS(rt(i16({32767, -32768, 20000})), i16({1, -1, 20000})),
            i16({32767, -32768, 32767}));
  EXPECT_EQ(simd::I16x8AddSatU(rt(u16({65535, 40000})), u16({1, 40000})), u16({65535, 65535}));
  EXPECT_EQ(simd::I16x8SubSatS(rt(i16({-32768, 0})), i16({1, -32768})), i16({-32768, 32767}));
  EXPECT_EQ(simd::I16x8SubSatU(rt(u16({0, 65535})), u16({1, 65534})), u16({0, 1}));
}

TEST(SimdInt, MinMaxAvgr) {
  V128 a = i8({-128, 127, -1, 0}), b = i8({127, -128, 1, 0});
  EXPECT_EQ(simd::I8x16MinS(rt(a), b), i8({-128, -128, -1, 0}));
  EXPECT_EQ(simd::I8x16MaxS(rt(a), b), i8({127, 127, 1, 0}));
  EXPECT_EQ(simd::I8x16MinU(rt(a), b), i8({127, 127, 1, 0}));    // 0x80 > 0x7F unsigned
  EXPECT_EQ(simd::I8x16MaxU(rt(a), b), i8({-128, -128, -1, 0}));
  V128 c = i16({-32768, 32767, -1}), d = i16({32767, -32768, 1});
  EXPECT_EQ(simd::I16x8MinS(rt(c), d), i16({-32768, -32768, -1}));
  EXPECT_EQ(simd::I16x8MaxS(rt(c), d), i16({32767, 32767, 1}));
  EXPECT_EQ(simd::I16x8MinU(rt(c), d), i16({32767, 32767, 1}));
  EXPECT_EQ(simd::I16x8MaxU(rt(c), d), i16({-32768, -32768, -1}));
  V128 e = i32({INT32_MIN, INT32_MAX, -1, 3}), f = i32({INT32_MAX, INT32_MIN, 1, 3});
  EXPECT_EQ(simd::I32x4MinS(rt(e), f), i32({INT32_MIN, INT32_MIN, -1, 3}));
  EXPECT_EQ(simd::I32x4MaxS(rt(e), f), i32({INT32_MAX, INT32_MAX, 1, 3}));
  EXPECT_EQ(simd::I32x4MinU(rt(e), f), i32({INT32_MAX, INT32_MAX, 1, 3}));
  EXPECT_EQ(simd::I32x4MaxU(rt(e), f), i32({INT32_MIN, INT32_MIN, -1, 3}));
  // avgr_u = (a + b + 1) >> 1 without wrapping.
  EXPECT_EQ(simd::I8x16AvgrU(rt(u8({255, 0, 1, 254, 3})), u8({255, 1, 2, 255, 3})), u8({255, 1, 2, 255, 3}));
  EXPECT_EQ(simd::I8x16AvgrU(rt(u8({0, 255})), u8({255, 0})), u8({128, 128}));
  EXPECT_EQ(simd::I16x8AvgrU(rt(u16({65535, 0, 65534, 1})), u16({65535, 65535, 65535, 2})),
            u16({65535, 32768, 65535, 2}));
}

TEST(SimdInt, Comparisons) {
  V128 a = i8({-1, 0, 1, -128, 127, 5}), b = i8({1, 0, -1, 127, -128, 5});
  // lanes 6..15 are 0 == 0.
  auto T8 = [](std::initializer_list<int8_t> l) {
    V128 v = simd::I8x16Splat(0);
    uint32_t i = 0;
    for (int8_t x : l) v = with_lane<int8_t>(v, x, i++);
    return v;
  };
  EXPECT_EQ(simd::I8x16Eq(rt(a), b), T8({0, -1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I8x16Ne(rt(a), b), T8({-1, 0, -1, -1, -1, 0}));
  EXPECT_EQ(simd::I8x16LtS(rt(a), b), T8({-1, 0, 0, -1, 0, 0}));
  EXPECT_EQ(simd::I8x16LtU(rt(a), b), T8({0, 0, -1, 0, -1, 0}));
  EXPECT_EQ(simd::I8x16GtS(rt(a), b), T8({0, 0, -1, 0, -1, 0}));
  EXPECT_EQ(simd::I8x16GtU(rt(a), b), T8({-1, 0, 0, -1, 0, 0}));
  EXPECT_EQ(simd::I8x16LeS(rt(a), b), T8({-1, -1, 0, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I8x16LeU(rt(a), b), T8({0, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I8x16GeS(rt(a), b), T8({0, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I8x16GeU(rt(a), b), T8({-1, -1, 0, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}));

  V128 c = i16({-1, 0, -32768, 32767, 0, 0, 0, 0}), d = i16({1, 0, 32767, -32768, 0, 0, 0, 0});
  EXPECT_EQ(simd::I16x8Eq(rt(c), d), i16({0, -1, 0, 0, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I16x8Ne(rt(c), d), i16({-1, 0, -1, -1, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8LtS(rt(c), d), i16({-1, 0, -1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8LtU(rt(c), d), i16({0, 0, 0, -1, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8GtS(rt(c), d), i16({0, 0, 0, -1, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8GtU(rt(c), d), i16({-1, 0, -1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8LeS(rt(c), d), i16({-1, -1, -1, 0, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I16x8LeU(rt(c), d), i16({0, -1, 0, -1, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I16x8GeS(rt(c), d), i16({0, -1, 0, -1, -1, -1, -1, -1}));
  EXPECT_EQ(simd::I16x8GeU(rt(c), d), i16({-1, -1, -1, 0, -1, -1, -1, -1}));

  V128 e = i32({-1, 0, INT32_MIN, INT32_MAX}), f = i32({1, 0, INT32_MAX, INT32_MIN});
  EXPECT_EQ(simd::I32x4Eq(rt(e), f), i32({0, -1, 0, 0}));
  EXPECT_EQ(simd::I32x4Ne(rt(e), f), i32({-1, 0, -1, -1}));
  EXPECT_EQ(simd::I32x4LtS(rt(e), f), i32({-1, 0, -1, 0}));
  EXPECT_EQ(simd::I32x4LtU(rt(e), f), i32({0, 0, 0, -1}));
  EXPECT_EQ(simd::I32x4GtS(rt(e), f), i32({0, 0, 0, -1}));
  EXPECT_EQ(simd::I32x4GtU(rt(e), f), i32({-1, 0, -1, 0}));
  EXPECT_EQ(simd::I32x4LeS(rt(e), f), i32({-1, -1, -1, 0}));
  EXPECT_EQ(simd::I32x4LeU(rt(e), f), i32({0, -1, 0, -1}));
  EXPECT_EQ(simd::I32x4GeS(rt(e), f), i32({0, -1, 0, -1}));
  EXPECT_EQ(simd::I32x4GeU(rt(e), f), i32({-1, -1, -1, 0}));

  V128 g = i64({-1, INT64_MIN}), h = i64({1, INT64_MIN});
  EXPECT_EQ(simd::I64x2Eq(rt(g), h), i64({0, -1}));
  EXPECT_EQ(simd::I64x2Ne(rt(g), h), i64({-1, 0}));
  EXPECT_EQ(simd::I64x2LtS(rt(g), h), i64({-1, 0}));
  EXPECT_EQ(simd::I64x2GtS(rt(g), h), i64({0, 0}));
  EXPECT_EQ(simd::I64x2LeS(rt(g), h), i64({-1, -1}));
  EXPECT_EQ(simd::I64x2GeS(rt(g), h), i64({0, -1}));
  EXPECT_EQ(simd::I64x2GtS(rt(i64({INT64_MAX, 0})), i64({INT64_MIN, -1})), i64({-1, -1}));
}

TEST(SimdInt, ShiftsUseCountModuloLaneWidth) {
  V128 a = i8({-128, 1, -1, 0x40, 0x7F});
  EXPECT_EQ(simd::I8x16Shl(rt(a), 1), i8({0, 2, -2, -128, -2}));
  EXPECT_EQ(simd::I8x16Shl(rt(a), 9), i8({0, 2, -2, -128, -2}));  // 9 mod 8
  EXPECT_EQ(simd::I8x16Shl(rt(a), 8), a);
  EXPECT_EQ(simd::I8x16ShrS(rt(a), 7), i8({-1, 0, -1, 0, 0}));
  EXPECT_EQ(simd::I8x16ShrS(rt(a), 0xFFFF'FFFFu), i8({-1, 0, -1, 0, 0}));  // 7
  EXPECT_EQ(simd::I8x16ShrU(rt(a), 7), i8({1, 0, 1, 0, 0}));
  EXPECT_EQ(simd::I8x16ShrU(rt(a), 1), i8({0x40, 0, 0x7F, 0x20, 0x3F}));

  V128 b = i16({-32768, 1, -1, 0x4000});
  EXPECT_EQ(simd::I16x8Shl(rt(b), 17), i16({0, 2, -2, -32768}));
  EXPECT_EQ(simd::I16x8Shl(rt(b), 16), b);
  EXPECT_EQ(simd::I16x8ShrS(rt(b), 15), i16({-1, 0, -1, 0}));
  EXPECT_EQ(simd::I16x8ShrS(rt(b), 31), i16({-1, 0, -1, 0}));
  EXPECT_EQ(simd::I16x8ShrU(rt(b), 15), i16({1, 0, 1, 0}));
  EXPECT_EQ(simd::I16x8ShrU(rt(b), 4), i16({0x0800, 0, 0x0FFF, 0x0400}));

  V128 c = i32({INT32_MIN, 1, -1, 0x4000'0000});
  EXPECT_EQ(simd::I32x4Shl(rt(c), 33), i32({0, 2, -2, INT32_MIN}));
  EXPECT_EQ(simd::I32x4Shl(rt(c), 32), c);
  EXPECT_EQ(simd::I32x4ShrS(rt(c), 31), i32({-1, 0, -1, 0}));
  EXPECT_EQ(simd::I32x4ShrS(rt(c), 63), i32({-1, 0, -1, 0}));
  EXPECT_EQ(simd::I32x4ShrU(rt(c), 31), i32({1, 0, 1, 0}));
  EXPECT_EQ(simd::I32x4ShrU(rt(c), 8), i32({0x0080'0000, 0, 0x00FF'FFFF, 0x0040'0000}));

  V128 d = i64({INT64_MIN, -1});
  EXPECT_EQ(simd::I64x2Shl(rt(d), 65), i64({0, -2}));
  EXPECT_EQ(simd::I64x2Shl(rt(d), 64), d);
  EXPECT_EQ(simd::I64x2ShrS(rt(d), 63), i64({-1, -1}));
  EXPECT_EQ(simd::I64x2ShrS(rt(d), 127), i64({-1, -1}));
  EXPECT_EQ(simd::I64x2ShrU(rt(d), 63), i64({1, 1}));
  EXPECT_EQ(simd::I64x2ShrU(rt(d), 4), i64({0x0800'0000'0000'0000, 0x0FFF'FFFF'FFFF'FFFF}));
}

TEST(SimdInt, Narrow) {
  V128 a = i16({-32768, -129, -128, -1, 0, 127, 128, 32767});
  V128 b = i16({255, 256, -1, 1, 2, 3, 4, 5});
  EXPECT_EQ(simd::I8x16NarrowI16x8S(rt(a), b),
            i8({-128, -128, -128, -1, 0, 127, 127, 127, 127, 127, -1, 1, 2, 3, 4, 5}));
  EXPECT_EQ(simd::I8x16NarrowI16x8U(rt(a), b),
            u8({0, 0, 0, 0, 0, 127, 128, 255, 255, 255, 0, 1, 2, 3, 4, 5}));
  V128 c = i32({INT32_MIN, -32769, -32768, 65535}), d = i32({65536, INT32_MAX, -1, 32767});
  EXPECT_EQ(simd::I16x8NarrowI32x4S(rt(c), d), i16({-32768, -32768, -32768, 32767, 32767, 32767, -1, 32767}));
  EXPECT_EQ(simd::I16x8NarrowI32x4U(rt(c), d), u16({0, 0, 0, 65535, 65535, 65535, 0, 32767}));
}

TEST(SimdInt, ExtendExtmulExtaddDot) {
  V128 a = i8({-128, -1, 0, 1, 127, 2, 3, 4, -5, -6, -7, -8, 9, 10, 11, -1});
  EXPECT_EQ(simd::I16x8ExtendLowI8x16S(rt(a)), i16({-128, -1, 0, 1, 127, 2, 3, 4}));
  EXPECT_EQ(simd::I16x8ExtendHighI8x16S(rt(a)), i16({-5, -6, -7, -8, 9, 10, 11, -1}));
  EXPECT_EQ(simd::I16x8ExtendLowI8x16U(rt(a)), i16({128, 255, 0, 1, 127, 2, 3, 4}));
  EXPECT_EQ(simd::I16x8ExtendHighI8x16U(rt(a)), i16({251, 250, 249, 248, 9, 10, 11, 255}));
  V128 b = i16({-32768, -1, 1, 32767, 5, -6, 7, -8});
  EXPECT_EQ(simd::I32x4ExtendLowI16x8S(rt(b)), i32({-32768, -1, 1, 32767}));
  EXPECT_EQ(simd::I32x4ExtendHighI16x8S(rt(b)), i32({5, -6, 7, -8}));
  EXPECT_EQ(simd::I32x4ExtendLowI16x8U(rt(b)), i32({32768, 65535, 1, 32767}));
  EXPECT_EQ(simd::I32x4ExtendHighI16x8U(rt(b)), i32({5, 65530, 7, 65528}));
  V128 c = i32({INT32_MIN, -1, 7, INT32_MAX});
  EXPECT_EQ(simd::I64x2ExtendLowI32x4S(rt(c)), i64({INT32_MIN, -1}));
  EXPECT_EQ(simd::I64x2ExtendHighI32x4S(rt(c)), i64({7, INT32_MAX}));
  EXPECT_EQ(simd::I64x2ExtendLowI32x4U(rt(c)), i64({0x8000'0000, 0xFFFF'FFFF}));
  EXPECT_EQ(simd::I64x2ExtendHighI32x4U(rt(c)), i64({7, INT32_MAX}));

  V128 x = i8({-128, -128, 127, -1, 0, 0, 0, 0, -1, 2, 3, 4, 5, 6, 7, -128});
  V128 y = i8({-128, 127, 127, -1, 0, 0, 0, 0, -1, 2, 3, 4, 5, 6, 7, 127});
  EXPECT_EQ(simd::I16x8ExtmulLowI8x16S(rt(x), y), i16({16384, -16256, 16129, 1, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8ExtmulHighI8x16S(rt(x), y), i16({1, 4, 9, 16, 25, 36, 49, -16256}));
  EXPECT_EQ(simd::I16x8ExtmulLowI8x16U(rt(x), y), u16({16384, 16256, 16129, 65025, 0, 0, 0, 0}));
  EXPECT_EQ(simd::I16x8ExtmulHighI8x16U(rt(x), y), u16({65025, 4, 9, 16, 25, 36, 49, 16256}));
  V128 p = i16({-32768, -32768, -1, 3, 32767, -1, 2, -32768});
  V128 q = i16({-32768, 32767, -1, 4, 32767, 1, 2, 2});
  EXPECT_EQ(simd::I32x4ExtmulLowI16x8S(rt(p), q), i32({1 << 30, -1073709056, 1, 12}));
  EXPECT_EQ(simd::I32x4ExtmulHighI16x8S(rt(p), q), i32({1073676289, -1, 4, -65536}));
  EXPECT_EQ(simd::I32x4ExtmulLowI16x8U(rt(p), q), u32({1u << 30, 1073709056u, 0xFFFE'0001u, 12}));
  EXPECT_EQ(simd::I32x4ExtmulHighI16x8U(rt(p), q), u32({1073676289u, 65535, 4, 65536}));
  V128 r = i32({INT32_MIN, -1, INT32_MAX, 3}), s = i32({INT32_MIN, -1, -1, 3});
  EXPECT_EQ(simd::I64x2ExtmulLowI32x4S(rt(r), s), i64({int64_t(1) << 62, 1}));
  EXPECT_EQ(simd::I64x2ExtmulHighI32x4S(rt(r), s), i64({-int64_t(INT32_MAX), 9}));
  EXPECT_EQ(simd::I64x2ExtmulLowI32x4U(rt(r), s), i64({int64_t(1) << 62, int64_t(0xFFFF'FFFE'0000'0001u)}));
  EXPECT_EQ(simd::I64x2ExtmulHighI32x4U(rt(r), s), i64({int64_t(0x7FFF'FFFE'8000'0001u), 9}));

  V128 e = i8({-128, -128, 127, 127, -1, 1, 0, -1, 5, 6, 7, 8, -3, -4, 100, 100});
  EXPECT_EQ(simd::I16x8ExtaddPairwiseI8x16S(rt(e)), i16({-256, 254, 0, -1, 11, 15, -7, 200}));
  EXPECT_EQ(simd::I16x8ExtaddPairwiseI8x16U(rt(e)), i16({256, 254, 256, 255, 11, 15, 505, 200}));
  V128 f = i16({-32768, -32768, 32767, 32767, -1, 1, -1, -1});
  EXPECT_EQ(simd::I32x4ExtaddPairwiseI16x8S(rt(f)), i32({-65536, 65534, 0, -2}));
  EXPECT_EQ(simd::I32x4ExtaddPairwiseI16x8U(rt(f)), i32({65536, 65534, 65536, 131070}));

  // dot: the only overflow, (-32768)^2 * 2 = 2^31, wraps to INT32_MIN.
  V128 g = i16({-32768, -32768, 32767, 32767, 1, 2, -3, 4});
  V128 h = i16({-32768, -32768, 32767, 32767, 5, 6, 7, 8});
  EXPECT_EQ(simd::I32x4DotI16x8S(rt(g), h), i32({INT32_MIN, 2147352578, 17, 11}));
}

TEST(SimdInt, Q15mulrSatS) {
  V128 a = i16({-32768, -32768, 32767, 16384, -16384, 1, -1, 0x4000});
  V128 b = i16({-32768, 32767, 32767, 16384, 16384, 16384, 16384, 1});
  // (a*b + 0x4000) >> 15: 2^30 + 2^14 >> 15 = 32768 -> saturates;
  // -32768*32767 -> -32767; 32767^2 -> 32766; 2^28 -> 8192; 1*16384 + 16384
  // = 2^15 -> 1; -16384 + 16384 = 0 -> 0; 0x4000 + 0x4000 -> 1.
  EXPECT_EQ(simd::I16x8Q15mulrSatS(rt(a), b), i16({32767, -32767, 32766, 8192, -8192, 1, 0, 1}));
}

TEST(SimdInt, AllTrueBitmask) {
  V128 ones8 = simd::I8x16Splat(1);
  EXPECT_EQ(simd::I8x16AllTrue(rt(ones8)), 1u);
  for (uint32_t i = 0; i < 16; ++i)
    EXPECT_EQ(simd::I8x16AllTrue(rt(with_lane<uint8_t>(ones8, 0, i))), 0u) << i;
  EXPECT_EQ(simd::I16x8AllTrue(rt(simd::I8x16Splat(1))), 1u);  // 0x0101
  EXPECT_EQ(simd::I16x8AllTrue(rt(simd::I16x8Splat(0x100))), 1u);
  EXPECT_EQ(simd::I16x8AllTrue(rt(with_lane<uint16_t>(simd::I16x8Splat(0x8000), 0, 5))), 0u);
  EXPECT_EQ(simd::I16x8AllTrue(rt(with_lane<uint8_t>(ones8, 0, 5))), 1u);  // byte 5 of lane 2
  EXPECT_EQ(simd::I32x4AllTrue(rt(simd::I32x4Splat(0x8000'0000u))), 1u);
  EXPECT_EQ(simd::I32x4AllTrue(rt(u32({1, 1, 1, 0}))), 0u);
  EXPECT_EQ(simd::I32x4AllTrue(rt(u32({1, 0x100, 0x10000, 0x1000000}))), 1u);
  EXPECT_EQ(simd::I64x2AllTrue(rt(V128{1ull << 63, 1})), 1u);
  EXPECT_EQ(simd::I64x2AllTrue(rt(V128{1, 0})), 0u);
  EXPECT_EQ(simd::I64x2AllTrue(rt(V128{0, 1})), 0u);

  EXPECT_EQ(simd::I8x16Bitmask(rt(i8({-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1}))), 0x8005u);
  EXPECT_EQ(simd::I8x16Bitmask(rt(simd::I8x16Splat(0x80))), 0xFFFFu);
  EXPECT_EQ(simd::I16x8Bitmask(rt(i16({-1, 0x7FFF, -32768, 0x00FF, 0, 0, 0, -2}))), 0x85u);
  EXPECT_EQ(simd::I16x8Bitmask(rt(simd::I16x8Splat(0x8000))), 0xFFu);
  EXPECT_EQ(simd::I32x4Bitmask(rt(i32({0, -1, INT32_MAX, INT32_MIN}))), 0xAu);
  EXPECT_EQ(simd::I64x2Bitmask(rt(i64({INT64_MIN, INT64_MAX}))), 1u);
  EXPECT_EQ(simd::I64x2Bitmask(rt(i64({0, -1}))), 2u);
}

TEST(SimdFloat, ArithmeticAndSqrt) {
  EXPECT_EQ(simd::F32x4Add(rt(f32({1, 0x1p24f, kInf, -0.0f})), f32({2, 1, -kInf, -0.0f})),
            f32({3, 0x1p24f, F(kF32Canon | 0x8000'0000u) /* default NaN */, -0.0f}));
  EXPECT_EQ(simd::F32x4Sub(rt(f32({1, 0.0f, 0x1p-149f, 3})), f32({2, 0.0f, 0x1p-149f, 0.5f})),
            f32({-1, 0.0f, 0.0f, 2.5f}));
  EXPECT_EQ(simd::F32x4Mul(rt(f32({3, -0.0f, 0x1p-100f, 1e38f})), f32({-2, 5, 0x1p-100f, 10})),
            f32({-6, -0.0f, 0.0f, kInf}));
  EXPECT_EQ(simd::F32x4Div(rt(f32({1, -1, 1, 6})), f32({3, 0.0f, -0.0f, -2})),
            f32({1.0f / 3, -kInf, -kInf, -3}));
  EXPECT_EQ(simd::F64x2Add(rt(f64({0.1, 0x1p53})), f64({0.2, 1})), f64({0.1 + 0.2, 0x1p53}));
  EXPECT_EQ(simd::F64x2Sub(rt(f64({1, -0.0})), f64({2, 0.0})), f64({-1, -0.0}));
  EXPECT_EQ(simd::F64x2Mul(rt(f64({1e308, 3})), f64({10, -0.5})), f64({kInfD, -1.5}));
  EXPECT_EQ(simd::F64x2Div(rt(f64({1, 0.0})), f64({10, -1})), f64({0.1, -0.0}));
  // NaN operand: that NaN, quieted.
  V128 r = simd::F32x4Add(rt(u32({kF32SNaN, 0x3F80'0000u, kF32Canon, 0xFFC0'0001u})), f32({1, 1, 1, 1}));
  EXPECT_TRUE(num::is_arithmetic_nan(lane<float>(r, 0)));
  EXPECT_EQ(lane<uint32_t>(r, 1), 0x4000'0000u);
  EXPECT_TRUE(num::is_canonical_nan(lane<float>(r, 2)));
  EXPECT_EQ(lane<uint32_t>(r, 3), 0xFFC0'0001u);

  EXPECT_EQ(simd::F32x4Sqrt(rt(f32({4, 2, -0.0f, kInf}))), f32({2, std::sqrt(2.0f), -0.0f, kInf}));
  V128 s = simd::F32x4Sqrt(rt(f32({-1, 0x1p-149f, F(kF32SNaN), -kInf})));
  EXPECT_TRUE(num::is_canonical_nan(lane<float>(s, 0)));
  EXPECT_EQ(lane<float>(s, 1), std::sqrt(0x1p-149f));
  EXPECT_TRUE(num::is_arithmetic_nan(lane<float>(s, 2)));
  EXPECT_TRUE(num::is_canonical_nan(lane<float>(s, 3)));
  EXPECT_EQ(simd::F64x2Sqrt(rt(f64({16, 2}))), f64({4, std::sqrt(2.0)}));
  V128 t = simd::F64x2Sqrt(rt(f64({-0x1p-1074, -0.0})));
  EXPECT_TRUE(num::is_canonical_nan(lane<double>(t, 0)));
  EXPECT_EQ(lane<uint64_t>(t, 1), 1ull << 63);
}

TEST(SimdFloat, AbsNegAreBitExact) {
  V128 a = u32({kF32SNaN | 0x8000'0000u, 0x8000'0000u, kF32Canon, 0x3F80'0000u});
  EXPECT_EQ(simd::F32x4Abs(rt(a)), u32({kF32SNaN, 0, kF32Canon, 0x3F80'0000u}));
  EXPECT_EQ(simd::F32x4Neg(rt(a)), u32({kF32SNaN, 0, kF32Canon | 0x8000'0000u, 0xBF80'0000u}));
  V128 b{kF64SNaN | (1ull << 63), 0};
  EXPECT_EQ(simd::F64x2Abs(rt(b)), (V128{kF64SNaN, 0}));
  EXPECT_EQ(simd::F64x2Neg(rt(b)), (V128{kF64SNaN, 1ull << 63}));
}

TEST(SimdFloat, MinMaxZerosAndNaNs) {
  V128 a = f32({-0.0f, 0.0f, 1, -kInf});
  V128 b = f32({0.0f, -0.0f, 2, kInf});
  EXPECT_EQ(simd::F32x4Min(rt(a), b), f32({-0.0f, -0.0f, 1, -kInf}));
  EXPECT_EQ(simd::F32x4Max(rt(a), b), f32({0.0f, 0.0f, 2, kInf}));
  // NaN in either operand: a NaN (the first NaN operand, quieted).
  V128 c = u32({kF32SNaN, 0x3F80'0000u, kF32Canon, 0xFFC0'1234u});
  V128 d = u32({0x3F80'0000u, kF32SNaN | 0x8000'0000u, 0x7FC0'0001u, 0x3F80'0000u});
  V128 want = u32({kF32SNaN | 0x0040'0000u, 0xFFE0'0000u, kF32Canon, 0xFFC0'1234u});
  EXPECT_EQ(simd::F32x4Min(rt(c), d), want);
  EXPECT_EQ(simd::F32x4Max(rt(c), d), want);
  V128 e = f64({-0.0, 5}), f = f64({0.0, -kInfD});
  EXPECT_EQ(simd::F64x2Min(rt(e), f), f64({-0.0, -kInfD}));
  EXPECT_EQ(simd::F64x2Max(rt(e), f), f64({0.0, 5}));
  EXPECT_EQ(simd::F64x2Min(rt(f), e), f64({-0.0, -kInfD}));
  EXPECT_EQ(simd::F64x2Max(rt(f), e), f64({0.0, 5}));
  V128 g{kF64SNaN, 0}, h{0, kF64Canon};
  EXPECT_EQ(simd::F64x2Min(rt(g), h), (V128{kF64SNaN | (1ull << 51), kF64Canon}));
  EXPECT_EQ(simd::F64x2Max(rt(g), h), (V128{kF64SNaN | (1ull << 51), kF64Canon}));
}

TEST(SimdFloat, PseudoMinMaxAreSelects) {
  // pmin = b < a ? b : a; pmax = a < b ? b : a: NaNs and -0/+0 give a, unchanged.
  V128 a = u32({kF32SNaN, 0x0000'0000u, 0x3F80'0000u, 0x3F80'0000u});  // sNaN, +0, 1, 1
  V128 b = u32({0x3F80'0000u, 0x8000'0000u, kF32SNaN, 0x4000'0000u});  // 1, -0, sNaN, 2
  EXPECT_EQ(simd::F32x4Pmin(rt(a), b), u32({kF32SNaN, 0, 0x3F80'0000u, 0x3F80'0000u}));
  EXPECT_EQ(simd::F32x4Pmax(rt(a), b), u32({kF32SNaN, 0, 0x3F80'0000u, 0x4000'0000u}));
  EXPECT_EQ(simd::F32x4Pmin(rt(b), a), u32({0x3F80'0000u, 0x8000'0000u, kF32SNaN, 0x3F80'0000u}));
  EXPECT_EQ(simd::F32x4Pmax(rt(b), a), u32({0x3F80'0000u, 0x8000'0000u, kF32SNaN, 0x4000'0000u}));
  V128 c{kF64SNaN, num::bits(-1.0)}, d{num::bits(1.0), num::bits(-2.0)};
  EXPECT_EQ(simd::F64x2Pmin(rt(c), d), (V128{kF64SNaN, num::bits(-2.0)}));
  EXPECT_EQ(simd::F64x2Pmax(rt(c), d), (V128{kF64SNaN, num::bits(-1.0)}));
  EXPECT_EQ(simd::F64x2Pmin(rt(d), c), (V128{num::bits(1.0), num::bits(-2.0)}));
  EXPECT_EQ(simd::F64x2Pmax(rt(d), c), (V128{num::bits(1.0), num::bits(-1.0)}));
}

TEST(SimdFloat, Comparisons) {
  V128 a = f32({1, -0.0f, F(kF32Canon), 2});
  V128 b = f32({1, 0.0f, F(kF32Canon), 1});
  EXPECT_EQ(simd::F32x4Eq(rt(a), b), i32({-1, -1, 0, 0}));
  EXPECT_EQ(simd::F32x4Ne(rt(a), b), i32({0, 0, -1, -1}));
  EXPECT_EQ(simd::F32x4Lt(rt(a), b), i32({0, 0, 0, 0}));
  EXPECT_EQ(simd::F32x4Gt(rt(a), b), i32({0, 0, 0, -1}));
  EXPECT_EQ(simd::F32x4Le(rt(a), b), i32({-1, -1, 0, 0}));
  EXPECT_EQ(simd::F32x4Ge(rt(a), b), i32({-1, -1, 0, -1}));
  V128 c = f64({-kInfD, D(kF64SNaN)}), d = f64({kInfD, 0});
  EXPECT_EQ(simd::F64x2Eq(rt(c), d), i64({0, 0}));
  EXPECT_EQ(simd::F64x2Ne(rt(c), d), i64({-1, -1}));
  EXPECT_EQ(simd::F64x2Lt(rt(c), d), i64({-1, 0}));
  EXPECT_EQ(simd::F64x2Gt(rt(c), d), i64({0, 0}));
  EXPECT_EQ(simd::F64x2Le(rt(c), d), i64({-1, 0}));
  EXPECT_EQ(simd::F64x2Ge(rt(c), d), i64({0, 0}));
}

TEST(SimdFloat, Rounding) {
  V128 a = f32({-0.5f, 0.5f, 1.5f, -2.5f});
  EXPECT_EQ(simd::F32x4Nearest(rt(a)), f32({-0.0f, 0.0f, 2, -2}));
  EXPECT_EQ(simd::F32x4Ceil(rt(a)), f32({-0.0f, 1, 2, -2}));
  EXPECT_EQ(simd::F32x4Floor(rt(a)), f32({-1, 0.0f, 1, -3}));
  EXPECT_EQ(simd::F32x4Trunc(rt(a)), f32({-0.0f, 0.0f, 1, -2}));
  V128 b = f32({0x1.fffffep22f, -0x1.fffffep22f, 0.49999997f, 0x1p23f});
  EXPECT_EQ(simd::F32x4Nearest(rt(b)), f32({0x1p23f, -0x1p23f, 0.0f, 0x1p23f}));
  EXPECT_EQ(simd::F32x4Ceil(rt(b)), f32({0x1p23f, -0x1.fffffcp22f, 1, 0x1p23f}));
  EXPECT_EQ(simd::F32x4Floor(rt(b)), f32({0x1.fffffcp22f, -0x1p23f, 0.0f, 0x1p23f}));
  EXPECT_EQ(simd::F32x4Trunc(rt(b)), f32({0x1.fffffcp22f, -0x1.fffffcp22f, 0.0f, 0x1p23f}));
  V128 c = u32({kF32SNaN, 0xFFC0'0000u, 0xFF80'0000u, 0x0000'0001u});  // sNaN, -canon, -inf, denormal
  V128 nan_q = u32({kF32SNaN | 0x0040'0000u, 0xFFC0'0000u, 0xFF80'0000u, 0});
  EXPECT_EQ(simd::F32x4Nearest(rt(c)), nan_q);
  EXPECT_EQ(simd::F32x4Trunc(rt(c)), nan_q);
  EXPECT_EQ(simd::F32x4Floor(rt(c)), nan_q);
  EXPECT_EQ(simd::F32x4Ceil(rt(c)), with_lane<float>(nan_q, 1, 3));
  EXPECT_EQ(simd::F32x4Floor(rt(f32({-0x1p-149f, -0.0f, 1e30f, -1}))), f32({-1, -0.0f, 1e30f, -1}));

  V128 d = f64({-0.5, 2.5});
  EXPECT_EQ(simd::F64x2Nearest(rt(d)), f64({-0.0, 2}));
  EXPECT_EQ(simd::F64x2Ceil(rt(d)), f64({-0.0, 3}));
  EXPECT_EQ(simd::F64x2Floor(rt(d)), f64({-1, 2}));
  EXPECT_EQ(simd::F64x2Trunc(rt(d)), f64({-0.0, 2}));
  V128 e = f64({0x1.fffffffffffffp51, -0.49999999999999994});
  EXPECT_EQ(simd::F64x2Nearest(rt(e)), f64({0x1p52, -0.0}));
  EXPECT_EQ(simd::F64x2Ceil(rt(e)), f64({0x1p52, -0.0}));
  EXPECT_EQ(simd::F64x2Floor(rt(e)), f64({0x1.ffffffffffffep51, -1}));
  EXPECT_EQ(simd::F64x2Trunc(rt(e)), f64({0x1.ffffffffffffep51, -0.0}));
  V128 g{kF64SNaN, (1ull << 63) | 0x7FF0'0000'0000'0000u};
  EXPECT_EQ(simd::F64x2Ceil(rt(g)), (V128{kF64SNaN | (1ull << 51), g.hi}));
}

TEST(SimdConvert, TruncSat) {
  V128 a = f32({F(kF32Canon), -0x1p31f, 0x1p31f, -0x1.000002p31f});
  EXPECT_EQ(simd::I32x4TruncSatF32x4S(rt(a)), i32({0, INT32_MIN, INT32_MAX, INT32_MIN}));
  EXPECT_EQ(simd::I32x4TruncSatF32x4S(rt(f32({-1.9f, 1.9f, kInf, -kInf}))), i32({-1, 1, INT32_MAX, INT32_MIN}));
  EXPECT_EQ(simd::I32x4TruncSatF32x4S(rt(f32({0x1.fffffep30f, -0.0f, F(kF32SNaN | 0x8000'0000u), 1e-40f}))),
            i32({0x7FFF'FF80, 0, 0, 0}));
  EXPECT_EQ(simd::I32x4TruncSatF32x4U(rt(f32({-0.9f, -1, 0x1p32f, 0x1.fffffep31f}))),
            u32({0, 0, 0xFFFF'FFFFu, 0xFFFF'FF00u}));
  EXPECT_EQ(simd::I32x4TruncSatF32x4U(rt(f32({0x1p31f, 0x1.000002p31f, F(kF32Canon), kInf}))),
            u32({0x8000'0000u, 0x8000'0100u, 0, 0xFFFF'FFFFu}));
  EXPECT_EQ(simd::I32x4TruncSatF32x4U(rt(f32({2.9f, 0x1p31f - 128, -kInf, 1}))), u32({2, 0x7FFF'FF80u, 0, 1}));

  EXPECT_EQ(simd::I32x4TruncSatF64x2SZero(rt(f64({-2147483648.9, 2147483647.9}))), i32({INT32_MIN, INT32_MAX, 0, 0}));
  EXPECT_EQ(simd::I32x4TruncSatF64x2SZero(rt(f64({-2147483649.0, 2147483648.0}))), i32({INT32_MIN, INT32_MAX, 0, 0}));
  EXPECT_EQ(simd::I32x4TruncSatF64x2SZero(rt(f64({D(kF64Canon), -1.5}))), i32({0, -1, 0, 0}));
  EXPECT_EQ(simd::I32x4TruncSatF64x2UZero(rt(f64({4294967295.9, -0.9}))), u32({0xFFFF'FFFFu, 0, 0, 0}));
  EXPECT_EQ(simd::I32x4TruncSatF64x2UZero(rt(f64({4294967296.0, -1}))), u32({0xFFFF'FFFFu, 0, 0, 0}));
  EXPECT_EQ(simd::I32x4TruncSatF64x2UZero(rt(f64({2147483648.5, D(kF64SNaN)}))), u32({0x8000'0000u, 0, 0, 0}));
}

TEST(SimdConvert, IntToFloat) {
  EXPECT_EQ(simd::F32x4ConvertI32x4S(rt(i32({INT32_MIN, -1, 16777217, INT32_MAX}))),
            f32({-0x1p31f, -1, 16777216, 0x1p31f}));
  // Correct rounding of u32 -> f32 (ties to even at the ulp of 256 / 128).
  EXPECT_EQ(simd::F32x4ConvertI32x4U(rt(u32({0xFFFF'FFFFu, 0x8000'0080u, 0x8000'0081u, 0x8000'0180u}))),
            f32({0x1p32f, 0x1p31f, 0x1.000002p31f, 0x1.000004p31f}));
  EXPECT_EQ(simd::F32x4ConvertI32x4U(rt(u32({16777217, 16777219, 0xFFFF'FF7Fu, 0xFFFF'FF80u}))),
            f32({16777216, 16777220, 0x1.fffffep31f, 0x1p32f}));
  EXPECT_EQ(simd::F32x4ConvertI32x4U(rt(u32({0, 1, 0x7FFF'FFC0u, 0x00FF'FFFFu}))),
            f32({0, 1, 0x1p31f, 16777215}));
  EXPECT_EQ(simd::F64x2ConvertLowI32x4S(rt(i32({INT32_MIN, -1, 5, 6}))), f64({-2147483648.0, -1}));
  EXPECT_EQ(simd::F64x2ConvertLowI32x4U(rt(i32({INT32_MIN, -1, 5, 6}))), f64({2147483648.0, 4294967295.0}));
}

TEST(SimdConvert, DemotePromote) {
  V128 a = f64({0x1.fffffefffffffp127, 0x1p-150});
  EXPECT_EQ(simd::F32x4DemoteF64x2Zero(rt(a)), f32({0x1.fffffep127f, 0, 0, 0}));
  EXPECT_EQ(simd::F32x4DemoteF64x2Zero(rt(f64({0x1.ffffffp127, -0x1.000001p-149}))),
            f32({kInf, -0x1p-149f, 0, 0}));
  V128 n = simd::F32x4DemoteF64x2Zero(rt(V128{kF64Canon, kF64SNaN}));
  EXPECT_TRUE(num::is_canonical_nan(lane<float>(n, 0)));
  EXPECT_TRUE(num::is_arithmetic_nan(lane<float>(n, 1)));
  EXPECT_EQ(n.hi, 0u);
  EXPECT_EQ(simd::F64x2PromoteLowF32x4(rt(f32({0x1p-149f, -kInf, 7, 8}))), f64({0x1p-149, -kInfD}));
  V128 p = simd::F64x2PromoteLowF32x4(rt(u32({kF32Canon, kF32SNaN, 0, 0})));
  EXPECT_TRUE(num::is_canonical_nan(lane<double>(p, 0)));
  EXPECT_TRUE(num::is_arithmetic_nan(lane<double>(p, 1)));
}

TEST(SimdMemory, LoadTransforms) {
  uint64_t raw = 0x80FF'7F01'8000'7FFFu;  // bytes FF 7F 00 80 01 7F FF 80
  EXPECT_EQ(simd::V128Load8x8S(rt(raw)), i16({-1, 127, 0, -128, 1, 127, -1, -128}));
  EXPECT_EQ(simd::V128Load8x8U(rt(raw)), i16({255, 127, 0, 128, 1, 127, 255, 128}));
  EXPECT_EQ(simd::V128Load16x4S(rt(raw)), i32({0x7FFF, -32768, 0x7F01, -32513}));
  EXPECT_EQ(simd::V128Load16x4U(rt(raw)), i32({0x7FFF, 0x8000, 0x7F01, 0x80FF}));
  EXPECT_EQ(simd::V128Load32x2S(rt(raw)), i64({int32_t(0x8000'7FFFu), int32_t(0x80FF'7F01u)}));
  EXPECT_EQ(simd::V128Load32x2U(rt(raw)), i64({0x8000'7FFF, 0x80FF'7F01}));
  EXPECT_EQ(simd::V128Load8Splat(rt(uint8_t(0x81))), simd::I8x16Splat(0x81));
  EXPECT_EQ(simd::V128Load16Splat(rt(uint16_t(0x8001))), simd::I16x8Splat(0x8001));
  EXPECT_EQ(simd::V128Load32Splat(rt(0x8000'0001u)), simd::I32x4Splat(0x8000'0001u));
  EXPECT_EQ(simd::V128Load64Splat(rt(raw)), (V128{raw, raw}));
  EXPECT_EQ(simd::V128Load32Zero(rt(0xFFFF'FFFFu)), (V128{0xFFFF'FFFFu, 0}));
  EXPECT_EQ(simd::V128Load64Zero(rt(raw)), (V128{raw, 0}));
}

// ===========================================================================
// 3. Reference model: each operator against the obvious per-lane loop
// ===========================================================================

// Input lanes: mostly edge values of the lane type, the rest random bits.
class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  uint64_t bits() { return rng_(); }

  template <class T>
  T edge() {
    using B = simd::detail::UIntFor<T>;
    if constexpr (std::is_same_v<T, float>) {
      static const uint32_t k[] = {0, 0x8000'0000u, 0x3F80'0000u, 0xBF80'0000u, 0x3F00'0000u, 0xBF00'0000u,
                                   0x3FC0'0000u, 0x4020'0000u, 0xC020'0000u, 0x3EFF'FFFFu, 0x4B00'0000u,
                                   0x4AFF'FFFFu, 0xCAFF'FFFFu, 0x4B00'0001u, 0x7F80'0000u, 0xFF80'0000u,
                                   kF32Canon, 0xFFC0'0000u, kF32SNaN, 0xFFA0'0001u, 0x7FC0'1234u, 1,
                                   0x8000'0001u, 0x007F'FFFFu, 0x7F7F'FFFFu, 0x4F00'0000u, 0xCF00'0000u,
                                   0x4EFF'FFFFu, 0x4F80'0000u, 0x4F7F'FFFFu, 0xCF00'0001u, 0xBF7F'FFFFu};
      return num::f32_from_bits(k[rng_() % std::size(k)]);
    } else if constexpr (std::is_same_v<T, double>) {
      static const uint64_t k[] = {0, 1ull << 63, num::bits(1.0), num::bits(-1.0), num::bits(0.5),
                                   num::bits(-0.5), num::bits(1.5), num::bits(2.5), num::bits(-2.5),
                                   num::bits(0.49999999999999994), num::bits(0x1p52),
                                   num::bits(0x1.fffffffffffffp51), num::bits(-0x1.fffffffffffffp51),
                                   0x7FF0'0000'0000'0000u, 0xFFF0'0000'0000'0000u, kF64Canon,
                                   0xFFF8'0000'0000'0000u, kF64SNaN, 0xFFF4'0000'0000'0001u, 1,
                                   0x8000'0000'0000'0001u, 0x7FEF'FFFF'FFFF'FFFFu, num::bits(0x1p31),
                                   num::bits(-0x1p31), num::bits(2147483647.5), num::bits(-2147483648.5),
                                   num::bits(-2147483649.0), num::bits(0x1p32), num::bits(4294967295.5),
                                   num::bits(-0.9), num::bits(-1.0), num::bits(0x1.fffffefffffffp127),
                                   num::bits(0x1.ffffffp127), num::bits(0x1p-150), num::bits(0x1.8p-149)};
      return num::f64_from_bits(k[rng_() % std::size(k)]);
    } else {
      constexpr B kMin = B(B(1) << (sizeof(B) * 8 - 1));
      const uint64_t k[] = {0, 1, 2, B(~B(0)), B(~B(0) - 1), kMin, B(kMin + 1), B(kMin - 1), B(kMin - 2),
                            0x7F, 0x80, 0x81, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x4000, 0x55};
      return std::bit_cast<T>(B(k[rng_() % std::size(k)]));
    }
  }

  // A v128 whose lanes (viewed as T) are edge values or random.
  template <class T>
  V128 v128() {
    V128 v{bits(), bits()};
    if (rng_() % 8 == 0) return v;
    for (uint32_t i = 0; i < 16 / sizeof(T); ++i)
      if (rng_() % 3 != 0) v = with_lane<T>(v, edge<T>(), i);
    return v;
  }

 private:
  std::mt19937_64 rng_;
};

constexpr int kRounds = 3000;

// Apply f lane by lane: f(T...) -> R, R and T of the same width.
template <class R, class T, class Fn>
V128 ref1(V128 a, Fn f) {
  V128 r{};
  for (uint32_t i = 0; i < 16 / sizeof(T); ++i) r = with_lane<R>(r, R(f(lane<T>(a, i))), i);
  return r;
}
template <class R, class T, class Fn>
V128 ref2(V128 a, V128 b, Fn f) {
  V128 r{};
  for (uint32_t i = 0; i < 16 / sizeof(T); ++i) r = with_lane<R>(r, R(f(lane<T>(a, i), lane<T>(b, i))), i);
  return r;
}
template <class T>
T sat(int64_t x) {
  return T(std::clamp<int64_t>(x, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
}
// All-ones / zero lane of type T for a boolean.
template <class T>
T mask(bool b) {
  return b ? T(~simd::detail::UIntFor<T>(0)) : T(0);
}

// Runs `impl` against `ref` on generated inputs; T chooses the lane kind
// of the generated inputs.
template <class T, class Impl, class Ref>
void check1(const char* name, Impl impl, Ref ref) {
  Gen g(std::hash<std::string_view>{}(name));
  for (int i = 0; i < kRounds; ++i) {
    V128 a = g.v128<T>();
    V128 got = impl(rt(a)), want = ref(a);
    if (got != want) {
      ADD_FAILURE() << name << "(" << ::testing::PrintToString(a) << ") = " << ::testing::PrintToString(got)
                    << ", want " << ::testing::PrintToString(want);
      return;
    }
  }
}
template <class T, class Impl, class Ref>
void check2(const char* name, Impl impl, Ref ref) {
  Gen g(std::hash<std::string_view>{}(name));
  for (int i = 0; i < kRounds; ++i) {
    V128 a = g.v128<T>(), b = i % 5 == 0 ? a : g.v128<T>();
    if (i % 7 == 0) b = with_lane<T>(b, lane<T>(a, 0), 0);  // equal lanes
    V128 got = impl(rt(a), rt(b)), want = ref(a, b);
    if (got != want) {
      ADD_FAILURE() << name << "(" << ::testing::PrintToString(a) << ", " << ::testing::PrintToString(b)
                    << ") = " << ::testing::PrintToString(got) << ", want " << ::testing::PrintToString(want);
      return;
    }
  }
}
// Operators returning a scalar (any_true, all_true, bitmask).
template <class T, class Impl, class Ref>
void check_scalar(const char* name, Impl impl, Ref ref) {
  Gen g(std::hash<std::string_view>{}(name));
  for (int i = 0; i < kRounds; ++i) {
    V128 a = g.v128<T>();
    if (i % 4 == 0) a = with_lane<T>(a, T(0), uint32_t(g.bits() % (16 / sizeof(T))));
    if (i % 4 == 1) a = simd::I8x16Splat(uint32_t(g.bits() % 4));
    uint32_t got = impl(rt(a)), want = ref(a);
    if (got != want) {
      ADD_FAILURE() << name << "(" << ::testing::PrintToString(a) << ") = " << got << ", want " << want;
      return;
    }
  }
}

// [hw] float arithmetic: which NaN operand the hardware propagates is not
// fixed (the compiler may commute a scalar `a + b`), so NaN lanes are
// checked against the spec's rule instead of bit for bit: a canonical NaN
// when every NaN operand is canonical (or there is none: inf - inf), else an
// arithmetic NaN. Other lanes must match exactly.
template <class F>
bool spec_nan_ok(F got, std::initializer_list<F> operands) {
  if (!num::is_nan(got)) return false;
  bool all_canonical = true;
  for (F x : operands) all_canonical &= !num::is_nan(x) || num::is_canonical_nan(x);
  return all_canonical ? num::is_canonical_nan(got) : num::is_arithmetic_nan(got);
}
template <class F, class Impl, class Ref>
void check_arith(const char* name, Impl impl, Ref ref, int arity) {
  Gen g(std::hash<std::string_view>{}(name));
  for (int i = 0; i < kRounds; ++i) {
    V128 a = g.v128<F>(), b = g.v128<F>();
    V128 got = impl(rt(a), rt(b)), want = ref(a, b);
    for (uint32_t l = 0; l < 16 / sizeof(F); ++l) {
      F gl = lane<F>(got, l), wl = lane<F>(want, l);
      bool ok = num::is_nan(wl) ? spec_nan_ok(gl, arity == 1 ? std::initializer_list<F>{lane<F>(a, l)}
                                                             : std::initializer_list<F>{lane<F>(a, l), lane<F>(b, l)})
                                : num::bits(gl) == num::bits(wl);
      if (!ok) {
        ADD_FAILURE() << name << "(" << ::testing::PrintToString(a) << ", " << ::testing::PrintToString(b)
                      << ") = " << ::testing::PrintToString(got) << ", want " << ::testing::PrintToString(want)
                      << " (lane " << l << ")";
        return;
      }
    }
  }
}

#define CHECK1(T, fn, ...) check1<T>(#fn, [](V128 a) { return simd::fn(a); }, __VA_ARGS__)
#define CHECK2(T, fn, ...) check2<T>(#fn, [](V128 a, V128 b) { return simd::fn(a, b); }, __VA_ARGS__)
// The SSE2 path and its portable twin, against the same reference.
#define CHECK2P(T, fn, ...)                                                                  \
  do {                                                                                       \
    auto ref_ = __VA_ARGS__;                                                                 \
    check2<T>(#fn, [](V128 a, V128 b) { return simd::fn(a, b); }, ref_);                     \
    check2<T>("portable::" #fn, [](V128 a, V128 b) { return simd::portable::fn(a, b); }, ref_); \
  } while (0)

TEST(SimdReference, IntegerLanewise) {
  // wrap-around arithmetic
  CHECK2(uint8_t, I8x16Add, [](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, [](uint8_t x, uint8_t y) { return x + y; }); });
  CHECK2(uint8_t, I8x16Sub, [](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, [](uint8_t x, uint8_t y) { return x - y; }); });
  CHECK2(uint16_t, I16x8Add, [](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, [](uint16_t x, uint16_t y) { return x + y; }); });
  CHECK2(uint16_t, I16x8Sub, [](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, [](uint16_t x, uint16_t y) { return x - y; }); });
  CHECK2(uint16_t, I16x8Mul, [](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, [](uint16_t x, uint16_t y) { return uint32_t(x) * y; }); });
  CHECK2(uint32_t, I32x4Add, [](V128 a, V128 b) { return ref2<uint32_t, uint32_t>(a, b, num::I32Add); });
  CHECK2(uint32_t, I32x4Sub, [](V128 a, V128 b) { return ref2<uint32_t, uint32_t>(a, b, num::I32Sub); });
  CHECK2(uint32_t, I32x4Mul, [](V128 a, V128 b) { return ref2<uint32_t, uint32_t>(a, b, num::I32Mul); });
  CHECK2(uint64_t, I64x2Add, [](V128 a, V128 b) { return ref2<uint64_t, uint64_t>(a, b, num::I64Add); });
  CHECK2(uint64_t, I64x2Sub, [](V128 a, V128 b) { return ref2<uint64_t, uint64_t>(a, b, num::I64Sub); });
  CHECK2(uint64_t, I64x2Mul, [](V128 a, V128 b) { return ref2<uint64_t, uint64_t>(a, b, num::I64Mul); });

  // saturating and average (SSE2 and portable)
  CHECK2P(int8_t, I8x16AddSatS, [](V128 a, V128 b) { return ref2<int8_t, int8_t>(a, b, [](int x, int y) { return sat<int8_t>(x + y); }); });
  CHECK2P(uint8_t, I8x16AddSatU, [](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, [](int x, int y) { return sat<uint8_t>(x + y); }); });
  CHECK2P(int8_t, I8x16SubSatS, [](V128 a, V128 b) { return ref2<int8_t, int8_t>(a, b, [](int x, int y) { return sat<int8_t>(x - y); }); });
  CHECK2P(uint8_t, I8x16SubSatU, [](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, [](int x, int y) { return sat<uint8_t>(x - y); }); });
  CHECK2P(int16_t, I16x8AddSatS, [](V128 a, V128 b) { return ref2<int16_t, int16_t>(a, b, [](int x, int y) { return sat<int16_t>(x + y); }); });
  CHECK2P(uint16_t, I16x8AddSatU, [](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, [](int x, int y) { return sat<uint16_t>(x + y); }); });
  CHECK2P(int16_t, I16x8SubSatS, [](V128 a, V128 b) { return ref2<int16_t, int16_t>(a, b, [](int x, int y) { return sat<int16_t>(x - y); }); });
  CHECK2P(uint16_t, I16x8SubSatU, [](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, [](int x, int y) { return sat<uint16_t>(x - y); }); });
  CHECK2P(uint8_t, I8x16AvgrU, [](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, [](int x, int y) { return (x + y + 1) / 2; }); });
  CHECK2P(uint16_t, I16x8AvgrU, [](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, [](int x, int y) { return (x + y + 1) / 2; }); });

  // min / max
  auto mn = [](auto x, auto y) { return x < y ? x : y; };
  auto mx = [](auto x, auto y) { return x > y ? x : y; };
  CHECK2(int8_t, I8x16MinS, [&](V128 a, V128 b) { return ref2<int8_t, int8_t>(a, b, mn); });
  CHECK2(int8_t, I8x16MaxS, [&](V128 a, V128 b) { return ref2<int8_t, int8_t>(a, b, mx); });
  CHECK2(uint8_t, I8x16MinU, [&](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, mn); });
  CHECK2(uint8_t, I8x16MaxU, [&](V128 a, V128 b) { return ref2<uint8_t, uint8_t>(a, b, mx); });
  CHECK2(int16_t, I16x8MinS, [&](V128 a, V128 b) { return ref2<int16_t, int16_t>(a, b, mn); });
  CHECK2(int16_t, I16x8MaxS, [&](V128 a, V128 b) { return ref2<int16_t, int16_t>(a, b, mx); });
  CHECK2(uint16_t, I16x8MinU, [&](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, mn); });
  CHECK2(uint16_t, I16x8MaxU, [&](V128 a, V128 b) { return ref2<uint16_t, uint16_t>(a, b, mx); });
  CHECK2(int32_t, I32x4MinS, [&](V128 a, V128 b) { return ref2<int32_t, int32_t>(a, b, mn); });
  CHECK2(int32_t, I32x4MaxS, [&](V128 a, V128 b) { return ref2<int32_t, int32_t>(a, b, mx); });
  CHECK2(uint32_t, I32x4MinU, [&](V128 a, V128 b) { return ref2<uint32_t, uint32_t>(a, b, mn); });
  CHECK2(uint32_t, I32x4MaxU, [&](V128 a, V128 b) { return ref2<uint32_t, uint32_t>(a, b, mx); });

  // unary
  auto abs = [](auto x) { return x < 0 ? 0 - std::make_unsigned_t<decltype(x)>(x) : x; };
  CHECK1(int8_t, I8x16Abs, [&](V128 a) { return ref1<uint8_t, int8_t>(a, abs); });
  CHECK1(int16_t, I16x8Abs, [&](V128 a) { return ref1<uint16_t, int16_t>(a, abs); });
  CHECK1(int32_t, I32x4Abs, [&](V128 a) { return ref1<uint32_t, int32_t>(a, abs); });
  CHECK1(int64_t, I64x2Abs, [&](V128 a) { return ref1<uint64_t, int64_t>(a, abs); });
  auto neg = [](auto x) { return 0 - x; };
  CHECK1(uint8_t, I8x16Neg, [&](V128 a) { return ref1<uint8_t, uint8_t>(a, neg); });
  CHECK1(uint16_t, I16x8Neg, [&](V128 a) { return ref1<uint16_t, uint16_t>(a, neg); });
  CHECK1(uint32_t, I32x4Neg, [&](V128 a) { return ref1<uint32_t, uint32_t>(a, neg); });
  CHECK1(uint64_t, I64x2Neg, [&](V128 a) { return ref1<uint64_t, uint64_t>(a, neg); });
  CHECK1(uint8_t, I8x16Popcnt, [](V128 a) { return ref1<uint8_t, uint8_t>(a, [](uint8_t x) { return std::popcount(x); }); });
}

TEST(SimdReference, IntegerComparisons) {
#define CMP(T, fn, R, op) \
  CHECK2(T, fn, [](V128 a, V128 b) { return ref2<R, T>(a, b, [](T x, T y) { return mask<R>(x op y); }); })
  CMP(uint8_t, I8x16Eq, uint8_t, ==);
  CMP(uint8_t, I8x16Ne, uint8_t, !=);
  CMP(int8_t, I8x16LtS, uint8_t, <);
  CMP(uint8_t, I8x16LtU, uint8_t, <);
  CMP(int8_t, I8x16GtS, uint8_t, >);
  CMP(uint8_t, I8x16GtU, uint8_t, >);
  CMP(int8_t, I8x16LeS, uint8_t, <=);
  CMP(uint8_t, I8x16LeU, uint8_t, <=);
  CMP(int8_t, I8x16GeS, uint8_t, >=);
  CMP(uint8_t, I8x16GeU, uint8_t, >=);
  CMP(uint16_t, I16x8Eq, uint16_t, ==);
  CMP(uint16_t, I16x8Ne, uint16_t, !=);
  CMP(int16_t, I16x8LtS, uint16_t, <);
  CMP(uint16_t, I16x8LtU, uint16_t, <);
  CMP(int16_t, I16x8GtS, uint16_t, >);
  CMP(uint16_t, I16x8GtU, uint16_t, >);
  CMP(int16_t, I16x8LeS, uint16_t, <=);
  CMP(uint16_t, I16x8LeU, uint16_t, <=);
  CMP(int16_t, I16x8GeS, uint16_t, >=);
  CMP(uint16_t, I16x8GeU, uint16_t, >=);
  CMP(uint32_t, I32x4Eq, uint32_t, ==);
  CMP(uint32_t, I32x4Ne, uint32_t, !=);
  CMP(int32_t, I32x4LtS, uint32_t, <);
  CMP(uint32_t, I32x4LtU, uint32_t, <);
  CMP(int32_t, I32x4GtS, uint32_t, >);
  CMP(uint32_t, I32x4GtU, uint32_t, >);
  CMP(int32_t, I32x4LeS, uint32_t, <=);
  CMP(uint32_t, I32x4LeU, uint32_t, <=);
  CMP(int32_t, I32x4GeS, uint32_t, >=);
  CMP(uint32_t, I32x4GeU, uint32_t, >=);
  CMP(uint64_t, I64x2Eq, uint64_t, ==);
  CMP(uint64_t, I64x2Ne, uint64_t, !=);
  CMP(int64_t, I64x2LtS, uint64_t, <);
  CMP(int64_t, I64x2GtS, uint64_t, >);
  CMP(int64_t, I64x2LeS, uint64_t, <=);
  CMP(int64_t, I64x2GeS, uint64_t, >=);
  // Float comparisons: the scalar num:: compare per lane.
  CMP(float, F32x4Eq, uint32_t, ==);
  CMP(float, F32x4Ne, uint32_t, !=);
  CMP(float, F32x4Lt, uint32_t, <);
  CMP(float, F32x4Gt, uint32_t, >);
  CMP(float, F32x4Le, uint32_t, <=);
  CMP(float, F32x4Ge, uint32_t, >=);
  CMP(double, F64x2Eq, uint64_t, ==);
  CMP(double, F64x2Ne, uint64_t, !=);
  CMP(double, F64x2Lt, uint64_t, <);
  CMP(double, F64x2Gt, uint64_t, >);
  CMP(double, F64x2Le, uint64_t, <=);
  CMP(double, F64x2Ge, uint64_t, >=);
#undef CMP
}

TEST(SimdReference, Shifts) {
  Gen g(42);
  for (int i = 0; i < kRounds; ++i) {
    V128 a = g.v128<uint8_t>();
    uint32_t n = i < 200 ? uint32_t(i) : uint32_t(g.bits());
#define SHIFT(fn, T, expr)                                                             \
  EXPECT_EQ(simd::fn(rt(a), n), (ref1<T, T>(a, [&](T x) { return T(expr); })))          \
      << #fn << " " << ::testing::PrintToString(a) << " by " << n;
    SHIFT(I8x16Shl, uint8_t, x << (n % 8))
    SHIFT(I8x16ShrU, uint8_t, x >> (n % 8))
    SHIFT(I8x16ShrS, int8_t, x >> (n % 8))
    SHIFT(I16x8Shl, uint16_t, x << (n % 16))
    SHIFT(I16x8ShrU, uint16_t, x >> (n % 16))
    SHIFT(I16x8ShrS, int16_t, x >> (n % 16))
    SHIFT(I32x4Shl, uint32_t, num::I32Shl(x, n))
    SHIFT(I32x4ShrU, uint32_t, num::I32ShrU(x, n))
    SHIFT(I32x4ShrS, uint32_t, num::I32ShrS(x, n))
    SHIFT(I64x2Shl, uint64_t, num::I64Shl(x, n))
    SHIFT(I64x2ShrU, uint64_t, num::I64ShrU(x, n))
    SHIFT(I64x2ShrS, uint64_t, num::I64ShrS(x, n))
#undef SHIFT
    if (HasFailure()) return;
  }
}

// Lane i of the wide result from lane `src` of the narrow input.
template <class W, class N, class Fn>
V128 ref_widen(Fn f) {
  V128 r{};
  for (uint32_t i = 0; i < 16 / sizeof(W); ++i) r = with_lane<W>(r, W(f(i)), i);
  return r;
}

TEST(SimdReference, WideningAndNarrowing) {
  // extend: lane i from lane i (low) or i + n (high) of the input
#define EXTEND(T, fn, W, N, off) \
  CHECK1(T, fn, [](V128 a) { return ref_widen<W, N>([&](uint32_t i) { return W(lane<N>(a, i + off)); }); })
  EXTEND(int8_t, I16x8ExtendLowI8x16S, int16_t, int8_t, 0);
  EXTEND(int8_t, I16x8ExtendHighI8x16S, int16_t, int8_t, 8);
  EXTEND(int8_t, I16x8ExtendLowI8x16U, uint16_t, uint8_t, 0);
  EXTEND(int8_t, I16x8ExtendHighI8x16U, uint16_t, uint8_t, 8);
  EXTEND(int16_t, I32x4ExtendLowI16x8S, int32_t, int16_t, 0);
  EXTEND(int16_t, I32x4ExtendHighI16x8S, int32_t, int16_t, 4);
  EXTEND(int16_t, I32x4ExtendLowI16x8U, uint32_t, uint16_t, 0);
  EXTEND(int16_t, I32x4ExtendHighI16x8U, uint32_t, uint16_t, 4);
  EXTEND(int32_t, I64x2ExtendLowI32x4S, int64_t, int32_t, 0);
  EXTEND(int32_t, I64x2ExtendHighI32x4S, int64_t, int32_t, 2);
  EXTEND(int32_t, I64x2ExtendLowI32x4U, uint64_t, uint32_t, 0);
  EXTEND(int32_t, I64x2ExtendHighI32x4U, uint64_t, uint32_t, 2);
#undef EXTEND
#define EXTMUL(T, fn, W, N, off)                                                                 \
  CHECK2(T, fn, [](V128 a, V128 b) {                                                             \
    return ref_widen<W, N>([&](uint32_t i) { return W(lane<N>(a, i + off)) * W(lane<N>(b, i + off)); }); \
  })
  EXTMUL(int8_t, I16x8ExtmulLowI8x16S, int16_t, int8_t, 0);
  EXTMUL(int8_t, I16x8ExtmulHighI8x16S, int16_t, int8_t, 8);
  EXTMUL(int8_t, I16x8ExtmulLowI8x16U, uint16_t, uint8_t, 0);  // int product <= 65025
  EXTMUL(int8_t, I16x8ExtmulHighI8x16U, uint16_t, uint8_t, 8);
  EXTMUL(int16_t, I32x4ExtmulLowI16x8S, int32_t, int16_t, 0);
  EXTMUL(int16_t, I32x4ExtmulHighI16x8S, int32_t, int16_t, 4);
  EXTMUL(int16_t, I32x4ExtmulLowI16x8U, uint32_t, uint16_t, 0);
  EXTMUL(int16_t, I32x4ExtmulHighI16x8U, uint32_t, uint16_t, 4);
  EXTMUL(int32_t, I64x2ExtmulLowI32x4S, int64_t, int32_t, 0);
  EXTMUL(int32_t, I64x2ExtmulHighI32x4S, int64_t, int32_t, 2);
  EXTMUL(int32_t, I64x2ExtmulLowI32x4U, uint64_t, uint32_t, 0);
  EXTMUL(int32_t, I64x2ExtmulHighI32x4U, uint64_t, uint32_t, 2);
#undef EXTMUL
#define EXTADD(T, fn, W, N) \
  CHECK1(T, fn, [](V128 a) { return ref_widen<W, N>([&](uint32_t i) { return W(lane<N>(a, 2 * i)) + W(lane<N>(a, 2 * i + 1)); }); })
  EXTADD(int8_t, I16x8ExtaddPairwiseI8x16S, int16_t, int8_t);
  EXTADD(int8_t, I16x8ExtaddPairwiseI8x16U, uint16_t, uint8_t);
  EXTADD(int16_t, I32x4ExtaddPairwiseI16x8S, int32_t, int16_t);
  EXTADD(int16_t, I32x4ExtaddPairwiseI16x8U, uint32_t, uint16_t);
#undef EXTADD
  CHECK2P(int16_t, I32x4DotI16x8S, [](V128 a, V128 b) {
    return ref_widen<uint32_t, int16_t>([&](uint32_t i) {
      int64_t s = int64_t(lane<int16_t>(a, 2 * i)) * lane<int16_t>(b, 2 * i) +
                  int64_t(lane<int16_t>(a, 2 * i + 1)) * lane<int16_t>(b, 2 * i + 1);
      return uint32_t(uint64_t(s));
    });
  });
  CHECK2P(int16_t, I16x8Q15mulrSatS, [](V128 a, V128 b) {
    return ref2<int16_t, int16_t>(a, b, [](int16_t x, int16_t y) {
      return sat<int16_t>((int64_t(x) * y + 0x4000) >> 15);
    });
  });
  // narrow: a's lanes, then b's
#define NARROW(T, fn, R, N, W)                                                          \
  CHECK2P(T, fn, [](V128 a, V128 b) {                                                   \
    V128 r{};                                                                           \
    constexpr uint32_t n = 16 / sizeof(W);                                              \
    for (uint32_t i = 0; i < n; ++i) {                                                  \
      r = with_lane<R>(r, sat<R>(lane<W>(a, i)), i);                                    \
      r = with_lane<R>(r, sat<R>(lane<W>(b, i)), i + n);                                \
    }                                                                                   \
    return r;                                                                           \
  })
  NARROW(int16_t, I8x16NarrowI16x8S, int8_t, 16, int16_t);
  NARROW(int16_t, I8x16NarrowI16x8U, uint8_t, 16, int16_t);
  NARROW(int32_t, I16x8NarrowI32x4S, int16_t, 8, int32_t);
#undef NARROW
  {  // no SSE2 twin
    auto ref = [](V128 a, V128 b) {
      V128 r{};
      for (uint32_t i = 0; i < 4; ++i) {
        r = with_lane<uint16_t>(r, sat<uint16_t>(lane<int32_t>(a, i)), i);
        r = with_lane<uint16_t>(r, sat<uint16_t>(lane<int32_t>(b, i)), i + 4);
      }
      return r;
    };
    CHECK2(int32_t, I16x8NarrowI32x4U, ref);
  }
}

TEST(SimdReference, LaneTests) {
  check_scalar<uint8_t>("V128AnyTrue", simd::V128AnyTrue, [](V128 a) {
    uint32_t r = 0;
    for (uint32_t i = 0; i < 16; ++i) r |= lane<uint8_t>(a, i) != 0;
    return r;
  });
#define ALLTRUE(T, fn)                                              \
  check_scalar<T>(#fn, simd::fn, [](V128 a) {                       \
    uint32_t r = 1;                                                 \
    for (uint32_t i = 0; i < 16 / sizeof(T); ++i) r &= lane<T>(a, i) != 0; \
    return r;                                                       \
  })
  ALLTRUE(uint8_t, I8x16AllTrue);
  ALLTRUE(uint16_t, I16x8AllTrue);
  ALLTRUE(uint32_t, I32x4AllTrue);
  ALLTRUE(uint64_t, I64x2AllTrue);
#undef ALLTRUE
#define BITMASK(T, fn)                                                      \
  do {                                                                      \
    auto ref = [](V128 a) {                                                 \
      uint32_t r = 0;                                                       \
      for (uint32_t i = 0; i < 16 / sizeof(T); ++i) r |= uint32_t(lane<T>(a, i) < 0) << i; \
      return r;                                                             \
    };                                                                      \
    check_scalar<T>(#fn, simd::fn, ref);                                    \
    check_scalar<T>("portable::" #fn, simd::portable::fn, ref);             \
  } while (0)
  BITMASK(int8_t, I8x16Bitmask);
  BITMASK(int16_t, I16x8Bitmask);
  BITMASK(int32_t, I32x4Bitmask);
  BITMASK(int64_t, I64x2Bitmask);
#undef BITMASK
}

TEST(SimdReference, FloatLanewiseMatchesScalarOperators) {
#define FUN1(T, R, fn, scalar) CHECK1(T, fn, [](V128 a) { return ref1<R, T>(a, num::scalar); })
#define FUN2(T, R, fn, scalar) CHECK2(T, fn, [](V128 a, V128 b) { return ref2<R, T>(a, b, num::scalar); })
  FUN1(float, float, F32x4Abs, F32Abs);
  FUN1(float, float, F32x4Neg, F32Neg);
  FUN1(float, float, F32x4Ceil, F32Ceil);
  FUN1(float, float, F32x4Floor, F32Floor);
  FUN1(float, float, F32x4Trunc, F32Trunc);
  FUN1(float, float, F32x4Nearest, F32Nearest);
#define ARITH(T, fn, scalar)                                                                    \
  check_arith<T>(#fn, [](V128 a, V128 b) { return simd::fn(a, b); },                            \
                 [](V128 a, V128 b) { return ref2<T, T>(a, b, num::scalar); }, 2)
  ARITH(float, F32x4Add, F32Add);
  ARITH(float, F32x4Sub, F32Sub);
  ARITH(float, F32x4Mul, F32Mul);
  ARITH(float, F32x4Div, F32Div);
  ARITH(double, F64x2Add, F64Add);
  ARITH(double, F64x2Sub, F64Sub);
  ARITH(double, F64x2Mul, F64Mul);
  ARITH(double, F64x2Div, F64Div);
#undef ARITH
  FUN2(float, float, F32x4Min, F32Min);
  FUN2(float, float, F32x4Max, F32Max);
  FUN1(double, double, F64x2Abs, F64Abs);
  FUN1(double, double, F64x2Neg, F64Neg);
  FUN1(double, double, F64x2Ceil, F64Ceil);
  FUN1(double, double, F64x2Floor, F64Floor);
  FUN1(double, double, F64x2Trunc, F64Trunc);
  FUN1(double, double, F64x2Nearest, F64Nearest);
  FUN2(double, double, F64x2Min, F64Min);
  FUN2(double, double, F64x2Max, F64Max);
  auto sqrt32 = [](V128 a, V128) { return ref1<float, float>(a, num::F32Sqrt); };
  auto sqrt64 = [](V128 a, V128) { return ref1<double, double>(a, num::F64Sqrt); };
  check_arith<float>("F32x4Sqrt", [](V128 a, V128) { return simd::F32x4Sqrt(a); }, sqrt32, 1);
  check_arith<float>("portable::F32x4Sqrt", [](V128 a, V128) { return simd::portable::F32x4Sqrt(a); }, sqrt32, 1);
  check_arith<double>("F64x2Sqrt", [](V128 a, V128) { return simd::F64x2Sqrt(a); }, sqrt64, 1);
  check_arith<double>("portable::F64x2Sqrt", [](V128 a, V128) { return simd::portable::F64x2Sqrt(a); }, sqrt64, 1);
  // pseudo-min/max: the spec's select, bits unchanged
  CHECK2(float, F32x4Pmin, [](V128 a, V128 b) { return ref2<float, float>(a, b, [](float x, float y) { return y < x ? y : x; }); });
  CHECK2(float, F32x4Pmax, [](V128 a, V128 b) { return ref2<float, float>(a, b, [](float x, float y) { return x < y ? y : x; }); });
  CHECK2(double, F64x2Pmin, [](V128 a, V128 b) { return ref2<double, double>(a, b, [](double x, double y) { return y < x ? y : x; }); });
  CHECK2(double, F64x2Pmax, [](V128 a, V128 b) { return ref2<double, double>(a, b, [](double x, double y) { return x < y ? y : x; }); });
#undef FUN1
#undef FUN2
}

TEST(SimdReference, Conversions) {
  CHECK1(float, I32x4TruncSatF32x4S, [](V128 a) { return ref1<uint32_t, float>(a, num::I32TruncSatF32S); });
  CHECK1(float, I32x4TruncSatF32x4U, [](V128 a) { return ref1<uint32_t, float>(a, num::I32TruncSatF32U); });
  CHECK1(int32_t, F32x4ConvertI32x4S, [](V128 a) { return ref1<float, uint32_t>(a, num::F32ConvertI32S); });
  CHECK1(int32_t, F32x4ConvertI32x4U, [](V128 a) { return ref1<float, uint32_t>(a, num::F32ConvertI32U); });
  // Every u32 around the rounding boundaries of f32 (exhaustively near 2^24..2^32 steps).
  for (uint32_t e = 24; e < 32; ++e)
    for (uint32_t base : {1u << e, (1u << e) + (1u << (e - 23)) * 3})
      for (uint32_t d = 0; d < 600; ++d) {
        uint32_t x = base + d;
        ASSERT_EQ(lane<uint32_t>(simd::F32x4ConvertI32x4U(rt(simd::I32x4Splat(x))), 2),
                  num::bits(num::F32ConvertI32U(x)))
            << x;
      }
  CHECK1(double, I32x4TruncSatF64x2SZero, [](V128 a) {
    return u32({num::I32TruncSatF64S(lane<double>(a, 0)), num::I32TruncSatF64S(lane<double>(a, 1)), 0, 0});
  });
  CHECK1(double, I32x4TruncSatF64x2UZero, [](V128 a) {
    return u32({num::I32TruncSatF64U(lane<double>(a, 0)), num::I32TruncSatF64U(lane<double>(a, 1)), 0, 0});
  });
  CHECK1(int32_t, F64x2ConvertLowI32x4S, [](V128 a) {
    return f64({num::F64ConvertI32S(lane<uint32_t>(a, 0)), num::F64ConvertI32S(lane<uint32_t>(a, 1))});
  });
  CHECK1(int32_t, F64x2ConvertLowI32x4U, [](V128 a) {
    return f64({num::F64ConvertI32U(lane<uint32_t>(a, 0)), num::F64ConvertI32U(lane<uint32_t>(a, 1))});
  });
  CHECK1(double, F32x4DemoteF64x2Zero, [](V128 a) {
    return f32({num::F32DemoteF64(lane<double>(a, 0)), num::F32DemoteF64(lane<double>(a, 1)), 0.0f, 0.0f});
  });
  CHECK1(float, F64x2PromoteLowF32x4, [](V128 a) {
    return f64({num::F64PromoteF32(lane<float>(a, 0)), num::F64PromoteF32(lane<float>(a, 1))});
  });
}

TEST(SimdReference, SplatsLanesShuffles) {
  Gen g(7);
  for (int i = 0; i < kRounds; ++i) {
    uint64_t x = g.bits();
    uint32_t l = uint32_t(g.bits());
    V128 a{g.bits(), g.bits()}, b{g.bits(), g.bits()};
    V128 s8 = ref1<uint8_t, uint8_t>(V128{}, [&](uint8_t) { return uint8_t(x); });
    ASSERT_EQ(simd::I8x16Splat(rt(uint32_t(x))), s8);
    ASSERT_EQ(simd::V128Load8Splat(rt(uint8_t(x))), s8);
    V128 s16 = ref1<uint16_t, uint16_t>(V128{}, [&](uint16_t) { return uint16_t(x); });
    ASSERT_EQ(simd::I16x8Splat(rt(uint32_t(x))), s16);
    ASSERT_EQ(simd::V128Load16Splat(rt(uint16_t(x))), s16);
    V128 s32 = ref1<uint32_t, uint32_t>(V128{}, [&](uint32_t) { return uint32_t(x); });
    ASSERT_EQ(simd::I32x4Splat(rt(uint32_t(x))), s32);
    ASSERT_EQ(simd::F32x4Splat(rt(num::f32_from_bits(uint32_t(x)))), s32);
    ASSERT_EQ(simd::V128Load32Splat(rt(uint32_t(x))), s32);
    ASSERT_EQ(simd::I64x2Splat(rt(x)), (V128{x, x}));
    ASSERT_EQ(simd::F64x2Splat(rt(num::f64_from_bits(x))), (V128{x, x}));
    ASSERT_EQ(simd::V128Load64Splat(rt(x)), (V128{x, x}));

    uint8_t bytes[16];
    std::memcpy(bytes, &a.lo, 8);
    std::memcpy(bytes + 8, &a.hi, 8);
    uint32_t l16 = l % 16, l8 = l % 8, l4 = l % 4, l2 = l % 2;
    ASSERT_EQ(simd::I8x16ExtractLaneU(rt(a), l16), bytes[l16]);
    ASSERT_EQ(simd::I8x16ExtractLaneS(rt(a), l16), uint32_t(int32_t(int8_t(bytes[l16]))));
    int16_t h;
    std::memcpy(&h, bytes + 2 * l8, 2);
    ASSERT_EQ(simd::I16x8ExtractLaneS(rt(a), l8), uint32_t(int32_t(h)));
    ASSERT_EQ(simd::I16x8ExtractLaneU(rt(a), l8), uint32_t(uint16_t(h)));
    uint32_t w;
    std::memcpy(&w, bytes + 4 * l4, 4);
    ASSERT_EQ(simd::I32x4ExtractLane(rt(a), l4), w);
    ASSERT_EQ(num::bits(simd::F32x4ExtractLane(rt(a), l4)), w);
    ASSERT_EQ(simd::I64x2ExtractLane(rt(a), l2), l2 ? a.hi : a.lo);
    ASSERT_EQ(num::bits(simd::F64x2ExtractLane(rt(a), l2)), l2 ? a.hi : a.lo);

    auto replaced = [&](size_t size, uint32_t idx) {
      uint8_t out[16];
      std::memcpy(out, bytes, 16);
      std::memcpy(out + size * idx, &x, size);  // little-endian host
      V128 r;
      std::memcpy(&r.lo, out, 8);
      std::memcpy(&r.hi, out + 8, 8);
      return r;
    };
    ASSERT_EQ(simd::I8x16ReplaceLane(rt(a), uint32_t(x), l16), replaced(1, l16));
    ASSERT_EQ(simd::I16x8ReplaceLane(rt(a), uint32_t(x), l8), replaced(2, l8));
    ASSERT_EQ(simd::I32x4ReplaceLane(rt(a), uint32_t(x), l4), replaced(4, l4));
    ASSERT_EQ(simd::F32x4ReplaceLane(rt(a), num::f32_from_bits(uint32_t(x)), l4), replaced(4, l4));
    ASSERT_EQ(simd::I64x2ReplaceLane(rt(a), x, l2), replaced(8, l2));
    ASSERT_EQ(simd::F64x2ReplaceLane(rt(a), num::f64_from_bits(x), l2), replaced(8, l2));

    // shuffle with in-range indices; swizzle with any byte
    V128 idx{g.bits() & 0x1F1F'1F1F'1F1F'1F1Fu, g.bits() & 0x1F1F'1F1F'1F1F'1F1Fu};
    V128 sidx{g.bits() & 0x9F9F'9F9F'9F9F'9F9Fu, g.bits()};
    uint8_t ab[32];
    std::memcpy(ab, bytes, 16);
    std::memcpy(ab + 16, &b.lo, 8);
    std::memcpy(ab + 24, &b.hi, 8);
    V128 want_shuffle = ref1<uint8_t, uint8_t>(idx, [&](uint8_t k) { return ab[k]; });
    V128 want_swizzle = ref1<uint8_t, uint8_t>(sidx, [&](uint8_t k) { return k < 16 ? ab[k] : uint8_t(0); });
    ASSERT_EQ(simd::I8x16Shuffle(rt(a), rt(b), rt(idx)), want_shuffle);
    ASSERT_EQ(simd::I8x16Swizzle(rt(a), rt(sidx)), want_swizzle);

    // load transforms = extend of the low half
    ASSERT_EQ(simd::V128Load8x8S(rt(x)), simd::I16x8ExtendLowI8x16S(V128{x, ~x}));
    ASSERT_EQ(simd::V128Load8x8U(rt(x)), simd::I16x8ExtendLowI8x16U(V128{x, ~x}));
    ASSERT_EQ(simd::V128Load16x4S(rt(x)), simd::I32x4ExtendLowI16x8S(V128{x, ~x}));
    ASSERT_EQ(simd::V128Load16x4U(rt(x)), simd::I32x4ExtendLowI16x8U(V128{x, ~x}));
    ASSERT_EQ(simd::V128Load32x2S(rt(x)), simd::I64x2ExtendLowI32x4S(V128{x, ~x}));
    ASSERT_EQ(simd::V128Load32x2U(rt(x)), simd::I64x2ExtendLowI32x4U(V128{x, ~x}));
    ASSERT_EQ(simd::V128Load32Zero(rt(uint32_t(x))), (V128{uint32_t(x), 0}));
    ASSERT_EQ(simd::V128Load64Zero(rt(x)), (V128{x, 0}));
  }
}

// ===========================================================================
// 4. Usable in constant expressions
// ===========================================================================

static_assert(simd::I8x16Splat(0x1FF) == V128{~0ull, ~0ull});
static_assert(simd::I32x4ExtractLane(simd::I32x4ReplaceLane(simd::I32x4Splat(1), 7, 2), 2) == 7);
static_assert(simd::I8x16ExtractLaneS(simd::I8x16Splat(0x80), 15) == 0xFFFF'FF80u);
static_assert(num::bits(simd::F32x4ExtractLane(simd::F32x4Splat(-0.0f), 3)) == 0x8000'0000u);
static_assert(simd::V128Bitselect(V128{~0ull, 0}, V128{0, ~0ull}, V128{0xF0, 0x0F}) == V128{0xF0, ~0ull << 4});
static_assert(simd::V128AnyTrue(V128{0, 1}) == 1 && simd::V128AnyTrue(V128{}) == 0);
static_assert(simd::I8x16Swizzle(V128{0x0706'0504'0302'0100u, 0x0F0E'0D0C'0B0A'0908u},
                                 V128{0x8010'0F00u, 0}) == V128{0x0000'0F00u, 0});
static_assert(simd::I8x16Shuffle(V128{1, 0}, V128{2, 0}, V128{0x1000, 0}) ==
              V128{0x0101'0101'0101'0201u, 0x0101'0101'0101'0101u});
static_assert(simd::portable::I16x8Bitmask(V128{0x8000'0000'0000'8000u, 0}) == 0b1001);
static_assert(simd::V128Load32Zero(5) == V128{5, 0} && simd::V128Load16Splat(1) == simd::I16x8Splat(1));

// ===========================================================================
// 5. Cross-check against the spec testsuite (wast2json output)
// ===========================================================================

#ifdef WGI_SPEC_JSON_DIR
const char* const kJsonDir = WGI_SPEC_JSON_DIR;
#else
const char* const kJsonDir = "";
#endif

// Runs one decoded simd:: operator on the evaluation stack: pops its
// operands (the last parameter of Lane / Shuffle rows is the immediate),
// pushes the result. Scalars sit in V128::lo, zero-extended (like slots).
using Exec = void (*)(std::vector<V128>& stack, const Instr& in);

template <class FnPtr>
struct FnArity;
template <class R, class... A>
struct FnArity<R (*)(A...)> : std::integral_constant<size_t, sizeof...(A)> {};
template <class FnPtr>
struct FnArgs;
template <class R, class... A>
struct FnArgs<R (*)(A...)> {
  using type = std::tuple<A...>;
};

template <class T>
T from_v(V128 v) {
  if constexpr (std::is_same_v<T, V128>) return v;
  else if constexpr (std::is_same_v<T, float>) return num::f32_from_bits(uint32_t(v.lo));
  else if constexpr (std::is_same_v<T, double>) return num::f64_from_bits(v.lo);
  else return T(v.lo);
}
template <class T>
V128 to_v(T x) {
  if constexpr (std::is_same_v<T, V128>) return x;
  else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return {num::bits(x), 0};
  else return {uint64_t(x), 0};
}

template <auto Fn, ImmKind imm, class R, class... A, size_t... I>
void exec_impl(R (*)(A...), std::vector<V128>& st, const Instr& in, std::index_sequence<I...>) {
  constexpr bool kHasImm = imm == ImmKind::Lane || imm == ImmKind::Shuffle;
  constexpr size_t kPops = sizeof...(A) - (kHasImm ? 1 : 0);
  V128 immv = imm == ImmKind::Lane ? V128{in.b, 0} : V128{in.imm, in.imm_hi};
  const V128* ops = st.data() + st.size() - kPops;
  V128 r = to_v(Fn(from_v<A>(I < kPops ? ops[I] : immv)...));
  st.resize(st.size() - kPops);
  st.push_back(r);
}
template <auto Fn, ImmKind imm>
void run_op(std::vector<V128>& st, const Instr& in) {
  exec_impl<Fn, imm>(Fn, st, in, std::make_index_sequence<FnArity<decltype(Fn)>::value>{});
}

// Memory rows: the loaded bits (in V128::lo, or the whole V128 for 16
// bytes) go through the transform. Filled for the rows with a function.
using LoadTransform = V128 (*)(V128 raw);
template <auto Fn>
V128 load_transform(V128 raw) {
  return to_v(Fn(from_v<std::tuple_element_t<0, typename FnArgs<decltype(Fn)>::type>>(raw)));
}

struct OpTables {
  std::vector<Exec> ops = std::vector<Exec>(kOpCount, nullptr);
  std::vector<LoadTransform> loads = std::vector<LoadTransform>(kOpCount, nullptr);
  OpTables() {
#define SD_EXEC_Memarg(Name) loads[size_t(Op::Name)] = &load_transform<&simd::Name>;
#define SD_EXEC_None(Name) ops[size_t(Op::Name)] = &run_op<&simd::Name, ImmKind::None>;
#define SD_EXEC_Lane(Name) ops[size_t(Op::Name)] = &run_op<&simd::Name, ImmKind::Lane>;
#define SD_EXEC_Shuffle(Name) ops[size_t(Op::Name)] = &run_op<&simd::Name, ImmKind::Shuffle>;
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) \
  SD_WITH_FN(prefix, imm, Name, SD_EXEC_##imm(Name))
#include "decoder/opcodes.def"
#undef SD_EXEC_Memarg
#undef SD_EXEC_None
#undef SD_EXEC_Lane
#undef SD_EXEC_Shuffle
  }
};
const OpTables& tables() {
  static const OpTables t;
  return t;
}

TEST(SimdCoverage, EvaluatorTablesHaveEveryRow) {
  int exec = 0, load = 0;
  for (unsigned i = 0; i < kOpCount; ++i) {
    exec += tables().ops[i] != nullptr;
    load += tables().loads[i] != nullptr;
  }
  EXPECT_EQ(exec + load, count_simd_functions());
  EXPECT_EQ(load, 12);  // 6 extending loads, 4 splats, 2 zero-extending loads
}

// One instance of a suite module, as far as this evaluator needs it.
struct EvalModule {
  Module m;
  std::vector<uint8_t> memory;
  bool memory_ok = false;  // one memory, known contents, never written
};

struct EvalFunc {
  const FuncType* type = nullptr;
  std::vector<ValType> locals;  // params, then declared locals
  std::vector<Instr> code;
  std::vector<uint32_t> scratch;  // (no br_table: unused)
};

bool writes_memory(Op op) {
  std::string_view n = op_name(op);
  return n.find("store") != n.npos || (n.rfind("memory.", 0) == 0 && n != "memory.size") ||
         (op_info(op).flags & OpFlag::Atomic);
}

// Decodes the body of function `index`; false if it uses anything but
// locals, constants, SIMD operators and (with memory_ok) loads.
bool load_func(const EvalModule& em, uint32_t index, EvalFunc& f) {
  const Module& m = em.m;
  if (m.func_is_imported(index)) return false;
  f.type = &m.func_type(index);
  if (f.type->results.size() != 1) return false;
  f.locals = f.type->params;
  const FuncBody& body = m.body(index);
  f.locals.insert(f.locals.end(), body.locals.begin(), body.locals.end());
  Reader r(m.bytes.data(), body.code_offset, body.end_offset);
  while (!r.at_end()) {
    Instr in;
    if (!read_instr(r, in, f.scratch, Features{})) return false;
    const OpInfo& info = op_info(in.op);
    bool ok = false;
    switch (in.op) {
      case Op::LocalGet:
      case Op::LocalSet:
      case Op::LocalTee:
        ok = in.a < f.locals.size();
        break;
      case Op::I32Const:
      case Op::I64Const:
      case Op::F32Const:
      case Op::F64Const:
      case Op::V128Const:
      case Op::Drop:
        ok = true;
        break;
      case Op::End:
        ok = r.at_end();  // only the function's final end
        break;
      default:
        if (tables().ops[size_t(in.op)]) ok = true;
        else if (info.imm == ImmKind::Memarg || info.imm == ImmKind::MemargLane)
          ok = em.memory_ok && !writes_memory(in.op);
        break;
    }
    if (!ok) return false;
    f.code.push_back(in);
  }
  return true;
}

enum class EvalStatus { Ok, Trap };

EvalStatus eval(const EvalModule& em, const EvalFunc& f, std::vector<V128> locals, V128& result) {
  std::vector<V128> st;
  for (const Instr& in : f.code) {
    const OpInfo& info = op_info(in.op);
    switch (in.op) {
      case Op::LocalGet: st.push_back(locals[in.a]); break;
      case Op::LocalSet: locals[in.a] = st.back(); st.pop_back(); break;
      case Op::LocalTee: locals[in.a] = st.back(); break;
      case Op::I32Const:
      case Op::I64Const:
      case Op::F32Const:
      case Op::F64Const: st.push_back({in.imm, 0}); break;
      case Op::V128Const: st.push_back({in.imm, in.imm_hi}); break;
      case Op::Drop: st.pop_back(); break;
      case Op::End: break;
      default:
        if (Exec x = tables().ops[size_t(in.op)]) {
          x(st, in);
          break;
        }
        // A load: Memarg [i32] -> [v128]; MemargLane [i32 v128] -> [v128].
        V128 v{};
        if (info.imm == ImmKind::MemargLane) {
          v = st.back();
          st.pop_back();
        }
        uint64_t ea = uint64_t(uint32_t(st.back().lo)) + in.imm;
        st.pop_back();
        if (ea + info.bytes > em.memory.size()) return EvalStatus::Trap;
        V128 raw{};
        std::memcpy(&raw, em.memory.data() + ea, info.bytes);  // little-endian host
        if (in.op == Op::V128Load) st.push_back(raw);
        else if (info.imm == ImmKind::Memarg) st.push_back(tables().loads[size_t(in.op)](raw));
        else if (info.bytes == 1) st.push_back(with_lane<uint8_t>(v, uint8_t(raw.lo), in.b));
        else if (info.bytes == 2) st.push_back(with_lane<uint16_t>(v, uint16_t(raw.lo), in.b));
        else if (info.bytes == 4) st.push_back(with_lane<uint32_t>(v, uint32_t(raw.lo), in.b));
        else st.push_back(with_lane<uint64_t>(v, raw.lo, in.b));
        break;
    }
  }
  result = st.back();
  return EvalStatus::Ok;
}

std::unique_ptr<EvalModule> load_module(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = decode_module(std::move(bytes));
  if (!decoded) return nullptr;
  auto em = std::make_unique<EvalModule>();
  em->m = std::move(decoded.value());
  const Module& m = em->m;
  if (m.memories.size() == 1 && m.num_imported_memories == 0 && m.memories[0].limits.min <= 16) {
    em->memory_ok = true;
    em->memory.assign(m.memories[0].limits.min * 65536, 0);
    for (const DataSegment& d : m.datas) {
      if (d.mode != SegmentMode::Active) continue;
      if (d.offset.instrs.size() != 1 || d.offset.instrs[0].op != Op::I32Const) {
        em->memory_ok = false;
        break;
      }
      uint64_t at = uint32_t(d.offset.instrs[0].value);
      if (at + d.data_size > em->memory.size()) {
        em->memory_ok = false;
        break;
      }
      std::memcpy(em->memory.data() + at, m.data_bytes(d).data(), d.data_size);
    }
    // Any writer anywhere (or a start function) could change the contents.
    if (m.start) em->memory_ok = false;
    std::vector<uint32_t> scratch;
    for (const FuncBody& b : m.code) {
      Reader r(m.bytes.data(), b.code_offset, b.end_offset);
      while (em->memory_ok && !r.at_end()) {
        Instr instr;
        if (!read_instr(r, instr, scratch, Features{}) || writes_memory(instr.op)) em->memory_ok = false;
      }
    }
  }
  return em;
}

struct SuiteStats {
  int checked = 0;  // assert_return commands evaluated
  int skipped = 0;  // on functions this evaluator cannot run
};

SuiteStats run_json(const std::string& dir, const std::string& name) {
  SuiteStats st;
  std::ifstream in(dir + "/" + name + ".json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  auto script = spec::parse_script(ss.str(), &error);
  if (!script) {
    ADD_FAILURE() << name << ": " << error;
    return st;
  }
  // Every module stays alive: `funcs` is keyed by module address.
  std::vector<std::shared_ptr<EvalModule>> all;
  std::shared_ptr<EvalModule> current;
  std::map<std::string, std::shared_ptr<EvalModule>> named;
  std::map<std::pair<const EvalModule*, std::string>, std::optional<EvalFunc>> funcs;
  for (const spec::Command& c : script->commands) {
    if (c.kind == spec::CommandKind::Module) {
      current.reset();
      if (c.is_text_module()) continue;
      current = load_module(dir + "/" + c.filename);
      if (!current) ADD_FAILURE() << name << ":" << c.line << ": cannot decode " << c.filename;
      if (current) all.push_back(current);
      if (current && !c.name.empty()) named[c.name] = current;
      continue;
    }
    if (c.kind != spec::CommandKind::AssertReturn || !c.action || c.action->type != "invoke") continue;
    const spec::Action& act = *c.action;
    EvalModule* em = act.module.empty() ? current.get()
                                        : (named.count(act.module) ? named[act.module].get() : nullptr);
    const Export* ex = em ? em->m.find_export(act.field) : nullptr;
    if (!ex || ex->kind != ExternKind::Func || c.expected.size() != 1) {
      ++st.skipped;
      continue;
    }
    auto& slot = funcs[{em, act.field}];
    if (!slot) {
      EvalFunc f;
      slot = load_func(*em, ex->index, f) ? std::optional<EvalFunc>(std::move(f)) : std::optional<EvalFunc>();
      if (!slot) slot.emplace();  // remembered as unsupported: no type
    }
    const EvalFunc& f = *slot;
    if (!f.type) {
      ++st.skipped;
      continue;
    }
    std::string where = name + ".wast:" + std::to_string(c.line) + ": " + act.field;
    std::vector<V128> locals(f.locals.size());
    bool args_ok = act.args.size() == f.type->params.size();
    for (size_t i = 0; args_ok && i < act.args.size(); ++i) {
      Slot s[2] = {0, 0};
      if (auto err = spec::value_to_slots(act.args[i], f.type->params[i], s)) {
        ADD_FAILURE() << where << ": " << *err;
        args_ok = false;
      }
      locals[i] = {s[0], s[1]};
    }
    if (!args_ok) continue;
    ++st.checked;
    V128 result;
    if (eval(*em, f, std::move(locals), result) != EvalStatus::Ok) {
      ADD_FAILURE() << where << ": trapped";
      continue;
    }
    ValType rt_ = f.type->results[0];
    Slot s[2] = {result.lo, result.hi};
    if (auto why = spec::match_value(c.expected[0], rt_, s))
      ADD_FAILURE() << where << ": " << *why << ": got " << spec::format_actual(rt_, s, c.expected[0].lane_type)
                    << ", want " << spec::format_expected(c.expected[0]);
  }
  return st;
}

struct SuiteFile {
  const char* name;
  int min_checked;  // what the current testsuite snapshot yields; guards against silent skips
};

void PrintTo(const SuiteFile& f, std::ostream* os) { *os << f.name; }

// Files with 0 are covered by the interpreter's spec runner only: their
// functions store to memory or use control flow.
class SimdSpecSuite : public ::testing::TestWithParam<SuiteFile> {};

TEST_P(SimdSpecSuite, AgreesWithAssertReturn) {
  if (!*kJsonDir) GTEST_SKIP() << "WGI_SPEC_JSON_DIR not set";
  std::string dir = std::string(kJsonDir) + "/core/" + GetParam().name;
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " not found (build spec_json)";
  SuiteStats st = run_json(dir, GetParam().name);
  std::printf("[ spec     ] %-36s %5d checked, %4d skipped\n", GetParam().name, st.checked, st.skipped);
  EXPECT_GE(st.checked, GetParam().min_checked);
}

INSTANTIATE_TEST_SUITE_P(Wast, SimdSpecSuite,
                         ::testing::Values(SuiteFile{"simd_address", 0},
                                           SuiteFile{"simd_align", 0},
                                           SuiteFile{"simd_bit_shift", 187},
                                           SuiteFile{"simd_bitwise", 126},
                                           SuiteFile{"simd_boolean", 163},
                                           SuiteFile{"simd_const", 226},
                                           SuiteFile{"simd_conversions", 232},
                                           SuiteFile{"simd_f32x4", 772},
                                           SuiteFile{"simd_f32x4_arith", 1803},
                                           SuiteFile{"simd_f32x4_cmp", 2568},
                                           SuiteFile{"simd_f32x4_pmin_pmax", 3872},
                                           SuiteFile{"simd_f32x4_rounding", 176},
                                           SuiteFile{"simd_f64x2", 793},
                                           SuiteFile{"simd_f64x2_arith", 1806},
                                           SuiteFile{"simd_f64x2_cmp", 2646},
                                           SuiteFile{"simd_f64x2_pmin_pmax", 3872},
                                           SuiteFile{"simd_f64x2_rounding", 176},
                                           SuiteFile{"simd_i16x8_arith", 181},
                                           SuiteFile{"simd_i16x8_arith2", 151},
                                           SuiteFile{"simd_i16x8_cmp", 420},
                                           SuiteFile{"simd_i16x8_extadd_pairwise_i8x16", 16},
                                           SuiteFile{"simd_i16x8_extmul_i8x16", 104},
                                           SuiteFile{"simd_i16x8_q15mulr_sat_s", 26},
                                           SuiteFile{"simd_i16x8_sat_arith", 204},
                                           SuiteFile{"simd_i32x4_arith", 181},
                                           SuiteFile{"simd_i32x4_arith2", 121},
                                           SuiteFile{"simd_i32x4_cmp", 420},
                                           SuiteFile{"simd_i32x4_dot_i16x8", 26},
                                           SuiteFile{"simd_i32x4_extadd_pairwise_i16x8", 16},
                                           SuiteFile{"simd_i32x4_extmul_i16x8", 104},
                                           SuiteFile{"simd_i32x4_trunc_sat_f32x4", 102},
                                           SuiteFile{"simd_i32x4_trunc_sat_f64x2", 102},
                                           SuiteFile{"simd_i64x2_arith", 187},
                                           SuiteFile{"simd_i64x2_arith2", 21},
                                           SuiteFile{"simd_i64x2_cmp", 102},
                                           SuiteFile{"simd_i64x2_extmul_i32x4", 104},
                                           SuiteFile{"simd_i8x16_arith", 121},
                                           SuiteFile{"simd_i8x16_arith2", 184},
                                           SuiteFile{"simd_i8x16_cmp", 400},
                                           SuiteFile{"simd_i8x16_sat_arith", 188},
                                           SuiteFile{"simd_int_to_int_extend", 228},
                                           SuiteFile{"simd_lane", 260},
                                           SuiteFile{"simd_load", 16},
                                           SuiteFile{"simd_load16_lane", 32},
                                           SuiteFile{"simd_load32_lane", 20},
                                           SuiteFile{"simd_load64_lane", 12},
                                           SuiteFile{"simd_load8_lane", 48},
                                           SuiteFile{"simd_load_extend", 60},
                                           SuiteFile{"simd_load_splat", 72},
                                           SuiteFile{"simd_load_zero", 19},
                                           SuiteFile{"simd_splat", 145},
                                           SuiteFile{"simd_store", 0},
                                           SuiteFile{"simd_store16_lane", 0},
                                           SuiteFile{"simd_store32_lane", 0},
                                           SuiteFile{"simd_store64_lane", 0},
                                           SuiteFile{"simd_store8_lane", 0}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace wgi::interp
