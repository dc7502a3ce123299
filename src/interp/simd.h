// The semantics of every fixed-width SIMD (0xFD) operator, apart from
// dispatch: the v128 counterpart of interp/numeric.h.
//
// Handlers call these; so do the unit tests (tests/interp/simd_test.cc).
//
// ---- Values --------------------------------------------------------------
// A v128 is `V128 {lo, hi}`: the same two 64-bit words it occupies in two
// consecutive slots (value.h: low half first). Lanes are numbered in
// little-endian order: i8x16 lane 0 is the low byte of `lo`, i32x4 lane 3 the
// high 32 bits of `hi`. lane<T>() / with_lane<T>() read and write one lane of
// any lane type; u8() ... f64() view a V128 as a GCC/clang vector extension
// type (v128() converts back), which is how most operators are written.
//
// ---- Naming and calling convention ---------------------------------------
// Each function is named exactly like its row in decoder/opcodes.def
// (simd::I8x16Add for `i8x16.add`). The types follow the row's signature,
// with numeric.h's scalar types (i32 = uint32_t, i64 = uint64_t, f32 =
// float, f64 = double, v128 = V128), so handlers can be stamped out from
// the X-macro by signature:
//   v_v    V128 F(V128)                 unary ops, extend, convert, ...
//   vv_v   V128 F(V128, V128)           binary ops, compares, narrow, swizzle
//   vvv_v  V128 F(V128, V128, V128)     v128.bitselect (v1, v2, mask)
//   vi_v   V128 F(V128, uint32_t)       shifts (count taken mod lane width)
//   v_i    uint32_t F(V128)             any_true, all_true, bitmask
//   i_v / l_v / f_v / d_v               splats: V128 F(uint32_t|uint64_t|float|double)
// Rows with an immediate append it as the last parameter:
//   ImmKind Lane   extract: T F(V128, uint32_t lane)
//                  replace: V128 F(V128, T value, uint32_t lane)
//                  (T by the signature; the validator has checked the lane
//                  index, which is masked here anyway so nothing is UB)
//   ImmKind Shuffle  I8x16Shuffle(V128 a, V128 b, V128 lane_indices): the
//                  16 immediate bytes as a V128 (byte i = index of lane i)
// Memory rows: the interpreter does the bounds-checked access and calls a
// pure transform of the loaded bytes (read little-endian):
//   v128.load8x8_s/u, load16x4_s/u, load32x2_s/u   V128 F(uint64_t raw)
//   v128.load8/16/32/64_splat                    V128 F(uint8_t|uint16_t|uint32_t|uint64_t raw)
//   v128.load32_zero / load64_zero               V128 F(uint32_t|uint64_t raw)
// No function exists for v128.const (the immediate is the value), v128.load,
// v128.store, v128.loadN_lane and v128.storeN_lane: the interpreter moves
// the bytes itself (a lane load is with_lane<uintN_t>(v, loaded, lane), a
// lane store writes lane<uintN_t>(v, lane)).
//
// ---- Semantics -----------------------------------------------------------
// Integer lanes wrap (unsigned vector arithmetic, never signed overflow);
// the saturating, narrowing and q15 operators saturate as the spec says.
// Float lanes follow numeric.h exactly (see its "Floating point" comment):
// the same IEEE requirements (no -ffast-math, no FTZ/DAZ), [hw] add sub mul
// div sqrt compares demote promote and int->float conversions, and
// bit-exact NaN rules where the result is produced here: min/max/ceil/
// floor/trunc/nearest give the NaN input with the quiet bit set, so every
// lane is bit-identical to the num:: scalar operator (the tests check that
// on random inputs). pmin/pmax are the spec's pseudo-min/max selects
// (b < a ? b : a), which return an input unchanged, NaN or not. Comparisons
// produce all-ones / all-zeros lanes.
//
// ---- Implementation ------------------------------------------------------
// Written with GCC/clang vector extensions (`vector_size(16)`), which the
// compilers lower to SSE2 on default x86-64 and to NEON on AArch64. The
// operators SSE2 does in an instruction or two but the vector extensions
// cannot express (saturating add/sub, avgr_u, narrow except i32->u16, dot,
// q15mulr, bitmask, sqrt) use SSE2 intrinsics when __SSE2__ is defined.
// Each of those also has a portable definition in namespace simd::portable,
// used on other targets (or everywhere with -DWGI_SIMD_PORTABLE) and always
// tested against the same reference. Nothing assumes more than SSE2 (no
// -march=native). Vector-extension code cannot be constexpr (std::bit_cast
// of vector types is not constant-evaluable in clang), so only operators
// written on the two 64-bit words are constexpr: splats, lane access,
// bitwise ops, any_true, i64x2.all_true, shuffle/swizzle, the portable
// bitmasks and the splat/zero load transforms. Nothing here has UB for any
// input.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <type_traits>

#include "interp/numeric.h"
#include "interp/value.h"

#if defined(__SSE2__) && !defined(WGI_SIMD_PORTABLE)
#include <emmintrin.h>
#define WGI_SIMD_SSE2 1
#else
#define WGI_SIMD_SSE2 0
#endif

namespace wgi::interp::simd {

struct V128 {
  uint64_t lo = 0;  // lanes 0 .. 16/2/size-1 (bytes 0..7)
  uint64_t hi = 0;  // bytes 8..15
  friend constexpr bool operator==(V128, V128) = default;
};
static_assert(sizeof(V128) == 16 && std::is_trivially_copyable_v<V128>);

// ===========================================================================
// Lane access
// ===========================================================================

namespace detail {
template <class T>
using UIntFor = UInt<sizeof(T)>;
}  // namespace detail

// Lane i (taken mod the lane count) of v, viewed as lanes of type T
// (any 1/2/4/8-byte integer, float or double).
template <class T>
constexpr T lane(V128 v, uint32_t i) {
  using B = detail::UIntFor<T>;
  constexpr uint32_t kPerHalf = 8 / sizeof(T);
  i &= 2 * kPerHalf - 1;
  uint64_t half = i < kPerHalf ? v.lo : v.hi;
  return std::bit_cast<T>(B(half >> (i % kPerHalf * sizeof(T) * 8)));
}

// v with lane i (mod the lane count) replaced by x.
template <class T>
constexpr V128 with_lane(V128 v, T x, uint32_t i) {
  using B = detail::UIntFor<T>;
  constexpr uint32_t kPerHalf = 8 / sizeof(T);
  i &= 2 * kPerHalf - 1;
  uint32_t shift = i % kPerHalf * sizeof(T) * 8;
  uint64_t mask = uint64_t(B(~B(0))) << shift;
  uint64_t& half = i < kPerHalf ? v.lo : v.hi;
  half = (half & ~mask) | (uint64_t(std::bit_cast<B>(x)) << shift);
  return v;
}

// ===========================================================================
// Vector-extension views
// ===========================================================================

typedef int8_t i8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int64_t i64x2 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));
// Half vectors (one 64-bit word): the inputs of extend/extmul/convert_low.
typedef int8_t i8x8 __attribute__((vector_size(8)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));
typedef int16_t i16x4 __attribute__((vector_size(8)));
typedef uint16_t u16x4 __attribute__((vector_size(8)));
typedef int32_t i32x2 __attribute__((vector_size(8)));
typedef uint32_t u32x2 __attribute__((vector_size(8)));
typedef float f32x2 __attribute__((vector_size(8)));

