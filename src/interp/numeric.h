// The numeric semantics of every scalar Wasm 2.0 operator, apart from dispatch.
//
// Handlers call these; so do the unit tests (tests/interp/numeric_test.cc).
//
// ---- Naming --------------------------------------------------------------
// Each function is named exactly like its row in decoder/opcodes.def
// (num::I32Add for `i32.add`, num::I64TruncSatF32U for `i64.trunc_sat_f32_u`).
// So a handler generator can stamp out every scalar numeric handler from the
// X-macro with one line per signature shape, calling `num::Name(...)`. The
// scalar numeric rows are exactly those with prefix 0x00 or 0xFC, ImmKind
// None and a simple signature; numeric_test.cc selects them that way with the
// preprocessor and static_asserts that every one has a function here with the
// exact types of its signature.
//
// ---- Calling convention --------------------------------------------------
//  - i32 / i64 operands and results are uint32_t / uint64_t: Wasm integers
//    are sign-agnostic bit patterns, and unsigned arithmetic wraps without UB.
//    Signed operators convert to int32_t/int64_t internally (modular since
//    C++20). Boolean results (eqz, comparisons) are uint32_t 0 or 1.
//  - f32 / f64 operands and results are float / double, so values stay in
//    SSE registers between a handler's load and store. On x86-64 (SSE2) and
//    AArch64, moving a float through registers and memory never changes its
//    bits, signalling NaNs included; that is NOT true of x87 (i386 without
//    -mfpmath=sse), which wgi does not support.
//  - Operators that can trap (div_s/div_u/rem_s/rem_u, trunc_f*) return
//    TrapOr<T> {T value; TrapKind trap;} (trap.h). Why this shape:
//      * inlined into a handler (the normal case: everything here is inline),
//        the struct is scalarised; the check is one test of a byte that the
//        compiler already has in a register, and the fast path is the same
//        code as the non-trapping operator plus one predictable branch:
//          auto r = num::I32DivS(a, b);
//          if (r.trap != TrapKind::None) [[unlikely]] return trap(r.trap);
//          push(r.value);
//      * out of line (debug builds), the SysV x86-64 ABI returns it in
//        registers: TrapOr<uint32_t> in RAX, TrapOr<uint64_t> in RAX:RDX. A
//        bool-plus-out-parameter form would force the value through memory.
//      * it is constexpr-friendly: static_assert(num::I32DivS(7, 2).value == 3).
//    On a trap, `value` is 0 and must be ignored.
//
// ---- Floating point: what relies on IEEE hardware ------------------------
// Requirements: IEEE 754 binary32/binary64, round-to-nearest-even, no
// flush-to-zero / denormals-are-zero (x86 MXCSR defaults), FLT_EVAL_METHOD 0
// (no excess precision), and NO -ffast-math / -ffinite-math-only /
// -fassociative-math (they break NaN tests, `(a + C) - C` and denormals;
// linking with -ffast-math even turns on FTZ/DAZ at startup).
//  - [hw] add sub mul div sqrt: the hardware's correctly rounded result. When
//    an input is NaN, SSE returns that NaN quieted (canonical in, canonical
//    out; any payload in, arithmetic out); invalid operations (inf - inf,
//    0 * inf, 0/0, sqrt(-1)) return the default NaN 0xFFC00000 / ...F8000...,
//    a canonical NaN. That is exactly the spec's `nans` rule (the sign of a
//    NaN result is unspecified and the testsuite ignores it).
//  - [hw] comparisons: IEEE ordered compares (NaN unordered, -0 == +0).
//  - [hw] demote / promote: hardware rounding, overflow to inf, NaN quieted
//    (cvtsd2ss/cvtss2sd keep the top payload bits and set the quiet bit).
//  - [hw] convert_i*_s/u: one correctly rounded conversion straight from the
//    integer (cvtsi2ss/sd; for u64 the compiler's halve-with-sticky-bit
//    sequence is also correctly rounded). Never via double first: i64 -> f64
//    -> f32 rounds twice (0x0020000020000001 would come out wrong).
//  - [hw, rounding mode] nearest ceil floor trunc (float -> float): computed
//    as (|x| + 2^p) - 2^p for |x| < 2^p (p = 23 or 52), which in
//    round-to-nearest-even is |x| rounded half-to-even, for every input
//    including ties and values just below 0.5 (where floor(x + 0.5) fails);
//    |x| >= 2^p, infinities and NaN (quieted) pass through; the sign of x is
//    copied onto the result so that -0.4 -> -0, ceil(-0.5) -> -0.
//  - [bits only] abs neg copysign reinterpret: pure bit operations, never
//    touch NaN payloads (the spec requires them to be exact).
//  - [checked] min max: NaN and +-0 handled explicitly, no reliance on
//    minss/maxss (which are not IEEE min/max).
//  - [checked] trunc_f*_s/u and trunc_sat: range checks in the float domain
//    with exact bounds, then a C++ cast that is always in range (no UB).
//  NaN results produced here rather than by hardware (min, max, nearest,
//  ceil, floor, trunc) are the NaN input with the quiet bit set: canonical
//  when the input was canonical, arithmetic otherwise, as the spec requires.
//
// Everything is constexpr except F32Sqrt / F64Sqrt (std::sqrt is constexpr
// only from C++23). Nothing here has UB for any input: shift counts are
// masked, signed overflow cannot happen, float->int casts are range-checked.
#pragma once

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "interp/trap.h"

