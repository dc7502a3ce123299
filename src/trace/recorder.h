// The trace recorder: per-thread event buffers with a global order for
// synchronisation events.
//
// Recording stays off the hot path of untraced runs: modules compiled for
// tracing use separate handler variants (interp/exec.cc, the traced rows of
// interp/variants.def) that push 16-byte events into the current thread's
// EventLog (interp/event_log.h), which a ThreadTrace implements. Nothing is
// shared between threads per event: no lock, no atomic.
//
// Ordering. Each thread's buffer is in program order. Synchronisation
// events (lock hooks, fork, join, atomic instructions, wait, notify) are
// followed by a Seq marker holding a number from one global counter, taken
// while the operation is being performed (atomics take it under a per-address
// stripe lock together with the memory operation), so Seq numbers order
// conflicting synchronisation operations as they really happened. The merge
// (merge_events) emits, in increasing Seq order, each thread's events up to
// and including the marked event; every event thus keeps its program order
// and its place relative to every synchronisation it observed. A thread's
// end is also marked, so its last events precede a join of it.
//
// The event limit counts the events recorded (recorded_events below): each
// memory access, atomic operation, lock hook, fork and join is one, the
// ordering markers none. (trace.bin writes an atomic as a lock section of
// two to four events: the limit is on what the program did, not on the
// file's encoding of it.) When the limit made events be dropped, the
// records kept (before the merge's cut, below) hold exactly the limit.
//
// Buffers come in chunks, each paid for in advance at one event per slot
// (no slot weighs more). A thread's chunks grow from 16 slots, doubling
// to 64 Ki, but never take more than a quarter of what the limit has left
// once that is short, so threads near the limit share it in small pieces.
// When a chunk is closed (full, or its thread ended) its events' real
// weight is settled and the rest (marks, unused slots) goes back. A thread
// that finds the limit promised to other threads' open chunks records on
// into speculative chunks (256 slots at most) for as long as the closed
// chunks have not spent it; once they have, a mark still
// gets a few slots, so that a program which fits exactly keeps its ends. A
// thread is refused room, and the recorder reports dropped events at once,
// only when the limit is spent, or when the buffers reach four slots per
// event of the limit (plus 1 Mi), the bound on memory whatever the program
// does (a loop of notifies records marks and nothing else; then fewer
// events than the limit are kept).
// Refused, a thread drops the rest of what it does. Once every thread has
// ended, resolve() keeps the chunks in the order they were granted for as
// long as they fit: the first that does not is cut short, and its thread
// keeps nothing after it. Each thread's record therefore stays a prefix of
// what it did.
//
// Truncation. Threads stop recording at different points of the execution.
// The merge then cuts the trace so that it stays consistent: it emits exactly
// the synchronisation events of a prefix of the global order (those with a
// sequence number up to the cut, the earliest point where some thread's
// record ends) and the events that precede them in program order, plus the
// unmarked tail of the thread whose record ends at the cut. A lock acquired
// in the output was therefore released in the output by its previous
// holder, and every thread appears after its fork. The cut can leave out
// events that were recorded, so a truncated file usually holds fewer events
// than the limit.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "interp/event_log.h"

namespace wgi::trace {

using interp::Event;
using interp::EventOp;
using interp::kNoSite;

class Recorder;

// What a recorded event counts against the event limit: one, except the
// ordering markers.
constexpr uint32_t recorded_events(EventOp op) { return op == EventOp::Seq || op == EventOp::End ? 0 : 1; }

// The events of one Wasm thread: the interpreter's EventLog
// (interp/event_log.h) with the buffers and the sequence numbers of a
// Recorder. Only its own thread writes it; the recorder reads it after the
// thread ended.
class ThreadTrace final : public interp::EventLog {
 public:
  ThreadTrace(Recorder& recorder, uint32_t tid);

  uint32_t tid() const { return tid_; }
  Recorder& recorder() { return *recorder_; }

  void mark() override;
  // Also gives back what the thread's buffer did not use.
  void mark_end() override;
  std::mutex& stripe(uint64_t addr) override;