inline i8x16 s8(V128 v) { return std::bit_cast<i8x16>(v); }
inline u8x16 u8(V128 v) { return std::bit_cast<u8x16>(v); }
inline i16x8 s16(V128 v) { return std::bit_cast<i16x8>(v); }
inline u16x8 u16(V128 v) { return std::bit_cast<u16x8>(v); }
inline i32x4 s32(V128 v) { return std::bit_cast<i32x4>(v); }
inline u32x4 u32(V128 v) { return std::bit_cast<u32x4>(v); }
inline i64x2 s64(V128 v) { return std::bit_cast<i64x2>(v); }
inline u64x2 u64(V128 v) { return std::bit_cast<u64x2>(v); }
inline f32x4 f32(V128 v) { return std::bit_cast<f32x4>(v); }
inline f64x2 f64(V128 v) { return std::bit_cast<f64x2>(v); }

// Any 16-byte vector (including a comparison's mask) back to a V128.
template <class Vec>
inline V128 v128(Vec x) {
  static_assert(sizeof(Vec) == 16);
  return std::bit_cast<V128>(x);
}
// An 8-byte vector as the low half of a V128, high half zero.
template <class Vec>
inline V128 v128_low(Vec x) {
  static_assert(sizeof(Vec) == 8);
  return {std::bit_cast<uint64_t>(x), 0};
}

namespace detail {
template <class To, class From>
inline To bc(From x) {
  return std::bit_cast<To>(x);
}
template <class Vec>
using Elem = std::remove_cvref_t<decltype(std::declval<Vec>()[0])>;
// Every lane = x.
template <class Vec>
inline Vec bcast(Elem<Vec> x) {
  Vec v = {};
  return v + x;
}
}  // namespace detail

#if WGI_SIMD_SSE2
inline __m128i m128(V128 v) { return std::bit_cast<__m128i>(v); }
#endif

// ===========================================================================
// Splats (constexpr: multiplying by 0x0101... copies a lane into every lane
// of a 64-bit word)
// ===========================================================================

constexpr V128 I8x16Splat(uint32_t x) {
  uint64_t w = uint64_t(uint8_t(x)) * 0x0101'0101'0101'0101u;
  return {w, w};
}
constexpr V128 I16x8Splat(uint32_t x) {
  uint64_t w = uint64_t(uint16_t(x)) * 0x0001'0001'0001'0001u;
  return {w, w};
}
constexpr V128 I32x4Splat(uint32_t x) {
  uint64_t w = uint64_t(x) * 0x0000'0001'0000'0001u;
  return {w, w};
}
constexpr V128 I64x2Splat(uint64_t x) { return {x, x}; }
constexpr V128 F32x4Splat(float x) { return I32x4Splat(num::bits(x)); }
constexpr V128 F64x2Splat(double x) { return I64x2Splat(num::bits(x)); }

// ===========================================================================
// Lanes (ImmKind Lane: the lane index is the last parameter)
// ===========================================================================

constexpr uint32_t I8x16ExtractLaneS(V128 v, uint32_t i) { return uint32_t(int32_t(lane<int8_t>(v, i))); }
constexpr uint32_t I8x16ExtractLaneU(V128 v, uint32_t i) { return lane<uint8_t>(v, i); }
constexpr V128 I8x16ReplaceLane(V128 v, uint32_t x, uint32_t i) { return with_lane<uint8_t>(v, uint8_t(x), i); }
constexpr uint32_t I16x8ExtractLaneS(V128 v, uint32_t i) { return uint32_t(int32_t(lane<int16_t>(v, i))); }
constexpr uint32_t I16x8ExtractLaneU(V128 v, uint32_t i) { return lane<uint16_t>(v, i); }
constexpr V128 I16x8ReplaceLane(V128 v, uint32_t x, uint32_t i) { return with_lane<uint16_t>(v, uint16_t(x), i); }
constexpr uint32_t I32x4ExtractLane(V128 v, uint32_t i) { return lane<uint32_t>(v, i); }
constexpr V128 I32x4ReplaceLane(V128 v, uint32_t x, uint32_t i) { return with_lane<uint32_t>(v, x, i); }
constexpr uint64_t I64x2ExtractLane(V128 v, uint32_t i) { return lane<uint64_t>(v, i); }
constexpr V128 I64x2ReplaceLane(V128 v, uint64_t x, uint32_t i) { return with_lane<uint64_t>(v, x, i); }
// Float lanes move as bits: a NaN's payload and sign are kept exactly.
constexpr float F32x4ExtractLane(V128 v, uint32_t i) { return lane<float>(v, i); }
constexpr V128 F32x4ReplaceLane(V128 v, float x, uint32_t i) { return with_lane<float>(v, x, i); }
constexpr double F64x2ExtractLane(V128 v, uint32_t i) { return lane<double>(v, i); }
constexpr V128 F64x2ReplaceLane(V128 v, double x, uint32_t i) { return with_lane<double>(v, x, i); }

// ===========================================================================
// Shuffle and swizzle
// ===========================================================================

// Lane i of the result is byte idx[i] of a:b (0..15 from a, 16..31 from b).
// The validator rejects indices >= 32; they are masked so nothing reads
// out of bounds.
constexpr V128 I8x16Shuffle(V128 a, V128 b, V128 idx) {
  auto src = std::bit_cast<std::array<uint8_t, 32>>(std::array<V128, 2>{a, b});
  auto ix = std::bit_cast<std::array<uint8_t, 16>>(idx);
  std::array<uint8_t, 16> out{};
  for (int i = 0; i < 16; ++i) out[i] = src[ix[i] & 31];
  return std::bit_cast<V128>(out);
}

// Lane i of the result is byte s[i] of a, or 0 when s[i] >= 16.
constexpr V128 I8x16Swizzle(V128 a, V128 s) {
  auto src = std::bit_cast<std::array<uint8_t, 16>>(a);
  auto ix = std::bit_cast<std::array<uint8_t, 16>>(s);
  std::array<uint8_t, 16> out{};
  for (int i = 0; i < 16; ++i) out[i] = ix[i] < 16 ? src[ix[i]] : 0;
  return std::bit_cast<V128>(out);
}

// ===========================================================================
// Bitwise (constexpr, on the two words)
// ===========================================================================

constexpr V128 V128Not(V128 a) { return {~a.lo, ~a.hi}; }
constexpr V128 V128And(V128 a, V128 b) { return {a.lo & b.lo, a.hi & b.hi}; }
constexpr V128 V128AndNot(V128 a, V128 b) { return {a.lo & ~b.lo, a.hi & ~b.hi}; }
constexpr V128 V128Or(V128 a, V128 b) { return {a.lo | b.lo, a.hi | b.hi}; }
constexpr V128 V128Xor(V128 a, V128 b) { return {a.lo ^ b.lo, a.hi ^ b.hi}; }
// Bits of v1 where c is 1, of v2 where c is 0.
constexpr V128 V128Bitselect(V128 v1, V128 v2, V128 c) {
  return {(v1.lo & c.lo) | (v2.lo & ~c.lo), (v1.hi & c.hi) | (v2.hi & ~c.hi)};
}
constexpr uint32_t V128AnyTrue(V128 a) { return (a.lo | a.hi) != 0; }

// ===========================================================================
// Integer comparisons: all-ones lane when true
// ===========================================================================

