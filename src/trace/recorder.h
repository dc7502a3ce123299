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
// Truncation. Once the event limit is reached, every thread stops recording
// at its next buffer refill, i.e. at different points of the execution. The
// merge then cuts the trace so that it stays consistent: it emits exactly
// the synchronisation events of a prefix of the global order (those with a
// sequence number up to the cut, the earliest point where some thread's
// record ends) and the events that precede them in program order, plus the
// unmarked tail of the thread whose record ends at the cut. A lock acquired
// in the output was therefore released in the output by its previous
// holder, and every thread appears after its fork.
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
  void mark_end() override;
  std::mutex& stripe(uint64_t addr) override;

  // All events, in order (the current chunk truncated to what was pushed).
  std::vector<Event> events() const;
  // The same events without copying: one span per buffer chunk. Valid until
  // the thread records again.
  std::vector<std::span<const Event>> spans() const;
  uint64_t count() const;
  // True once the recorder's limit stopped this thread's recording: events
  // after the last one kept were dropped.
  bool lost_events() const { return discarding_; }

 private:
  bool take(const Event& e) override;
  // Makes room: sets [pos_, end_) to a non-empty buffer.
  void refill();

  Recorder* recorder_;
  uint32_t tid_;
  std::vector<std::unique_ptr<Event[]>> chunks_;
  std::vector<size_t> chunk_used_;
  bool discarding_ = false;
  std::unique_ptr<Event[]> scratch_;  // where events go once the limit is hit
};

class Recorder final : public interp::EventLogSource {
 public:
  explicit Recorder(uint64_t limit);

  // A new thread's trace; stays owned by the recorder.
  ThreadTrace* add_thread(uint32_t tid) override;

  uint64_t next_seq() { return seq_.fetch_add(1, std::memory_order_relaxed); }

  // Atomic instructions in traced code run under a stripe lock chosen by
  // address, so their events and their Seq number are taken in the order
  // the memory operations happen.
  std::mutex& stripe(uint64_t addr) { return stripes_[(addr >> 3) % kStripes]; }

  // Counts events against the limit; false once it has been exceeded (the
  // recorder then warns once and stops recording).
  bool reserve(uint64_t n);
  bool truncated() const { return truncated_.load(std::memory_order_relaxed); }
  uint64_t limit() const { return limit_; }

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
  static constexpr size_t kStripes = 64;
  std::atomic<uint64_t> seq_{0};
  std::atomic<uint64_t> reserved_{0};
  std::atomic<bool> truncated_{false};
  uint64_t limit_;
  std::mutex stripes_[kStripes];
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<ThreadTrace>> threads_;
};

}  // namespace wgi::trace
