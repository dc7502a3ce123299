// Plain (non-atomic) accesses to linear memory, for both kinds of memory.
//
// Wasm code on other threads may race with any plain access to a shared
// memory. In C++ that would be undefined behaviour with plain loads and
// stores or memcpy, so accesses to a shared memory go through relaxed
// atomics: whole-width when the address is naturally aligned (an ordinary
// mov on x86-64), byte by byte otherwise (Wasm allows unaligned plain
// accesses). Racing accesses may thus tear, which Wasm permits; nothing is
// undefined. Unshared memories keep the memcpy fast path.
//
// The interpreter's handlers pick the form at compile time (the variant's
// MemKind, variants.def); host code writing into a shared memory that Wasm
// threads may be reading (the threadlink runtime) uses the shared_* forms.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>

#include "interp/simd.h"
#include "interp/value.h"

namespace wgi::interp {

template <class M>
inline M shared_load(const uint8_t* p) {
  using U = UInt<sizeof(M)>;
  U u;
  if ((reinterpret_cast<uintptr_t>(p) & (sizeof(U) - 1)) == 0) {
    u = std::atomic_ref<U>(*reinterpret_cast<U*>(const_cast<uint8_t*>(p))).load(std::memory_order_relaxed);
  } else {
    uint8_t b[sizeof(U)];
    for (size_t i = 0; i < sizeof(U); ++i)
      b[i] = std::atomic_ref<uint8_t>(const_cast<uint8_t&>(p[i])).load(std::memory_order_relaxed);
    std::memcpy(&u, b, sizeof(U));
  }
  return std::bit_cast<M>(u);
}

template <class M>
inline void shared_store(uint8_t* p, M v) {
  using U = UInt<sizeof(M)>;
  const U u = std::bit_cast<U>(v);
  if ((reinterpret_cast<uintptr_t>(p) & (sizeof(U) - 1)) == 0) {
    std::atomic_ref<U>(*reinterpret_cast<U*>(p)).store(u, std::memory_order_relaxed);
  } else {
    uint8_t b[sizeof(U)];
    std::memcpy(b, &u, sizeof(U));
    for (size_t i = 0; i < sizeof(U); ++i)
      std::atomic_ref<uint8_t>(p[i]).store(b[i], std::memory_order_relaxed);
  }
}

// memory.copy / memory.fill on a shared memory: relaxed atomic bytes, with
// memmove's direction rule for overlapping ranges.
inline void shared_move(uint8_t* dst, const uint8_t* src, uint64_t n) {
  if (dst == src || n == 0) return;
  auto copy_byte = [&](uint64_t i) {
    const uint8_t b = std::atomic_ref<uint8_t>(const_cast<uint8_t&>(src[i])).load(std::memory_order_relaxed);
    std::atomic_ref<uint8_t>(dst[i]).store(b, std::memory_order_relaxed);
  };
  if (dst < src) {
    for (uint64_t i = 0; i < n; ++i) copy_byte(i);
  } else {
    for (uint64_t i = n; i-- > 0;) copy_byte(i);
  }
}
inline void shared_fill(uint8_t* dst, uint8_t v, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) std::atomic_ref<uint8_t>(dst[i]).store(v, std::memory_order_relaxed);
}

// A plain scalar access of type M (any 1/2/4/8-byte integer, float or
// double), race-free when kShared.
template <class M, bool kShared>
inline M mem_load(const uint8_t* p) {
  if constexpr (kShared) {
    return shared_load<M>(p);
  } else {
    M m;
    std::memcpy(&m, p, sizeof(M));
    return m;
  }
}
template <bool kShared, class M>
inline void mem_store(uint8_t* p, M v) {
  if constexpr (kShared) shared_store<M>(p, v);
  else std::memcpy(p, &v, sizeof(M));
}

// N bytes of linear memory for a SIMD access, as a V128 (N == 16) or an
// unsigned integer.
template <size_t N, bool kShared>
inline auto vmem_read(const uint8_t* p) {
  if constexpr (N == 16) {
    return simd::V128{mem_load<uint64_t, kShared>(p), mem_load<uint64_t, kShared>(p + 8)};
  } else {
    return mem_load<UInt<N>, kShared>(p);
  }
}
template <bool kShared, class T>
inline void vmem_write(uint8_t* p, T v) {
  if constexpr (std::is_same_v<T, simd::V128>) {
    mem_store<kShared>(p, v.lo);
    mem_store<kShared>(p + 8, v.hi);
  } else {
    mem_store<kShared>(p, v);
  }
}

}  // namespace wgi::interp