inline V128 I8x16Eq(V128 a, V128 b) { return v128(u8(a) == u8(b)); }
inline V128 I8x16Ne(V128 a, V128 b) { return v128(u8(a) != u8(b)); }
inline V128 I8x16LtS(V128 a, V128 b) { return v128(s8(a) < s8(b)); }
inline V128 I8x16LtU(V128 a, V128 b) { return v128(u8(a) < u8(b)); }
inline V128 I8x16GtS(V128 a, V128 b) { return v128(s8(a) > s8(b)); }
inline V128 I8x16GtU(V128 a, V128 b) { return v128(u8(a) > u8(b)); }
inline V128 I8x16LeS(V128 a, V128 b) { return v128(s8(a) <= s8(b)); }
inline V128 I8x16LeU(V128 a, V128 b) { return v128(u8(a) <= u8(b)); }
inline V128 I8x16GeS(V128 a, V128 b) { return v128(s8(a) >= s8(b)); }
inline V128 I8x16GeU(V128 a, V128 b) { return v128(u8(a) >= u8(b)); }

inline V128 I16x8Eq(V128 a, V128 b) { return v128(u16(a) == u16(b)); }
inline V128 I16x8Ne(V128 a, V128 b) { return v128(u16(a) != u16(b)); }
inline V128 I16x8LtS(V128 a, V128 b) { return v128(s16(a) < s16(b)); }
inline V128 I16x8LtU(V128 a, V128 b) { return v128(u16(a) < u16(b)); }
inline V128 I16x8GtS(V128 a, V128 b) { return v128(s16(a) > s16(b)); }
inline V128 I16x8GtU(V128 a, V128 b) { return v128(u16(a) > u16(b)); }
inline V128 I16x8LeS(V128 a, V128 b) { return v128(s16(a) <= s16(b)); }
inline V128 I16x8LeU(V128 a, V128 b) { return v128(u16(a) <= u16(b)); }
inline V128 I16x8GeS(V128 a, V128 b) { return v128(s16(a) >= s16(b)); }
inline V128 I16x8GeU(V128 a, V128 b) { return v128(u16(a) >= u16(b)); }

inline V128 I32x4Eq(V128 a, V128 b) { return v128(u32(a) == u32(b)); }
inline V128 I32x4Ne(V128 a, V128 b) { return v128(u32(a) != u32(b)); }
inline V128 I32x4LtS(V128 a, V128 b) { return v128(s32(a) < s32(b)); }
inline V128 I32x4LtU(V128 a, V128 b) { return v128(u32(a) < u32(b)); }
inline V128 I32x4GtS(V128 a, V128 b) { return v128(s32(a) > s32(b)); }
inline V128 I32x4GtU(V128 a, V128 b) { return v128(u32(a) > u32(b)); }
inline V128 I32x4LeS(V128 a, V128 b) { return v128(s32(a) <= s32(b)); }
inline V128 I32x4LeU(V128 a, V128 b) { return v128(u32(a) <= u32(b)); }
inline V128 I32x4GeS(V128 a, V128 b) { return v128(s32(a) >= s32(b)); }
inline V128 I32x4GeU(V128 a, V128 b) { return v128(u32(a) >= u32(b)); }

// i64x2 has signed comparisons only.
inline V128 I64x2Eq(V128 a, V128 b) { return v128(u64(a) == u64(b)); }
inline V128 I64x2Ne(V128 a, V128 b) { return v128(u64(a) != u64(b)); }
inline V128 I64x2LtS(V128 a, V128 b) { return v128(s64(a) < s64(b)); }
inline V128 I64x2GtS(V128 a, V128 b) { return v128(s64(a) > s64(b)); }
inline V128 I64x2LeS(V128 a, V128 b) { return v128(s64(a) <= s64(b)); }
inline V128 I64x2GeS(V128 a, V128 b) { return v128(s64(a) >= s64(b)); }

// ===========================================================================
// Float comparisons: [hw] IEEE ordered compares (NaN: false, ne: true;
// -0 == +0), all-ones lane when true
// ===========================================================================

inline V128 F32x4Eq(V128 a, V128 b) { return v128(f32(a) == f32(b)); }
inline V128 F32x4Ne(V128 a, V128 b) { return v128(f32(a) != f32(b)); }
inline V128 F32x4Lt(V128 a, V128 b) { return v128(f32(a) < f32(b)); }
inline V128 F32x4Gt(V128 a, V128 b) { return v128(f32(a) > f32(b)); }
inline V128 F32x4Le(V128 a, V128 b) { return v128(f32(a) <= f32(b)); }
inline V128 F32x4Ge(V128 a, V128 b) { return v128(f32(a) >= f32(b)); }
inline V128 F64x2Eq(V128 a, V128 b) { return v128(f64(a) == f64(b)); }
inline V128 F64x2Ne(V128 a, V128 b) { return v128(f64(a) != f64(b)); }
inline V128 F64x2Lt(V128 a, V128 b) { return v128(f64(a) < f64(b)); }
inline V128 F64x2Gt(V128 a, V128 b) { return v128(f64(a) > f64(b)); }
inline V128 F64x2Le(V128 a, V128 b) { return v128(f64(a) <= f64(b)); }
inline V128 F64x2Ge(V128 a, V128 b) { return v128(f64(a) >= f64(b)); }

// ===========================================================================
// Integer arithmetic
// ===========================================================================

namespace detail {
// |x| as unsigned: (x ^ m) - m with m = all-ones for negative lanes; so
// abs(INT_MIN) = INT_MIN, with no signed overflow.
template <class S, class U>
inline V128 iabs(V128 a) {
  S s = bc<S>(a);
  U m = bc<U>(s < 0);
  return v128((bc<U>(s) ^ m) - m);
}
}  // namespace detail

inline V128 I8x16Abs(V128 a) { return detail::iabs<i8x16, u8x16>(a); }
inline V128 I16x8Abs(V128 a) { return detail::iabs<i16x8, u16x8>(a); }
inline V128 I32x4Abs(V128 a) { return detail::iabs<i32x4, u32x4>(a); }
inline V128 I64x2Abs(V128 a) { return detail::iabs<i64x2, u64x2>(a); }
inline V128 I8x16Neg(V128 a) { return v128(-u8(a)); }
inline V128 I16x8Neg(V128 a) { return v128(-u16(a)); }
inline V128 I32x4Neg(V128 a) { return v128(-u32(a)); }
inline V128 I64x2Neg(V128 a) { return v128(-u64(a)); }

// Bits set per byte: the classic 2-, 4-, 8-bit partial sums.
inline V128 I8x16Popcnt(V128 a) {
  u8x16 x = u8(a);
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return v128((x + (x >> 4)) & 0x0F);
}

inline V128 I8x16Add(V128 a, V128 b) { return v128(u8(a) + u8(b)); }
inline V128 I8x16Sub(V128 a, V128 b) { return v128(u8(a) - u8(b)); }
inline V128 I16x8Add(V128 a, V128 b) { return v128(u16(a) + u16(b)); }
inline V128 I16x8Sub(V128 a, V128 b) { return v128(u16(a) - u16(b)); }
inline V128 I16x8Mul(V128 a, V128 b) { return v128(u16(a) * u16(b)); }
inline V128 I32x4Add(V128 a, V128 b) { return v128(u32(a) + u32(b)); }
inline V128 I32x4Sub(V128 a, V128 b) { return v128(u32(a) - u32(b)); }
inline V128 I32x4Mul(V128 a, V128 b) { return v128(u32(a) * u32(b)); }  // PERF: no pmulld in SSE2
inline V128 I64x2Add(V128 a, V128 b) { return v128(u64(a) + u64(b)); }
inline V128 I64x2Sub(V128 a, V128 b) { return v128(u64(a) - u64(b)); }
inline V128 I64x2Mul(V128 a, V128 b) { return v128(u64(a) * u64(b)); }

