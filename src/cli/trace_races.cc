#include "cli/trace_races.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <tuple>
#include <vector>

#include "cli/cli.h"
#include "cli/race_session.h"
#include "interp/thread.h"
#include "race/detector.h"
#include "trace/metadata.h"
#include "trace/rapidbin.h"

namespace wgi::cli {

namespace {

namespace fs = std::filesystem;
using interp::EventOp;
using trace::LockKind;
using trace::rapidbin::Op;

// trace.json, read and checked against the trace; nullopt after saying why
// not. `*absent`: there is none at the default place (not an error).
std::optional<trace::MetadataFile> load_metadata(const TraceRacesOptions& o, const trace::rapidbin::Header& h,
                                                 bool* absent) {
  *absent = false;
  const std::string path = o.metadata ? *o.metadata : (fs::path(o.trace).parent_path() / "trace.json").string();
  std::error_code ec;
  if (!o.metadata && !fs::exists(path, ec)) {
    *absent = true;
    std::fprintf(stderr,
                 "wgi: trace races: no metadata (%s does not exist; --metadata names another file): "
                 "variable ids stand for distinct bytes, every lock is a plain lock, and reports name "
                 "trace locations instead of code\n",
                 path.c_str());
    return std::nullopt;
  }
  Result<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes.ok()) {
    report_error(path, bytes.error(), nullptr);
    return std::nullopt;
  }
  Result<trace::MetadataFile> m = trace::read_metadata_json(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!m.ok()) {
    report_error(path, m.error(), nullptr);
    return std::nullopt;
  }
  auto mismatch = [&](const char* what, uint64_t listed, int64_t used) {
    std::fprintf(stderr, "wgi: %s: does not describe %s: it lists %" PRIu64 " %s, the trace has %" PRId64 "\n",
                 path.c_str(), o.trace.c_str(), listed, what, used);
    return std::nullopt;
  };
  const trace::TraceMetadata& md = m->md;
  if (m->events && *m->events != static_cast<uint64_t>(h.events)) return mismatch("events", *m->events, h.events);
  if (md.threads.size() < static_cast<uint64_t>(h.threads)) return mismatch("threads", md.threads.size(), h.threads);
  if (md.locks.size() < static_cast<uint64_t>(h.locks)) return mismatch("locks", md.locks.size(), h.locks);
  if (md.variables.size() < static_cast<uint64_t>(h.variables))
    return mismatch("variables", md.variables.size(), h.variables);
  if (m->version < trace::kMetadataVersion && !m->has_lock_kinds)
    std::fprintf(stderr,
                 "wgi: trace races: %s gives no lock kinds (an older trace): every lock is taken as a plain "
                 "lock, and atomic instructions are not told apart from plain accesses\n",
                 path.c_str());
  if (m->truncated)
    std::fprintf(stderr,
                 "wgi: trace races: the trace was truncated at its event limit: races after its end are not "
                 "seen\n");
  return std::move(m).value();
}

// Feeds the events to the detector (the file comment of trace_races.h).
class Replay {
 public:
  Replay(race::Detector& d, std::span<const uint8_t> bytes, const trace::rapidbin::Header& h,
         const trace::MetadataFile* meta)
      : d_(d), bytes_(bytes), n_(static_cast<uint64_t>(h.events)), meta_(meta),
        threads_(static_cast<size_t>(h.threads)) {}

  // A first pass: finds each thread's last event, and checks that the
  // metadata lists every event's location. Returns the first event whose
  // location it does not list (an error: nothing is fed then).
  std::optional<uint64_t> prepare() {
    for (uint64_t i = 0; i < n_; ++i) {
      const trace::rapidbin::Event e = trace::rapidbin::event_at(bytes_, i);
      threads_[e.thread].last = i;
      if (meta_ && e.location >= meta_->md.locations.size()) return i;
    }
    return std::nullopt;
  }

  // Feeds every event, in file order (after prepare()).
  void run() {
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
  Result<std::vector<uint8_t>> bytes = read_file(o.trace);
  if (!bytes.ok()) {
    report_error(o.trace, bytes.error(), nullptr);
    return kExitError;
  }
  Result<trace::rapidbin::Header> h = trace::rapidbin::validate(*bytes);
  if (!h.ok()) {
    report_error(o.trace, h.error(), nullptr);
    return kExitError;
  }
  bool absent = false;
  std::optional<trace::MetadataFile> meta = load_metadata(o, *h, &absent);
  if (!meta && !absent) return kExitError;
  const trace::MetadataFile* m = meta ? &*meta : nullptr;

  race::DetectorOptions dopt;
  dopt.memory_bytes = memory_bytes(m, *h);
  dopt.print_limit = o.race_limit;
  race::Detector detector(sites_of(m, *h, *bytes), dopt);
  Replay replay(detector, *bytes, *h, m);
  if (std::optional<uint64_t> bad = replay.prepare()) {
    std::fprintf(stderr, "wgi: %s: event %" PRIu64 " has a location the metadata does not list\n", o.trace.c_str(),
                 *bad);
    return kExitError;
  }
  replay.run();
  detector.finish();
  if (detector.races_total() == 0)
    std::fprintf(stderr, "wgi: trace races: no data races found (%" PRId64 " events)\n", h->events);
  if (o.report && !write_report(*o.report, detector.json_races())) return kExitError;
  return detector.races_total() > 0 ? kExitRaces : kExitOk;
}

}  // namespace wgi::cli
