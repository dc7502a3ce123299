#include "race/shadow.h"
#include "util/spin.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <thread>

namespace wgi::race {

namespace {

constexpr uint64_t kGranule = 4;
// A cell's w holding this says "split": r is the index of its four byte
// cells. A cell's r with the marker slot is a read-set index.
constexpr Epoch kSplit = kAtomicBit | make_epoch(kMarkerSlot, 0);
constexpr bool is_marker(Epoch e) { return slot_of(e) == kMarkerSlot; }

// Every field of a top-level cell is read without the lock by the fast
// paths, so all its accesses go through atomic_ref (relaxed: the stripe lock
// orders the rest).
inline uint32_t ld(uint32_t& f) { return std::atomic_ref<uint32_t>(f).load(std::memory_order_relaxed); }
inline void st(uint32_t& f, uint32_t v) { std::atomic_ref<uint32_t>(f).store(v, std::memory_order_relaxed); }

// w_site's top bit is a top-level cell's lock (Shadow::lock); sites stay
// below it. Reading masks it, writing keeps it.
constexpr uint32_t kLockBit = 1u << 31;
inline uint32_t w_site(uint32_t& f) { return ld(f) & ~kLockBit; }
inline void set_w_site(uint32_t& f, uint32_t site) { st(f, (site & ~kLockBit) | (ld(f) & kLockBit)); }

}  // namespace

// Split granules and read sets live in chunked arrays whose chunks never
// move, so an index stays valid while other threads allocate; allocation
// and freeing take the pool's mutex, reading an entry needs only the stripe
// lock of the granule that owns it.
struct Shadow::Pool {
  static constexpr uint32_t kChunk = 4096;
  static constexpr uint32_t kChunks = (kClockMax + 1) / kChunk;  // indices fit a clock field
  template <class T>
  struct Array {
    std::atomic<T*> chunks[kChunks] = {};
    std::vector<uint32_t> free;
    uint32_t next = 1;  // index 0 is never handed out
    uint64_t live = 0;
    ~Array() {
      for (auto& c : chunks) delete[] c.load();
    }
    T& at(uint32_t i) { return chunks[i / kChunk].load(std::memory_order_acquire)[i % kChunk]; }
    // 0 when full.
    uint32_t alloc() {
      ++live;
      if (!free.empty()) {
        const uint32_t i = free.back();
        free.pop_back();
        return i;
      }
      if (next / kChunk >= kChunks) {
        --live;
        return 0;
      }
      if (chunks[next / kChunk].load(std::memory_order_relaxed) == nullptr)
        chunks[next / kChunk].store(new T[kChunk](), std::memory_order_release);
      return next++;
    }
    void release(uint32_t i) {
      --live;
      free.push_back(i);
    }
  };
  struct Bytes {
    Cell b[kGranule];
  };
  std::mutex mu;
  Array<Bytes> splits;
  Array<ReadSet> sets;
  uint64_t set_entries = 0;  // approximate, for usage()
};

Shadow::Shadow(uint64_t max_bytes)
    : max_bytes_(max_bytes), pool_(std::make_unique<Pool>()) {
  const uint64_t cells = (max_bytes + kGranule - 1) / kGranule;
  reserved_bytes_ = std::max<size_t>(cells * sizeof(Cell), 4096);
  void* p = mmap(nullptr, reserved_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  cells_ = static_cast<Cell*>(p);
}

Shadow::~Shadow() { munmap(cells_, reserved_bytes_); }

// The lock is a bit of the cell's own w_site: taking it brings in the cache
// line the check needs anyway (a separate lock table cost a second line
// transfer per access when threads share data).
inline void Shadow::lock(Cell& c) {
  std::atomic_ref<uint32_t> l(c.w_site);
  int spins = 0;
  while (l.fetch_or(kLockBit, std::memory_order_acquire) & kLockBit)
    while (l.load(std::memory_order_relaxed) & kLockBit) spin_pause(spins);
}

inline void Shadow::unlock(Cell& c) {
  std::atomic_ref<uint32_t>(c.w_site).store(ld(c.w_site) & ~kLockBit, std::memory_order_release);
}

Shadow::ReadSet& Shadow::read_set(Epoch r) { return pool_->sets.at(clock_of(r)); }

uint32_t Shadow::new_read_set() {
  std::lock_guard<std::mutex> g(pool_->mu);
  return pool_->sets.alloc();
}

void Shadow::free_read_set(Epoch r) {
  ReadSet& s = read_set(r);
  s.entries.clear();
  publish(s);
  std::lock_guard<std::mutex> g(pool_->mu);
  pool_->set_entries -= std::min<uint64_t>(pool_->set_entries, s.entries.capacity());
  s.entries.shrink_to_fit();
  pool_->sets.release(clock_of(r));
}

// Under the cell's lock, after the entries changed. Release stores: a
// thread that reads a hint and then finds the cell still pointing at this
// set knows the hint is this set's (the writer repoints the cell before it
// frees a set, and the pool's mutex orders a reuse after the free).
void Shadow::publish(ReadSet& s) {
  for (size_t k = 0; k < kHints; ++k)
    std::atomic_ref<Epoch>(s.hints[k]).store(k < s.entries.size() ? s.entries[k].e : 0,
                                              std::memory_order_release);
}

Shadow::Cell* Shadow::split_cells(uint32_t index) { return pool_->splits.at(index).b; }

void Shadow::add_conflict(std::vector<Conflict>& out, uint64_t lo, uint64_t hi, Epoch prev, uint32_t site,
                          bool write) {
  if (!out.empty()) {
    Conflict& last = out.back();
    if (last.prev == prev && last.prev_site == site && last.prev_write == write &&
        last.addr + last.size == lo) {
      last.size += hi - lo;
      return;
    }
  }
  out.push_back(Conflict{lo, hi - lo, prev, site, write});
}

void Shadow::check_cell(Cell& c, const Access& a, uint64_t lo, uint64_t hi, const VectorClock& vc,
                        std::vector<Conflict>& out) {
  const Epoch me = a.now | (a.atomic ? kAtomicBit : 0);
  // Does the remembered access prev race with a? Same thread (slot) or
  // ordered before a: no; both atomic: no.
  auto races = [&](Epoch prev) {
    if (prev == 0) return false;
    if (a.atomic && is_atomic(prev)) return false;
    return !vc.covers(plain(prev));
  };
  const Epoch w = ld(c.w), r = ld(c.r);
  if (races(w)) add_conflict(out, lo, hi, w, w_site(c.w_site), true);
  if (a.write) {
    if (is_marker(r)) {
      ReadSet& s = read_set(r);
      for (const ReadEntry& e : s.entries)
        if (races(e.e)) add_conflict(out, lo, hi, e.e, e.site, false);
      // The reads a follows are done with: any later access that races with
      // one of them races with a too. Keep the concurrent ones (atomic
      // reads beside an atomic write, or reads just reported).
      std::erase_if(s.entries, [&](const ReadEntry& e) { return vc.covers(plain(e.e)); });
      if (s.entries.size() <= 1) {
        const ReadEntry last = s.entries.empty() ? ReadEntry{0, 0} : s.entries[0];
        st(c.r, last.e);  // repoint the cell first (publish())
        st(c.r_site, last.site);
        free_read_set(r);
      } else {
        publish(s);
      }
    } else {
      if (races(r)) add_conflict(out, lo, hi, r, ld(c.r_site), false);
      if (r != 0 && vc.covers(plain(r))) {
        st(c.r, 0);
        st(c.r_site, 0);
      }
    }
    st(c.w, me);
    set_w_site(c.w_site, a.site);
    return;
  }
  // A read. FastTrack: one epoch while each read follows the last; a read
  // set once two are concurrent.
  const uint32_t my_slot = slot_of(a.now);
  if (is_marker(r)) {
    ReadSet& s = read_set(r);
    for (ReadEntry& e : s.entries) {
      if (slot_of(e.e) == my_slot) {
        e = {me, a.site};
        publish(s);
        return;
      }
    }
    const size_t cap = s.entries.capacity();
    s.entries.push_back({me, a.site});
    publish(s);
    if (s.entries.capacity() != cap) {
      std::lock_guard<std::mutex> g(pool_->mu);
      pool_->set_entries += s.entries.capacity() - cap;
    }
    return;
  }
  // Replace the read epoch when the new read follows it; but a plain read
  // is not replaced by an atomic one of another thread (a later atomic write
  // races with the plain read only), and that case keeps both.
  if (r == 0 || slot_of(r) == my_slot || (vc.covers(plain(r)) && !(a.atomic && !is_atomic(r)))) {
    st(c.r, me);
    st(c.r_site, a.site);
    return;
  }
  const uint32_t idx = new_read_set();
  if (idx == 0) {
    full_.store(true, std::memory_order_relaxed);
    return;
  }
  ReadSet& s = pool_->sets.at(idx);
  s.entries.reserve(4);
  s.entries.push_back({r, ld(c.r_site)});
  s.entries.push_back({me, a.site});
  publish(s);
  {
    std::lock_guard<std::mutex> g(pool_->mu);
    pool_->set_entries += s.entries.capacity();
  }
  st(c.r, make_epoch(kMarkerSlot, idx));
  st(c.r_site, 0);
}

// The lock-free same-epoch check of a read-shared granule (publish()).
inline bool Shadow::seen_in_set(Cell& c, Epoch r, Epoch me, Epoch now) {
  const ReadSet& s = read_set(r);
  for (size_t k = 0; k < kHints; ++k) {
    const Epoch h = std::atomic_ref<Epoch>(const_cast<Epoch&>(s.hints[k])).load(std::memory_order_acquire);
    if (h == me || h == now) return ld(c.r) == r;
  }
  return false;
}

bool Shadow::split(Cell& c) {
  uint32_t idx;
  {
    std::lock_guard<std::mutex> g(pool_->mu);
    idx = pool_->splits.alloc();
  }
  if (idx == 0) {
    full_.store(true, std::memory_order_relaxed);
    return false;
  }
  Cell* b = split_cells(idx);
  const Epoch r = ld(c.r);
  for (uint64_t i = 0; i < kGranule; ++i) {
    b[i] = Cell{ld(c.w), w_site(c.w_site), r, ld(c.r_site)};
    if (is_marker(r)) {  // each byte gets its own copy of the read set
      if (i == 0) continue;  // byte 0 takes the original
      const uint32_t copy = new_read_set();
      if (copy == 0) {
        full_.store(true, std::memory_order_relaxed);
        b[i].r = 0;
        continue;
      }
      ReadSet& dst = pool_->sets.at(copy);
      dst.entries = read_set(r).entries;
      publish(dst);
      b[i].r = make_epoch(kMarkerSlot, copy);
    }
  }
  st(c.r, make_epoch(kMarkerSlot, idx));  // never equal to a thread's epoch
  st(c.r_site, 0);
  st(c.w, kSplit);
  set_w_site(c.w_site, 0);
  return true;
}

// Back to one cell when the four bytes have one history again.
void Shadow::maybe_merge(Cell& c) {
  const uint32_t idx = clock_of(ld(c.r));
  Cell* b = split_cells(idx);
  for (uint64_t i = 1; i < kGranule; ++i)
    if (b[i].w != b[0].w || b[i].w_site != b[0].w_site || b[i].r != b[0].r || b[i].r_site != b[0].r_site ||
        is_marker(b[i].r))
      return;
  st(c.w, b[0].w);
  set_w_site(c.w_site, b[0].w_site);
  st(c.r, b[0].r);
  st(c.r_site, b[0].r_site);
  std::lock_guard<std::mutex> g(pool_->mu);
  pool_->splits.release(idx);
}

// Flattened: the cell checks are the detector's inner loop (one call per
// access of a shared memory), and the calls cost as much as the checks.
[[gnu::flatten]] bool Shadow::access(const Access& a, const VectorClock& vc, std::vector<Conflict>& out) {
  if (full_.load(std::memory_order_relaxed)) return false;
  const uint64_t end = a.addr + a.size;
  if (a.size == 0 || end > max_bytes_) return true;  // out of bounds accesses trap before this
  const Epoch me = a.now | (a.atomic ? kAtomicBit : 0);
  for (uint64_t g = a.addr / kGranule, last = (end - 1) / kGranule; g <= last; ++g) {
    const uint64_t lo = std::max(a.addr, g * kGranule), hi = std::min(end, g * kGranule + kGranule);
    Cell& c = cells_[g];
    if (hi - lo == kGranule) {
      // FastTrack's same-epoch paths: this thread already made such an
      // access since its last synchronisation (an atomic one is implied
      // by a plain one).
      const Epoch w = ld(c.w);
      if (w != kSplit) {
        const Epoch r = ld(c.r);
        if (a.write ? (w == me || w == a.now) : (r == me || r == a.now)) continue;
        if (!a.write && is_marker(r) && seen_in_set(c, r, me, a.now)) continue;
      }
    }
    lock(c);
    Epoch w = ld(c.w);
    if (w == 0 && ld(c.r) == 0 && a.fresh)  // one writer per counter: no read-modify-write
      a.fresh->store(a.fresh->load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (w != kSplit && hi - lo == kGranule) {
      check_cell(c, a, lo, hi, vc, out);
    } else {
      if (w != kSplit && !split(c)) {
        unlock(c);
        return false;
      }
      Cell* b = split_cells(clock_of(ld(c.r)));
      for (uint64_t x = lo; x < hi; ++x) check_cell(b[x - g * kGranule], a, x, x + 1, vc, out);
      maybe_merge(c);
    }
    unlock(c);
  }
  return !full_.load(std::memory_order_relaxed);
}

Shadow::Usage Shadow::usage() const {
  Usage u;
  std::lock_guard<std::mutex> g(pool_->mu);
  u.split_bytes = pool_->splits.live * sizeof(Pool::Bytes);
  u.read_set_bytes = pool_->sets.live * sizeof(ReadSet) + pool_->set_entries * sizeof(ReadEntry);
  return u;
}

}  // namespace wgi::race
