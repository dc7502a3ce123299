#include "cli/trace_deadlocks.h"

#include <cinttypes>
#include <cstdio>

#include "cli/cli.h"
#include "cli/race_session.h"
#include "cli/trace_input.h"
#include "deadlock/predictor.h"
#include "trace/metadata.h"
#include "trace/rapidbin.h"

namespace wgi::cli {

namespace {

using trace::LockKind;
using trace::rapidbin::Op;

// Feeds every event to the predictor, in file order (the file comment of
// trace_deadlocks.h).
void replay(deadlock::Predictor& p, const TraceInput& in) {
  const trace::MetadataFile* meta = in.meta();
  auto wgi_thread = [meta](uint64_t t) { return meta ? meta->md.threads[t] : static_cast<uint32_t>(t); };
  auto plain = [meta](uint64_t lock) { return !meta || meta->md.locks[lock].kind == LockKind::Lock; };
  // Lock hooks take 32-bit addresses; without metadata, ids are below 2^31.
  auto address = [meta](uint64_t lock) {
    return static_cast<uint32_t>(meta ? meta->md.locks[lock].address : lock);
  };
  auto where = [meta](uint32_t location) {
    if (!meta) return deadlock::Backtrace{{UINT32_MAX, location}};  // Naming::locations_only
    const trace::TraceMetadata::Location& l = meta->md.locations[location];
    return deadlock::Backtrace{{l.function, l.offset}};  // kNoFunction is Frame's "unknown" too
  };
  for (uint64_t i = 0; i < static_cast<uint64_t>(in.header.events); ++i) {
    const trace::rapidbin::Event e = trace::rapidbin::event_at(in.events(), i);
    const uint32_t t = wgi_thread(e.thread);
    switch (e.op) {
      case Op::Request:
        if (plain(e.decor)) p.request(t, address(e.decor), [&] { return where(e.location); });
        break;
      case Op::Acquire:
        if (plain(e.decor)) p.acquire(t, address(e.decor), [&] { return where(e.location); });
        break;
      case Op::Release:
        if (plain(e.decor)) p.release(t, address(e.decor));
        break;
      case Op::Fork: p.fork(t, wgi_thread(e.decor)); break;
      case Op::Join:
        // A runtime join (trace/metadata.h: at a location with no function)
        // is the runtime freeing an ended thread's blocks in this schedule,
        // no order of the program's: online, the predictor does not see it.
        if (meta && meta->md.locations[e.location].function == trace::kNoFunction) break;
        p.join(t, wgi_thread(e.decor));
        break;
      default: break;  // accesses order nothing here
    }
  }
}

// How reports name code: the functions' names trace.json gives, else the
// trace's locations.
deadlock::Naming naming_of(const trace::MetadataFile* meta) {
  deadlock::Naming n;
  if (!meta) {
    n.locations_only = true;
    n.func_label = [](uint32_t f) { return "func " + std::to_string(f); };
    n.func_name = [](uint32_t) { return std::optional<std::string>(); };
    return n;
  }
  // As threads::func_label names them online.
  n.func_name = [meta](uint32_t f) -> std::optional<std::string> {
    auto it = meta->function_names.find(f);
    if (it == meta->function_names.end()) return std::nullopt;
    return it->second;
  };
  n.func_label = [name = n.func_name](uint32_t f) {
    const std::optional<std::string> s = name(f);
    return s ? *s + " (func " + std::to_string(f) + ")" : "func " + std::to_string(f);
  };
  return n;
}

}  // namespace

int trace_deadlocks(const TraceDeadlocksOptions& o) {
  const TraceInputNotes notes{
      "deadlocks",
      "each lock id and thread id stands for itself, every lock is a plain lock, and reports name trace "
      "locations instead of code",
      "every lock is taken as a plain lock",
      "lock orders after its end are not seen"};
  std::optional<TraceInput> in = load_trace_input(o.trace, o.metadata, notes);
  if (!in) return kExitError;
  deadlock::Predictor predictor;
  replay(predictor, *in);
  const std::vector<deadlock::Cycle> cycles = predictor.cycles();
  const deadlock::Naming naming = naming_of(in->meta());
  std::fputs(deadlock::format_cycles(cycles, naming).c_str(), stderr);
  if (cycles.empty())
    std::fprintf(stderr, "wgi: trace deadlocks: no potential deadlocks found (%" PRId64 " events)\n",
                 in->header.events);
  if (o.report && !write_report(*o.report, deadlock::json_cycles(cycles, naming))) return kExitError;
  return cycles.empty() ? kExitOk : kExitRaces;
}

}  // namespace wgi::cli
