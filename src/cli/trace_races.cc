#include "cli/trace_races.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <tuple>
#include <vector>

#include "cli/cli.h"
#include "cli/race_session.h"
#include "cli/trace_input.h"
#include "interp/thread.h"
#include "race/detector.h"
#include "trace/metadata.h"
#include "trace/rapidbin.h"

namespace wgi::cli {

namespace {

using interp::EventOp;
using trace::LockKind;
using trace::rapidbin::Op;

// Feeds the events to the detector (the file comment of trace_races.h).
class Replay {
 public:
  Replay(race::Detector& d, std::span<const uint8_t> bytes, const trace::rapidbin::Header& h,
         const trace::MetadataFile* meta)
      : d_(d), bytes_(bytes), n_(static_cast<uint64_t>(h.events)), meta_(meta),
        threads_(static_cast<size_t>(h.threads)) {}

  // Feeds every event, in file order.
  void run() {
    // A first pass finds each thread's last event.
    for (uint64_t i = 0; i < n_; ++i) threads_[trace::rapidbin::event_at(bytes_, i).thread].last = i;
    for (uint64_t i = 0; i < n_; ++i) {
      const trace::rapidbin::Event e = trace::rapidbin::event_at(bytes_, i);
      const uint32_t t = e.thread;
      switch (e.op) {
        case Op::Acquire:
          if (lock_kind(e.decor) == LockKind::Atomic) {
            i = atomic_section(i, e);
            break;
          }
          push(t, EventOp::Acquire, lock_address(e.decor), 0, e.location);
          break;
        case Op::Release: push(t, EventOp::Release, lock_address(e.decor), 0, e.location); break;
        case Op::Request: push(t, EventOp::Request, lock_address(e.decor), 0, e.location); break;
        case Op::Read:
        case Op::Write: {
          const auto [addr, size] = variable(e.decor);
          push(t, e.op, addr, size, e.location);
          break;
        }
        case Op::Fork: {
          const uint32_t child = static_cast<uint32_t>(e.decor);
          log(child);  // the runtime adds the child before it records the fork
          push(t, EventOp::Fork, wgi_thread(child), 0, e.location);
          break;
        }
        case Op::Join: {
          const uint32_t child = static_cast<uint32_t>(e.decor);
          end(child);  // a thread with no events of its own ends at its join
          push(t, EventOp::Join, wgi_thread(child), 0, e.location);
          break;
        }
        default: break;  // validate() admits no other operation
      }
      if (i >= threads_[t].last) end(t);
    }
    for (uint32_t t = 0; t < threads_.size(); ++t) end(t);
  }

 private:
  struct Thread {
    interp::EventLog* log = nullptr;
    bool ended = false;
    uint64_t last = 0;  // index of its last event
  };

  uint32_t wgi_thread(uint32_t t) const { return meta_ ? meta_->md.threads[t] : t; }
  LockKind lock_kind(uint64_t id) const { return meta_ ? meta_->md.locks[id].kind : LockKind::Lock; }
  uint64_t lock_address(uint64_t id) const { return meta_ ? meta_->md.locks[id].address : id; }
  std::pair<uint64_t, uint32_t> variable(uint64_t id) const {
    if (!meta_) return {id, 1};
    return {meta_->md.variables[id].address, meta_->md.variables[id].size};
  }

  interp::EventLog* log(uint32_t t) {
    Thread& th = threads_[t];
    if (!th.log) th.log = d_.add_thread(wgi_thread(t));
    return th.log;
  }
  void end(uint32_t t) {
    Thread& th = threads_[t];
    if (th.log && !th.ended) th.log->mark_end();
    th.ended = true;
  }
  void push(uint32_t t, EventOp op, uint64_t value, uint32_t size, uint32_t location) {
    interp::EventLog* l = log(t);
    // No backtrace offline: the report names the event's location alone.
    if (l->push(op, value, size, location)) l->backtrace_ready({});
  }

