// What the offline checkers (wgi trace races, wgi trace deadlocks) read: a
// RapidBin trace, checked whole (trace/rapidbin.h), and the trace.json that
// says what its ids stand for (trace/metadata.h), checked against it: its
// counts of events, threads, locks and variables, and every event's
// location. A trace without metadata at the default place is not an error
// (RapidBin tools' traces have none); the checkers then take each id for
// itself, and each says what that means for it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "trace/metadata.h"
#include "trace/rapidbin.h"

namespace wgi::cli {

struct TraceInput {
  std::vector<uint8_t> bytes;
  trace::rapidbin::Header header;
  std::optional<trace::MetadataFile> metadata;  // nullopt: none beside the trace

  std::span<const uint8_t> events() const { return bytes; }
  const trace::MetadataFile* meta() const { return metadata ? &*metadata : nullptr; }
};

// What the notes load_trace_input prints say, after "wgi: trace COMMAND: ".
struct TraceInputNotes {
  const char* command;  // "races"
  // What a trace without trace.json means for the checker.
  const char* without_metadata;
  // What a trace.json without lock kinds (an older trace) means; null: nothing.
  const char* without_lock_kinds;
  // What the checker misses in a trace cut at its event limit.
  const char* truncated;
};

// The trace at `trace` and its metadata (`metadata`, else trace.json beside
// it); nullopt after saying why not (every failure is kExitError).
std::optional<TraceInput> load_trace_input(const std::string& trace, const std::optional<std::string>& metadata,
                                           const TraceInputNotes& notes);

}  // namespace wgi::cli
