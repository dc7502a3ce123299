// Guest memory as WASI host functions see it: every pointer and length a
// guest passes is checked against the memory's current size before it is
// used, so a bad one becomes Errno::Fault, never a host crash.
//
// The memory may be shared with Wasm threads running at the same time
// (wasi-threads), so accesses to a shared memory go through the
// interpreter's race-free forms (interp/mem_access.h); an unshared one is
// read and written directly. A memory never moves and only grows, so a
// range checked here stays valid for the call.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "interp/mem_access.h"
#include "interp/memory.h"

namespace wgi::wasi {

class GuestMemory {
 public:
  explicit GuestMemory(interp::Memory* mem) : mem_(mem) {}

  bool valid() const { return mem_ != nullptr; }
  bool shared() const { return mem_ && mem_->shared(); }
  // [ptr, ptr + len) lies inside the memory.
  bool in_bounds(uint32_t ptr, uint64_t len) const { return mem_ && uint64_t{ptr} + len <= mem_->size(); }
  // The host address of a range checked with in_bounds (unshared memories:
  // shared ones must be accessed through read/write).
  uint8_t* host(uint32_t ptr) const { return mem_->base() + ptr; }

  // Copies between guest and host; false when the range is out of bounds.
  bool read(uint32_t ptr, void* dst, uint64_t len) const {
    if (!in_bounds(ptr, len)) return false;
    if (mem_->shared()) interp::shared_move(static_cast<uint8_t*>(dst), host(ptr), len);
    else std::memcpy(dst, host(ptr), len);
    return true;
  }
  bool write(uint32_t ptr, const void* src, uint64_t len) const {
    if (!in_bounds(ptr, len)) return false;
    if (mem_->shared()) interp::shared_move(host(ptr), static_cast<const uint8_t*>(src), len);
    else std::memcpy(host(ptr), src, len);
    return true;
  }

  // Little-endian scalars (WASI's structs are laid out as wasm32 C).
  template <class T>
  std::optional<T> load(uint32_t ptr) const {
    if (!in_bounds(ptr, sizeof(T))) return std::nullopt;
    return mem_->shared() ? interp::shared_load<T>(host(ptr)) : interp::mem_load<T, false>(host(ptr));
  }
  template <class T>
  bool store(uint32_t ptr, T v) const {
    if (!in_bounds(ptr, sizeof(T))) return false;
    if (mem_->shared()) interp::shared_store<T>(host(ptr), v);
    else interp::mem_store<false>(host(ptr), v);
    return true;
  }

  // The guest's byte string [ptr, ptr + len), or nullopt when out of bounds.
  std::optional<std::string> string(uint32_t ptr, uint32_t len) const {
    std::string s(len, '\0');
    if (!read(ptr, s.data(), len)) return std::nullopt;
    return s;
  }

 private:
  interp::Memory* mem_;
};

}  // namespace wgi::wasi