inline V128 I8x16MinS(V128 a, V128 b) { auto x = s8(a), y = s8(b); return v128(x < y ? x : y); }
inline V128 I8x16MinU(V128 a, V128 b) { auto x = u8(a), y = u8(b); return v128(x < y ? x : y); }
inline V128 I8x16MaxS(V128 a, V128 b) { auto x = s8(a), y = s8(b); return v128(x > y ? x : y); }
inline V128 I8x16MaxU(V128 a, V128 b) { auto x = u8(a), y = u8(b); return v128(x > y ? x : y); }
inline V128 I16x8MinS(V128 a, V128 b) { auto x = s16(a), y = s16(b); return v128(x < y ? x : y); }
inline V128 I16x8MinU(V128 a, V128 b) { auto x = u16(a), y = u16(b); return v128(x < y ? x : y); }
inline V128 I16x8MaxS(V128 a, V128 b) { auto x = s16(a), y = s16(b); return v128(x > y ? x : y); }
inline V128 I16x8MaxU(V128 a, V128 b) { auto x = u16(a), y = u16(b); return v128(x > y ? x : y); }
inline V128 I32x4MinS(V128 a, V128 b) { auto x = s32(a), y = s32(b); return v128(x < y ? x : y); }
inline V128 I32x4MinU(V128 a, V128 b) { auto x = u32(a), y = u32(b); return v128(x < y ? x : y); }
inline V128 I32x4MaxS(V128 a, V128 b) { auto x = s32(a), y = s32(b); return v128(x > y ? x : y); }
inline V128 I32x4MaxU(V128 a, V128 b) { auto x = u32(a), y = u32(b); return v128(x > y ? x : y); }

// ---- Shifts: the count is taken modulo the lane width (the spec's
// k mod N); signed shr is arithmetic. ------------------------------------

inline V128 I8x16Shl(V128 a, uint32_t n) { return v128(u8(a) << (n & 7)); }
inline V128 I8x16ShrS(V128 a, uint32_t n) { return v128(s8(a) >> (n & 7)); }
inline V128 I8x16ShrU(V128 a, uint32_t n) { return v128(u8(a) >> (n & 7)); }
inline V128 I16x8Shl(V128 a, uint32_t n) { return v128(u16(a) << (n & 15)); }
inline V128 I16x8ShrS(V128 a, uint32_t n) { return v128(s16(a) >> (n & 15)); }
inline V128 I16x8ShrU(V128 a, uint32_t n) { return v128(u16(a) >> (n & 15)); }
inline V128 I32x4Shl(V128 a, uint32_t n) { return v128(u32(a) << (n & 31)); }
inline V128 I32x4ShrS(V128 a, uint32_t n) { return v128(s32(a) >> (n & 31)); }
inline V128 I32x4ShrU(V128 a, uint32_t n) { return v128(u32(a) >> (n & 31)); }
inline V128 I64x2Shl(V128 a, uint32_t n) { return v128(u64(a) << (n & 63)); }
inline V128 I64x2ShrS(V128 a, uint32_t n) { return v128(s64(a) >> (n & 63)); }
inline V128 I64x2ShrU(V128 a, uint32_t n) { return v128(u64(a) >> (n & 63)); }

// ---- Extension: the low or high half of the lanes, sign- or zero-extended
// to twice the width. -------------------------------------------------------

namespace detail {
template <class Half, class Wide>
inline V128 extend_lo(V128 a) { return v128(__builtin_convertvector(bc<Half>(a.lo), Wide)); }
template <class Half, class Wide>
inline V128 extend_hi(V128 a) { return v128(__builtin_convertvector(bc<Half>(a.hi), Wide)); }
}  // namespace detail

inline V128 I16x8ExtendLowI8x16S(V128 a) { return detail::extend_lo<i8x8, i16x8>(a); }
inline V128 I16x8ExtendHighI8x16S(V128 a) { return detail::extend_hi<i8x8, i16x8>(a); }
inline V128 I16x8ExtendLowI8x16U(V128 a) { return detail::extend_lo<u8x8, u16x8>(a); }
inline V128 I16x8ExtendHighI8x16U(V128 a) { return detail::extend_hi<u8x8, u16x8>(a); }
inline V128 I32x4ExtendLowI16x8S(V128 a) { return detail::extend_lo<i16x4, i32x4>(a); }
inline V128 I32x4ExtendHighI16x8S(V128 a) { return detail::extend_hi<i16x4, i32x4>(a); }
inline V128 I32x4ExtendLowI16x8U(V128 a) { return detail::extend_lo<u16x4, u32x4>(a); }
inline V128 I32x4ExtendHighI16x8U(V128 a) { return detail::extend_hi<u16x4, u32x4>(a); }
inline V128 I64x2ExtendLowI32x4S(V128 a) { return detail::extend_lo<i32x2, i64x2>(a); }
inline V128 I64x2ExtendHighI32x4S(V128 a) { return detail::extend_hi<i32x2, i64x2>(a); }
inline V128 I64x2ExtendLowI32x4U(V128 a) { return detail::extend_lo<u32x2, u64x2>(a); }
inline V128 I64x2ExtendHighI32x4U(V128 a) { return detail::extend_hi<u32x2, u64x2>(a); }

// ---- Extending multiply: products of the extended halves; they always fit
// (i8*i8 in i16, u32*u32 in u64), so the multiply never overflows. ---------

namespace detail {
template <class Half, class Wide>
inline V128 extmul_lo(V128 a, V128 b) {
  return v128(__builtin_convertvector(bc<Half>(a.lo), Wide) * __builtin_convertvector(bc<Half>(b.lo), Wide));
}
template <class Half, class Wide>
inline V128 extmul_hi(V128 a, V128 b) {
  return v128(__builtin_convertvector(bc<Half>(a.hi), Wide) * __builtin_convertvector(bc<Half>(b.hi), Wide));
}
}  // namespace detail

inline V128 I16x8ExtmulLowI8x16S(V128 a, V128 b) { return detail::extmul_lo<i8x8, i16x8>(a, b); }
inline V128 I16x8ExtmulHighI8x16S(V128 a, V128 b) { return detail::extmul_hi<i8x8, i16x8>(a, b); }
inline V128 I16x8ExtmulLowI8x16U(V128 a, V128 b) { return detail::extmul_lo<u8x8, u16x8>(a, b); }
inline V128 I16x8ExtmulHighI8x16U(V128 a, V128 b) { return detail::extmul_hi<u8x8, u16x8>(a, b); }
inline V128 I32x4ExtmulLowI16x8S(V128 a, V128 b) { return detail::extmul_lo<i16x4, i32x4>(a, b); }
inline V128 I32x4ExtmulHighI16x8S(V128 a, V128 b) { return detail::extmul_hi<i16x4, i32x4>(a, b); }
inline V128 I32x4ExtmulLowI16x8U(V128 a, V128 b) { return detail::extmul_lo<u16x4, u32x4>(a, b); }
inline V128 I32x4ExtmulHighI16x8U(V128 a, V128 b) { return detail::extmul_hi<u16x4, u32x4>(a, b); }
inline V128 I64x2ExtmulLowI32x4S(V128 a, V128 b) { return detail::extmul_lo<i32x2, i64x2>(a, b); }
inline V128 I64x2ExtmulHighI32x4S(V128 a, V128 b) { return detail::extmul_hi<i32x2, i64x2>(a, b); }
inline V128 I64x2ExtmulLowI32x4U(V128 a, V128 b) { return detail::extmul_lo<u32x2, u64x2>(a, b); }
inline V128 I64x2ExtmulHighI32x4U(V128 a, V128 b) { return detail::extmul_hi<u32x2, u64x2>(a, b); }

