// EventLog: where code compiled for tracing records what a thread does.
//
// The interpreter owns this interface and a recorder implements it
// (trace::ThreadTrace, trace/recorder.h), so the interpreter's traced
// handler variants depend on nothing above them. The hot path, push(), is
// inline: it writes a 16-byte event into the buffer [pos_, end_) that the
// recorder hands out, and only hands the event to the log itself (take)
// when the buffer is full. A log that must see every event at once (the
// race checker, race/race_log.h) keeps no buffer, so every event reaches
// take(). Nothing is shared between threads per event: no lock, no atomic.
//
// The order across threads: after a synchronisation (an atomic, a wait, a
// notify, a lock hook, fork, join) the thread calls mark(), which records a
// number from one global sequence; the recorder merges the threads' events
// by those numbers (trace/recorder.h explains the merge). Atomic accesses
// take stripe(address) around the memory operation, its events and its
// mark, so the sequence numbers of conflicting atomics follow the order in
// which they really happened.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

namespace wgi::interp {

struct BacktraceFrame;  // thread.h

// What an event records. The first seven are RapidBin's operation codes
// (trace/rapidbin.h writes them unchanged). The atomic ones are wgi's own:
// an atomic instruction synchronises through its address (the threads
// proposal's atomics are sequentially consistent), which a plain read or
// write cannot say; the trace writer spells each as a critical section of
// a lock reserved for the address, around the read and/or write it makes
// (trace/metadata.h, "Atomics in RapidBin's terms"). Seq and End are the
// recorder's own markers and never reach a trace file.
enum class EventOp : uint8_t {
  Acquire = 0,
  Release = 1,
  Read = 2,
  Write = 3,
  Fork = 4,
  Join = 5,
  Request = 8,
  AtomicLoad = 9,    // an atomic read: acquires what the address released
  AtomicStore = 10,  // an atomic write: releases to later atomics on the address
  AtomicRmw = 11,    // an atomic read and write (RMW, successful cmpxchg): both
  AtomicSync = 12,   // no access, acquires and releases the address: notify,
                     // a woken wait, the release half of a failed cmpxchg
  Seq = 14,  // ordering marker: `value` is the global sequence number
  End = 15,  // the thread ended (also an ordering marker)
};

// One event: 16 bytes. `value` is the effective address (accesses), the
// lock's address (acquire/release/request), the child thread id
// (fork/join) or the sequence number (Seq/End). `site` indexes the traced
// module's site table (function, instruction). `size_op` packs the access
// size in bytes (low 28 bits) and the EventOp (high 4 bits).
struct Event {
  uint64_t value;
  uint32_t site;
  uint32_t size_op;

  EventOp op() const { return static_cast<EventOp>(size_op >> 28); }
  uint32_t size() const { return size_op & kMaxSize; }
  static constexpr uint32_t kMaxSize = (1u << 28) - 1;
};
static_assert(sizeof(Event) == 16);

inline constexpr uint32_t kNoSite = 0xFFFFFFFFu;

class EventLog {
 public:
  // Records an event. True when the log asks the caller for the thread's
  // backtrace at this instruction (the race checker found a race and
  // reports where); the traced handlers then call backtrace_ready().
  bool push(EventOp op, uint64_t value, uint32_t size, uint32_t site) {
    const Event e{value, site, (size > Event::kMaxSize ? Event::kMaxSize : size) | (uint32_t(op) << 28)};
    if (pos_ == end_) [[unlikely]]
      return take(e);
    *pos_++ = e;
    return false;
  }
  // An access of n bytes from addr, split so each event's size fits.
  bool push_range(EventOp op, uint64_t addr, uint64_t n, uint32_t site) {
    bool want = false;
    while (n > Event::kMaxSize) {
      want |= push(op, addr, Event::kMaxSize, site);
      addr += Event::kMaxSize;
      n -= Event::kMaxSize;
    }
    return push(op, addr, static_cast<uint32_t>(n), site) || want;
  }
  // Marks the events pushed so far as happening before the next global
  // sequence number.
  virtual void mark() = 0;
  // The thread's end: a mark after which the thread records nothing.
  virtual void mark_end() = 0;
  // The lock that orders atomic accesses to `addr` (file comment).
  virtual std::mutex& stripe(uint64_t addr) = 0;
  // The backtrace push() asked for, innermost frame first.
  virtual void backtrace_ready(const std::vector<BacktraceFrame>& frames) { (void)frames; }
  // The runtime orders this thread's future after the end of thread `tid`
  // without a join (it frees a dead thread's stack and TLS blocks on
  // another thread, after the owner's end, under its own lock): an edge
  // the race checker needs, and so does any tool that reads the trace. A
  // recorder records it as a join of `tid` outside any call site (the
  // merge puts it after `tid`'s end: its mark follows that end).
  virtual void follows_end_of(uint32_t tid) {
    push(EventOp::Join, tid, 0, kNoSite);
    mark();
  }

  // The site of the host call in progress (set by the traced call
  // instructions), for events the host records (locks, fork, join).
  uint32_t call_site = kNoSite;

 protected:
  EventLog() = default;
  ~EventLog() = default;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Takes an event that found no room in [pos_, end_): a recorder makes
  // room and stores it; a log without a buffer handles it at once. The
  // result is push()'s.
  // (By value: 16 bytes travel in registers, so the inlined push() sites in
  // the interpreter loop keep no Event in its stack frame.)
  virtual bool take(Event e) = 0;

  Event* pos_ = nullptr;
  Event* end_ = nullptr;
};

// Hands out one EventLog per thread of a traced program (trace::Recorder
// implements it); the threadlink runtime asks it for each thread it starts.
class EventLogSource {
 public:
  // The log of thread `tid`, owned by the source and valid while it lives.
  virtual EventLog* add_thread(uint32_t tid) = 0;

 protected:
  ~EventLogSource() = default;
};

}  // namespace wgi::interp
