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

// `wgi run --trace-limit`'s default: 50 million events (as trace.bin counts
// them, recorder.h), 800 MB of buffers at 16 bytes an event plus the
// ordering marks; the most a run records before it stops recording.
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
// sites' offsets and widths (the rest of it is filled in here).
//
// Each file is written under its temporary name and renamed into place only once
// both are complete: the old trace.json is removed, trace.bin renamed, then
// trace.json. So a write killed at any point leaves no malformed trace.bin,
// and never a trace.bin beside a trace.json of another run (at worst a
// trace.bin without its trace.json). On an error (a file cannot be
// written, the trace does not fit RapidBin) the temporary files are removed
// and, unless the error came from the renames themselves, the directory is
// as it was.
Result<WriteSummary> write_trace(const Recorder& recorder, std::span<const std::pair<uint32_t, uint32_t>> sites,
                                 const MetadataInfo& info, const std::string& dir);

// The files write_trace(..., dir) writes, and the temporary names it writes
// them under ("NAME.PID.tmp", PID this process's id).
struct TraceFiles {
  std::string bin, json, bin_tmp, json_tmp;
};
TraceFiles trace_files(const std::string& dir);

}  // namespace wgi::trace
