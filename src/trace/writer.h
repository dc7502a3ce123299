// Writing a recorded run: the merged events (recorder.h) as DIR/trace.bin
// in RapidBin (rapidbin.h), each atomic instruction as a critical section
// of a lock reserved for its address (metadata.h), their ids' meaning as
// DIR/trace.json (metadata.h), and the overlap analysis (overlap.h).
//
// The trace streams from the threads' buffers to the file: nothing the size
// of the trace is copied, so writing needs little memory beyond the
// recording itself (plus the id tables).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "trace/metadata.h"
#include "trace/overlap.h"
#include "trace/rapidbin.h"
#include "trace/recorder.h"
#include "util/result.h"

namespace wgi::trace {

// `wgi run --trace-limit`'s default: 50 million events, 800 MB of buffers
// (16 bytes an event), the most a run records before it stops recording.
inline constexpr uint64_t kDefaultEventLimit = 50'000'000;

struct WriteSummary {
  std::string bin_path, json_path;
  rapidbin::Header header;
  uint64_t locations = 0;
  bool truncated = false;  // the recorder hit its limit
  TraceMetadata metadata;
  OverlapReport overlaps;
};

// Merges the recorder's events (every recording thread must have ended) and
// writes both files into `dir` (created if missing). `sites` gives each
// event site's (function index, instruction index), as IdAssigner takes
// them; `info` supplies trace.json's module path, function names and the
// sites' offsets and widths (the rest of it is filled in here). On an error (a file cannot be written,
// the trace does not fit RapidBin) no trace.bin is left behind.
Result<WriteSummary> write_trace(const Recorder& recorder, std::span<const std::pair<uint32_t, uint32_t>> sites,
                                 const MetadataInfo& info, const std::string& dir);

}  // namespace wgi::trace
