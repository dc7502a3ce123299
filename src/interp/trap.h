// TrapKind: why a Wasm thread stopped running, as a value (never an exception).
//
// A handler that traps returns the kind to the dispatch loop, which unwinds
// and hands it to the embedder (CLI, spec runner, threads runtime). The spec
// runner compares the kind's message with an `assert_trap` /
// `assert_exhaustion` string, so the messages below are the testsuite's exact
// wording (checked against the official testsuite the spec runner reads,
// core and proposals).
//
// Status value layout (one byte):
//
//   0x00         None      the thread is running / finished normally
//   0x01..0x7F   traps     the spec's traps; the instance state stays valid,
//                          but the current invocation is over for good
//   0x80..0xFF   reserved  for *non-trap, restartable* statuses: the runtime
//                          (not the Wasm code) asked the thread to stop, e.g.
//                          an interrupt or a timeout. They are not spec traps,
//                          have no testsuite message, and must never match an
//                          assert_trap. Interrupted and Exit are defined;
//                          future ones (suspend for memory.grow of a shared
//                          memory, timeouts, ...) go in the same range.
//
// Both ranges, and their messages, come from ONE list each (the X-macros
// below): the enum and the message table cannot drift apart.
#pragma once

#include <cstdint>
#include <string_view>

namespace wgi::interp {

// WGI_TRAP_KINDS(X): X(Name, "testsuite message"), in enum order from 0x01.
//
// Notes on individual messages:
//  - "uninitialized element": the reference interpreter appends the element
//    index ("uninitialized element 2", once, in bulk.wast); its script runner
//    accepts a result when the expected text is a *prefix* of the actual
//    message. trap_kind_from_message() therefore accepts a trailing " ...".
//  - "call stack exhausted" is the only assert_exhaustion message.
//  - "unaligned atomic" is used by proposals/threads/atomic.wast.
//  - "expected shared memory": memory.atomic.wait32/64 on an unshared
//    memory. Later revisions of the threads suite assert_trap it; the
//    snapshot of the suite the spec runner uses only validates such modules.
//  - "call to an unresolved import": not a spec trap (no testsuite text can
//    match it); a function import the embedder could not provide and
//    linked as a stub that traps when called (wgi run
//    --trap-unknown-imports). The backtrace's innermost frame names it.
//  - Failed instantiation (a data/elem segment out of bounds, a start
//    function that traps) reuses the ordinary kinds: the 2.0 suite writes
//    those as assert_trap on a module with "out of bounds memory access" /
//    "out of bounds table access".
#define WGI_TRAP_KINDS(X)                                            \
  X(Unreachable, "unreachable")                                      \
  X(IntegerDivideByZero, "integer divide by zero")                   \
  X(IntegerOverflow, "integer overflow")                             \
  X(InvalidConversionToInteger, "invalid conversion to integer")     \
  X(OutOfBoundsMemoryAccess, "out of bounds memory access")          \
  X(OutOfBoundsTableAccess, "out of bounds table access")            \
  X(UndefinedElement, "undefined element")                           \
  X(UninitializedElement, "uninitialized element")                   \
  X(IndirectCallTypeMismatch, "indirect call type mismatch")         \
  X(CallStackExhausted, "call stack exhausted")                      \
  X(UnalignedAtomic, "unaligned atomic")                             \
  X(ExpectedSharedMemory, "expected shared memory")                 \
  X(UnresolvedImport, "call to an unresolved import")

// WGI_NONTRAP_STATUSES(X): X(Name, value, "text"), restartable statuses with
// explicit values in 0x80..0xFF. Their text is for logs and the CLI only; it
// is not a spec message.
//  - Interrupted: the runtime stopped this thread, e.g. because another
//    thread trapped or panicked, or the embedder cancelled the run.
//  - Exit: a host function ended the program with a status of its choice
//    (WASI's proc_exit), which it left in Thread::exit_status.
#define WGI_NONTRAP_STATUSES(X) \
  X(Interrupted, 0x80, "interrupted") \
  X(Exit, 0x81, "exit")

inline constexpr uint8_t kFirstNonTrapStatus = 0x80;

enum class TrapKind : uint8_t {
  None = 0,
#define WGI_X(Name, msg) Name,
  WGI_TRAP_KINDS(WGI_X)
#undef WGI_X
  // ---- non-trap, restartable statuses (0x80..0xFF) ----
#define WGI_X(Name, value, msg) Name = value,
  WGI_NONTRAP_STATUSES(WGI_X)
#undef WGI_X
};

namespace trap_detail {

inline constexpr std::string_view kTrapMessages[] = {
    "",  // None
#define WGI_X(Name, msg) msg,
    WGI_TRAP_KINDS(WGI_X)
#undef WGI_X
};
struct NonTrapStatus {
  uint8_t value;
  std::string_view message;
};
inline constexpr NonTrapStatus kNonTrapStatuses[] = {
#define WGI_X(Name, value, msg) {value, msg},
    WGI_NONTRAP_STATUSES(WGI_X)
#undef WGI_X
};

constexpr bool non_trap_values_in_range() {
  for (const auto& s : kNonTrapStatuses)
    if (s.value < kFirstNonTrapStatus) return false;
  return true;
}

}  // namespace trap_detail

// How many spec trap kinds exist (not counting None).
inline constexpr unsigned kNumTrapKinds =
    sizeof(trap_detail::kTrapMessages) / sizeof(trap_detail::kTrapMessages[0]) - 1;

static_assert(kNumTrapKinds < kFirstNonTrapStatus, "trap kinds overflow into the reserved range");
static_assert(trap_detail::non_trap_values_in_range(),
              "non-trap statuses must use the reserved range 0x80..0xFF");

// A spec trap (0x01..0x7F): the invocation failed; assert_trap may match it.
constexpr bool is_trap(TrapKind k) {
  auto v = static_cast<uint8_t>(k);
  return v != 0 && v < kFirstNonTrapStatus;
}

// A non-trap status requested by the runtime (0x80..0xFF), e.g. Interrupted.
// The thread's state is consistent and the embedder decides whether to
// resume, restart or drop the invocation. Never reported as a Wasm trap.
constexpr bool is_restartable(TrapKind k) {
  return static_cast<uint8_t>(k) >= kFirstNonTrapStatus;
}

// The trap that assert_exhaustion (rather than assert_trap) expects.
constexpr bool is_exhaustion(TrapKind k) { return k == TrapKind::CallStackExhausted; }

// The testsuite's message for a trap kind; "" for None; a descriptive (non-
// spec) word for non-trap statuses; "unknown status" for values no list
// defines.
constexpr std::string_view trap_message(TrapKind k) {
  auto v = static_cast<uint8_t>(k);
  if (v <= kNumTrapKinds) return trap_detail::kTrapMessages[v];
  for (const auto& s : trap_detail::kNonTrapStatuses)
    if (s.value == v) return s.message;
  return "unknown status";
}

// The spec trap whose message is `text`, or a prefix of it (the reference
// interpreter appends details, e.g. "uninitialized element 2"); the longest
// matching message wins. None when nothing matches. Only spec traps are
// considered, never the non-trap statuses.
constexpr TrapKind trap_kind_from_message(std::string_view text) {
  TrapKind best = TrapKind::None;
  size_t best_len = 0;
  for (unsigned v = 1; v <= kNumTrapKinds; ++v) {
    std::string_view m = trap_detail::kTrapMessages[v];
    if (text.substr(0, m.size()) == m && m.size() > best_len &&
        (text.size() == m.size() || text[m.size()] == ' ')) {
      best = static_cast<TrapKind>(v);
      best_len = m.size();
    }
  }
  return best;
}

// The result of an operator that may trap (integer div/rem, float->int
// trunc). Aggregate of the value and the kind; `trap == TrapKind::None`
// means `value` is valid. See numeric.h for why this shape.
template <class T>
struct [[nodiscard]] TrapOr {
  T value;
  TrapKind trap;

  constexpr bool ok() const { return trap == TrapKind::None; }
};

}  // namespace wgi::interp