  // All events kept, in order (the current chunk truncated to what was
  // pushed; after Recorder::resolve, without what did not fit the limit).
  std::vector<Event> events() const;
  // The same events without copying: one span per buffer chunk. Valid until
  // the thread records again.
  std::vector<std::span<const Event>> spans() const;
  uint64_t count() const;
  // True once the limit stopped this thread's recording, or resolve() cut
  // its record short: events after the last one kept were dropped.
  bool lost_events() const { return discarding_ || cut_; }

 private:
  friend class Recorder;

  // A buffer chunk (file comment: the event limit).
  struct Chunk {
    std::unique_ptr<Event[]> events;
    size_t capacity = 0;
    size_t used = 0;         // once closed; until then pos_ says
    size_t kept = SIZE_MAX;  // what resolve() keeps (SIZE_MAX: all)
    uint64_t weight = 0;     // of the used events, once closed
    bool closed = false;
  };

  bool take(Event e) override;
  size_t used(const Chunk& c) const;

  Recorder* recorder_;
  uint32_t tid_;
  std::vector<Chunk> chunks_;
  size_t next_size_;                // the next chunk's size, before the limit's share
  size_t free_slots_;               // left for marks beyond the limit
  bool discarding_ = false;
  bool cut_ = false;  // by resolve()
  std::unique_ptr<Event[]> scratch_;  // where events go once the limit is hit
};

class Recorder final : public interp::EventLogSource {
 public:
  // At most `limit` events are kept, counted as trace.bin counts them
  // (file comment).
  explicit Recorder(uint64_t limit);

  // A new thread's trace; stays owned by the recorder.
  ThreadTrace* add_thread(uint32_t tid) override;

  uint64_t next_seq() { return seq_.fetch_add(1, std::memory_order_relaxed); }

  // Atomic instructions in traced code run under a stripe lock chosen by
  // address, so their events and their Seq number are taken in the order
  // the memory operations happen.
  std::mutex& stripe(uint64_t addr) { return stripes_[(addr >> 3) % kStripes]; }

  // True once events were dropped for the limit: a thread was refused room
  // (known while the program runs), or resolve() cut a record short.
  bool truncated() const {
    return refused_.load(std::memory_order_relaxed) || trimmed_.load(std::memory_order_relaxed);
  }
  uint64_t limit() const { return limit_; }

  // Once every thread has stopped recording: decides what the speculative
  // chunks keep (file comment). The merge calls it; it may be called again
  // and gives the same answer.
  void resolve() const;
  // The events of the records kept (before the merge's cut):
  // recorded_events summed. After resolve().
  uint64_t kept_events() const;

  // All threads' events merged into one order (see the file comment), Seq
  // and End markers removed; each with its thread id.
  struct Merged {
    uint32_t tid;
    Event ev;
  };
  std::vector<Merged> merge() const;
  // The same order without copying: calls emit(tid, events) for successive
  // runs of one thread's events (markers removed), pointing into the
  // threads' buffers. For traces too big to copy (the writer streams them).
  // Only once every thread has stopped recording.
  using SegmentFn = std::function<void(uint32_t tid, std::span<const Event> events)>;
  void merge_each(const SegmentFn& emit) const;
  std::vector<const ThreadTrace*> threads() const;

 private:
  friend class ThreadTrace;

  // For take(): closes t's full chunk and grants it a new one, or refuses
  // (t then discards). `e` is the event that found no room.
  void refill(ThreadTrace& t, const Event& e);
  // For mark_end(): closes t's chunk, giving back what it did not use.
  void release(ThreadTrace& t);
  void close(ThreadTrace& t);  // under budget_mu_

  static constexpr size_t kStripes = 64;
  std::atomic<uint64_t> seq_{0};
  uint64_t limit_;
  std::mutex stripes_[kStripes];
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<ThreadTrace>> threads_;

  // The budget (file comment), under budget_mu_: the weight of the closed
  // chunks, the slots of the open ones, the slots of all, and every chunk
  // in the order it was granted.
  static constexpr uint64_t kMaxSlotsPerEvent = 4, kMaxSlotsSlack = 1 << 20;
  const uint64_t max_slots_;
  mutable std::mutex budget_mu_;
  uint64_t settled_ = 0, open_ = 0, slots_ = 0;
  struct Grant {
    ThreadTrace* thread;
    size_t chunk;
  };
  std::vector<Grant> grants_;
  std::atomic<bool> refused_{false};
  mutable std::atomic<bool> trimmed_{false};
};

}  // namespace wgi::trace
