// Shadow memory: what the race detector remembers about every byte of a
// shared linear memory, and the FastTrack checks of one access against it.
//
// Granules. Memory is cut into aligned 4-byte granules, each shadowed by a
// 16-byte cell: the last write (epoch, site) and the last read (epoch,
// site), so 4 bytes of shadow per byte touched. A cell speaks for all four
// bytes while they share one history, which aligned accesses of 4 bytes and
// more keep true; an access that covers part of a granule whose bytes then
// differ splits it into four per-byte cells (kept aside, 64 bytes), and a
// later access that makes them equal again merges them back. So precision
// is per byte, and the cost is per granule where programs are word-sized.
//
// Reads. FastTrack keeps one read epoch until two reads are concurrent;
// then the cell points at a read set (one (epoch, site) per slot), until a
// write that follows all of them empties it again. A thread that reads a
// read-shared granule again in the same epoch finds its entry among the
// set's published hints without taking the lock: data that every thread
// reads stays in every core's cache.
//
// Atomics. An atomic access is remembered like any other, with the atomic
// bit of its epoch set: two atomic accesses never race, an atomic and a
// plain one do.
//
// Concurrency. A cell is read and updated under a spin lock, one bit of the
// cell itself; the same-epoch fast paths read the cell without the
// lock (a cell holding the thread's own current epoch can only be replaced
// by a later access, which the thread may then miss checking against only
// if it raced with its own earlier access at the same epoch: reported then).
//
// Space is reserved for the memory's maximum size up front and committed by
// the OS as cells are touched.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "race/clock.h"

namespace wgi::race {

// A previous access that the current one races with, over the bytes
// [addr, addr + size) of the current access.
struct Conflict {
  uint64_t addr = 0;
  uint64_t size = 0;
  Epoch prev = 0;  // its epoch, atomic bit included
  uint32_t prev_site = 0;
  bool prev_write = false;
};

// The access being checked.
struct Access {
  uint64_t addr = 0;
  uint64_t size = 0;
  bool write = false;
  bool atomic = false;
  Epoch now = 0;  // the thread's current epoch (atomic bit clear)
  uint32_t site = 0;
  // Counts the granules this access touched first (usage(): a counter per
  // thread, since one shared counter would bounce between cores).
  std::atomic<uint64_t>* fresh = nullptr;
};

class Shadow {
 public:
  // Shadows addresses [0, max_bytes).
  explicit Shadow(uint64_t max_bytes);
  ~Shadow();
  Shadow(const Shadow&) = delete;
  Shadow& operator=(const Shadow&) = delete;

  // Checks a against what the shadow remembers, appends the races found to
  // out (one Conflict per previous access, over the adjacent bytes it
  // shares with a), and records a. vc is the thread's vector clock.
  // False when the shadow ran out of room (kMaxPool): nothing is recorded
  // from then on, and the caller says so.
  bool access(const Access& a, const VectorClock& vc, std::vector<Conflict>& out);

  uint64_t max_bytes() const { return max_bytes_; }

  // What the shadow holds now, in bytes. `granules` is left for the caller
  // to fill in: the sum of the accesses' `fresh` counters.
  struct Usage {
    uint64_t granules = 0;    // cells ever written (4 bytes of memory each)
    uint64_t cell_bytes = 0;  // 16 per touched granule
    uint64_t split_bytes = 0; // per-byte cells of split granules
    uint64_t read_set_bytes = 0;
    uint64_t total() const { return cell_bytes + split_bytes + read_set_bytes; }
  };
  Usage usage() const;

 private:
  struct Cell {
    Epoch w;
    uint32_t w_site;
    Epoch r;  // a read epoch, or kMarker | read-set index
    uint32_t r_site;
  };
  static_assert(sizeof(Cell) == 16);
  struct ReadEntry {
    Epoch e;
    uint32_t site;
  };
  // A read set, and the epochs of its first kHints entries, which the
  // same-epoch fast path reads without the cell's lock (publish()).
  static constexpr size_t kHints = 4;
  struct ReadSet {
    std::vector<ReadEntry> entries;
    Epoch hints[kHints] = {};
  };
  void publish(ReadSet& s);
  bool seen_in_set(Cell& c, Epoch r, Epoch me, Epoch now);
  struct Pool;

  void lock(Cell& c);
  void unlock(Cell& c);
  // The checks and update of one cell (a granule's or a byte's) for the
  // bytes [lo, hi) of a; conflicts are merged into out.
  void check_cell(Cell& c, const Access& a, uint64_t lo, uint64_t hi, const VectorClock& vc,
                  std::vector<Conflict>& out);
  void add_conflict(std::vector<Conflict>& out, uint64_t lo, uint64_t hi, Epoch prev, uint32_t site,
                    bool write);
  ReadSet& read_set(Epoch r);
  uint32_t new_read_set();
  void free_read_set(Epoch r);
  Cell* split_cells(uint32_t index);
  bool split(Cell& c);
  void maybe_merge(Cell& c);

  uint64_t max_bytes_;
  Cell* cells_ = nullptr;  // one per granule, reserved
  size_t reserved_bytes_ = 0;
  std::unique_ptr<Pool> pool_;
  std::atomic<bool> full_{false};
};

}  // namespace wgi::race
