// Linear memory.
//
// The whole maximum size (the declared maximum, else 4 GiB) is reserved as
// address space up front with PROT_NONE, and pages are made accessible as the
// memory grows. So the base address never moves: compiled code and other
// threads can keep `base()` in a register across memory.grow, which the
// threads proposal needs (a shared memory grows under running threads).
//
// The current size is an atomic. A thread that cached an older, smaller size
// only ever sees too little memory, never too much: its bounds check fails,
// and the slow path re-reads size() before trapping (see exec.cc).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "decoder/types.h"
#include "util/result.h"

namespace wgi::interp {

// A cap on the bytes of linear memory that a set of memories (a program's:
// wgi run --max-memory) may hold together. Each memory charges its size
// when created and each growth when it happens, and gives it all back when
// destroyed. Thread-safe.
class MemoryBudget {
 public:
  explicit MemoryBudget(uint64_t cap_bytes) : cap_(cap_bytes) {}
  // Takes `bytes` from the budget; false (and nothing taken) if that would
  // exceed the cap.
  bool charge(uint64_t bytes);
  void refund(uint64_t bytes) { used_.fetch_sub(bytes); }
  uint64_t cap() const { return cap_; }
  uint64_t used() const { return used_.load(); }

 private:
  const uint64_t cap_;
  std::atomic<uint64_t> used_{0};
};

class Memory {
 public:
  // budget: the cap this memory counts against (null: none). A memory
  // whose minimum does not fit is an error, a growth that does not fit
  // returns -1 (the spec lets memory.grow fail for any reason).
  static Result<std::unique_ptr<Memory>> create(const MemoryType& type,
                                                std::shared_ptr<MemoryBudget> budget = nullptr);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  uint8_t* base() const { return base_; }
  uint64_t size() const { return size_.load(std::memory_order_acquire); }  // bytes
  uint64_t pages() const { return size() / kPageSize; }
  bool shared() const { return shared_; }
  uint64_t max_pages() const { return max_pages_; }
  // The type this memory has now (min = current size), for import matching.
  MemoryType current_type() const;

  // memory.grow: the old size in pages, or -1 when growing by delta would
  // exceed the maximum (or the host refuses the memory).
  int64_t grow(uint64_t delta_pages);

  // Copies n bytes from outside linear memory to [offset, offset + n),
  // which must be in bounds. On a shared memory other threads may be
  // accessing the same bytes, so each byte is a relaxed atomic store there.
  void copy_in(uint64_t offset, const uint8_t* src, uint64_t n);

 private:
  Memory() = default;

  uint8_t* base_ = nullptr;
  size_t reserved_ = 0;
  std::atomic<uint64_t> size_{0};
  uint64_t max_pages_ = 0;
  bool has_max_ = false;
  bool shared_ = false;
  std::mutex grow_mutex_;
  std::shared_ptr<MemoryBudget> budget_;  // what size_ is charged to
};

}  // namespace wgi::interp
