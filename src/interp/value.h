// How Wasm values live in the interpreter: 64-bit slots.
//
// Every local and every operand-stack entry is one 8-byte slot (v128 takes
// two consecutive slots, low half first). i32 and f32 values occupy the low
// 32 bits of their slot, zero-extended on write; handlers read only the bits
// of their type, so the upper half is never significant. f32/f64 are stored
// as their IEEE bit patterns (never through an x87 register), so NaN
// payloads survive unchanged.
//
// References are pointer-sized: a funcref is a `const FuncInst*` (null = 0);
// an externref is an opaque host word (null = 0; the embedder chooses a
// non-zero encoding for non-null values).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "decoder/types.h"

namespace wgi::interp {

using Slot = uint64_t;
using Ref = uint64_t;
inline constexpr Ref kNullRef = 0;

// The unsigned integer of N bytes (N = 1, 2, 4, 8): how memory accesses and
// lanes move bits.
template <size_t N> struct UIntOf;
template <> struct UIntOf<1> { using type = uint8_t; };
template <> struct UIntOf<2> { using type = uint16_t; };
template <> struct UIntOf<4> { using type = uint32_t; };
template <> struct UIntOf<8> { using type = uint64_t; };
template <size_t N>
using UInt = typename UIntOf<N>::type;

// Slots a value of type t occupies.
constexpr uint32_t slot_count(ValType t) { return t == ValType::V128 ? 2 : 1; }

// Typed access to a slot. T is one of uint32_t, uint64_t, float, double.
template <class T>
inline T get(const Slot* s) {
  if constexpr (std::is_same_v<T, uint32_t>) return static_cast<uint32_t>(*s);
  else if constexpr (std::is_same_v<T, uint64_t>) return *s;
  else if constexpr (std::is_same_v<T, float>) return std::bit_cast<float>(static_cast<uint32_t>(*s));
  else return std::bit_cast<double>(*s);
}
template <class T>
inline void put(Slot* s, T v) {
  if constexpr (std::is_same_v<T, uint32_t>) *s = v;
  else if constexpr (std::is_same_v<T, uint64_t>) *s = v;
  else if constexpr (std::is_same_v<T, float>) *s = std::bit_cast<uint32_t>(v);
  else *s = std::bit_cast<uint64_t>(v);
}

}  // namespace wgi::interp
