#include "interp/memory.h"

#include <sys/mman.h>

#include <cerrno>
#include <atomic>
#include <cstring>
#include <string>

namespace wgi::interp {

namespace {
// A memory of size 0 gets a base that is valid to form pointers from but
// never dereferenced: every access to it fails the bounds check first.
alignas(16) uint8_t g_empty_memory[16];
}  // namespace

bool MemoryBudget::charge(uint64_t bytes) {
  uint64_t used = used_.load();
  do {
    if (bytes > cap_ || used > cap_ - bytes) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes));
  return true;
}

Result<std::unique_ptr<Memory>> Memory::create(const MemoryType& type, std::shared_ptr<MemoryBudget> budget) {
  std::unique_ptr<Memory> m(new Memory());
  m->shared_ = type.limits.shared;
  m->has_max_ = type.limits.has_max;
  m->max_pages_ = type.limits.has_max ? type.limits.max : kMaxPages;
  if (m->max_pages_ > kMaxPages) m->max_pages_ = kMaxPages;
  if (type.limits.min > m->max_pages_)
    return make_error(ErrorCode::Runtime, kNoOffset, "memory minimum exceeds its maximum");

  m->reserved_ = static_cast<size_t>(m->max_pages_) * kPageSize;
  if (m->reserved_ == 0) {
    m->base_ = g_empty_memory;
  } else {
    // MAP_NORESERVE: reserving 4 GiB of address space costs no memory; only
    // pages made accessible and touched are backed.
    void* p = mmap(nullptr, m->reserved_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) {
      m->reserved_ = 0;
      return make_error(ErrorCode::Runtime, kNoOffset,
                        std::string("cannot reserve linear memory: ") + std::strerror(errno));
    }
    m->base_ = static_cast<uint8_t*>(p);
  }
  uint64_t bytes = type.limits.min * kPageSize;
  if (budget) {
    if (!budget->charge(bytes))
      return make_error(ErrorCode::Runtime, kNoOffset,
                        "a memory of " + std::to_string(bytes) + " bytes is over the limit of " +
                            std::to_string(budget->cap()) + " bytes of linear memory (--max-memory; " +
                            std::to_string(budget->used()) + " in use)");
    m->budget_ = std::move(budget);  // from here on, ~Memory gives size_ back
  }
  m->size_.store(bytes, std::memory_order_release);
  if (bytes > 0 && mprotect(m->base_, bytes, PROT_READ | PROT_WRITE) != 0)
    return make_error(ErrorCode::Runtime, kNoOffset,
                      std::string("cannot commit linear memory: ") + std::strerror(errno));
  return m;
}

Memory::~Memory() {
  if (reserved_ != 0) munmap(base_, reserved_);
  if (budget_) budget_->refund(size_.load());
}

MemoryType Memory::current_type() const {
  MemoryType t;
  t.limits.min = pages();
  t.limits.has_max = has_max_;
  t.limits.max = has_max_ ? max_pages_ : 0;
  t.limits.shared = shared_;
  return t;
}

void Memory::copy_in(uint64_t offset, const uint8_t* src, uint64_t n) {
  if (!shared_) {
    if (n) std::memcpy(base_ + offset, src, n);
    return;
  }
  for (uint64_t i = 0; i < n; ++i)
    std::atomic_ref<uint8_t>(base_[offset + i]).store(src[i], std::memory_order_relaxed);
}

int64_t Memory::grow(uint64_t delta_pages) {
  // Serialise growers; readers never take this lock (they read size_).
  std::lock_guard<std::mutex> lock(grow_mutex_);
  const uint64_t old_bytes = size_.load(std::memory_order_relaxed);
  const uint64_t old_pages = old_bytes / kPageSize;
  if (delta_pages > max_pages_ - old_pages) return -1;
  if (delta_pages == 0) return static_cast<int64_t>(old_pages);
  const uint64_t new_bytes = (old_pages + delta_pages) * kPageSize;
  if (budget_ && !budget_->charge(new_bytes - old_bytes)) return -1;
  if (mprotect(base_ + old_bytes, new_bytes - old_bytes, PROT_READ | PROT_WRITE) != 0) {
    if (budget_) budget_->refund(new_bytes - old_bytes);
    return -1;
  }
  // Release: the new pages are accessible before any thread can see a size
  // that covers them.
  size_.store(new_bytes, std::memory_order_release);
  return static_cast<int64_t>(old_pages);
}

}  // namespace wgi::interp