namespace wgi::interp::num {

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "wgi needs IEEE 754 binary32/binary64");
static_assert(FLT_EVAL_METHOD == 0, "excess float precision breaks nearest/ceil/floor/trunc");

// ===========================================================================
// Bit access and NaN classification (also used by the spec runner for
// nan:canonical / nan:arithmetic results).
// ===========================================================================

constexpr uint32_t bits(float x) { return std::bit_cast<uint32_t>(x); }
constexpr uint64_t bits(double x) { return std::bit_cast<uint64_t>(x); }
constexpr float f32_from_bits(uint32_t b) { return std::bit_cast<float>(b); }
constexpr double f64_from_bits(uint64_t b) { return std::bit_cast<double>(b); }

namespace detail {

template <class F>
struct FloatTraits;

template <>
struct FloatTraits<float> {
  using Bits = uint32_t;
  static constexpr Bits kSign = 0x8000'0000u;
  static constexpr Bits kExp = 0x7F80'0000u;
  static constexpr Bits kQuiet = 0x0040'0000u;  // top mantissa bit
  static constexpr float kTwoP = 0x1p23f;       // 2^(mantissa bits): from here on, all integers
};

template <>
struct FloatTraits<double> {
  using Bits = uint64_t;
  static constexpr Bits kSign = 0x8000'0000'0000'0000u;
  static constexpr Bits kExp = 0x7FF0'0000'0000'0000u;
  static constexpr Bits kQuiet = 0x0008'0000'0000'0000u;
  static constexpr double kTwoP = 0x1p52;
};

template <class F>
constexpr typename FloatTraits<F>::Bits to_bits(F x) {
  return std::bit_cast<typename FloatTraits<F>::Bits>(x);
}
template <class F>
constexpr F from_bits(typename FloatTraits<F>::Bits b) {
  return std::bit_cast<F>(b);
}

// x != x is the NaN test: valid because -ffast-math is not allowed (above).
template <class F>
constexpr bool is_nan(F x) {
  return x != x;
}

// The same NaN with the quiet bit set: canonical stays canonical, any other
// payload becomes an arithmetic NaN.
template <class F>
constexpr F quiet(F x) {
  return from_bits<F>(to_bits(x) | FloatTraits<F>::kQuiet);
}

template <class F>
constexpr F fabs(F x) {
  return from_bits<F>(to_bits(x) & ~FloatTraits<F>::kSign);
}
template <class F>
constexpr F fneg(F x) {
  return from_bits<F>(to_bits(x) ^ FloatTraits<F>::kSign);
}
template <class F>
constexpr F fcopysign(F mag, F sign) {
  using T = FloatTraits<F>;
  return from_bits<F>((to_bits(mag) & ~T::kSign) | (to_bits(sign) & T::kSign));
}

template <class F>
constexpr F fmin(F a, F b) {
  if (is_nan(a)) [[unlikely]]
    return quiet(a);
  if (is_nan(b)) [[unlikely]]
    return quiet(b);
  // Equal non-NaN values have equal bits, except -0 vs +0: OR keeps the sign
  // bit of either, so min(-0, +0) = min(+0, -0) = -0.
  if (a == b) return from_bits<F>(to_bits(a) | to_bits(b));
  return a < b ? a : b;
}

template <class F>
constexpr F fmax(F a, F b) {
  if (is_nan(a)) [[unlikely]]
    return quiet(a);
  if (is_nan(b)) [[unlikely]]
    return quiet(b);
  // max(-0, +0) = max(+0, -0) = +0: AND clears the sign unless both have it.
  if (a == b) return from_bits<F>(to_bits(a) & to_bits(b));
  return a > b ? a : b;
}

// The rounding operators. For |x| < 2^p, (|x| + 2^p) - 2^p rounds |x| to an
// integer, half to even (the sum lies in [2^p, 2^(p+1)), whose ulp is 1, and
// the subtraction is exact). Larger magnitudes, infinities and NaN are
// already "integral" and returned as they are (NaN quieted). Every result
// gets the sign of x: the spec's results always have the input's sign
// (nearest(-0.4) = -0, ceil(-0.5) = -0, floor(0.5) = +0).
enum class Round { Nearest, Floor, Ceil, Trunc };

template <Round mode, class F>
constexpr F round_to_integral(F x) {
  constexpr F kTwoP = FloatTraits<F>::kTwoP;
  F a = fabs(x);
  if (!(a < kTwoP)) [[unlikely]]
    return is_nan(x) ? quiet(x) : x;
  F r = (a + kTwoP) - kTwoP;  // |x| rounded half to even; needs round-to-nearest
  if constexpr (mode == Round::Nearest) {
    // nothing more
  } else if constexpr (mode == Round::Trunc) {
    if (r > a) r -= F(1);  // toward zero in magnitude
  } else {
    F s = fcopysign(r, x);  // nearest, signed
    if constexpr (mode == Round::Floor) {
      if (s > x) s -= F(1);
    } else {
      if (s < x) s += F(1);
    }
    r = s;  // exact: |s| <= 2^p
  }
  return fcopysign(r, x);
}

// Float -> integer truncation. (lo, hi) are EXCLUSIVE bounds in the float
// type such that lo < x < hi exactly when trunc(x) fits in I; the bounds are
// exact float values (hi is a power of two, lo is -1, -2^(N-1) minus one ulp
// or -2^(N-1) - 1, whichever is representable). NaN fails both compares.
template <class I, class F>
struct TruncBounds;
//                                             lo (exclusive)            hi (exclusive)
template <> struct TruncBounds<int32_t, float>   { static constexpr float  lo = -0x1.000002p31f,        hi = 0x1p31f; };
template <> struct TruncBounds<uint32_t, float>  { static constexpr float  lo = -1.0f,                  hi = 0x1p32f; };
template <> struct TruncBounds<int64_t, float>   { static constexpr float  lo = -0x1.000002p63f,        hi = 0x1p63f; };
template <> struct TruncBounds<uint64_t, float>  { static constexpr float  lo = -1.0f,                  hi = 0x1p64f; };
template <> struct TruncBounds<int32_t, double>  { static constexpr double lo = -0x1.00000002p31,        hi = 0x1p31; };
template <> struct TruncBounds<uint32_t, double> { static constexpr double lo = -1.0,                   hi = 0x1p32; };
template <> struct TruncBounds<int64_t, double>  { static constexpr double lo = -0x1.0000000000001p63,  hi = 0x1p63; };
template <> struct TruncBounds<uint64_t, double> { static constexpr double lo = -1.0,                   hi = 0x1p64; };

// R is the Wasm result type (uint32_t / uint64_t); I the C++ type whose
// range applies (signed for _s, unsigned for _u).
template <class R, class I, class F>
constexpr TrapOr<R> trunc_checked(F x) {
  using B = TruncBounds<I, F>;
  if (x > B::lo && x < B::hi) [[likely]]
    return {static_cast<R>(static_cast<I>(x)), TrapKind::None};  // in range: no UB
  return {0, is_nan(x) ? TrapKind::InvalidConversionToInteger : TrapKind::IntegerOverflow};
}

template <class R, class I, class F>
constexpr R trunc_sat(F x) {
  using B = TruncBounds<I, F>;
  if (x > B::lo && x < B::hi) [[likely]]
    return static_cast<R>(static_cast<I>(x));
  if (is_nan(x)) return 0;
  return static_cast<R>(x < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max());
}

}  // namespace detail