  // The section of atomic lock acq(L_A) at index i: one atomic instruction
  // when it has the writer's shape, else a plain lock around its events.
  // Returns the index of its last event.
  uint64_t atomic_section(uint64_t i, const trace::rapidbin::Event& acq) {
    const uint64_t addr = lock_address(acq.decor);
    trace::rapidbin::Event inside[2];
    size_t n = 0;
    uint64_t j = i + 1;
    for (; j < n_; ++j) {
      const trace::rapidbin::Event f = trace::rapidbin::event_at(bytes_, j);
      if (f.thread != acq.thread) break;
      if (f.op == Op::Release && f.decor == acq.decor) {
        std::optional<EventOp> op;
        uint64_t value = addr;
        uint32_t size = 0;
        if (n == 0) op = EventOp::AtomicSync;
        if (n >= 1) std::tie(value, size) = variable(inside[0].decor);
        if (n == 1) op = inside[0].op == Op::Read ? EventOp::AtomicLoad : EventOp::AtomicStore;
        if (n == 2 && inside[0].op == Op::Read && inside[1].op == Op::Write && inside[0].decor == inside[1].decor)
          op = EventOp::AtomicRmw;
        if (!op || value != addr) break;
        push(acq.thread, *op, value, size, acq.location);
        return j;
      }
      if ((f.op != Op::Read && f.op != Op::Write) || n == 2) break;
      inside[n++] = f;
    }
    // Not an atomic as wgi writes it: the lock, then what follows as it comes.
    push(acq.thread, EventOp::Acquire, addr, 0, acq.location);
    return i;
  }

  race::Detector& d_;
  std::span<const uint8_t> bytes_;
  uint64_t n_;
  const trace::MetadataFile* meta_;
  std::vector<Thread> threads_;
};

// The code locations of reports: the trace's locations.
race::Sites sites_of(const trace::MetadataFile* meta, const trace::rapidbin::Header& h,
                     std::span<const uint8_t> bytes) {
  race::Sites s;
  if (!meta) {
    s.locations_only = true;
    uint32_t max_location = 0;
    for (int64_t i = 0; i < h.events; ++i)
      max_location = std::max(max_location, trace::rapidbin::event_at(bytes, static_cast<uint64_t>(i)).location);
    s.sites.resize(size_t{max_location} + 1);
    for (uint32_t l = 0; l < s.sites.size(); ++l) s.sites[l].func = l;
    return s;
  }
  for (const trace::TraceMetadata::Location& l : meta->md.locations)
    s.sites.push_back({l.function, l.offset, l.width});
  s.func_names = meta->function_names;
  return s;
}

// The shadow's extent: past the last byte any variable covers.
uint64_t memory_bytes(const trace::MetadataFile* meta, const trace::rapidbin::Header& h) {
  uint64_t end = meta ? 0 : static_cast<uint64_t>(h.variables);
  if (meta)
    for (const trace::TraceMetadata::Variable& v : meta->md.variables) end = std::max(end, v.address + v.size);
  return (end + 65535) / 65536 * 65536;
}

}  // namespace

int trace_races(const TraceRacesOptions& o) {
  const TraceInputNotes notes{
      "races",
      "variable ids stand for distinct bytes, every lock is a plain lock, and reports name trace locations "
      "instead of code",
      "every lock is taken as a plain lock, and atomic instructions are not told apart from plain accesses",
      "races after its end are not seen"};
  std::optional<TraceInput> in = load_trace_input(o.trace, o.metadata, notes);
  if (!in) return kExitError;
  const trace::MetadataFile* m = in->meta();
  const std::span<const uint8_t> bytes = in->events();
  const trace::rapidbin::Header& h = in->header;

  race::DetectorOptions dopt;
  dopt.memory_bytes = memory_bytes(m, h);
  dopt.print_limit = o.race_limit;
  race::Detector detector(sites_of(m, h, bytes), dopt);
  Replay replay(detector, bytes, h, m);
  replay.run();
  detector.finish();
  if (detector.races_total() == 0)
    std::fprintf(stderr, "wgi: trace races: no data races found (%" PRId64 " events)\n", h.events);
  if (o.report && !write_report(*o.report, detector.json_races())) return kExitError;
  return detector.races_total() > 0 ? kExitRaces : kExitOk;
}

}  // namespace wgi::cli