// ---- Pairwise extending add: lane i = ext(a[2i]) + ext(a[2i+1]) (fits). --

inline V128 I16x8ExtaddPairwiseI8x16S(V128 a) {
  i8x16 x = s8(a);
  i8x8 even = __builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14);
  i8x8 odd = __builtin_shufflevector(x, x, 1, 3, 5, 7, 9, 11, 13, 15);
  return v128(__builtin_convertvector(even, i16x8) + __builtin_convertvector(odd, i16x8));
}
inline V128 I16x8ExtaddPairwiseI8x16U(V128 a) {
  u8x16 x = u8(a);
  u8x8 even = __builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14);
  u8x8 odd = __builtin_shufflevector(x, x, 1, 3, 5, 7, 9, 11, 13, 15);
  return v128(__builtin_convertvector(even, u16x8) + __builtin_convertvector(odd, u16x8));
}
inline V128 I32x4ExtaddPairwiseI16x8S(V128 a) {
  i16x8 x = s16(a);
  i16x4 even = __builtin_shufflevector(x, x, 0, 2, 4, 6);
  i16x4 odd = __builtin_shufflevector(x, x, 1, 3, 5, 7);
  return v128(__builtin_convertvector(even, i32x4) + __builtin_convertvector(odd, i32x4));
}
inline V128 I32x4ExtaddPairwiseI16x8U(V128 a) {
  u16x8 x = u16(a);
  u16x4 even = __builtin_shufflevector(x, x, 0, 2, 4, 6);
  u16x4 odd = __builtin_shufflevector(x, x, 1, 3, 5, 7);
  return v128(__builtin_convertvector(even, u32x4) + __builtin_convertvector(odd, u32x4));
}

// ---- Narrowing: a's lanes then b's, each saturated from signed input to
// the signed (s) or unsigned (u) half-width range. ---------------------------

namespace portable {
// Clamps the signed lanes to [lo, hi], then keeps the low half of each
// (the even narrow lanes, little-endian) of a then b.
inline V128 I8x16NarrowI16x8S(V128 a, V128 b) {
  auto clamp = [](i16x8 x) {
    x = x < -128 ? detail::bcast<i16x8>(-128) : x;
    return v128(x > 127 ? detail::bcast<i16x8>(127) : x);
  };
  return v128(__builtin_shufflevector(s8(clamp(s16(a))), s8(clamp(s16(b))), 0, 2, 4, 6, 8, 10, 12,
                                      14, 16, 18, 20, 22, 24, 26, 28, 30));
}
inline V128 I8x16NarrowI16x8U(V128 a, V128 b) {
  auto clamp = [](i16x8 x) {
    x = x < 0 ? detail::bcast<i16x8>(0) : x;
    return v128(x > 255 ? detail::bcast<i16x8>(255) : x);
  };
  return v128(__builtin_shufflevector(s8(clamp(s16(a))), s8(clamp(s16(b))), 0, 2, 4, 6, 8, 10, 12,
                                      14, 16, 18, 20, 22, 24, 26, 28, 30));
}
inline V128 I16x8NarrowI32x4S(V128 a, V128 b) {
  auto clamp = [](i32x4 x) {
    x = x < -32768 ? detail::bcast<i32x4>(-32768) : x;
    return v128(x > 32767 ? detail::bcast<i32x4>(32767) : x);
  };
  return v128(__builtin_shufflevector(s16(clamp(s32(a))), s16(clamp(s32(b))), 0, 2, 4, 6, 8, 10,
                                      12, 14));
}
}  // namespace portable

// PERF: SSE4.1 packusdw would do this in one instruction; SSE2 cannot.
inline V128 I16x8NarrowI32x4U(V128 a, V128 b) {
  auto clamp = [](i32x4 x) {
    x = x < 0 ? detail::bcast<i32x4>(0) : x;
    return v128(x > 65535 ? detail::bcast<i32x4>(65535) : x);
  };
  return v128(__builtin_shufflevector(s16(clamp(s32(a))), s16(clamp(s32(b))), 0, 2, 4, 6, 8, 10,
                                      12, 14));
}

#if WGI_SIMD_SSE2
inline V128 I8x16NarrowI16x8S(V128 a, V128 b) { return v128(_mm_packs_epi16(m128(a), m128(b))); }
inline V128 I8x16NarrowI16x8U(V128 a, V128 b) { return v128(_mm_packus_epi16(m128(a), m128(b))); }
inline V128 I16x8NarrowI32x4S(V128 a, V128 b) { return v128(_mm_packs_epi32(m128(a), m128(b))); }
#else
using portable::I16x8NarrowI32x4S;
using portable::I8x16NarrowI16x8S;
using portable::I8x16NarrowI16x8U;
#endif

// ---- Saturating add/sub. Portable form: compute in twice the width (which
// cannot overflow) and narrow with saturation; for the unsigned forms the
// widened values are non-negative sums or signed differences, which the
// signed-input unsigned narrow clamps to [0, max]. ------------------------

namespace detail {
template <class Half, class Wide, class Op, class Narrow>
inline V128 widened(V128 a, V128 b, Op op, Narrow narrow) {
  Wide lo = op(__builtin_convertvector(bc<Half>(a.lo), Wide), __builtin_convertvector(bc<Half>(b.lo), Wide));
  Wide hi = op(__builtin_convertvector(bc<Half>(a.hi), Wide), __builtin_convertvector(bc<Half>(b.hi), Wide));
  return narrow(v128(lo), v128(hi));
}
inline constexpr auto kAdd = [](auto x, auto y) { return x + y; };
inline constexpr auto kSub = [](auto x, auto y) { return x - y; };
}  // namespace detail

namespace portable {
using detail::kAdd;
using detail::kSub;
using detail::widened;
// Unsigned inputs widen to signed lanes of twice the width (u8 -> i16), so
// sums and differences fit and stay signed.
inline V128 I8x16AddSatS(V128 a, V128 b) { return widened<i8x8, i16x8>(a, b, kAdd, I8x16NarrowI16x8S); }
inline V128 I8x16AddSatU(V128 a, V128 b) { return widened<u8x8, i16x8>(a, b, kAdd, I8x16NarrowI16x8U); }
inline V128 I8x16SubSatS(V128 a, V128 b) { return widened<i8x8, i16x8>(a, b, kSub, I8x16NarrowI16x8S); }
inline V128 I8x16SubSatU(V128 a, V128 b) { return widened<u8x8, i16x8>(a, b, kSub, I8x16NarrowI16x8U); }
inline V128 I16x8AddSatS(V128 a, V128 b) { return widened<i16x4, i32x4>(a, b, kAdd, I16x8NarrowI32x4S); }
inline V128 I16x8AddSatU(V128 a, V128 b) { return widened<u16x4, i32x4>(a, b, kAdd, simd::I16x8NarrowI32x4U); }
inline V128 I16x8SubSatS(V128 a, V128 b) { return widened<i16x4, i32x4>(a, b, kSub, I16x8NarrowI32x4S); }
inline V128 I16x8SubSatU(V128 a, V128 b) { return widened<u16x4, i32x4>(a, b, kSub, simd::I16x8NarrowI32x4U); }

// Rounding average: (a + b + 1) >> 1 without overflow, since
// a + b = 2 (a & b) + (a ^ b) gives ceil((a + b) / 2) = (a | b) - ((a ^ b) >> 1).
inline V128 I8x16AvgrU(V128 a, V128 b) { auto x = u8(a), y = u8(b); return v128((x | y) - ((x ^ y) >> 1)); }
inline V128 I16x8AvgrU(V128 a, V128 b) { auto x = u16(a), y = u16(b); return v128((x | y) - ((x ^ y) >> 1)); }
}  // namespace portable