constexpr bool is_nan(float x) { return detail::is_nan(x); }
constexpr bool is_nan(double x) { return detail::is_nan(x); }
// nan:canonical: only the quiet bit set in the mantissa, either sign.
constexpr bool is_canonical_nan(float x) { return (bits(x) & 0x7FFF'FFFFu) == 0x7FC0'0000u; }
constexpr bool is_canonical_nan(double x) {
  return (bits(x) & 0x7FFF'FFFF'FFFF'FFFFu) == 0x7FF8'0000'0000'0000u;
}
// nan:arithmetic: a NaN with the quiet bit set, any payload, either sign.
constexpr bool is_arithmetic_nan(float x) { return (bits(x) & 0x7FC0'0000u) == 0x7FC0'0000u; }
constexpr bool is_arithmetic_nan(double x) {
  return (bits(x) & 0x7FF8'0000'0000'0000u) == 0x7FF8'0000'0000'0000u;
}

// ===========================================================================
// i32
// ===========================================================================

constexpr uint32_t I32Eqz(uint32_t a) { return a == 0; }
constexpr uint32_t I32Eq(uint32_t a, uint32_t b) { return a == b; }
constexpr uint32_t I32Ne(uint32_t a, uint32_t b) { return a != b; }
constexpr uint32_t I32LtS(uint32_t a, uint32_t b) { return int32_t(a) < int32_t(b); }
constexpr uint32_t I32LtU(uint32_t a, uint32_t b) { return a < b; }
constexpr uint32_t I32GtS(uint32_t a, uint32_t b) { return int32_t(a) > int32_t(b); }
constexpr uint32_t I32GtU(uint32_t a, uint32_t b) { return a > b; }
constexpr uint32_t I32LeS(uint32_t a, uint32_t b) { return int32_t(a) <= int32_t(b); }
constexpr uint32_t I32LeU(uint32_t a, uint32_t b) { return a <= b; }
constexpr uint32_t I32GeS(uint32_t a, uint32_t b) { return int32_t(a) >= int32_t(b); }
constexpr uint32_t I32GeU(uint32_t a, uint32_t b) { return a >= b; }

constexpr uint32_t I32Clz(uint32_t a) { return uint32_t(std::countl_zero(a)); }  // clz(0) = 32
constexpr uint32_t I32Ctz(uint32_t a) { return uint32_t(std::countr_zero(a)); }  // ctz(0) = 32
constexpr uint32_t I32Popcnt(uint32_t a) { return uint32_t(std::popcount(a)); }

constexpr uint32_t I32Add(uint32_t a, uint32_t b) { return a + b; }
constexpr uint32_t I32Sub(uint32_t a, uint32_t b) { return a - b; }
constexpr uint32_t I32Mul(uint32_t a, uint32_t b) { return a * b; }

constexpr TrapOr<uint32_t> I32DivS(uint32_t a, uint32_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  if (a == 0x8000'0000u && b == 0xFFFF'FFFFu) [[unlikely]]  // INT32_MIN / -1 = 2^31
    return {0, TrapKind::IntegerOverflow};
  return {uint32_t(int32_t(a) / int32_t(b)), TrapKind::None};  // truncates toward zero
}
constexpr TrapOr<uint32_t> I32DivU(uint32_t a, uint32_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  return {a / b, TrapKind::None};
}
constexpr TrapOr<uint32_t> I32RemS(uint32_t a, uint32_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  // x rem -1 = 0 for every x; INT32_MIN % -1 is UB in C++ and faults (#DE)
  // in x86 idiv, so it must not reach the `%`. The result takes the sign of
  // the dividend, as C++ `%` does.
  if (b == 0xFFFF'FFFFu) [[unlikely]]
    return {0, TrapKind::None};
  return {uint32_t(int32_t(a) % int32_t(b)), TrapKind::None};
}
constexpr TrapOr<uint32_t> I32RemU(uint32_t a, uint32_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  return {a % b, TrapKind::None};
}

constexpr uint32_t I32And(uint32_t a, uint32_t b) { return a & b; }
constexpr uint32_t I32Or(uint32_t a, uint32_t b) { return a | b; }
constexpr uint32_t I32Xor(uint32_t a, uint32_t b) { return a ^ b; }
// Shift and rotate counts are taken modulo 32 (the spec's k mod N); the mask
// also keeps the C++ shift in range (no UB) and is free on x86 (shl masks).
constexpr uint32_t I32Shl(uint32_t a, uint32_t b) { return a << (b & 31); }
constexpr uint32_t I32ShrS(uint32_t a, uint32_t b) { return uint32_t(int32_t(a) >> (b & 31)); }
constexpr uint32_t I32ShrU(uint32_t a, uint32_t b) { return a >> (b & 31); }
constexpr uint32_t I32Rotl(uint32_t a, uint32_t b) { return std::rotl(a, int(b & 31)); }
constexpr uint32_t I32Rotr(uint32_t a, uint32_t b) { return std::rotr(a, int(b & 31)); }

constexpr uint32_t I32Extend8S(uint32_t a) { return uint32_t(int32_t(int8_t(a))); }
constexpr uint32_t I32Extend16S(uint32_t a) { return uint32_t(int32_t(int16_t(a))); }

// ===========================================================================
// i64
// ===========================================================================

constexpr uint32_t I64Eqz(uint64_t a) { return a == 0; }
constexpr uint32_t I64Eq(uint64_t a, uint64_t b) { return a == b; }
constexpr uint32_t I64Ne(uint64_t a, uint64_t b) { return a != b; }
constexpr uint32_t I64LtS(uint64_t a, uint64_t b) { return int64_t(a) < int64_t(b); }
constexpr uint32_t I64LtU(uint64_t a, uint64_t b) { return a < b; }
constexpr uint32_t I64GtS(uint64_t a, uint64_t b) { return int64_t(a) > int64_t(b); }
constexpr uint32_t I64GtU(uint64_t a, uint64_t b) { return a > b; }
constexpr uint32_t I64LeS(uint64_t a, uint64_t b) { return int64_t(a) <= int64_t(b); }
constexpr uint32_t I64LeU(uint64_t a, uint64_t b) { return a <= b; }
constexpr uint32_t I64GeS(uint64_t a, uint64_t b) { return int64_t(a) >= int64_t(b); }
constexpr uint32_t I64GeU(uint64_t a, uint64_t b) { return a >= b; }

constexpr uint64_t I64Clz(uint64_t a) { return uint64_t(std::countl_zero(a)); }  // clz(0) = 64
constexpr uint64_t I64Ctz(uint64_t a) { return uint64_t(std::countr_zero(a)); }  // ctz(0) = 64
constexpr uint64_t I64Popcnt(uint64_t a) { return uint64_t(std::popcount(a)); }

constexpr uint64_t I64Add(uint64_t a, uint64_t b) { return a + b; }
constexpr uint64_t I64Sub(uint64_t a, uint64_t b) { return a - b; }
constexpr uint64_t I64Mul(uint64_t a, uint64_t b) { return a * b; }

constexpr TrapOr<uint64_t> I64DivS(uint64_t a, uint64_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  if (a == 0x8000'0000'0000'0000u && b == ~uint64_t{0}) [[unlikely]]  // INT64_MIN / -1
    return {0, TrapKind::IntegerOverflow};
  return {uint64_t(int64_t(a) / int64_t(b)), TrapKind::None};
}
constexpr TrapOr<uint64_t> I64DivU(uint64_t a, uint64_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  return {a / b, TrapKind::None};
}
constexpr TrapOr<uint64_t> I64RemS(uint64_t a, uint64_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  if (b == ~uint64_t{0}) [[unlikely]]  // see I32RemS
    return {0, TrapKind::None};
  return {uint64_t(int64_t(a) % int64_t(b)), TrapKind::None};
}
constexpr TrapOr<uint64_t> I64RemU(uint64_t a, uint64_t b) {
  if (b == 0) [[unlikely]]
    return {0, TrapKind::IntegerDivideByZero};
  return {a % b, TrapKind::None};
}

constexpr uint64_t I64And(uint64_t a, uint64_t b) { return a & b; }
constexpr uint64_t I64Or(uint64_t a, uint64_t b) { return a | b; }
constexpr uint64_t I64Xor(uint64_t a, uint64_t b) { return a ^ b; }
constexpr uint64_t I64Shl(uint64_t a, uint64_t b) { return a << (b & 63); }
constexpr uint64_t I64ShrS(uint64_t a, uint64_t b) { return uint64_t(int64_t(a) >> (b & 63)); }
constexpr uint64_t I64ShrU(uint64_t a, uint64_t b) { return a >> (b & 63); }
constexpr uint64_t I64Rotl(uint64_t a, uint64_t b) { return std::rotl(a, int(b & 63)); }
constexpr uint64_t I64Rotr(uint64_t a, uint64_t b) { return std::rotr(a, int(b & 63)); }

constexpr uint64_t I64Extend8S(uint64_t a) { return uint64_t(int64_t(int8_t(a))); }
constexpr uint64_t I64Extend16S(uint64_t a) { return uint64_t(int64_t(int16_t(a))); }
constexpr uint64_t I64Extend32S(uint64_t a) { return uint64_t(int64_t(int32_t(a))); }

// ===========================================================================
// f32
// ===========================================================================

constexpr uint32_t F32Eq(float a, float b) { return a == b; }  // [hw] NaN: 0; -0 == +0
constexpr uint32_t F32Ne(float a, float b) { return a != b; }  // [hw] NaN: 1
constexpr uint32_t F32Lt(float a, float b) { return a < b; }
constexpr uint32_t F32Gt(float a, float b) { return a > b; }
constexpr uint32_t F32Le(float a, float b) { return a <= b; }
constexpr uint32_t F32Ge(float a, float b) { return a >= b; }

constexpr float F32Abs(float a) { return detail::fabs(a); }                  // bits only
constexpr float F32Neg(float a) { return detail::fneg(a); }                  // bits only
constexpr float F32Copysign(float a, float b) { return detail::fcopysign(a, b); }  // bits only
constexpr float F32Ceil(float a) { return detail::round_to_integral<detail::Round::Ceil>(a); }
constexpr float F32Floor(float a) { return detail::round_to_integral<detail::Round::Floor>(a); }
constexpr float F32Trunc(float a) { return detail::round_to_integral<detail::Round::Trunc>(a); }
constexpr float F32Nearest(float a) { return detail::round_to_integral<detail::Round::Nearest>(a); }
inline float F32Sqrt(float a) { return std::sqrt(a); }  // [hw]
constexpr float F32Add(float a, float b) { return a + b; }  // [hw]
constexpr float F32Sub(float a, float b) { return a - b; }  // [hw]
constexpr float F32Mul(float a, float b) { return a * b; }  // [hw]
constexpr float F32Div(float a, float b) { return a / b; }  // [hw] x/0 = +-inf, 0/0 = NaN
constexpr float F32Min(float a, float b) { return detail::fmin(a, b); }
constexpr float F32Max(float a, float b) { return detail::fmax(a, b); }

// ===========================================================================
// f64
// ===========================================================================

constexpr uint32_t F64Eq(double a, double b) { return a == b; }
constexpr uint32_t F64Ne(double a, double b) { return a != b; }
constexpr uint32_t F64Lt(double a, double b) { return a < b; }
constexpr uint32_t F64Gt(double a, double b) { return a > b; }
constexpr uint32_t F64Le(double a, double b) { return a <= b; }
constexpr uint32_t F64Ge(double a, double b) { return a >= b; }

constexpr double F64Abs(double a) { return detail::fabs(a); }
constexpr double F64Neg(double a) { return detail::fneg(a); }
constexpr double F64Copysign(double a, double b) { return detail::fcopysign(a, b); }
constexpr double F64Ceil(double a) { return detail::round_to_integral<detail::Round::Ceil>(a); }
constexpr double F64Floor(double a) { return detail::round_to_integral<detail::Round::Floor>(a); }
constexpr double F64Trunc(double a) { return detail::round_to_integral<detail::Round::Trunc>(a); }
constexpr double F64Nearest(double a) { return detail::round_to_integral<detail::Round::Nearest>(a); }
// PERF: without -fno-math-errno the compiler adds a (never taken for x >= 0)
// branch to call libm's sqrt for errno; the result is the same.
inline double F64Sqrt(double a) { return std::sqrt(a); }  // [hw]
constexpr double F64Add(double a, double b) { return a + b; }
constexpr double F64Sub(double a, double b) { return a - b; }
constexpr double F64Mul(double a, double b) { return a * b; }
constexpr double F64Div(double a, double b) { return a / b; }
constexpr double F64Min(double a, double b) { return detail::fmin(a, b); }
constexpr double F64Max(double a, double b) { return detail::fmax(a, b); }

// ===========================================================================
// Conversions
// ===========================================================================

constexpr uint32_t I32WrapI64(uint64_t a) { return uint32_t(a); }
constexpr uint64_t I64ExtendI32S(uint32_t a) { return uint64_t(int64_t(int32_t(a))); }
constexpr uint64_t I64ExtendI32U(uint32_t a) { return uint64_t(a); }

// Trapping truncation: NaN -> InvalidConversionToInteger; a value whose
// truncation does not fit -> IntegerOverflow (including +-inf).
constexpr TrapOr<uint32_t> I32TruncF32S(float a) { return detail::trunc_checked<uint32_t, int32_t>(a); }
constexpr TrapOr<uint32_t> I32TruncF32U(float a) { return detail::trunc_checked<uint32_t, uint32_t>(a); }
constexpr TrapOr<uint32_t> I32TruncF64S(double a) { return detail::trunc_checked<uint32_t, int32_t>(a); }
constexpr TrapOr<uint32_t> I32TruncF64U(double a) { return detail::trunc_checked<uint32_t, uint32_t>(a); }
constexpr TrapOr<uint64_t> I64TruncF32S(float a) { return detail::trunc_checked<uint64_t, int64_t>(a); }
constexpr TrapOr<uint64_t> I64TruncF32U(float a) { return detail::trunc_checked<uint64_t, uint64_t>(a); }
constexpr TrapOr<uint64_t> I64TruncF64S(double a) { return detail::trunc_checked<uint64_t, int64_t>(a); }
constexpr TrapOr<uint64_t> I64TruncF64U(double a) { return detail::trunc_checked<uint64_t, uint64_t>(a); }

// Saturating truncation (0xFC 0..7): NaN -> 0, below range -> MIN, above -> MAX.
constexpr uint32_t I32TruncSatF32S(float a) { return detail::trunc_sat<uint32_t, int32_t>(a); }
constexpr uint32_t I32TruncSatF32U(float a) { return detail::trunc_sat<uint32_t, uint32_t>(a); }
constexpr uint32_t I32TruncSatF64S(double a) { return detail::trunc_sat<uint32_t, int32_t>(a); }
constexpr uint32_t I32TruncSatF64U(double a) { return detail::trunc_sat<uint32_t, uint32_t>(a); }
constexpr uint64_t I64TruncSatF32S(float a) { return detail::trunc_sat<uint64_t, int64_t>(a); }
constexpr uint64_t I64TruncSatF32U(float a) { return detail::trunc_sat<uint64_t, uint64_t>(a); }
constexpr uint64_t I64TruncSatF64S(double a) { return detail::trunc_sat<uint64_t, int64_t>(a); }
constexpr uint64_t I64TruncSatF64U(double a) { return detail::trunc_sat<uint64_t, uint64_t>(a); }

// [hw] One correctly rounded conversion each, straight from the integer type.
constexpr float F32ConvertI32S(uint32_t a) { return float(int32_t(a)); }
constexpr float F32ConvertI32U(uint32_t a) { return float(a); }
constexpr float F32ConvertI64S(uint64_t a) { return float(int64_t(a)); }  // not via double
constexpr float F32ConvertI64U(uint64_t a) { return float(a); }           // not via double
constexpr double F64ConvertI32S(uint32_t a) { return double(int32_t(a)); }  // exact
constexpr double F64ConvertI32U(uint32_t a) { return double(a); }           // exact
constexpr double F64ConvertI64S(uint64_t a) { return double(int64_t(a)); }
constexpr double F64ConvertI64U(uint64_t a) { return double(a); }

constexpr float F32DemoteF64(double a) { return float(a); }     // [hw] rounds; NaN quieted
constexpr double F64PromoteF32(float a) { return double(a); }   // [hw] exact; NaN quieted

constexpr uint32_t I32ReinterpretF32(float a) { return bits(a); }
constexpr uint64_t I64ReinterpretF64(double a) { return bits(a); }
constexpr float F32ReinterpretI32(uint32_t a) { return f32_from_bits(a); }
constexpr double F64ReinterpretI64(uint64_t a) { return f64_from_bits(a); }

}  // namespace wgi::interp::num
