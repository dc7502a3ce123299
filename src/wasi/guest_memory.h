// Guest memory as WASI host functions see it: every pointer and length a
// guest passes is checked against the memory's current size before it is
// used, so a bad one becomes Errno::Fault, never a host crash.
//
// The memory may be shared with Wasm threads running at the same time
// (wasi-threads), so accesses to a shared memory go through the
// interpreter's race-free forms (interp/mem_access.h); an unshared one is
// read and written directly. A memory never moves and only grows, so a
// range checked here stays valid for the call.
//
// Every read and write here is an access of the calling thread: when the
// thread records events (--race, --trace), each one is recorded, so a host
// function's use of guest memory (buffers, iovecs, result pointers, paths)
// races with the guest's own accesses like a Wasm load or store would.
// Code that hands guest memory to the host directly (host()) records its
// accesses itself (record_guest_access).
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "interp/event_log.h"
#include "interp/mem_access.h"
#include "interp/memory.h"
#include "interp/thread.h"

namespace wgi::wasi {

// A traced thread's log (--race, --trace) hears that the host call it is
// in read (EventOp::Read) or wrote (EventOp::Write) the guest's
// [ptr, ptr + len): an access of the calling thread, at the call
// instruction, as if its own code had made it (wasi.cc).
void record_guest_access(interp::Thread& thread, interp::EventOp op, uint32_t ptr, uint64_t len);

class GuestMemory {
 public:
  // thread: the calling thread, whose accesses these are (null: none are
  // recorded).
  explicit GuestMemory(interp::Memory* mem, interp::Thread* thread = nullptr) : mem_(mem), thread_(thread) {}

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
    note(interp::EventOp::Read, ptr, len);
    return true;
  }
  bool write(uint32_t ptr, const void* src, uint64_t len) const {
    if (!in_bounds(ptr, len)) return false;
    if (mem_->shared()) interp::shared_move(host(ptr), static_cast<const uint8_t*>(src), len);
    else std::memcpy(host(ptr), src, len);
    note(interp::EventOp::Write, ptr, len);
    return true;
  }

  // Little-endian scalars (WASI's structs are laid out as wasm32 C).
  template <class T>
  std::optional<T> load(uint32_t ptr) const {
    if (!in_bounds(ptr, sizeof(T))) return std::nullopt;
    note(interp::EventOp::Read, ptr, sizeof(T));
    return mem_->shared() ? interp::shared_load<T>(host(ptr)) : interp::mem_load<T, false>(host(ptr));
  }
  template <class T>
  bool store(uint32_t ptr, T v) const {
    if (!in_bounds(ptr, sizeof(T))) return false;
    if (mem_->shared()) interp::shared_store<T>(host(ptr), v);
    else interp::mem_store<false>(host(ptr), v);
    note(interp::EventOp::Write, ptr, sizeof(T));
    return true;
  }

  // The guest's byte string [ptr, ptr + len), or nullopt when out of bounds.
  std::optional<std::string> string(uint32_t ptr, uint32_t len) const {
    std::string s(len, '\0');
    if (!read(ptr, s.data(), len)) return std::nullopt;
    return s;
  }

  // Records an access made through host() (see the file comment).
  void note(interp::EventOp op, uint32_t ptr, uint64_t len) const {
    if (thread_ != nullptr && thread_->trace_ != nullptr && len != 0) record_guest_access(*thread_, op, ptr, len);
  }

 private:
  interp::Memory* mem_;
  interp::Thread* thread_;
};

}  // namespace wgi::wasi
