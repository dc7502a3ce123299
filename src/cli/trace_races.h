// wgi trace races: the race detector of `wgi run --race` (race/detector.h)
// run offline over a RapidBin trace.
//
// The events are fed to a race::Detector in file order, on one OS thread,
// as the threads of the traced program would have pushed them, each back in
// wgi's own terms (interp/event_log.h), with trace.json saying what the ids
// stand for (trace/metadata.h):
//   r / w of variable V           Read / Write of V's (address, size)
//   a section of an "atomic" lock
//   L_A: acq(L_A) ... rel(L_A)    one atomic on A: r -> AtomicLoad,
//                                 w -> AtomicStore, r w -> AtomicRmw,
//                                 nothing -> AtomicSync (the writer's
//                                 encoding, metadata.h); a section holding
//                                 anything else is replayed as a lock
//   acq / rel / req of a "lock"   Acquire / Release / Request of its address
//   fork(T) / join(T)             Fork / Join of T's wgi thread id
// A thread is added to the detector before its fork (as the runtime does)
// or at its first event, and ended (EventLog::mark_end: the detector takes
// its final clock) right after its last event in the file, or at its
// first join if it has none; a join then takes that clock.
//
// Older files: a trace.json without lock kinds (version 1, or the original
// Wasmgrind's) makes every lock a plain lock, so its atomics are plain
// accesses again; without offsets, locations print offset 0. Without any
// trace.json, each variable id V stands for the one byte at "address" V
// (distinct ids never overlap: RapidBin tools' view), each lock id for its
// own lock, each thread id for the wgi thread of that number, and reports
// name trace locations instead of code.
//
// The trace holds what one execution did, in an order consistent with it,
// so the races found are those `wgi run --race` found in the same run (the
// same pairs of locations and bytes; which of two unordered accesses a
// report calls "previous" follows the file's order).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wgi::cli {

struct TraceRacesOptions {
  std::string trace;                    // TRACE.bin
  std::optional<std::string> metadata;  // --metadata FILE (default: trace.json beside TRACE.bin)
  uint64_t race_limit = 20;             // --race-limit N: reports printed
  std::optional<std::string> report;    // --report FILE
};

// Returns the exit status: 0 no race, kExitRaces races, kExitError when the
// trace or its metadata cannot be read (or the report cannot be written).
int trace_races(const TraceRacesOptions& options);

}  // namespace wgi::cli
