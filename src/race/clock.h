// Vector clocks and epochs, the arithmetic of happens-before.
//
// Every thread owns a slot; its clock counts its synchronisation steps. A
// vector clock holds, per slot, the latest step of that slot's thread known
// to happen before the holder's present. An epoch names one step of one
// slot: an access made at epoch (s, c) happens before a thread whose vector
// clock C has C[s] >= c (FastTrack, Flanagan & Freund, PLDI 2009).
//
// Epochs are 32 bits so that a shadow cell (shadow.h) fits in 16 bytes:
//   bit 31       the access was atomic (shadow cells only)
//   bits 22..30  slot (kSlots slots; the last is the shadow's marker)
//   bits 0..21   clock (starts at 1; 0 in a cell means "no access")
// A thread whose clock would overflow moves to a fresh slot, carrying its
// knowledge of the old one (detector.cc): a slot is a span of one thread's
// life, not a thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace wgi::race {

using Epoch = uint32_t;

inline constexpr uint32_t kClockBits = 22;
inline constexpr uint32_t kClockMax = (1u << kClockBits) - 1;
inline constexpr uint32_t kSlotBits = 9;
inline constexpr uint32_t kMarkerSlot = (1u << kSlotBits) - 1;  // never a thread's
inline constexpr uint32_t kSlots = kMarkerSlot;                  // slots threads can own
inline constexpr Epoch kAtomicBit = 1u << 31;

constexpr Epoch make_epoch(uint32_t slot, uint32_t clock) { return slot << kClockBits | clock; }
constexpr uint32_t slot_of(Epoch e) { return (e >> kClockBits) & kMarkerSlot; }
constexpr uint32_t clock_of(Epoch e) { return e & kClockMax; }
constexpr bool is_atomic(Epoch e) { return (e & kAtomicBit) != 0; }
constexpr Epoch plain(Epoch e) { return e & ~kAtomicBit; }

class VectorClock {
 public:
  uint32_t get(uint32_t slot) const { return slot < c_.size() ? c_[slot] : 0; }
  void set(uint32_t slot, uint32_t clock) {
    if (slot >= c_.size()) c_.resize(slot + 1, 0);
    c_[slot] = clock;
  }
  // Did the access at epoch e happen before the holder's present?
  bool covers(Epoch e) const { return clock_of(e) <= get(slot_of(e)); }
  // this := this ⊔ o (pointwise maximum).
  void join(const VectorClock& o) {
    if (o.c_.size() > c_.size()) c_.resize(o.c_.size(), 0);
    for (size_t i = 0; i < o.c_.size(); ++i) c_[i] = std::max(c_[i], o.c_[i]);
  }
  size_t size() const { return c_.size(); }
  size_t bytes() const { return c_.capacity() * sizeof(uint32_t); }

 private:
  std::vector<uint32_t> c_;
};

}  // namespace wgi::race
