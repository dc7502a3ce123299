// wgi trace deadlocks: the lock-order deadlock prediction of `wgi run
// --deadlock` (deadlock/predictor.h) run offline over a RapidBin trace.
//
// The events are fed to a deadlock::Predictor in file order, as the
// threadlink runtime feeds it online (cli/deadlock_session.h), with
// trace.json saying what the ids stand for (trace/metadata.h):
//   req / acq / rel of a    request / acquire / release of its address,
//   "lock"                  by the event's wgi thread; the trace records
//                           them where the predictor hears of them online
//                           (start_lock, finish_lock, start_unlock)
//   fork(T) / join(T)       fork / join of T's wgi thread; but a join at a
//                           location with no function is the runtime's
//                           (it freed T's blocks after T ended), an order
//                           of this schedule only, which the predictor
//                           does not hear of online either
//   r, w                    nothing: prediction needs no accesses
//   an "atomic" lock        nothing: its sections are atomic instructions
//                           (metadata.h), not locks the program takes
// An acquisition's backtrace is its location alone, one frame (a trace has
// no backtraces).
//
// The trace holds what one execution did, in an order consistent with it,
// so the predictor sees the same lock orders and thread creations as in
// `wgi run --deadlock` on the same run, and predicts the same cycles (the
// same locks, threads and innermost frames).
//
// Older files: a trace.json without lock kinds makes every lock a plain
// lock (such traces have no atomic sections). Without any trace.json, each
// lock id stands for its own lock and each thread id for the wgi thread of
// that number, and reports name trace locations instead of code. An
// atomic's section then reads as a lock, but it cannot close a cycle: it
// never holds another lock.
#pragma once

#include <optional>
#include <string>

namespace wgi::cli {

struct TraceDeadlocksOptions {
  std::string trace;                    // TRACE.bin
  std::optional<std::string> metadata;  // --metadata FILE (default: trace.json beside TRACE.bin)
  std::optional<std::string> report;    // --report FILE
};

// Returns the exit status: 0 no potential deadlock, kExitRaces some,
// kExitError when the trace or its metadata cannot be read (or the report
// cannot be written).
int trace_deadlocks(const TraceDeadlocksOptions& options);

}  // namespace wgi::cli
