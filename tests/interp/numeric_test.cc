// Unit tests for interp/numeric.h and interp/trap.h.
//
// Four layers:
//  1. Coverage (compile time): every scalar numeric row of decoder/opcodes.def
//     has a num:: function with exactly the types of its signature.
//  2. Hand-written edge cases for every operator, compared bit for bit. The
//     inputs go through rt() (a volatile round trip) so that the code under
//     test runs on the hardware instead of being constant-folded.
//  3. A few static_asserts: the operators are usable in constant expressions.
//  4. Cross-check against the spec testsuite: every function of i32.wast,
//     f32.wast, conversions.wast, ... whose body is an expression tree of
//     numeric ops, local.get and consts is evaluated with num:: for each
//     assert_return / assert_trap that invokes it.
#include "interp/numeric.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "decoder/opcodes.h"
#include "interp/trap.h"
#include "sig_types.h"

namespace wgi::interp {
namespace {

// ===========================================================================
// Helpers
// ===========================================================================

// A value the optimiser cannot see through.
template <class T>
T rt(T x) {
  volatile T v = x;
  return v;
}

constexpr uint32_t kF32Canon = 0x7FC0'0000u;
constexpr uint32_t kF32SNaN = 0x7FA0'0000u;  // signalling, payload 0x200000
constexpr uint64_t kF64Canon = 0x7FF8'0000'0000'0000u;
constexpr uint64_t kF64SNaN = 0x7FF4'0000'0000'0000u;

float F(uint32_t b) { return num::f32_from_bits(b); }
double D(uint64_t b) { return num::f64_from_bits(b); }

template <class T>
::testing::AssertionResult HexEq(const char* ae, const char* be, T a, T b) {
  if (a == b) return ::testing::AssertionSuccess();
  char buf[128];
  std::snprintf(buf, sizeof buf, "0x%0*" PRIx64 " vs expected 0x%0*" PRIx64, int(2 * sizeof(T)),
                uint64_t(a), int(2 * sizeof(T)), uint64_t(b));
  return ::testing::AssertionFailure() << ae << " != " << be << ": " << buf;
}

// Exact comparisons. *_BITS take the expected bit pattern; *_EQ an expected
// float/double value whose bits must match (so -0.0 != +0.0 here).
#define EXPECT_I32(actual, expected) EXPECT_PRED_FORMAT2(HexEq<uint32_t>, (actual), uint32_t(expected))
#define EXPECT_I64(actual, expected) EXPECT_PRED_FORMAT2(HexEq<uint64_t>, (actual), uint64_t(expected))
#define EXPECT_F32_BITS(actual, expected) \
  EXPECT_PRED_FORMAT2(HexEq<uint32_t>, num::bits(float(actual)), uint32_t(expected))
#define EXPECT_F64_BITS(actual, expected) \
  EXPECT_PRED_FORMAT2(HexEq<uint64_t>, num::bits(double(actual)), uint64_t(expected))
#define EXPECT_F32_EQ(actual, expected) EXPECT_F32_BITS(actual, num::bits(float(expected)))
#define EXPECT_F64_EQ(actual, expected) EXPECT_F64_BITS(actual, num::bits(double(expected)))
#define EXPECT_CANON(actual) EXPECT_TRUE(num::is_canonical_nan(actual)) << std::hex << num::bits(actual)
#define EXPECT_ARITH(actual) EXPECT_TRUE(num::is_arithmetic_nan(actual)) << std::hex << num::bits(actual)

#define EXPECT_OK(trapor, expected)                  \
  do {                                               \
    auto r_ = (trapor);                              \
    EXPECT_EQ(r_.trap, TrapKind::None) << #trapor;   \
    EXPECT_PRED_FORMAT2(HexEq<decltype(r_.value)>, r_.value, \
                        static_cast<decltype(r_.value)>(expected)); \
  } while (0)
#define EXPECT_TRAP(trapor, kind)                          \
  do {                                                     \
    auto r_ = (trapor);                                    \
    EXPECT_EQ(r_.trap, TrapKind::kind) << #trapor;         \
  } while (0)

// ===========================================================================
// 1. Coverage: select the scalar numeric rows of opcodes.def with the
// preprocessor (prefix 0x00/0xFC, ImmKind None, a simple signature) and
// check that num::<Name> exists with exactly that signature. A handler
// generator can select rows the same way.
// ===========================================================================

using sig_types::SigT;

template <class T>
struct IsTrapOr : std::false_type {};
template <class T>
struct IsTrapOr<TrapOr<T>> : std::true_type {};

template <Sig s, class FnPtr>
constexpr bool sig_matches() {
  using S = SigT<s>;
  if constexpr (S::n == 1) {
    return std::is_same_v<FnPtr, typename S::R (*)(typename S::P0)> ||
           std::is_same_v<FnPtr, TrapOr<typename S::R> (*)(typename S::P0)>;
  } else if constexpr (S::n == 2) {
    return std::is_same_v<FnPtr, typename S::R (*)(typename S::P0, typename S::P1)> ||
           std::is_same_v<FnPtr, TrapOr<typename S::R> (*)(typename S::P0, typename S::P1)>;
  } else {
    return false;
  }
}

// Preprocessor "probe" selection: NT_IS(X) is 1 if X expands to NT_PROBE.
#define NT_CAT(a, b) NT_CAT_(a, b)
#define NT_CAT_(a, b) a##b
#define NT_SECOND(a, b, ...) b
#define NT_IS_(...) NT_SECOND(__VA_ARGS__, 0, ~)
#define NT_PROBE ~, 1
#define NT_IF(c) NT_CAT(NT_IF_, c)
#define NT_IF_0(...)
#define NT_IF_1(...) __VA_ARGS__
#define NT_UNLESS(c) NT_CAT(NT_UNLESS_, c)
#define NT_UNLESS_0(...) __VA_ARGS__
#define NT_UNLESS_1(...)
#define NT_PFX_0x00 NT_PROBE
#define NT_PFX_0xFC NT_PROBE
#define NT_IMM_None NT_PROBE
#define NT_SIG_Special NT_PROBE  // unreachable
#define NT_SIG_none NT_PROBE     // nop
// NT_SCALAR(prefix, imm, sig, body...): body for the scalar numeric rows only.
#define NT_SCALAR(prefix, imm, sig, ...)                        \
  NT_IF(NT_IS_(NT_PFX_##prefix))(NT_IF(NT_IS_(NT_IMM_##imm))( \
      NT_UNLESS(NT_IS_(NT_SIG_##sig))(__VA_ARGS__)))

#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) \
  NT_SCALAR(prefix, imm, sig,                                    \
            static_assert(sig_matches<Sig::sig, decltype(&num::Name)>(), "num::" #Name);)
#include "decoder/opcodes.def"

constexpr int count_scalar_rows() {
  int n = 0;
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) NT_SCALAR(prefix, imm, sig, ++n;)
#include "decoder/opcodes.def"
  return n;
}
// 11+11 int compares, 12 float compares, 18+18 int ops, 14+14 float ops,
// 30 conversions (0xA7..0xC4), 8 trunc_sat.
static_assert(count_scalar_rows() == 22 + 12 + 36 + 28 + 30 + 8);

// FnInfo: return type and parameter types of a num:: function pointer.
template <class FnPtr>
struct FnInfo;
template <class R, class... A>
struct FnInfo<R (*)(A...)> {
  using Ret = R;
  static constexpr int arity = sizeof...(A);
};

// ---- A runtime table of the same rows, for tests that go by text name ----

struct Out {
  uint64_t bits;  // the result, zero-extended into a slot
  TrapKind trap;
};

template <class T>
constexpr char type_char() {
  if constexpr (std::is_same_v<T, uint32_t>) return 'I';
  else if constexpr (std::is_same_v<T, uint64_t>) return 'L';
  else if constexpr (std::is_same_v<T, float>) return 'F';
  else if constexpr (std::is_same_v<T, double>) return 'D';
  else return '?';
}

template <class T>
T from_slot(uint64_t b) {
  if constexpr (std::is_same_v<T, float>) return num::f32_from_bits(uint32_t(b));
  else if constexpr (std::is_same_v<T, double>) return num::f64_from_bits(b);
  else return T(b);
}
template <class T>
uint64_t to_slot(T v) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return num::bits(v);
  else return uint64_t(v);
}

template <class T>
struct Unwrap {
  using type = T;
};
template <class T>
struct Unwrap<TrapOr<T>> {
  using type = T;
};

struct OpEntry {
  std::string_view text;
  int arity;
  char params[2];
  char result;
  bool traps;
  Out (*call)(const uint64_t* args);
};

template <class R, class... A, size_t... I>
Out call_with(R (*fn)(A...), const uint64_t* args, std::index_sequence<I...>) {
  R r = fn(rt(from_slot<A>(args[I]))...);
  if constexpr (IsTrapOr<R>::value) {
    return {r.trap == TrapKind::None ? to_slot(r.value) : 0, r.trap};
  } else {
    return {to_slot(r), TrapKind::None};
  }
}

template <auto Fn>
Out call_fn(const uint64_t* args) {
  return call_with(Fn, args, std::make_index_sequence<FnInfo<decltype(Fn)>::arity>{});
}

template <class R, class... A>
constexpr OpEntry entry_for(std::string_view text, R (*)(A...), Out (*call)(const uint64_t*)) {
  return {text,
          int(sizeof...(A)),
          {type_char<A>()..., },
          type_char<typename Unwrap<R>::type>(),
          IsTrapOr<R>::value,
          call};
}

const OpEntry kOps[] = {
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) \
  NT_SCALAR(prefix, imm, sig, entry_for(text, &num::Name, &call_fn<&num::Name>), )
#include "decoder/opcodes.def"
};

const OpEntry* find_op(std::string_view text) {
  for (const auto& e : kOps)
    if (e.text == text) return &e;
  return nullptr;
}

TEST(NumericCoverage, TableHasEveryScalarRow) {
  EXPECT_EQ(std::size(kOps), size_t(count_scalar_rows()));
  for (const auto& e : kOps) {
    EXPECT_TRUE(e.arity == 1 || e.arity == 2) << e.text;
    EXPECT_NE(e.result, '?') << e.text;
  }
}

// Which ops may trap: exactly div/rem and the non-saturating truncations.
TEST(NumericCoverage, TrappingOpsAreExactlyDivRemTrunc) {
  std::set<std::string_view> trapping;
  for (const auto& e : kOps)
    if (e.traps) trapping.insert(e.text);
  std::set<std::string_view> expected = {
      "i32.div_s",       "i32.div_u",       "i32.rem_s",       "i32.rem_u",
      "i64.div_s",       "i64.div_u",       "i64.rem_s",       "i64.rem_u",
      "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_f64_s", "i32.trunc_f64_u",
      "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_f64_s", "i64.trunc_f64_u"};
  EXPECT_EQ(trapping, expected);
}

// ===========================================================================
// trap.h
// ===========================================================================

TEST(TrapTable, MessagesAreTheTestsuiteStrings) {
  struct {
    TrapKind kind;
    const char* text;
  } const expected[] = {
      {TrapKind::Unreachable, "unreachable"},
      {TrapKind::IntegerDivideByZero, "integer divide by zero"},
      {TrapKind::IntegerOverflow, "integer overflow"},
      {TrapKind::InvalidConversionToInteger, "invalid conversion to integer"},
      {TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access"},
      {TrapKind::OutOfBoundsTableAccess, "out of bounds table access"},
      {TrapKind::UndefinedElement, "undefined element"},
      {TrapKind::UninitializedElement, "uninitialized element"},
      {TrapKind::IndirectCallTypeMismatch, "indirect call type mismatch"},
      {TrapKind::CallStackExhausted, "call stack exhausted"},
      {TrapKind::UnalignedAtomic, "unaligned atomic"},
      {TrapKind::ExpectedSharedMemory, "expected shared memory"},
      {TrapKind::UnresolvedImport, "call to an unresolved import"},  // not the testsuite's: see trap.h
  };
  EXPECT_EQ(kNumTrapKinds, std::size(expected));
  for (const auto& e : expected) {
    EXPECT_EQ(trap_message(e.kind), e.text);
    EXPECT_TRUE(is_trap(e.kind)) << e.text;
    EXPECT_FALSE(is_restartable(e.kind)) << e.text;
    EXPECT_EQ(trap_kind_from_message(e.text), e.kind) << e.text;
  }
  EXPECT_EQ(trap_message(TrapKind::None), "");
  EXPECT_FALSE(is_trap(TrapKind::None));
  EXPECT_FALSE(is_restartable(TrapKind::None));
  EXPECT_TRUE(is_exhaustion(TrapKind::CallStackExhausted));
  EXPECT_FALSE(is_exhaustion(TrapKind::Unreachable));
}

TEST(TrapTable, InterruptedIsARestartableNonTrap) {
  EXPECT_EQ(static_cast<uint8_t>(TrapKind::Interrupted), 0x80);
  EXPECT_FALSE(is_trap(TrapKind::Interrupted));
  EXPECT_TRUE(is_restartable(TrapKind::Interrupted));
  EXPECT_EQ(trap_message(TrapKind::Interrupted), "interrupted");
  // A non-trap status must never satisfy an assert_trap.
  EXPECT_EQ(trap_kind_from_message("interrupted"), TrapKind::None);
  EXPECT_EQ(trap_message(static_cast<TrapKind>(0x7F)), "unknown status");
  EXPECT_EQ(trap_message(static_cast<TrapKind>(0xFF)), "unknown status");
}

TEST(TrapTable, MessageMatchingAcceptsAppendedDetail) {
  EXPECT_EQ(trap_kind_from_message("uninitialized element 2"), TrapKind::UninitializedElement);
  EXPECT_EQ(trap_kind_from_message("uninitialized elements"), TrapKind::None);
  EXPECT_EQ(trap_kind_from_message("out of bounds"), TrapKind::None);
  EXPECT_EQ(trap_kind_from_message(""), TrapKind::None);
  EXPECT_EQ(trap_kind_from_message("integer"), TrapKind::None);
}

static_assert(trap_message(TrapKind::IntegerOverflow) == "integer overflow");
static_assert(trap_kind_from_message("unaligned atomic") == TrapKind::UnalignedAtomic);

// ===========================================================================
// 2. Integer operators
// ===========================================================================

constexpr uint32_t kI32Min = 0x8000'0000u;
constexpr uint32_t kI32Neg1 = 0xFFFF'FFFFu;
constexpr uint64_t kI64Min = 0x8000'0000'0000'0000u;
constexpr uint64_t kI64Neg1 = ~uint64_t{0};

TEST(NumericI32, AddSubMulWrap) {
  EXPECT_I32(num::I32Add(rt(0x7FFF'FFFFu), rt(1u)), kI32Min);
  EXPECT_I32(num::I32Add(rt(kI32Neg1), rt(1u)), 0);
  EXPECT_I32(num::I32Add(rt(kI32Min), rt(kI32Min)), 0);
  EXPECT_I32(num::I32Sub(rt(kI32Min), rt(1u)), 0x7FFF'FFFFu);
  EXPECT_I32(num::I32Sub(rt(0u), rt(1u)), kI32Neg1);
  EXPECT_I32(num::I32Mul(rt(0x1'0000u), rt(0x1'0000u)), 0);
  EXPECT_I32(num::I32Mul(rt(0x7FFF'FFFFu), rt(kI32Neg1)), 0x8000'0001u);
  EXPECT_I32(num::I32Mul(rt(kI32Min), rt(kI32Neg1)), kI32Min);
  EXPECT_I32(num::I32Mul(rt(0x0123'4567u), rt(0x7654'3210u)), 0x358E'7470u);
}

TEST(NumericI32, DivRem) {
  EXPECT_OK(num::I32DivS(rt(7u), rt(2u)), 3);
  EXPECT_OK(num::I32DivS(rt(uint32_t(-7)), rt(2u)), uint32_t(-3));  // toward zero
  EXPECT_OK(num::I32DivS(rt(7u), rt(uint32_t(-2))), uint32_t(-3));
  EXPECT_OK(num::I32DivS(rt(kI32Min), rt(1u)), kI32Min);
  EXPECT_OK(num::I32DivS(rt(kI32Min), rt(2u)), 0xC000'0000u);
  EXPECT_OK(num::I32DivS(rt(kI32Neg1), rt(kI32Neg1)), 1);
  EXPECT_TRAP(num::I32DivS(rt(kI32Min), rt(kI32Neg1)), IntegerOverflow);
  EXPECT_TRAP(num::I32DivS(rt(1u), rt(0u)), IntegerDivideByZero);
  EXPECT_TRAP(num::I32DivS(rt(0u), rt(0u)), IntegerDivideByZero);
  EXPECT_TRAP(num::I32DivS(rt(kI32Min), rt(0u)), IntegerDivideByZero);

  EXPECT_OK(num::I32DivU(rt(kI32Min), rt(2u)), 0x4000'0000u);
  EXPECT_OK(num::I32DivU(rt(kI32Neg1), rt(kI32Neg1)), 1);
  EXPECT_OK(num::I32DivU(rt(kI32Min), rt(kI32Neg1)), 0);  // unsigned: no overflow
  EXPECT_OK(num::I32DivU(rt(uint32_t(-7)), rt(2u)), 0x7FFF'FFFCu);
  EXPECT_TRAP(num::I32DivU(rt(1u), rt(0u)), IntegerDivideByZero);

  EXPECT_OK(num::I32RemS(rt(kI32Min), rt(kI32Neg1)), 0);  // no trap, no #DE
  EXPECT_OK(num::I32RemS(rt(0x7FFF'FFFFu), rt(kI32Neg1)), 0);
  EXPECT_OK(num::I32RemS(rt(uint32_t(-7)), rt(2u)), uint32_t(-1));  // sign of dividend
  EXPECT_OK(num::I32RemS(rt(7u), rt(uint32_t(-2))), 1);
  EXPECT_OK(num::I32RemS(rt(kI32Min), rt(2u)), 0);
  EXPECT_OK(num::I32RemS(rt(kI32Min), rt(3u)), uint32_t(-2));
  EXPECT_TRAP(num::I32RemS(rt(1u), rt(0u)), IntegerDivideByZero);
  EXPECT_TRAP(num::I32RemS(rt(kI32Min), rt(0u)), IntegerDivideByZero);

  EXPECT_OK(num::I32RemU(rt(kI32Min), rt(kI32Neg1)), kI32Min);
  EXPECT_OK(num::I32RemU(rt(uint32_t(-7)), rt(2u)), 1);
  EXPECT_OK(num::I32RemU(rt(kI32Neg1), rt(0x10u)), 0xF);
  EXPECT_TRAP(num::I32RemU(rt(1u), rt(0u)), IntegerDivideByZero);
}

TEST(NumericI32, Bitwise) {
  EXPECT_I32(num::I32And(rt(0xF0F0'FF00u), rt(0x0FF0'F0F0u)), 0x00F0'F000u);
  EXPECT_I32(num::I32Or(rt(0xF0F0'FF00u), rt(0x0FF0'F0F0u)), 0xFFF0'FFF0u);
  EXPECT_I32(num::I32Xor(rt(0xF0F0'FF00u), rt(0x0FF0'F0F0u)), 0xFF00'0FF0u);
}

TEST(NumericI32, ShiftsUseCountModulo32) {
  EXPECT_I32(num::I32Shl(rt(1u), rt(31u)), kI32Min);
  EXPECT_I32(num::I32Shl(rt(1u), rt(32u)), 1);
  EXPECT_I32(num::I32Shl(rt(1u), rt(33u)), 2);
  EXPECT_I32(num::I32Shl(rt(1u), rt(kI32Neg1)), kI32Min);
  EXPECT_I32(num::I32Shl(rt(0xFFu), rt(0x7FFF'FFF8u)), 0xFF00'0000u);  // count 24
  EXPECT_I32(num::I32ShrS(rt(kI32Min), rt(31u)), kI32Neg1);
  EXPECT_I32(num::I32ShrS(rt(kI32Min), rt(32u)), kI32Min);
  EXPECT_I32(num::I32ShrS(rt(kI32Min), rt(33u)), 0xC000'0000u);
  EXPECT_I32(num::I32ShrS(rt(0x4000'0000u), rt(1u)), 0x2000'0000u);
  EXPECT_I32(num::I32ShrS(rt(kI32Neg1), rt(kI32Neg1)), kI32Neg1);
  EXPECT_I32(num::I32ShrU(rt(kI32Min), rt(31u)), 1);
  EXPECT_I32(num::I32ShrU(rt(kI32Min), rt(32u)), kI32Min);
  EXPECT_I32(num::I32ShrU(rt(kI32Min), rt(33u)), 0x4000'0000u);
  EXPECT_I32(num::I32ShrU(rt(kI32Neg1), rt(kI32Neg1)), 1);
}

TEST(NumericI32, Rotations) {
  EXPECT_I32(num::I32Rotl(rt(0x8000'0001u), rt(1u)), 3);
  EXPECT_I32(num::I32Rotl(rt(0x1234'5678u), rt(0u)), 0x1234'5678u);
  EXPECT_I32(num::I32Rotl(rt(0x1234'5678u), rt(32u)), 0x1234'5678u);
  EXPECT_I32(num::I32Rotl(rt(0x1234'5678u), rt(36u)), 0x2345'6781u);
  EXPECT_I32(num::I32Rotl(rt(0x1234'5678u), rt(kI32Neg1)), 0x091A'2B3Cu);  // by 31
  EXPECT_I32(num::I32Rotr(rt(0x8000'0001u), rt(1u)), 0xC000'0000u);
  EXPECT_I32(num::I32Rotr(rt(0x1234'5678u), rt(32u)), 0x1234'5678u);
  EXPECT_I32(num::I32Rotr(rt(0x1234'5678u), rt(4u)), 0x8123'4567u);
  EXPECT_I32(num::I32Rotr(rt(0x1234'5678u), rt(0x8000'0004u)), 0x8123'4567u);
  EXPECT_I32(num::I32Rotr(rt(0x1234'5678u), rt(kI32Neg1)), 0x2468'ACF0u);  // by 31
}

TEST(NumericI32, CountsAndTests) {
  EXPECT_I32(num::I32Clz(rt(0u)), 32);
  EXPECT_I32(num::I32Clz(rt(1u)), 31);
  EXPECT_I32(num::I32Clz(rt(kI32Min)), 0);
  EXPECT_I32(num::I32Clz(rt(0x0000'8000u)), 16);
  EXPECT_I32(num::I32Ctz(rt(0u)), 32);
  EXPECT_I32(num::I32Ctz(rt(kI32Min)), 31);
  EXPECT_I32(num::I32Ctz(rt(1u)), 0);
  EXPECT_I32(num::I32Ctz(rt(0x0001'0000u)), 16);
  EXPECT_I32(num::I32Popcnt(rt(0u)), 0);
  EXPECT_I32(num::I32Popcnt(rt(kI32Neg1)), 32);
  EXPECT_I32(num::I32Popcnt(rt(0xAAAA'5555u)), 16);
  EXPECT_I32(num::I32Eqz(rt(0u)), 1);
  EXPECT_I32(num::I32Eqz(rt(kI32Min)), 0);
  EXPECT_I32(num::I32Eqz(rt(1u)), 0);
}

TEST(NumericI32, Comparisons) {
  // kI32Min is the smallest signed and a large unsigned value.
  EXPECT_I32(num::I32LtS(rt(kI32Min), rt(0u)), 1);
  EXPECT_I32(num::I32LtU(rt(kI32Min), rt(0u)), 0);
  EXPECT_I32(num::I32GtS(rt(kI32Min), rt(0u)), 0);
  EXPECT_I32(num::I32GtU(rt(kI32Min), rt(0u)), 1);
  EXPECT_I32(num::I32LeS(rt(kI32Neg1), rt(0u)), 1);
  EXPECT_I32(num::I32LeU(rt(kI32Neg1), rt(0u)), 0);
  EXPECT_I32(num::I32GeS(rt(kI32Neg1), rt(0u)), 0);
  EXPECT_I32(num::I32GeU(rt(kI32Neg1), rt(0u)), 1);
  EXPECT_I32(num::I32LeS(rt(5u), rt(5u)), 1);
  EXPECT_I32(num::I32GeU(rt(5u), rt(5u)), 1);
  EXPECT_I32(num::I32LtS(rt(5u), rt(5u)), 0);
  EXPECT_I32(num::I32GtU(rt(5u), rt(5u)), 0);
  EXPECT_I32(num::I32Eq(rt(kI32Min), rt(kI32Min)), 1);
  EXPECT_I32(num::I32Eq(rt(1u), rt(2u)), 0);
  EXPECT_I32(num::I32Ne(rt(1u), rt(2u)), 1);
  EXPECT_I32(num::I32Ne(rt(0u), rt(0u)), 0);
}

TEST(NumericI32, SignExtension) {
  EXPECT_I32(num::I32Extend8S(rt(0x7Fu)), 0x7F);
  EXPECT_I32(num::I32Extend8S(rt(0x80u)), 0xFFFF'FF80u);
  EXPECT_I32(num::I32Extend8S(rt(0x1234'5680u)), 0xFFFF'FF80u);  // upper bits ignored
  EXPECT_I32(num::I32Extend8S(rt(0xFFFF'FF00u)), 0);
  EXPECT_I32(num::I32Extend16S(rt(0x7FFFu)), 0x7FFF);
  EXPECT_I32(num::I32Extend16S(rt(0x8000u)), 0xFFFF'8000u);
  EXPECT_I32(num::I32Extend16S(rt(0x1234'8000u)), 0xFFFF'8000u);
  EXPECT_I32(num::I32Extend16S(rt(0xFFFF'0000u)), 0);
}

TEST(NumericI64, AddSubMulWrap) {
  EXPECT_I64(num::I64Add(rt(uint64_t(0x7FFF'FFFF'FFFF'FFFF)), rt(uint64_t(1))), kI64Min);
  EXPECT_I64(num::I64Add(rt(kI64Neg1), rt(uint64_t(1))), 0);
  EXPECT_I64(num::I64Sub(rt(kI64Min), rt(uint64_t(1))), 0x7FFF'FFFF'FFFF'FFFFu);
  EXPECT_I64(num::I64Mul(rt(uint64_t(1) << 32), rt(uint64_t(1) << 32)), 0);
  EXPECT_I64(num::I64Mul(rt(kI64Min), rt(kI64Neg1)), kI64Min);
  EXPECT_I64(num::I64Mul(rt(uint64_t(0x0123'4567'89AB'CDEF)), rt(uint64_t(0xFEDC'BA98'7654'3210))),
             0x2236'D88F'E561'8CF0u);
}

TEST(NumericI64, DivRem) {
  using U = uint64_t;
  EXPECT_OK(num::I64DivS(rt(U(7)), rt(U(2))), 3);
  EXPECT_OK(num::I64DivS(rt(U(-7)), rt(U(2))), U(-3));
  EXPECT_OK(num::I64DivS(rt(kI64Min), rt(U(2))), 0xC000'0000'0000'0000u);
  EXPECT_OK(num::I64DivS(rt(kI64Min), rt(U(1))), kI64Min);
  EXPECT_TRAP(num::I64DivS(rt(kI64Min), rt(kI64Neg1)), IntegerOverflow);
  EXPECT_TRAP(num::I64DivS(rt(U(1)), rt(U(0))), IntegerDivideByZero);
  EXPECT_TRAP(num::I64DivS(rt(kI64Min), rt(U(0))), IntegerDivideByZero);
  // A 32-bit INT_MIN/-1 pattern is fine in 64 bits.
  EXPECT_OK(num::I64DivS(rt(U(0xFFFF'FFFF'8000'0000)), rt(kI64Neg1)), 0x8000'0000u);
  EXPECT_OK(num::I64DivU(rt(kI64Min), rt(kI64Neg1)), 0);
  EXPECT_OK(num::I64DivU(rt(kI64Neg1), rt(U(2))), 0x7FFF'FFFF'FFFF'FFFFu);
  EXPECT_TRAP(num::I64DivU(rt(U(1)), rt(U(0))), IntegerDivideByZero);
  EXPECT_OK(num::I64RemS(rt(kI64Min), rt(kI64Neg1)), 0);
  EXPECT_OK(num::I64RemS(rt(U(-7)), rt(U(2))), U(-1));
  EXPECT_OK(num::I64RemS(rt(U(7)), rt(U(-2))), 1);
  EXPECT_OK(num::I64RemS(rt(kI64Min), rt(U(3))), U(-2));
  EXPECT_TRAP(num::I64RemS(rt(U(1)), rt(U(0))), IntegerDivideByZero);
  EXPECT_OK(num::I64RemU(rt(kI64Min), rt(kI64Neg1)), kI64Min);
  EXPECT_OK(num::I64RemU(rt(U(-7)), rt(U(2))), 1);
  EXPECT_TRAP(num::I64RemU(rt(U(1)), rt(U(0))), IntegerDivideByZero);
}

TEST(NumericI64, BitwiseShiftsRotations) {
  using U = uint64_t;
  EXPECT_I64(num::I64And(rt(U(0xF0F0'FF00'0000'FFFF)), rt(U(0x0FF0'F0F0'FFFF'0000))), 0x00F0'F000'0000'0000u);
  EXPECT_I64(num::I64Or(rt(U(0xF0F0'FF00'0000'FFFF)), rt(U(0x0FF0'F0F0'FFFF'0000))), 0xFFF0'FFF0'FFFF'FFFFu);
  EXPECT_I64(num::I64Xor(rt(U(0xF0F0'FF00'0000'FFFF)), rt(U(0x0FF0'F0F0'FFFF'0000))), 0xFF00'0FF0'FFFF'FFFFu);
  EXPECT_I64(num::I64Shl(rt(U(1)), rt(U(63))), kI64Min);
  EXPECT_I64(num::I64Shl(rt(U(1)), rt(U(64))), 1);
  EXPECT_I64(num::I64Shl(rt(U(1)), rt(U(65))), 2);
  EXPECT_I64(num::I64Shl(rt(U(1)), rt(U(32))), U(1) << 32);  // not mod 32
  EXPECT_I64(num::I64Shl(rt(U(1)), rt(kI64Neg1)), kI64Min);
  EXPECT_I64(num::I64ShrS(rt(kI64Min), rt(U(63))), kI64Neg1);
  EXPECT_I64(num::I64ShrS(rt(kI64Min), rt(U(64))), kI64Min);
  EXPECT_I64(num::I64ShrS(rt(kI64Min), rt(U(65))), 0xC000'0000'0000'0000u);
  EXPECT_I64(num::I64ShrU(rt(kI64Min), rt(U(63))), 1);
  EXPECT_I64(num::I64ShrU(rt(kI64Min), rt(U(64))), kI64Min);
  EXPECT_I64(num::I64ShrU(rt(kI64Neg1), rt(kI64Neg1)), 1);
  EXPECT_I64(num::I64Rotl(rt(U(0x8000'0000'0000'0001)), rt(U(1))), 3);
  EXPECT_I64(num::I64Rotl(rt(U(0x0123'4567'89AB'CDEF)), rt(U(64))), 0x0123'4567'89AB'CDEFu);
  EXPECT_I64(num::I64Rotl(rt(U(0x0123'4567'89AB'CDEF)), rt(U(68))), 0x1234'5678'9ABC'DEF0u);
  EXPECT_I64(num::I64Rotl(rt(U(0x0123'4567'89AB'CDEF)), rt(U(0x8000'0000'0000'0004))),
             0x1234'5678'9ABC'DEF0u);
  EXPECT_I64(num::I64Rotr(rt(U(0x8000'0000'0000'0001)), rt(U(1))), 0xC000'0000'0000'0000u);
  EXPECT_I64(num::I64Rotr(rt(U(0x0123'4567'89AB'CDEF)), rt(U(4))), 0xF012'3456'789A'BCDEu);
  EXPECT_I64(num::I64Rotr(rt(U(0x0123'4567'89AB'CDEF)), rt(U(64))), 0x0123'4567'89AB'CDEFu);
  EXPECT_I64(num::I64Rotr(rt(U(0x0123'4567'89AB'CDEF)), rt(kI64Neg1)), 0x0246'8ACF'1357'9BDEu);
}

TEST(NumericI64, CountsTestsComparisons) {
  using U = uint64_t;
  EXPECT_I64(num::I64Clz(rt(U(0))), 64);
  EXPECT_I64(num::I64Clz(rt(U(1))), 63);
  EXPECT_I64(num::I64Clz(rt(U(1) << 32)), 31);
  EXPECT_I64(num::I64Ctz(rt(U(0))), 64);
  EXPECT_I64(num::I64Ctz(rt(kI64Min)), 63);
  EXPECT_I64(num::I64Ctz(rt(U(1) << 32)), 32);
  EXPECT_I64(num::I64Popcnt(rt(kI64Neg1)), 64);
  EXPECT_I64(num::I64Popcnt(rt(U(0x8000'0000'8000'0001))), 3);
  EXPECT_I32(num::I64Eqz(rt(U(0))), 1);
  EXPECT_I32(num::I64Eqz(rt(U(1) << 32)), 0);  // not just the low half
  EXPECT_I32(num::I64Eq(rt(U(1) << 32), rt(U(0))), 0);
  EXPECT_I32(num::I64Ne(rt(U(1) << 32), rt(U(0))), 1);
  EXPECT_I32(num::I64LtS(rt(kI64Min), rt(U(0))), 1);
  EXPECT_I32(num::I64LtU(rt(kI64Min), rt(U(0))), 0);
  EXPECT_I32(num::I64GtS(rt(kI64Min), rt(U(0))), 0);
  EXPECT_I32(num::I64GtU(rt(kI64Min), rt(U(0))), 1);
  EXPECT_I32(num::I64LeS(rt(kI64Neg1), rt(U(0))), 1);
  EXPECT_I32(num::I64LeU(rt(kI64Neg1), rt(U(0))), 0);
  EXPECT_I32(num::I64GeS(rt(kI64Neg1), rt(U(0))), 0);
  EXPECT_I32(num::I64GeU(rt(kI64Neg1), rt(U(0))), 1);
  EXPECT_I32(num::I64LtS(rt(U(0x8000'0000)), rt(U(0))), 0);  // positive in 64 bits
}

TEST(NumericI64, SignExtension) {
  using U = uint64_t;
  EXPECT_I64(num::I64Extend8S(rt(U(0x80))), 0xFFFF'FFFF'FFFF'FF80u);
  EXPECT_I64(num::I64Extend8S(rt(U(0x0123'4567'89AB'CD7F))), 0x7F);
  EXPECT_I64(num::I64Extend16S(rt(U(0x8000))), 0xFFFF'FFFF'FFFF'8000u);
  EXPECT_I64(num::I64Extend16S(rt(U(0xFFFF'FFFF'FFFF'7FFF))), 0x7FFF);
  EXPECT_I64(num::I64Extend32S(rt(U(0x8000'0000))), 0xFFFF'FFFF'8000'0000u);
  EXPECT_I64(num::I64Extend32S(rt(U(0xFFFF'FFFF'7FFF'FFFF))), 0x7FFF'FFFFu);
  EXPECT_I64(num::I64ExtendI32S(rt(0x8000'0000u)), 0xFFFF'FFFF'8000'0000u);
  EXPECT_I64(num::I64ExtendI32S(rt(0x7FFF'FFFFu)), 0x7FFF'FFFFu);
  EXPECT_I64(num::I64ExtendI32U(rt(0x8000'0000u)), 0x8000'0000u);
  EXPECT_I64(num::I64ExtendI32U(rt(kI32Neg1)), 0xFFFF'FFFFu);
  EXPECT_I32(num::I32WrapI64(rt(U(0x0123'4567'89AB'CDEF))), 0x89AB'CDEFu);
  EXPECT_I32(num::I32WrapI64(rt(U(0xFFFF'FFFF'0000'0000))), 0);
}

// ===========================================================================
// 2. Float operators
// ===========================================================================

TEST(NumericFloat, ArithmeticRoundsAndKeepsDenormals) {
  EXPECT_F32_EQ(num::F32Add(rt(1.0f), rt(2.0f)), 3.0f);
  EXPECT_F32_EQ(num::F32Add(rt(1.0f), rt(0x1p-24f)), 1.0f);  // tie -> even
  EXPECT_F32_EQ(num::F32Add(rt(1.0f), rt(0x1.000002p-24f)), 0x1.000002p0f);
  EXPECT_F32_BITS(num::F32Add(rt(0x1p-149f), rt(0x1p-149f)), 0x0000'0002u);  // no FTZ
  EXPECT_F32_BITS(num::F32Mul(rt(0x1p-126f), rt(0.5f)), 0x0040'0000u);  // no FTZ
  EXPECT_F32_BITS(num::F32Div(rt(0x1p-149f), rt(2.0f)), 0u);  // half of the min denormal: tie -> 0
  EXPECT_F32_BITS(num::F32Add(rt(-0.0f), rt(-0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Add(rt(-0.0f), rt(0.0f)), 0u);
  EXPECT_F32_BITS(num::F32Sub(rt(0.0f), rt(0.0f)), 0u);
  EXPECT_F32_BITS(num::F32Sub(rt(-0.0f), rt(0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Mul(rt(-0.0f), rt(5.0f)), 0x8000'0000u);
  EXPECT_F32_EQ(num::F32Mul(rt(0x1p127f), rt(2.0f)), std::numeric_limits<float>::infinity());
  EXPECT_F32_EQ(num::F32Div(rt(1.0f), rt(0.0f)), std::numeric_limits<float>::infinity());
  EXPECT_F32_EQ(num::F32Div(rt(1.0f), rt(-0.0f)), -std::numeric_limits<float>::infinity());
  EXPECT_F32_EQ(num::F32Div(rt(1.0f), rt(3.0f)), 0x1.555556p-2f);

  EXPECT_F64_EQ(num::F64Add(rt(1.0), rt(0x1p-53)), 1.0);
  EXPECT_F64_EQ(num::F64Add(rt(1.0), rt(0x1.0000000000001p-53)), 0x1.0000000000001p0);
  EXPECT_F64_BITS(num::F64Add(rt(0x1p-1074), rt(0x1p-1074)), 2u);
  EXPECT_F64_BITS(num::F64Sub(rt(-0.0), rt(0.0)), 0x8000'0000'0000'0000u);
  EXPECT_F64_BITS(num::F64Mul(rt(0x1p-1022), rt(0.5)), 0x0008'0000'0000'0000u);
  EXPECT_F64_EQ(num::F64Div(rt(-1.0), rt(0.0)), -std::numeric_limits<double>::infinity());
  EXPECT_F64_EQ(num::F64Div(rt(1.0), rt(3.0)), 0x1.5555555555555p-2);
}

TEST(NumericFloat, ArithmeticNaNs) {
  const float inf = std::numeric_limits<float>::infinity();
  // Invalid operations with no NaN input: the spec requires a canonical NaN.
  EXPECT_CANON(num::F32Add(rt(inf), rt(-inf)));
  EXPECT_CANON(num::F32Sub(rt(inf), rt(inf)));
  EXPECT_CANON(num::F32Mul(rt(0.0f), rt(inf)));
  EXPECT_CANON(num::F32Div(rt(0.0f), rt(0.0f)));
  EXPECT_CANON(num::F32Div(rt(inf), rt(-inf)));
  // Canonical NaN inputs only: the result must be canonical too.
  EXPECT_CANON(num::F32Add(rt(F(kF32Canon)), rt(1.0f)));
  EXPECT_CANON(num::F32Mul(rt(2.0f), rt(F(0xFFC0'0000u))));
  EXPECT_CANON(num::F32Div(rt(F(kF32Canon)), rt(F(0xFFC0'0000u))));
  // Any other NaN input: an arithmetic (quiet) NaN; a signalling one is quieted.
  EXPECT_ARITH(num::F32Add(rt(F(kF32SNaN)), rt(1.0f)));
  EXPECT_ARITH(num::F32Sub(rt(1.0f), rt(F(0xFFA0'0001u))));
  EXPECT_ARITH(num::F32Mul(rt(F(0x7FE0'0001u)), rt(1.0f)));
  EXPECT_ARITH(num::F32Div(rt(F(kF32SNaN)), rt(F(kF32Canon))));

  const double dinf = std::numeric_limits<double>::infinity();
  EXPECT_CANON(num::F64Add(rt(dinf), rt(-dinf)));
  EXPECT_CANON(num::F64Mul(rt(0.0), rt(dinf)));
  EXPECT_CANON(num::F64Div(rt(0.0), rt(-0.0)));
  EXPECT_CANON(num::F64Add(rt(D(kF64Canon)), rt(1.0)));
  EXPECT_ARITH(num::F64Add(rt(D(kF64SNaN)), rt(1.0)));
  EXPECT_ARITH(num::F64Mul(rt(1.0), rt(D(0xFFF0'0000'0000'0001u))));
}

TEST(NumericFloat, Sqrt) {
  EXPECT_F32_EQ(num::F32Sqrt(rt(4.0f)), 2.0f);
  EXPECT_F32_BITS(num::F32Sqrt(rt(2.0f)), 0x3FB5'04F3u);
  EXPECT_F32_EQ(num::F32Sqrt(rt(0x1p-149f)), 0x1.6a09e6p-75f);
  EXPECT_F32_BITS(num::F32Sqrt(rt(-0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Sqrt(rt(0.0f)), 0u);
  EXPECT_F32_EQ(num::F32Sqrt(rt(std::numeric_limits<float>::infinity())),
                std::numeric_limits<float>::infinity());
  EXPECT_CANON(num::F32Sqrt(rt(-1.0f)));
  EXPECT_CANON(num::F32Sqrt(rt(-std::numeric_limits<float>::infinity())));
  EXPECT_CANON(num::F32Sqrt(rt(F(kF32Canon))));
  EXPECT_ARITH(num::F32Sqrt(rt(F(kF32SNaN))));
  EXPECT_F64_EQ(num::F64Sqrt(rt(2.0)), 0x1.6a09e667f3bcdp0);
  EXPECT_F64_BITS(num::F64Sqrt(rt(-0.0)), 0x8000'0000'0000'0000u);
  EXPECT_F64_EQ(num::F64Sqrt(rt(0x1p-1074)), 0x1p-537);
  EXPECT_CANON(num::F64Sqrt(rt(-0x1p-1074)));
  EXPECT_ARITH(num::F64Sqrt(rt(D(kF64SNaN))));
}

TEST(NumericFloat, MinMaxZerosAndNaNs) {
  EXPECT_F32_BITS(num::F32Min(rt(-0.0f), rt(0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Min(rt(0.0f), rt(-0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Min(rt(0.0f), rt(0.0f)), 0u);
  EXPECT_F32_BITS(num::F32Min(rt(-0.0f), rt(-0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Max(rt(-0.0f), rt(0.0f)), 0u);
  EXPECT_F32_BITS(num::F32Max(rt(0.0f), rt(-0.0f)), 0u);
  EXPECT_F32_BITS(num::F32Max(rt(-0.0f), rt(-0.0f)), 0x8000'0000u);
  EXPECT_F32_EQ(num::F32Min(rt(1.0f), rt(2.0f)), 1.0f);
  EXPECT_F32_EQ(num::F32Min(rt(2.0f), rt(1.0f)), 1.0f);
  EXPECT_F32_EQ(num::F32Max(rt(1.0f), rt(2.0f)), 2.0f);
  EXPECT_F32_EQ(num::F32Max(rt(-2.0f), rt(-1.0f)), -1.0f);
  EXPECT_F32_EQ(num::F32Min(rt(-std::numeric_limits<float>::infinity()), rt(-0x1p127f)),
                -std::numeric_limits<float>::infinity());
  EXPECT_F32_BITS(num::F32Min(rt(F(1u)), rt(F(0x8000'0001u))), 0x8000'0001u);  // denormals
  EXPECT_F32_BITS(num::F32Max(rt(F(1u)), rt(F(0x8000'0001u))), 1u);
  // NaN in either position wins, quieted; canonical stays canonical.
  EXPECT_F32_BITS(num::F32Min(rt(F(kF32Canon)), rt(1.0f)), kF32Canon);
  EXPECT_F32_BITS(num::F32Min(rt(1.0f), rt(F(0xFFC0'0000u))), 0xFFC0'0000u);
  EXPECT_F32_BITS(num::F32Max(rt(F(kF32SNaN)), rt(1.0f)), 0x7FE0'0000u);
  EXPECT_F32_BITS(num::F32Max(rt(-std::numeric_limits<float>::infinity()), rt(F(0xFFA0'0001u))),
                  0xFFE0'0001u);
  EXPECT_F32_BITS(num::F32Min(rt(-0.0f), rt(F(kF32SNaN))), 0x7FE0'0000u);
  EXPECT_F32_BITS(num::F32Min(rt(F(0x7F80'0001u)), rt(F(kF32Canon))), 0x7FC0'0001u);
  EXPECT_ARITH(num::F32Max(rt(F(0x7F80'0001u)), rt(F(0x7F80'0002u))));

  EXPECT_F64_BITS(num::F64Min(rt(0.0), rt(-0.0)), 0x8000'0000'0000'0000u);
  EXPECT_F64_BITS(num::F64Min(rt(-0.0), rt(0.0)), 0x8000'0000'0000'0000u);
  EXPECT_F64_BITS(num::F64Max(rt(-0.0), rt(0.0)), 0u);
  EXPECT_F64_BITS(num::F64Max(rt(0.0), rt(-0.0)), 0u);
  EXPECT_F64_EQ(num::F64Min(rt(-1.5), rt(1.5)), -1.5);
  EXPECT_F64_EQ(num::F64Max(rt(-1.5), rt(1.5)), 1.5);
  EXPECT_F64_BITS(num::F64Min(rt(D(kF64Canon)), rt(0.0)), kF64Canon);
  EXPECT_F64_BITS(num::F64Max(rt(0.0), rt(D(kF64SNaN))), 0x7FFC'0000'0000'0000u);
  EXPECT_CANON(num::F64Max(rt(D(0xFFF8'0000'0000'0000u)), rt(D(kF64Canon))));
}

TEST(NumericFloat, AbsNegCopysignAreBitExact) {
  // Signalling NaNs are not quieted: these are bit operations.
  EXPECT_F32_BITS(num::F32Abs(rt(F(0xFFA0'0001u))), 0x7FA0'0001u);
  EXPECT_F32_BITS(num::F32Abs(rt(F(kF32SNaN))), kF32SNaN);
  EXPECT_F32_BITS(num::F32Abs(rt(-0.0f)), 0u);
  EXPECT_F32_BITS(num::F32Abs(rt(F(0x8000'0001u))), 1u);
  EXPECT_F32_EQ(num::F32Abs(rt(-std::numeric_limits<float>::infinity())),
                std::numeric_limits<float>::infinity());
  EXPECT_F32_BITS(num::F32Neg(rt(F(kF32SNaN))), 0xFFA0'0000u);
  EXPECT_F32_BITS(num::F32Neg(rt(F(0xFFC0'0000u))), kF32Canon);
  EXPECT_F32_BITS(num::F32Neg(rt(0.0f)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32Neg(rt(-0.0f)), 0u);
  EXPECT_F32_EQ(num::F32Neg(rt(1.5f)), -1.5f);
  EXPECT_F32_EQ(num::F32Copysign(rt(1.0f), rt(-0.0f)), -1.0f);
  EXPECT_F32_EQ(num::F32Copysign(rt(-1.0f), rt(0.0f)), 1.0f);
  EXPECT_F32_EQ(num::F32Copysign(rt(-1.0f), rt(-2.0f)), -1.0f);
  EXPECT_F32_EQ(num::F32Copysign(rt(2.0f), rt(F(0xFFC0'0000u))), -2.0f);  // sign of a NaN
  EXPECT_F32_EQ(num::F32Copysign(rt(-2.0f), rt(F(kF32SNaN))), 2.0f);
  EXPECT_F32_BITS(num::F32Copysign(rt(F(kF32SNaN)), rt(-1.0f)), 0xFFA0'0000u);
  EXPECT_F32_BITS(num::F32Copysign(rt(F(0xFFA0'0001u)), rt(F(0x7F80'0001u))), 0x7FA0'0001u);

  EXPECT_F64_BITS(num::F64Abs(rt(D(0xFFF4'0000'0000'0001u))), 0x7FF4'0000'0000'0001u);
  EXPECT_F64_BITS(num::F64Neg(rt(D(kF64SNaN))), 0xFFF4'0000'0000'0000u);
  EXPECT_F64_BITS(num::F64Neg(rt(0.0)), 0x8000'0000'0000'0000u);
  EXPECT_F64_EQ(num::F64Copysign(rt(3.0), rt(-0.0)), -3.0);
  EXPECT_F64_BITS(num::F64Copysign(rt(D(kF64SNaN)), rt(-0.0)), 0xFFF4'0000'0000'0000u);
  EXPECT_F64_EQ(num::F64Copysign(rt(-3.0), rt(D(kF64Canon))), 3.0);
}

TEST(NumericFloat, Comparisons) {
  const float nan = F(kF32Canon);
  EXPECT_I32(num::F32Eq(rt(0.0f), rt(-0.0f)), 1);
  EXPECT_I32(num::F32Ne(rt(0.0f), rt(-0.0f)), 0);
  EXPECT_I32(num::F32Lt(rt(-0.0f), rt(0.0f)), 0);
  EXPECT_I32(num::F32Le(rt(-0.0f), rt(0.0f)), 1);
  EXPECT_I32(num::F32Ge(rt(-0.0f), rt(0.0f)), 1);
  EXPECT_I32(num::F32Gt(rt(0.0f), rt(-0.0f)), 0);
  EXPECT_I32(num::F32Lt(rt(F(0x8000'0001u)), rt(F(1u))), 1);
  EXPECT_I32(num::F32Gt(rt(std::numeric_limits<float>::infinity()), rt(0x1.fffffep127f)), 1);
  for (float other : {0.0f, 1.0f, nan, F(kF32SNaN)}) {
    EXPECT_I32(num::F32Eq(rt(nan), rt(other)), 0);
    EXPECT_I32(num::F32Ne(rt(nan), rt(other)), 1);
    EXPECT_I32(num::F32Lt(rt(other), rt(nan)), 0);
    EXPECT_I32(num::F32Gt(rt(nan), rt(other)), 0);
    EXPECT_I32(num::F32Le(rt(nan), rt(other)), 0);
    EXPECT_I32(num::F32Ge(rt(other), rt(nan)), 0);
  }
  EXPECT_I32(num::F32Eq(rt(F(kF32SNaN)), rt(F(kF32SNaN))), 0);
  const double dnan = D(kF64Canon);
  EXPECT_I32(num::F64Eq(rt(0.0), rt(-0.0)), 1);
  EXPECT_I32(num::F64Lt(rt(-0.0), rt(0.0)), 0);
  EXPECT_I32(num::F64Le(rt(1.0), rt(1.0)), 1);
  EXPECT_I32(num::F64Gt(rt(1.0), rt(0x1.fffffffffffffp-1)), 1);
  EXPECT_I32(num::F64Eq(rt(dnan), rt(dnan)), 0);
  EXPECT_I32(num::F64Ne(rt(dnan), rt(dnan)), 1);
  EXPECT_I32(num::F64Lt(rt(dnan), rt(1.0)), 0);
  EXPECT_I32(num::F64Ge(rt(1.0), rt(dnan)), 0);
  EXPECT_I32(num::F64Ne(rt(D(kF64SNaN)), rt(0.0)), 1);
}

// One row: x, then ceil, floor, trunc, nearest of x.
template <class T>
struct RoundRow {
  T x, ceil, floor, trunc, nearest;
};

TEST(NumericFloat, RoundingF32) {
  const float inf = std::numeric_limits<float>::infinity();
  const RoundRow<float> rows[] = {
      {0.0f, 0.0f, 0.0f, 0.0f, 0.0f},
      {-0.0f, -0.0f, -0.0f, -0.0f, -0.0f},
      {0x1p-149f, 1.0f, 0.0f, 0.0f, 0.0f},
      {-0x1p-149f, -0.0f, -1.0f, -0.0f, -0.0f},
      {0.5f, 1.0f, 0.0f, 0.0f, 0.0f},
      {-0.5f, -0.0f, -1.0f, -0.0f, -0.0f},
      {0x1.fffffep-2f, 1.0f, 0.0f, 0.0f, 0.0f},  // 0.49999997: floor(x + 0.5) gets this wrong
      {-0x1.fffffep-2f, -0.0f, -1.0f, -0.0f, -0.0f},
      {0.7f, 1.0f, 0.0f, 0.0f, 1.0f},
      {-0.7f, -0.0f, -1.0f, -0.0f, -1.0f},
      {1.0f, 1.0f, 1.0f, 1.0f, 1.0f},
      {-1.0f, -1.0f, -1.0f, -1.0f, -1.0f},
      {1.5f, 2.0f, 1.0f, 1.0f, 2.0f},
      {-1.5f, -1.0f, -2.0f, -1.0f, -2.0f},
      {2.5f, 3.0f, 2.0f, 2.0f, 2.0f},  // ties to even
      {-2.5f, -2.0f, -3.0f, -2.0f, -2.0f},
      {3.5f, 4.0f, 3.0f, 3.0f, 4.0f},
      {4194303.5f, 4194304.0f, 4194303.0f, 4194303.0f, 4194304.0f},
      {4194302.5f, 4194303.0f, 4194302.0f, 4194302.0f, 4194302.0f},
      {8388607.5f, 8388608.0f, 8388607.0f, 8388607.0f, 8388608.0f},  // 2^23 - 0.5
      {-8388607.5f, -8388607.0f, -8388608.0f, -8388607.0f, -8388608.0f},
      {8388606.5f, 8388607.0f, 8388606.0f, 8388606.0f, 8388606.0f},
      {8388608.0f, 8388608.0f, 8388608.0f, 8388608.0f, 8388608.0f},  // 2^23
      {8388609.0f, 8388609.0f, 8388609.0f, 8388609.0f, 8388609.0f},  // odd, >= 2^23
      {-8388609.0f, -8388609.0f, -8388609.0f, -8388609.0f, -8388609.0f},
      {0x1.fffffep127f, 0x1.fffffep127f, 0x1.fffffep127f, 0x1.fffffep127f, 0x1.fffffep127f},
      {inf, inf, inf, inf, inf},
      {-inf, -inf, -inf, -inf, -inf},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(::testing::Message() << "x = " << std::hexfloat << r.x);
    EXPECT_F32_EQ(num::F32Ceil(rt(r.x)), r.ceil);
    EXPECT_F32_EQ(num::F32Floor(rt(r.x)), r.floor);
    EXPECT_F32_EQ(num::F32Trunc(rt(r.x)), r.trunc);
    EXPECT_F32_EQ(num::F32Nearest(rt(r.x)), r.nearest);
  }
  // NaN: quieted, payload and sign otherwise kept.
  for (auto fn : {num::F32Ceil, num::F32Floor, num::F32Trunc, num::F32Nearest}) {
    EXPECT_F32_BITS(fn(rt(F(kF32Canon))), kF32Canon);
    EXPECT_F32_BITS(fn(rt(F(0xFFC0'0000u))), 0xFFC0'0000u);
    EXPECT_F32_BITS(fn(rt(F(kF32SNaN))), 0x7FE0'0000u);
    EXPECT_F32_BITS(fn(rt(F(0xFF80'0001u))), 0xFFC0'0001u);
  }
}

TEST(NumericFloat, RoundingF64) {
  const double inf = std::numeric_limits<double>::infinity();
  const RoundRow<double> rows[] = {
      {0.0, 0.0, 0.0, 0.0, 0.0},
      {-0.0, -0.0, -0.0, -0.0, -0.0},
      {0x1p-1074, 1.0, 0.0, 0.0, 0.0},
      {-0x1p-1074, -0.0, -1.0, -0.0, -0.0},
      {0.5, 1.0, 0.0, 0.0, 0.0},
      {-0.5, -0.0, -1.0, -0.0, -0.0},
      {0x1.fffffffffffffp-2, 1.0, 0.0, 0.0, 0.0},  // 0.49999999999999994
      {-0x1.fffffffffffffp-2, -0.0, -1.0, -0.0, -0.0},
      {1.5, 2.0, 1.0, 1.0, 2.0},
      {-1.5, -1.0, -2.0, -1.0, -2.0},
      {2.5, 3.0, 2.0, 2.0, 2.0},
      {-2.5, -2.0, -3.0, -2.0, -2.0},
      {-3.7, -3.0, -4.0, -3.0, -4.0},
      {2251799813685247.5, 2251799813685248.0, 2251799813685247.0, 2251799813685247.0,
       2251799813685248.0},
      {4503599627370495.5, 4503599627370496.0, 4503599627370495.0, 4503599627370495.0,
       4503599627370496.0},  // 2^52 - 0.5
      {-4503599627370495.5, -4503599627370495.0, -4503599627370496.0, -4503599627370495.0,
       -4503599627370496.0},
      {4503599627370494.5, 4503599627370495.0, 4503599627370494.0, 4503599627370494.0,
       4503599627370494.0},
      {4503599627370497.0, 4503599627370497.0, 4503599627370497.0, 4503599627370497.0,
       4503599627370497.0},  // 2^52 + 1
      {0x1.fffffffffffffp1023, 0x1.fffffffffffffp1023, 0x1.fffffffffffffp1023,
       0x1.fffffffffffffp1023, 0x1.fffffffffffffp1023},
      {inf, inf, inf, inf, inf},
      {-inf, -inf, -inf, -inf, -inf},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(::testing::Message() << "x = " << std::hexfloat << r.x);
    EXPECT_F64_EQ(num::F64Ceil(rt(r.x)), r.ceil);
    EXPECT_F64_EQ(num::F64Floor(rt(r.x)), r.floor);
    EXPECT_F64_EQ(num::F64Trunc(rt(r.x)), r.trunc);
    EXPECT_F64_EQ(num::F64Nearest(rt(r.x)), r.nearest);
  }
  for (auto fn : {num::F64Ceil, num::F64Floor, num::F64Trunc, num::F64Nearest}) {
    EXPECT_F64_BITS(fn(rt(D(kF64Canon))), kF64Canon);
    EXPECT_F64_BITS(fn(rt(D(kF64SNaN))), 0x7FFC'0000'0000'0000u);
    EXPECT_F64_BITS(fn(rt(D(0xFFF0'0000'0000'0001u))), 0xFFF8'0000'0000'0001u);
  }
}

// ===========================================================================
// 2. Conversions
// ===========================================================================

// One row for a float->int truncation: input, then the trapping result
// (value or trap kind) and the saturating result.
template <class F, class R>
struct TruncRow {
  F x;
  TrapKind trap;
  R value;  // when trap == None
  R sat;
};

template <class F, class R>
void check_trunc(const char* name, TrapOr<R> (*trapping)(F), R (*saturating)(F),
                 std::initializer_list<TruncRow<F, R>> rows) {
  for (const auto& r : rows) {
    SCOPED_TRACE(::testing::Message() << name << "(" << std::hexfloat << r.x << ")");
    TrapOr<R> t = trapping(rt(r.x));
    EXPECT_EQ(t.trap, r.trap);
    if (r.trap == TrapKind::None) {
      EXPECT_PRED_FORMAT2(HexEq<R>, t.value, r.value);
    }
    EXPECT_PRED_FORMAT2(HexEq<R>, saturating(rt(r.x)), r.sat);
  }
}

constexpr TrapKind kOk = TrapKind::None;
constexpr TrapKind kOvf = TrapKind::IntegerOverflow;
constexpr TrapKind kInv = TrapKind::InvalidConversionToInteger;

TEST(NumericConvert, TruncF32ToI32) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = F(kF32Canon), snan = F(0xFFA0'0000u);
  check_trunc<float, uint32_t>("i32.trunc_f32_s", num::I32TruncF32S, num::I32TruncSatF32S, {
      {0.0f, kOk, 0, 0},
      {-0.0f, kOk, 0, 0},
      {0x1p-149f, kOk, 0, 0},
      {-0.9f, kOk, 0, 0},
      {1.9f, kOk, 1, 1},
      {-1.9f, kOk, 0xFFFF'FFFFu, 0xFFFF'FFFFu},
      {-2147483648.0f, kOk, 0x8000'0000u, 0x8000'0000u},        // -2^31: fits
      {-2147483904.0f, kOvf, 0, 0x8000'0000u},                  // next float below
      {2147483520.0f, kOk, 0x7FFF'FF80u, 0x7FFF'FF80u},         // largest float < 2^31
      {2147483648.0f, kOvf, 0, 0x7FFF'FFFFu},                   // 2^31
      {inf, kOvf, 0, 0x7FFF'FFFFu},
      {-inf, kOvf, 0, 0x8000'0000u},
      {nan, kInv, 0, 0},
      {snan, kInv, 0, 0},
  });
  check_trunc<float, uint32_t>("i32.trunc_f32_u", num::I32TruncF32U, num::I32TruncSatF32U, {
      {-0.0f, kOk, 0, 0},
      {-0x1.fffffep-1f, kOk, 0, 0},  // -0.99999994 truncates to -0
      {-1.0f, kOvf, 0, 0},
      {-inf, kOvf, 0, 0},
      {2147483648.0f, kOk, 0x8000'0000u, 0x8000'0000u},
      {4294967040.0f, kOk, 0xFFFF'FF00u, 0xFFFF'FF00u},  // largest float < 2^32
      {4294967296.0f, kOvf, 0, 0xFFFF'FFFFu},
      {inf, kOvf, 0, 0xFFFF'FFFFu},
      {nan, kInv, 0, 0},
      {F(0x7F80'0001u), kInv, 0, 0},
  });
}

TEST(NumericConvert, TruncF64ToI32) {
  const double inf = std::numeric_limits<double>::infinity();
  check_trunc<double, uint32_t>("i32.trunc_f64_s", num::I32TruncF64S, num::I32TruncSatF64S, {
      {-0.9999999999999999, kOk, 0, 0},
      {-2147483648.9, kOk, 0x8000'0000u, 0x8000'0000u},
      {-2147483649.0, kOvf, 0, 0x8000'0000u},
      {2147483647.9, kOk, 0x7FFF'FFFFu, 0x7FFF'FFFFu},
      {2147483648.0, kOvf, 0, 0x7FFF'FFFFu},
      {1e300, kOvf, 0, 0x7FFF'FFFFu},
      {-inf, kOvf, 0, 0x8000'0000u},
      {D(kF64Canon), kInv, 0, 0},
      {D(0xFFF0'0000'0000'0001u), kInv, 0, 0},
  });
  check_trunc<double, uint32_t>("i32.trunc_f64_u", num::I32TruncF64U, num::I32TruncSatF64U, {
      {-0.9999999999999999, kOk, 0, 0},
      {-1.0, kOvf, 0, 0},
      {4294967295.9, kOk, 0xFFFF'FFFFu, 0xFFFF'FFFFu},
      {4294967296.0, kOvf, 0, 0xFFFF'FFFFu},
      {1e16, kOvf, 0, 0xFFFF'FFFFu},
      {inf, kOvf, 0, 0xFFFF'FFFFu},
      {D(kF64SNaN), kInv, 0, 0},
  });
}

TEST(NumericConvert, TruncToI64) {
  using U = uint64_t;
  const float finf = std::numeric_limits<float>::infinity();
  const double inf = std::numeric_limits<double>::infinity();
  const U kMax = 0x7FFF'FFFF'FFFF'FFFFu;
  check_trunc<float, U>("i64.trunc_f32_s", num::I64TruncF32S, num::I64TruncSatF32S, {
      {-0.9f, kOk, 0, 0},
      {-0x1p63f, kOk, kI64Min, kI64Min},
      {-0x1.000002p63f, kOvf, 0, kI64Min},
      {0x1.fffffep62f, kOk, 0x7FFF'FF80'0000'0000u, 0x7FFF'FF80'0000'0000u},
      {0x1p63f, kOvf, 0, kMax},
      {finf, kOvf, 0, kMax},
      {-finf, kOvf, 0, kI64Min},
      {F(kF32Canon), kInv, 0, 0},
  });
  check_trunc<float, U>("i64.trunc_f32_u", num::I64TruncF32U, num::I64TruncSatF32U, {
      {-0x1.fffffep-1f, kOk, 0, 0},
      {-1.0f, kOvf, 0, 0},
      {0x1p63f, kOk, kI64Min, kI64Min},
      {0x1.fffffep63f, kOk, 0xFFFF'FF00'0000'0000u, 0xFFFF'FF00'0000'0000u},
      {0x1p64f, kOvf, 0, kI64Neg1},
      {finf, kOvf, 0, kI64Neg1},
      {F(kF32SNaN), kInv, 0, 0},
  });
  check_trunc<double, U>("i64.trunc_f64_s", num::I64TruncF64S, num::I64TruncSatF64S, {
      {-0.9999999999999999, kOk, 0, 0},
      {-0x1p63, kOk, kI64Min, kI64Min},
      {-0x1.0000000000001p63, kOvf, 0, kI64Min},
      {0x1.fffffffffffffp62, kOk, 0x7FFF'FFFF'FFFF'FC00u, 0x7FFF'FFFF'FFFF'FC00u},
      {0x1p63, kOvf, 0, kMax},
      {-inf, kOvf, 0, kI64Min},
      {4294967296.5, kOk, 0x1'0000'0000u, 0x1'0000'0000u},
      {-4294967296.5, kOk, U(-4294967296), U(-4294967296)},
      {D(kF64Canon), kInv, 0, 0},
  });
  check_trunc<double, U>("i64.trunc_f64_u", num::I64TruncF64U, num::I64TruncSatF64U, {
      {-0.9999999999999999, kOk, 0, 0},
      {-1.0, kOvf, 0, 0},
      {0x1p63, kOk, kI64Min, kI64Min},
      {0x1.fffffffffffffp63, kOk, 0xFFFF'FFFF'FFFF'F800u, 0xFFFF'FFFF'FFFF'F800u},
      {0x1p64, kOvf, 0, kI64Neg1},
      {inf, kOvf, 0, kI64Neg1},
      {-inf, kOvf, 0, 0},
      {D(0xFFF8'0000'0000'0000u), kInv, 0, 0},
  });
}

TEST(NumericConvert, IntToFloatIsCorrectlyRounded) {
  using U = uint64_t;
  EXPECT_F32_EQ(num::F32ConvertI32S(rt(16777217u)), 16777216.0f);  // tie -> even
  EXPECT_F32_EQ(num::F32ConvertI32S(rt(16777219u)), 16777220.0f);  // tie -> even
  EXPECT_F32_EQ(num::F32ConvertI32S(rt(kI32Min)), -0x1p31f);
  EXPECT_F32_EQ(num::F32ConvertI32S(rt(0x7FFF'FFFFu)), 0x1p31f);
  EXPECT_F32_EQ(num::F32ConvertI32S(rt(kI32Neg1)), -1.0f);
  EXPECT_F32_BITS(num::F32ConvertI32S(rt(0u)), 0u);  // +0, never -0
  EXPECT_F32_EQ(num::F32ConvertI32U(rt(kI32Neg1)), 0x1p32f);
  EXPECT_F32_EQ(num::F32ConvertI32U(rt(kI32Min)), 0x1p31f);
  EXPECT_F32_EQ(num::F32ConvertI32U(rt(0xFFFF'FF7Fu)), 0x1.fffffep31f);  // below the midpoint
  EXPECT_F32_EQ(num::F32ConvertI32U(rt(0xFFFF'FF80u)), 0x1p32f);         // tie -> even

  // The double-rounding trap: i64 -> f64 -> f32 would round twice.
  const U kTwice = 0x0020'0000'2000'0001u;  // 2^53 + 2^29 + 1
  EXPECT_F32_EQ(num::F32ConvertI64S(rt(kTwice)), 0x1.000002p53f);
  EXPECT_F32_EQ(num::F32ConvertI64U(rt(kTwice)), 0x1.000002p53f);
  EXPECT_NE(num::bits(float(double(int64_t(rt(kTwice))))), num::bits(0x1.000002p53f))
      << "via double should differ (otherwise this case tests nothing)";
  EXPECT_F32_EQ(num::F32ConvertI64S(rt(U(0xFFDF'FFFF'DFFF'FFFF))), -0x1.000002p53f);
  EXPECT_F32_EQ(num::F32ConvertI64S(rt(U(0x7FFF'FF40'0000'0001))), 0x1.fffffep62f);
  EXPECT_F32_EQ(num::F32ConvertI64S(rt(U(0x8000'0040'0000'0001))), -0x1.fffffep62f);
  EXPECT_F32_EQ(num::F32ConvertI64S(rt(U(0x7FFF'FFFF'FFFF'FFFF))), 0x1p63f);
  EXPECT_F32_EQ(num::F32ConvertI64S(rt(kI64Min)), -0x1p63f);
  EXPECT_F32_EQ(num::F32ConvertI64U(rt(kI64Neg1)), 0x1p64f);
  EXPECT_F32_EQ(num::F32ConvertI64U(rt(U(0x8000'0080'0000'0001))), 0x1.000002p63f);
  EXPECT_F32_EQ(num::F32ConvertI64U(rt(U(0x8000'0080'0000'0000))), 0x1p63f);  // tie -> even
  EXPECT_F32_EQ(num::F32ConvertI64U(rt(U(0xFFFF'FE80'0000'0001))), 0x1.fffffep63f);
  EXPECT_F32_EQ(num::F32ConvertI64U(rt(U(0x7FFF'FFBF'FFFF'FFFF))), 0x1.fffffep62f);

  EXPECT_F64_EQ(num::F64ConvertI32S(rt(kI32Min)), -2147483648.0);
  EXPECT_F64_EQ(num::F64ConvertI32S(rt(kI32Neg1)), -1.0);
  EXPECT_F64_EQ(num::F64ConvertI32U(rt(kI32Neg1)), 4294967295.0);
  EXPECT_F64_EQ(num::F64ConvertI64S(rt(U(9007199254740993))), 9007199254740992.0);
  EXPECT_F64_EQ(num::F64ConvertI64S(rt(U(9007199254740995))), 9007199254740996.0);
  EXPECT_F64_EQ(num::F64ConvertI64S(rt(kI64Min)), -0x1p63);
  EXPECT_F64_EQ(num::F64ConvertI64S(rt(kI64Neg1)), -1.0);
  EXPECT_F64_EQ(num::F64ConvertI64U(rt(kI64Neg1)), 0x1p64);
  EXPECT_F64_EQ(num::F64ConvertI64U(rt(U(0x8000'0000'0000'0400))), 0x1p63);  // tie -> even
  EXPECT_F64_EQ(num::F64ConvertI64U(rt(U(0x8000'0000'0000'0401))), 0x1.0000000000001p63);
  EXPECT_F64_EQ(num::F64ConvertI64U(rt(U(0xFFFF'FFFF'FFFF'F400))), 0x1.ffffffffffffep63);
  EXPECT_F64_EQ(num::F64ConvertI64U(rt(U(0xFFFF'FFFF'FFFF'F401))), 0x1.fffffffffffffp63);
}

TEST(NumericConvert, DemotePromote) {
  const float finf = std::numeric_limits<float>::infinity();
  EXPECT_F32_BITS(num::F32DemoteF64(rt(-0.0)), 0x8000'0000u);
  EXPECT_F32_BITS(num::F32DemoteF64(rt(0x1p-1074)), 0u);
  EXPECT_F32_BITS(num::F32DemoteF64(rt(-0x1p-1074)), 0x8000'0000u);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1p-149)), 0x1p-149f);
  EXPECT_F32_BITS(num::F32DemoteF64(rt(0x1p-150)), 0u);                 // tie -> even (0)
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.0000000000001p-150)), 0x1p-149f);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.fffffe0000000p-127)), 0x1p-126f);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.fffffdfffffffp-127)), 0x1.fffffcp-127f);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.fffffefffffffp127)), 0x1.fffffep127f);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.ffffffp127)), finf);  // tie -> even = overflow
  EXPECT_F32_EQ(num::F32DemoteF64(rt(-0x1.ffffffp127)), -finf);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(std::numeric_limits<double>::max())), finf);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.0000010000000p0)), 1.0f);
  EXPECT_F32_EQ(num::F32DemoteF64(rt(0x1.0000030000000p0)), 0x1.000004p0f);
  EXPECT_CANON(num::F32DemoteF64(rt(D(kF64Canon))));
  EXPECT_CANON(num::F32DemoteF64(rt(D(0xFFF8'0000'0000'0000u))));
  EXPECT_ARITH(num::F32DemoteF64(rt(D(kF64SNaN))));
  EXPECT_ARITH(num::F32DemoteF64(rt(D(0x7FF0'0000'0000'0001u))));  // payload only in low bits

  EXPECT_F64_BITS(num::F64PromoteF32(rt(-0.0f)), 0x8000'0000'0000'0000u);
  EXPECT_F64_EQ(num::F64PromoteF32(rt(0x1p-149f)), 0x1p-149);
  EXPECT_F64_EQ(num::F64PromoteF32(rt(0x1.fffffep127f)), 0x1.fffffep127);
  EXPECT_F64_EQ(num::F64PromoteF32(rt(-finf)), -std::numeric_limits<double>::infinity());
  EXPECT_CANON(num::F64PromoteF32(rt(F(kF32Canon))));
  EXPECT_ARITH(num::F64PromoteF32(rt(F(kF32SNaN))));
  EXPECT_ARITH(num::F64PromoteF32(rt(F(0xFF80'0001u))));
}

TEST(NumericConvert, ReinterpretKeepsEveryBit) {
  for (uint32_t b : {0x7FA0'0001u, 0xFF80'0001u, 0x7FC0'0000u, 0x8000'0000u, 0x0000'0001u}) {
    float f = num::F32ReinterpretI32(rt(b));
    EXPECT_I32(num::I32ReinterpretF32(rt(f)), b);
  }
  for (uint64_t b : {0x7FF0'0000'0000'0001u, 0xFFF4'0000'0000'0000u, 0x8000'0000'0000'0000u}) {
    double d = num::F64ReinterpretI64(rt(b));
    EXPECT_I64(num::I64ReinterpretF64(rt(d)), b);
  }
  EXPECT_I32(num::I32ReinterpretF32(rt(-1.0f)), 0xBF80'0000u);
  EXPECT_I64(num::I64ReinterpretF64(rt(-1.0)), 0xBFF0'0000'0000'0000u);
}

// ===========================================================================
// 3. Usable in constant expressions
// ===========================================================================

static_assert(num::I32DivS(7, 2).value == 3 && num::I32DivS(7, 2).ok());
static_assert(num::I32DivS(0x8000'0000u, 0xFFFF'FFFFu).trap == TrapKind::IntegerOverflow);
static_assert(num::I64RemS(kI64Min, kI64Neg1).value == 0 && num::I64RemS(kI64Min, kI64Neg1).ok());
static_assert(num::I64DivU(1, 0).trap == TrapKind::IntegerDivideByZero);
static_assert(num::I32Rotl(0x8000'0001u, 33) == 3);
static_assert(num::I64Clz(0) == 64);
static_assert(num::I32Extend8S(0x80) == 0xFFFF'FF80u);
static_assert(num::F32Nearest(2.5f) == 2.0f && num::F64Nearest(-3.5) == -4.0);
static_assert(num::bits(num::F32Ceil(-0.5f)) == 0x8000'0000u);
static_assert(num::F64Floor(-0.5) == -1.0 && num::F32Trunc(-1.9f) == -1.0f);
static_assert(num::bits(num::F32Min(0.0f, -0.0f)) == 0x8000'0000u);
static_assert(num::bits(num::F64Max(-0.0, 0.0)) == 0);
static_assert(num::bits(num::F32Neg(num::f32_from_bits(0x7FA0'0000u))) == 0xFFA0'0000u);
static_assert(num::I32TruncF32S(-2147483648.0f).value == 0x8000'0000u);
static_assert(num::I32TruncF64U(-1.0).trap == TrapKind::IntegerOverflow);
static_assert(num::I64TruncF64S(num::f64_from_bits(0x7FF8'0000'0000'0000u)).trap ==
              TrapKind::InvalidConversionToInteger);
static_assert(num::I64TruncSatF32U(-5.0f) == 0 && num::I32TruncSatF64S(1e10) == 0x7FFF'FFFFu);
static_assert(num::F32ConvertI64U(0x0020'0000'2000'0001u) == 0x1.000002p53f);
static_assert(num::F32ConvertI64S(0x0020'0000'2000'0001u) == 0x1.000002p53f);
static_assert(num::F32DemoteF64(0x1.fffffefffffffp127) == 0x1.fffffep127f);

// ===========================================================================
// 4. Cross-check against the spec testsuite
// ===========================================================================

#ifdef WGI_SPEC_TESTSUITE
const char* const kSuiteDir = WGI_SPEC_TESTSUITE;
#else
const char* const kSuiteDir = "";
#endif

// A minimal S-expression reader for .wast text: lists, atoms, strings;
// `;;` and nested `(; ;)` comments.
struct SExpr {
  enum Kind { Atom, String, List } kind = Atom;
  std::string text;  // Atom, String (raw, escapes not decoded)
  std::vector<SExpr> items;
  int line = 0;

  bool is_list(std::string_view head) const {
    return kind == List && !items.empty() && items[0].kind == Atom && items[0].text == head;
  }
};

class SExprReader {
 public:
  explicit SExprReader(std::string src) : s_(std::move(src)) {}

  // Reads all top-level forms; false on a syntax error.
  bool read_all(std::vector<SExpr>& out) {
    for (;;) {
      skip();
      if (p_ >= s_.size()) return true;
      SExpr e;
      if (!read(e)) return false;
      out.push_back(std::move(e));
    }
  }

 private:
  void skip() {
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == '\n') {
        ++line_, ++p_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++p_;
      } else if (s_.compare(p_, 2, ";;") == 0) {
        while (p_ < s_.size() && s_[p_] != '\n') ++p_;
      } else if (s_.compare(p_, 2, "(;") == 0) {
        int depth = 0;
        do {
          if (s_.compare(p_, 2, "(;") == 0) ++depth, p_ += 2;
          else if (s_.compare(p_, 2, ";)") == 0) --depth, p_ += 2;
          else if (s_[p_++] == '\n') ++line_;
        } while (depth > 0 && p_ < s_.size());
      } else {
        return;
      }
    }
  }

  bool read(SExpr& e) {
    e.line = line_;
    char c = s_[p_];
    if (c == '(') {
      ++p_;
      e.kind = SExpr::List;
      for (;;) {
        skip();
        if (p_ >= s_.size()) return false;
        if (s_[p_] == ')') {
          ++p_;
          return true;
        }
        SExpr child;
        if (!read(child)) return false;
        e.items.push_back(std::move(child));
      }
    }
    if (c == ')') return false;
    if (c == '"') {
      e.kind = SExpr::String;
      ++p_;
      while (p_ < s_.size() && s_[p_] != '"') {
        if (s_[p_] == '\\') e.text += s_[p_++];
        if (s_[p_] == '\n') ++line_;
        e.text += s_[p_++];
      }
      ++p_;
      return true;
    }
    size_t start = p_;
    while (p_ < s_.size() && !std::strchr(" \t\r\n()\";", s_[p_])) ++p_;
    e.text = s_.substr(start, p_ - start);
    return true;
  }

  std::string s_;
  size_t p_ = 0;
  int line_ = 1;
};

bool read_wast(const std::string& path, std::vector<SExpr>& forms) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  SExprReader r(ss.str());
  return r.read_all(forms);
}

std::string strip_underscores(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

// Integer literal, modulo 2^64 (callers truncate i32 values).
bool parse_int(std::string_view lit, uint64_t& out) {
  std::string s = strip_underscores(lit);
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  uint64_t v = 0;
  if (s.compare(i, 2, "0x") == 0) {
    i += 2;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      int d = std::isdigit(s[i]) ? s[i] - '0' : std::tolower(s[i]) - 'a' + 10;
      if (d < 0 || d > 15) return false;
      v = v * 16 + uint64_t(d);
    }
  } else {
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      if (!std::isdigit(s[i])) return false;
      v = v * 10 + uint64_t(s[i] - '0');
    }
  }
  out = neg ? uint64_t(0) - v : v;
  return true;
}

enum class Expect { Exact, CanonicalNaN, ArithmeticNaN };

// Float literal of type F into its bits; nan:canonical / nan:arithmetic set
// `expect` (they are only valid as expected results).
template <class F>
bool parse_float(std::string_view lit, uint64_t& out, Expect& expect) {
  using T = num::detail::FloatTraits<F>;
  std::string s = strip_underscores(lit);
  expect = Expect::Exact;
  bool neg = !s.empty() && s[0] == '-';
  std::string body = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
  typename T::Bits sign = neg ? T::kSign : 0;
  if (body == "nan:canonical") {
    expect = Expect::CanonicalNaN;
    return true;
  }
  if (body == "nan:arithmetic") {
    expect = Expect::ArithmeticNaN;
    return true;
  }
  if (body == "inf") {
    out = sign | T::kExp;
    return true;
  }
  if (body == "nan") {
    out = sign | T::kExp | T::kQuiet;
    return true;
  }
  if (body.rfind("nan:0x", 0) == 0) {
    uint64_t payload;
    if (!parse_int(body.substr(4), payload) || payload == 0) return false;
    out = sign | T::kExp | typename T::Bits(payload);
    return true;
  }
  char* end = nullptr;
  if constexpr (std::is_same_v<F, float>) {
    out = num::bits(std::strtof(s.c_str(), &end));
  } else {
    out = num::bits(std::strtod(s.c_str(), &end));
  }
  return end == s.c_str() + s.size();
}

// A typed constant `(t.const lit)`.
struct Const {
  char type;  // I L F D
  uint64_t bits = 0;
  Expect expect = Expect::Exact;
};

bool parse_const(const SExpr& e, Const& c) {
  if (e.kind != SExpr::List || e.items.size() != 2 || e.items[1].kind != SExpr::Atom) return false;
  const std::string& head = e.items[0].text;
  const std::string& lit = e.items[1].text;
  if (head == "i32.const") {
    c.type = 'I';
    if (!parse_int(lit, c.bits)) return false;
    c.bits &= 0xFFFF'FFFFu;
    return true;
  }
  if (head == "i64.const") {
    c.type = 'L';
    return parse_int(lit, c.bits);
  }
  if (head == "f32.const") {
    c.type = 'F';
    return parse_float<float>(lit, c.bits, c.expect);
  }
  if (head == "f64.const") {
    c.type = 'D';
    return parse_float<double>(lit, c.bits, c.expect);
  }
  return false;
}

// A function whose body is one expression tree of numeric ops, local.get
// and constants.
struct Func {
  std::vector<std::string> param_names;
  std::vector<char> param_types;
  char result = 0;
  const SExpr* body = nullptr;
};

char val_type(std::string_view t) {
  if (t == "i32") return 'I';
  if (t == "i64") return 'L';
  if (t == "f32") return 'F';
  if (t == "f64") return 'D';
  return 0;
}

// Type of a supported expression, or 0 when the tree uses anything else.
char check_expr(const SExpr& e, const Func& f) {
  if (e.kind != SExpr::List || e.items.empty() || e.items[0].kind != SExpr::Atom) return 0;
  const std::string& head = e.items[0].text;
  if (head == "local.get") {
    if (e.items.size() != 2) return 0;
    const std::string& x = e.items[1].text;
    for (size_t i = 0; i < f.param_names.size(); ++i)
      if (!x.empty() && x == f.param_names[i]) return f.param_types[i];
    uint64_t idx;
    if (x.empty() || x[0] == '$' || !parse_int(x, idx) || idx >= f.param_types.size()) return 0;
    return f.param_types[idx];
  }
  Const c;
  if (head.size() > 6 && head.compare(head.size() - 6, 6, ".const") == 0)
    return parse_const(e, c) && c.expect == Expect::Exact ? c.type : 0;
  const OpEntry* op = find_op(head);
  if (!op || int(e.items.size()) - 1 != op->arity) return 0;
  for (int i = 0; i < op->arity; ++i)
    if (check_expr(e.items[1 + i], f) != op->params[i]) return 0;
  return op->result;
}

Out eval_expr(const SExpr& e, const Func& f, const std::vector<uint64_t>& args) {
  const std::string& head = e.items[0].text;
  if (head == "local.get") {
    const std::string& x = e.items[1].text;
    for (size_t i = 0; i < f.param_names.size(); ++i)
      if (x == f.param_names[i]) return {args[i], TrapKind::None};
    uint64_t idx = 0;
    parse_int(x, idx);
    return {args[idx], TrapKind::None};
  }
  Const c;
  if (parse_const(e, c)) return {c.bits, TrapKind::None};
  const OpEntry* op = find_op(head);
  uint64_t operands[2] = {0, 0};
  for (int i = 0; i < op->arity; ++i) {
    Out o = eval_expr(e.items[1 + i], f, args);  // left to right; first trap wins
    if (o.trap != TrapKind::None) return o;
    operands[i] = o.bits;
  }
  return op->call(operands);
}

// Parses `(func ...)`; if its body is a single supported expression, adds
// it to `exports` under each of its export names (otherwise ignores it).
void load_func(const SExpr& fn, std::map<std::string, Func>& exports) {
  Func f;
  std::vector<std::string> names;
  std::vector<const SExpr*> body;
  for (size_t i = 1; i < fn.items.size(); ++i) {
    const SExpr& it = fn.items[i];
    if (i == 1 && it.kind == SExpr::Atom && it.text[0] == '$') continue;
    if (it.kind != SExpr::List) return;  // flat instructions: not handled
    if (it.is_list("export")) {
      if (it.items.size() != 2 || it.items[1].kind != SExpr::String) return;
      names.push_back(it.items[1].text);
    } else if (it.is_list("param")) {
      size_t j = 1;
      if (it.items.size() == 3 && it.items[1].text[0] == '$') {
        f.param_names.push_back(it.items[1].text);
        f.param_types.push_back(val_type(it.items[2].text));
        continue;
      }
      for (; j < it.items.size(); ++j) {
        f.param_names.emplace_back();
        f.param_types.push_back(val_type(it.items[j].text));
      }
    } else if (it.is_list("result")) {
      if (it.items.size() != 2 || f.result) return;
      f.result = val_type(it.items[1].text);
    } else if (it.is_list("type") || it.is_list("local") || it.is_list("import")) {
      return;
    } else {
      body.push_back(&it);
    }
  }
  for (char t : f.param_types)
    if (!t) return;
  if (names.empty() || body.size() != 1 || !f.result) return;
  if (check_expr(*body[0], f) != f.result) return;
  f.body = body[0];
  for (const auto& n : names) exports[n] = f;
}

struct SuiteStats {
  int checked = 0;  // assert_return / assert_trap commands evaluated
  int skipped = 0;  // commands on functions this test cannot evaluate
  int funcs = 0;    // functions evaluated at least once
};

bool results_match(const Const& want, char type, uint64_t got) {
  switch (want.expect) {
    case Expect::CanonicalNaN:
      return type == 'F' ? num::is_canonical_nan(num::f32_from_bits(uint32_t(got)))
                         : num::is_canonical_nan(num::f64_from_bits(got));
    case Expect::ArithmeticNaN:
      return type == 'F' ? num::is_arithmetic_nan(num::f32_from_bits(uint32_t(got)))
                         : num::is_arithmetic_nan(num::f64_from_bits(got));
    case Expect::Exact:
      return want.bits == got;
  }
  return false;
}

SuiteStats run_wast(const std::string& path) {
  SuiteStats st;
  std::vector<SExpr> forms;
  if (!read_wast(path, forms)) {
    ADD_FAILURE() << "cannot read or parse " << path;
    return st;
  }
  std::map<std::string, Func> exports;
  std::set<std::string> used;
  for (const SExpr& form : forms) {
    if (form.is_list("module")) {
      exports.clear();
      bool text_module = true;
      for (const auto& it : form.items)
        if (it.kind == SExpr::Atom && (it.text == "binary" || it.text == "quote")) text_module = false;
      if (!text_module) continue;
      for (const auto& it : form.items)
        if (it.is_list("func")) load_func(it, exports);
      continue;
    }
    bool is_return = form.is_list("assert_return");
    bool is_trap = form.is_list("assert_trap");
    if (!is_return && !is_trap) continue;
    if (form.items.size() < 2 || !form.items[1].is_list("invoke")) continue;
    const SExpr& inv = form.items[1];
    if (inv.items.size() < 2 || inv.items[1].kind != SExpr::String) {
      ++st.skipped;  // (invoke $module "name" ...)
      continue;
    }
    auto it = exports.find(inv.items[1].text);
    if (it == exports.end()) {
      ++st.skipped;
      continue;
    }
    const Func& f = it->second;
    std::vector<uint64_t> args;
    bool ok = inv.items.size() - 2 == f.param_types.size();
    for (size_t i = 2; ok && i < inv.items.size(); ++i) {
      Const c;
      ok = parse_const(inv.items[i], c) && c.type == f.param_types[i - 2];
      args.push_back(c.bits);
    }
    if (!ok) {
      ADD_FAILURE() << path << ":" << form.line << ": cannot read the arguments";
      continue;
    }
    used.insert(it->first);
    ++st.checked;
    Out got = eval_expr(*f.body, f, args);
    std::string where = path + ":" + std::to_string(form.line) + ": " + inv.items[1].text;
    if (is_return) {
      Const want;
      if (form.items.size() != 3 || !parse_const(form.items[2], want) || want.type != f.result) {
        ADD_FAILURE() << where << ": cannot read the expected result";
        continue;
      }
      EXPECT_EQ(got.trap, TrapKind::None) << where << ": trapped with " << trap_message(got.trap);
      if (got.trap == TrapKind::None) {
        EXPECT_TRUE(results_match(want, f.result, got.bits))
            << where << ": got 0x" << std::hex << got.bits << ", want 0x" << want.bits
            << (want.expect == Expect::CanonicalNaN    ? " (nan:canonical)"
                : want.expect == Expect::ArithmeticNaN ? " (nan:arithmetic)"
                                                       : "");
      }
    } else {
      if (form.items.size() != 3 || form.items[2].kind != SExpr::String) {
        ADD_FAILURE() << where << ": cannot read the trap message";
        continue;
      }
      TrapKind want = trap_kind_from_message(form.items[2].text);
      EXPECT_NE(want, TrapKind::None) << where << ": unknown message " << form.items[2].text;
      EXPECT_EQ(got.trap, want) << where << ": got " << trap_message(got.trap) << ", want "
                                << form.items[2].text;
    }
  }
  st.funcs = int(used.size());
  return st;
}

struct SuiteFile {
  const char* name;
  int min_checked;  // what the 3a04b2c snapshot yields; guards against silent skips
};

class NumericSpecSuite : public ::testing::TestWithParam<SuiteFile> {};

TEST_P(NumericSpecSuite, AgreesWithAssertReturnAndAssertTrap) {
  if (!*kSuiteDir) GTEST_SKIP() << "WGI_SPEC_TESTSUITE not set";
  std::string path = std::string(kSuiteDir) + "/" + GetParam().name;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  SuiteStats st = run_wast(path);
  std::printf("[ spec     ] %-18s %5d checked, %4d skipped, %3d functions\n", GetParam().name,
              st.checked, st.skipped, st.funcs);
  EXPECT_GE(st.checked, GetParam().min_checked);
}

INSTANTIATE_TEST_SUITE_P(Wast, NumericSpecSuite,
                         ::testing::Values(SuiteFile{"i32.wast", 374}, SuiteFile{"i64.wast", 384},
                                           SuiteFile{"f32.wast", 2500}, SuiteFile{"f64.wast", 2500},
                                           SuiteFile{"f32_cmp.wast", 2400}, SuiteFile{"f64_cmp.wast", 2400},
                                           SuiteFile{"f32_bitwise.wast", 360},
                                           SuiteFile{"f64_bitwise.wast", 360},
                                           SuiteFile{"conversions.wast", 593},
                                           SuiteFile{"float_misc.wast", 440},
                                           SuiteFile{"int_exprs.wast", 89},
                                           SuiteFile{"float_exprs.wast", 626},
                                           SuiteFile{"float_literals.wast", 82},
                                           SuiteFile{"int_literals.wast", 8},
                                           SuiteFile{"const.wast", 300}),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           n = n.substr(0, n.find('.'));
                           return n;
                         });

// Every assert_trap / assert_exhaustion message in the whole suite (core and
// proposals) names a TrapKind; assert_exhaustion names CallStackExhausted.
TEST(TrapTable, EverySuiteMessageIsKnown) {
  if (!*kSuiteDir || !std::filesystem::exists(kSuiteDir)) GTEST_SKIP() << "no testsuite";
  std::map<std::string, int> seen;
  int files = 0;
  for (const auto& de : std::filesystem::recursive_directory_iterator(kSuiteDir)) {
    if (de.path().extension() != ".wast") continue;
    std::vector<SExpr> forms;
    ASSERT_TRUE(read_wast(de.path().string(), forms)) << de.path();
    ++files;
    for (const SExpr& form : forms) {
      bool exhaustion = form.is_list("assert_exhaustion");
      if (!exhaustion && !form.is_list("assert_trap")) continue;
      ASSERT_GE(form.items.size(), 3u);
      const SExpr& msg = form.items.back();
      ASSERT_EQ(msg.kind, SExpr::String) << de.path() << ":" << form.line;
      TrapKind k = trap_kind_from_message(msg.text);
      EXPECT_TRUE(is_trap(k)) << de.path() << ":" << form.line << ": " << msg.text;
      EXPECT_EQ(is_exhaustion(k), exhaustion) << de.path() << ":" << form.line;
      ++seen[msg.text];
    }
  }
  EXPECT_GT(files, 50);
  for (const char* m : {"unreachable", "integer divide by zero", "integer overflow",
                        "invalid conversion to integer", "out of bounds memory access",
                        "out of bounds table access", "undefined element", "uninitialized element",
                        "indirect call type mismatch", "call stack exhausted", "unaligned atomic"})
    EXPECT_GT(seen[m], 0) << m;
}

}  // namespace
}  // namespace wgi::interp