#if WGI_SIMD_SSE2
inline V128 I8x16AddSatS(V128 a, V128 b) { return v128(_mm_adds_epi8(m128(a), m128(b))); }
inline V128 I8x16AddSatU(V128 a, V128 b) { return v128(_mm_adds_epu8(m128(a), m128(b))); }
inline V128 I8x16SubSatS(V128 a, V128 b) { return v128(_mm_subs_epi8(m128(a), m128(b))); }
inline V128 I8x16SubSatU(V128 a, V128 b) { return v128(_mm_subs_epu8(m128(a), m128(b))); }
inline V128 I16x8AddSatS(V128 a, V128 b) { return v128(_mm_adds_epi16(m128(a), m128(b))); }
inline V128 I16x8AddSatU(V128 a, V128 b) { return v128(_mm_adds_epu16(m128(a), m128(b))); }
inline V128 I16x8SubSatS(V128 a, V128 b) { return v128(_mm_subs_epi16(m128(a), m128(b))); }
inline V128 I16x8SubSatU(V128 a, V128 b) { return v128(_mm_subs_epu16(m128(a), m128(b))); }
// pavgb / pavgw compute exactly (a + b + 1) >> 1 on unsigned lanes.
inline V128 I8x16AvgrU(V128 a, V128 b) { return v128(_mm_avg_epu8(m128(a), m128(b))); }
inline V128 I16x8AvgrU(V128 a, V128 b) { return v128(_mm_avg_epu16(m128(a), m128(b))); }
#else
using portable::I16x8AddSatS;
using portable::I16x8AddSatU;
using portable::I16x8AvgrU;
using portable::I16x8SubSatS;
using portable::I16x8SubSatU;
using portable::I8x16AddSatS;
using portable::I8x16AddSatU;
using portable::I8x16AvgrU;
using portable::I8x16SubSatS;
using portable::I8x16SubSatU;
#endif

// ---- Dot product and Q15 multiply -----------------------------------------

namespace portable {
// Lane i = a[2i]*b[2i] + a[2i+1]*b[2i+1]. Each product fits in i32; the sum
// wraps (only (-32768)^2 * 2 = 2^31 overflows, giving INT32_MIN), so it is
// done unsigned.
inline V128 I32x4DotI16x8S(V128 a, V128 b) {
  i16x8 x = s16(a), y = s16(b);
  i32x4 xe = __builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), i32x4);
  i32x4 xo = __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), i32x4);
  i32x4 ye = __builtin_convertvector(__builtin_shufflevector(y, y, 0, 2, 4, 6), i32x4);
  i32x4 yo = __builtin_convertvector(__builtin_shufflevector(y, y, 1, 3, 5, 7), i32x4);
  return v128(detail::bc<u32x4>(xe * ye) + detail::bc<u32x4>(xo * yo));
}
}  // namespace portable

#if WGI_SIMD_SSE2
inline V128 I32x4DotI16x8S(V128 a, V128 b) { return v128(_mm_madd_epi16(m128(a), m128(b))); }  // pmaddwd
#else
using portable::I32x4DotI16x8S;
#endif

// (a * b + 2^14) >> 15 per lane (arithmetic shift: rounds half up), saturated
// to i16. The products are computed in i32 (at most 2^30); the only result
// out of range is (-32768 * -32768 + 2^14) >> 15 = 32768, which saturates to
// 32767 (the smallest is -32767, so no lower clamp is needed).
namespace portable {
inline V128 I16x8Q15mulrSatS(V128 a, V128 b) {
  auto q15 = [](uint64_t x, uint64_t y) {
    i32x4 p = __builtin_convertvector(detail::bc<i16x4>(x), i32x4) *
              __builtin_convertvector(detail::bc<i16x4>(y), i32x4);
    p = (p + 0x4000) >> 15;
    return p > 32767 ? detail::bcast<i32x4>(32767) : p;
  };
  i32x4 lo = q15(a.lo, b.lo), hi = q15(a.hi, b.hi);
  return v128(__builtin_shufflevector(detail::bc<i16x8>(lo), detail::bc<i16x8>(hi), 0, 2, 4, 6, 8, 10,
                                      12, 14));
}
}  // namespace portable

#if WGI_SIMD_SSE2
// The 32-bit products from pmullw (low halves) and pmulhw (high halves);
// packssdw saturates exactly as required.
inline V128 I16x8Q15mulrSatS(V128 a, V128 b) {
  __m128i x = m128(a), y = m128(b);
  __m128i lo = _mm_mullo_epi16(x, y), hi = _mm_mulhi_epi16(x, y);
  __m128i round = _mm_set1_epi32(0x4000);
  __m128i p0 = _mm_srai_epi32(_mm_add_epi32(_mm_unpacklo_epi16(lo, hi), round), 15);
  __m128i p1 = _mm_srai_epi32(_mm_add_epi32(_mm_unpackhi_epi16(lo, hi), round), 15);
  return v128(_mm_packs_epi32(p0, p1));
}
#else
using portable::I16x8Q15mulrSatS;
#endif

// ===========================================================================
// Lane tests: any_true (above), all_true, bitmask
// ===========================================================================

// 1 when no lane is zero: compare every lane with 0 and test the mask.
inline uint32_t I8x16AllTrue(V128 a) { V128 z = v128(u8(a) == 0); return (z.lo | z.hi) == 0; }
inline uint32_t I16x8AllTrue(V128 a) { V128 z = v128(u16(a) == 0); return (z.lo | z.hi) == 0; }
inline uint32_t I32x4AllTrue(V128 a) { V128 z = v128(u32(a) == 0); return (z.lo | z.hi) == 0; }
constexpr uint32_t I64x2AllTrue(V128 a) { return a.lo != 0 && a.hi != 0; }

namespace portable {
// Bit i of the result = the sign (top) bit of lane i.
template <class T>
constexpr uint32_t bitmask(V128 a) {
  constexpr int kLanes = 16 / sizeof(T);
  uint32_t r = 0;
  for (int i = 0; i < kLanes; ++i)
    r |= uint32_t(lane<detail::UIntFor<T>>(a, uint32_t(i)) >> (sizeof(T) * 8 - 1)) << i;
  return r;
}
constexpr uint32_t I8x16Bitmask(V128 a) { return bitmask<uint8_t>(a); }
constexpr uint32_t I16x8Bitmask(V128 a) { return bitmask<uint16_t>(a); }
constexpr uint32_t I32x4Bitmask(V128 a) { return bitmask<uint32_t>(a); }
constexpr uint32_t I64x2Bitmask(V128 a) { return bitmask<uint64_t>(a); }
}  // namespace portable

