// The threads proposal's memory instructions: what each does to linear
// memory (read from the op's kind in opcodes.def), the bridge from
// memory.atomic.wait/notify to the parking lot, and the recording hooks of
// their traced variants. exec.cc writes the atomic handler once and stamps
// it for every row and variant with these.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <type_traits>

#include "decoder/opcodes.h"
#include "interp/event_log.h"
#include "interp/parking_lot.h"
#include "interp/value.h"

namespace wgi::interp::atomics {

// The C++ type of a value of Wasm type t (integers only: atomics have no
// float forms).
template <ValType t>
using IntT = std::conditional_t<t == ValType::I64, uint64_t, uint32_t>;

// What an atomic op of opcodes.def operates on, as types: Mem, the memory
// word (its width); Val, the i32/i64 operand or result it converts from and
// to (zero-extending narrow loads, wrapping narrow stores).
template <Op op>
struct Types {
  static constexpr OpInfo kInfo = op_info(op);
  static constexpr SigInfo kSig = sig_info(kInfo.sig);
  using Mem = UInt<(kInfo.bytes == 0 ? 1 : kInfo.bytes)>;
  // Stores and waits take the value as their second operand; everything
  // else produces it (notify's i32 count and result are both i32).
  using Val = IntT<(kInfo.kind == OpKind::Store || kInfo.kind == OpKind::Wait) ? kSig.params[1]
                                                                                : kSig.result>;
};

// Read-modify-write of the kinds Add .. Xchg (seq_cst, as the proposal's
// atomics are sequentially consistent); returns the old value.
template <OpKind K, class M>
inline M rmw(std::atomic_ref<M> ref, M v) {
  if constexpr (K == OpKind::Add) return ref.fetch_add(v);
  else if constexpr (K == OpKind::Sub) return ref.fetch_sub(v);
  else if constexpr (K == OpKind::And) return ref.fetch_and(v);
  else if constexpr (K == OpKind::Or) return ref.fetch_or(v);
  else if constexpr (K == OpKind::Xor) return ref.fetch_xor(v);
  else return ref.exchange(v);
}

// wait32/wait64 through the parking lot. A template, so that only the
// widths the handlers really use are instantiated (the handler body is
// stamped for every atomic op, with `if constexpr` outside a template).
template <class M>
inline WaitResult wait(uint8_t* p, uint64_t expected, int64_t timeout_ns, const std::atomic<bool>* interrupt,
                       ParkObserver* observer) {
  if constexpr (sizeof(M) == 4 || sizeof(M) == 8) {
    return parking_lot().wait_on(reinterpret_cast<M*>(p), static_cast<M>(expected), timeout_ns, interrupt,
                                 observer);
  } else {
    return WaitResult::NotEqual;  // unreachable: no narrow waits exist
  }
}

inline uint32_t notify(uint8_t* p, uint32_t count) { return parking_lot().notify(p, count); }

// The recording hooks of an atomic handler. Untraced variants get the empty
// specialisation, which compiles to nothing.
template <bool kTraced>
struct Recording {
  Recording(EventLog*, uint64_t, uint32_t, uint32_t) {}
  struct Lock {};
  Lock lock() { return {}; }
  bool record(EventOp) { return false; }
  void mark() {}
};

// Traced: the memory operation, its events and its sequence mark happen
// under the address's stripe lock (lock()), so the recorded order of atomics
// is the real one. Waits and notifies record their read and mark before
// they block or wake, without the lock.
template <>
struct Recording<true> {
  EventLog* log;
  uint64_t addr;
  uint32_t size;
  uint32_t site;
  Recording(EventLog* l, uint64_t a, uint32_t n, uint32_t s) : log(l), addr(a), size(n), site(s) {}
  std::lock_guard<std::mutex> lock() { return std::lock_guard<std::mutex>(log->stripe(addr)); }
  // The access as an atomic event (event_log.h); push()'s result.
  bool record(EventOp op) { return log->push(op, addr, op == EventOp::AtomicSync ? 0 : size, site); }
  void mark() { log->mark(); }
};

}  // namespace wgi::interp::atomics