#if WGI_SIMD_SSE2
inline uint32_t I8x16Bitmask(V128 a) { return uint32_t(_mm_movemask_epi8(m128(a))); }
// packsswb keeps each i16 lane's sign in a byte (zeros in the high 8 bytes).
inline uint32_t I16x8Bitmask(V128 a) {
  return uint32_t(_mm_movemask_epi8(_mm_packs_epi16(m128(a), _mm_setzero_si128())));
}
inline uint32_t I32x4Bitmask(V128 a) { return uint32_t(_mm_movemask_ps(_mm_castsi128_ps(m128(a)))); }
inline uint32_t I64x2Bitmask(V128 a) { return uint32_t(_mm_movemask_pd(_mm_castsi128_pd(m128(a)))); }
#else
using portable::I16x8Bitmask;
using portable::I32x4Bitmask;
using portable::I64x2Bitmask;
using portable::I8x16Bitmask;
#endif

// ===========================================================================
// Float arithmetic
// ===========================================================================

// [bits only] abs / neg never touch a NaN's payload.
inline V128 F32x4Abs(V128 a) { return v128(u32(a) & 0x7FFF'FFFFu); }
inline V128 F32x4Neg(V128 a) { return v128(u32(a) ^ 0x8000'0000u); }
inline V128 F64x2Abs(V128 a) { return v128(u64(a) & 0x7FFF'FFFF'FFFF'FFFFu); }
inline V128 F64x2Neg(V128 a) { return v128(u64(a) ^ 0x8000'0000'0000'0000u); }

// [hw] correctly rounded; NaNs as numeric.h describes.
inline V128 F32x4Add(V128 a, V128 b) { return v128(f32(a) + f32(b)); }
inline V128 F32x4Sub(V128 a, V128 b) { return v128(f32(a) - f32(b)); }
inline V128 F32x4Mul(V128 a, V128 b) { return v128(f32(a) * f32(b)); }
inline V128 F32x4Div(V128 a, V128 b) { return v128(f32(a) / f32(b)); }
inline V128 F64x2Add(V128 a, V128 b) { return v128(f64(a) + f64(b)); }
inline V128 F64x2Sub(V128 a, V128 b) { return v128(f64(a) - f64(b)); }
inline V128 F64x2Mul(V128 a, V128 b) { return v128(f64(a) * f64(b)); }
inline V128 F64x2Div(V128 a, V128 b) { return v128(f64(a) / f64(b)); }

namespace portable {
inline V128 F32x4Sqrt(V128 a) {
  V128 r;
  for (uint32_t i = 0; i < 4; ++i) r = with_lane<float>(r, num::F32Sqrt(lane<float>(a, i)), i);
  return r;
}
inline V128 F64x2Sqrt(V128 a) {
  return {num::bits(num::F64Sqrt(lane<double>(a, 0))), num::bits(num::F64Sqrt(lane<double>(a, 1)))};
}
}  // namespace portable

#if WGI_SIMD_SSE2
// sqrtps / sqrtpd: the same correctly rounded result and NaN behaviour as
// the scalar sqrtss / sqrtsd, without libm's errno path.
inline V128 F32x4Sqrt(V128 a) { return v128(_mm_sqrt_ps(std::bit_cast<__m128>(a))); }
inline V128 F64x2Sqrt(V128 a) { return v128(_mm_sqrt_pd(std::bit_cast<__m128d>(a))); }
#else
using portable::F32x4Sqrt;
using portable::F64x2Sqrt;
#endif

namespace detail {
// Float lane-type facts for the vector forms below.
template <class VF>
struct FVec;
template <>
struct FVec<f32x4> {
  using F = float;
  using U = u32x4;
  using T = num::detail::FloatTraits<float>;
};
template <>
struct FVec<f64x2> {
  using F = double;
  using U = u64x2;
  using T = num::detail::FloatTraits<double>;
};

// IEEE-754 2019 minimum / maximum, lane by lane bit-identical to num::F32Min
// etc.: a NaN lane gives the first NaN operand with the quiet bit set; equal
// lanes (only -0/+0 differ in bits) combine their bits with OR (min: -0
// wins) or AND (max: +0 wins).
template <class VF, bool kMax>
inline V128 fminmax(V128 a, V128 b) {
  using U = typename FVec<VF>::U;
  VF x = bc<VF>(a), y = bc<VF>(b);
  U xu = bc<U>(x), yu = bc<U>(y);
  U first = bc<U>(kMax ? y < x : x < y);   // x wins
  U second = bc<U>(kMax ? x < y : y < x);  // y wins
  U equal = kMax ? (xu & yu) : (xu | yu);
  U r = first ? xu : (second ? yu : equal);
  U xnan = bc<U>(x != x), anynan = xnan | bc<U>(y != y);
  U nan = (xnan ? xu : yu) | FVec<VF>::T::kQuiet;
  return v128(anynan ? nan : r);
}

// The rounding operators, vectorised exactly like num::detail::round_to_integral
// (which documents why (|x| + 2^p) - 2^p rounds to an integer, half to even).
template <num::detail::Round mode, class VF>
inline V128 round_integral(V128 v) {
  using U = typename FVec<VF>::U;
  using T = typename FVec<VF>::T;
  using F = typename FVec<VF>::F;
  constexpr auto kSign = T::kSign;
  VF x = bc<VF>(v);
  U xu = bc<U>(x);
  VF a = bc<VF>(xu & ~kSign);
  VF two_p = bcast<VF>(T::kTwoP), one = bcast<VF>(F(1));
  VF r = (a + two_p) - two_p;  // needs round-to-nearest; not folded without -ffast-math
  auto with_sign_of_x = [&](VF m) { return bc<VF>((bc<U>(m) & ~kSign) | (xu & kSign)); };
  if constexpr (mode == num::detail::Round::Trunc) {
    r = r > a ? r - one : r;
  } else if constexpr (mode == num::detail::Round::Floor) {
    VF s = with_sign_of_x(r);
    r = s > x ? s - one : s;
  } else if constexpr (mode == num::detail::Round::Ceil) {
    VF s = with_sign_of_x(r);
    r = s < x ? s + one : s;
  }
  U rounded = bc<U>(with_sign_of_x(r));
  // |x| >= 2^p, infinities and NaN (compare false) stay; NaN gets quieted.
  U big = xu | (bc<U>(x != x) & T::kQuiet);
  return v128(bc<U>(a < two_p) ? rounded : big);
}
}  // namespace detail

inline V128 F32x4Min(V128 a, V128 b) { return detail::fminmax<f32x4, false>(a, b); }
inline V128 F32x4Max(V128 a, V128 b) { return detail::fminmax<f32x4, true>(a, b); }
inline V128 F64x2Min(V128 a, V128 b) { return detail::fminmax<f64x2, false>(a, b); }
inline V128 F64x2Max(V128 a, V128 b) { return detail::fminmax<f64x2, true>(a, b); }

// Pseudo-min/max, defined by the spec as a select: pmin = b < a ? b : a,
// pmax = a < b ? b : a. A NaN in either lane (compare false) returns a's
// lane unchanged, and -0/+0 return a; no quieting.
inline V128 F32x4Pmin(V128 a, V128 b) { f32x4 x = f32(a), y = f32(b); return v128(y < x ? u32(b) : u32(a)); }
inline V128 F32x4Pmax(V128 a, V128 b) { f32x4 x = f32(a), y = f32(b); return v128(x < y ? u32(b) : u32(a)); }
inline V128 F64x2Pmin(V128 a, V128 b) { f64x2 x = f64(a), y = f64(b); return v128(y < x ? u64(b) : u64(a)); }
inline V128 F64x2Pmax(V128 a, V128 b) { f64x2 x = f64(a), y = f64(b); return v128(x < y ? u64(b) : u64(a)); }

inline V128 F32x4Ceil(V128 a) { return detail::round_integral<num::detail::Round::Ceil, f32x4>(a); }
inline V128 F32x4Floor(V128 a) { return detail::round_integral<num::detail::Round::Floor, f32x4>(a); }
inline V128 F32x4Trunc(V128 a) { return detail::round_integral<num::detail::Round::Trunc, f32x4>(a); }
inline V128 F32x4Nearest(V128 a) { return detail::round_integral<num::detail::Round::Nearest, f32x4>(a); }
inline V128 F64x2Ceil(V128 a) { return detail::round_integral<num::detail::Round::Ceil, f64x2>(a); }
inline V128 F64x2Floor(V128 a) { return detail::round_integral<num::detail::Round::Floor, f64x2>(a); }
inline V128 F64x2Trunc(V128 a) { return detail::round_integral<num::detail::Round::Trunc, f64x2>(a); }
inline V128 F64x2Nearest(V128 a) { return detail::round_integral<num::detail::Round::Nearest, f64x2>(a); }

// ===========================================================================
// Conversions
// ===========================================================================

namespace detail {
// Saturating float -> i32 truncation of every lane of x (f32x4 -> i32x4 or
// f64x2 -> i32x2), lane by lane equal to num::I32TruncSatF32S etc.: NaN ->
// 0, below range -> INT32_MIN, above -> INT32_MAX. Out-of-range lanes are
// replaced by 0 before the conversion, so the conversion itself is always
// in range (no UB; cvttps2dq / cvttpd2dq on x86).
template <class VF, class VI>
inline VI trunc_sat_s(VF x) {
  using F = typename FVec<VF>::F;
  constexpr F kLo = -0x1p31, kHi = 0x1p31;  // -2^31 is in range, 2^31 is not
  auto in = x >= kLo && x < kHi;            // NaN: false
  VI r = __builtin_convertvector(in ? x : VF{}, VI);
  using M = decltype(r < 0);  // a mask with VI's lane width (f64 masks are 64-bit)
  r = __builtin_convertvector(x >= kHi, M) ? bcast<VI>(INT32_MAX) : r;
  return __builtin_convertvector(x < kLo, M) ? bcast<VI>(INT32_MIN) : r;
}
// The same for u32: NaN and x <= -1 -> 0 (x in (-1, 0) truncates to 0),
// x >= 2^32 -> UINT32_MAX. Lanes in [2^31, 2^32) are converted as x - 2^31
// (exact: their ulp is >= 2^8) with the top bit added back, so only the
// signed conversion is needed.
template <class VF, class VI, class VU>
inline VU trunc_sat_u(VF x) {
  using F = typename FVec<VF>::F;
  constexpr F kTwo31 = 0x1p31, kTwo32 = 0x1p32;
  using M = decltype(VI{} < 0);
  VF c = x > F(0) && x < kTwo32 ? x : VF{};  // NaN, negative, too big: 0 for now
  auto top = c >= kTwo31;
  c = top ? c - kTwo31 : c;
  VU r = bc<VU>(__builtin_convertvector(c, VI));
  r += bc<VU>(__builtin_convertvector(top, M)) & 0x8000'0000u;
  return __builtin_convertvector(x >= kTwo32, M) ? bcast<VU>(UINT32_MAX) : r;
}
}  // namespace detail

inline V128 I32x4TruncSatF32x4S(V128 a) { return v128(detail::trunc_sat_s<f32x4, i32x4>(f32(a))); }
inline V128 I32x4TruncSatF32x4U(V128 a) { return v128(detail::trunc_sat_u<f32x4, i32x4, u32x4>(f32(a))); }
// The two f64 lanes give lanes 0 and 1; lanes 2 and 3 are zero.
inline V128 I32x4TruncSatF64x2SZero(V128 a) {
  return v128_low(detail::trunc_sat_s<f64x2, i32x2>(f64(a)));
}
inline V128 I32x4TruncSatF64x2UZero(V128 a) {
  return v128_low(detail::trunc_sat_u<f64x2, i32x2, u32x2>(f64(a)));
}

// [hw] cvtdq2ps: correctly rounded.
inline V128 F32x4ConvertI32x4S(V128 a) { return v128(__builtin_convertvector(s32(a), f32x4)); }
// u32 -> f32, correctly rounded with signed conversions only: the high and
// low 16 bits convert exactly, hi * 2^16 is exact, and the one addition
// rounds the exact sum once.
inline V128 F32x4ConvertI32x4U(V128 a) {
  u32x4 x = u32(a);
  f32x4 hi = __builtin_convertvector(detail::bc<i32x4>(x >> 16), f32x4) * 65536.0f;
  f32x4 lo = __builtin_convertvector(detail::bc<i32x4>(x & 0xFFFFu), f32x4);
  return v128(hi + lo);
}
// Lanes 0 and 1 (the low word), exactly.
inline V128 F64x2ConvertLowI32x4S(V128 a) {
  return v128(__builtin_convertvector(detail::bc<i32x2>(a.lo), f64x2));
}
inline V128 F64x2ConvertLowI32x4U(V128 a) {
  return v128(__builtin_convertvector(detail::bc<u32x2>(a.lo), f64x2));
}

// [hw] cvtpd2ps / cvtps2pd: the scalar demote/promote rules per lane (round
// to nearest, overflow to inf, NaN quieted). Demote zeroes lanes 2 and 3.
inline V128 F32x4DemoteF64x2Zero(V128 a) { return v128_low(__builtin_convertvector(f64(a), f32x2)); }
inline V128 F64x2PromoteLowF32x4(V128 a) {
  return v128(__builtin_convertvector(detail::bc<f32x2>(a.lo), f64x2));
}

// ===========================================================================
// Memory transforms: the loaded bytes (little-endian) -> the v128. The
// interpreter performs the bounds-checked access (see the header comment).
// ===========================================================================

inline V128 V128Load8x8S(uint64_t raw) { return I16x8ExtendLowI8x16S({raw, 0}); }
inline V128 V128Load8x8U(uint64_t raw) { return I16x8ExtendLowI8x16U({raw, 0}); }
inline V128 V128Load16x4S(uint64_t raw) { return I32x4ExtendLowI16x8S({raw, 0}); }
inline V128 V128Load16x4U(uint64_t raw) { return I32x4ExtendLowI16x8U({raw, 0}); }
inline V128 V128Load32x2S(uint64_t raw) { return I64x2ExtendLowI32x4S({raw, 0}); }
inline V128 V128Load32x2U(uint64_t raw) { return I64x2ExtendLowI32x4U({raw, 0}); }
constexpr V128 V128Load8Splat(uint8_t raw) { return I8x16Splat(raw); }
constexpr V128 V128Load16Splat(uint16_t raw) { return I16x8Splat(raw); }
constexpr V128 V128Load32Splat(uint32_t raw) { return I32x4Splat(raw); }
constexpr V128 V128Load64Splat(uint64_t raw) { return I64x2Splat(raw); }
constexpr V128 V128Load32Zero(uint32_t raw) { return {raw, 0}; }
constexpr V128 V128Load64Zero(uint64_t raw) { return {raw, 0}; }

}  // namespace wgi::interp::simd
