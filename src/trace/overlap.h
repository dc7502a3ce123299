// Variables that overlap: accesses of different (address, size) pairs that
// share bytes, made by different threads.
//
// RapidBin tools compare variables by id only, so a 4-byte write to 0x100
// and an 8-byte read of 0x100 in another thread are unrelated to them: a
// race between the two goes unseen. After a traced run wgi reports how much
// of the trace such pairs concern, so a clean result from a RapidBin tool
// can be weighed. Pairs whose accesses all come from one thread cannot race
// and are not reported.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "trace/metadata.h"

namespace wgi::trace {

// Accesses up to this size are single instructions' (a v128 is 16 bytes);
// larger variables are memory.copy/fill/init ranges.
inline constexpr uint32_t kMaxScalarAccess = 16;

struct OverlapReport {
  uint64_t variables = 0;              // all variables of the trace
  uint64_t overlapping = 0;            // those overlapping a variable of another thread
  uint64_t accesses = 0;               // all reads and writes
  uint64_t overlapping_accesses = 0;   // reads and writes of the overlapping variables
  // Variables that overlap another one even when bulk ranges (larger than
  // kMaxScalarAccess) are left out: mixed-size accesses to the same data,
  // the case that most likely hides a race.
  uint64_t scalar_overlapping = 0;
  // Some overlapping pairs (variable ids, smaller first), for the warning;
  // pairs of two scalar accesses first.
  std::vector<std::pair<uint32_t, uint32_t>> examples;
};

// Two variables overlap when their byte ranges [address, address + size)
// intersect; they count when at least two threads accessed them in all
// (either one shared, or each accessed by a different single thread).
// O(n log n) in the number of variables.
OverlapReport find_overlaps(std::span<const TraceMetadata::Variable> vars, size_t max_examples = 5);

// The warning printed after a traced run ("" when nothing overlaps): the
// counts with their ratios and the examples, one per line, each line
// starting with "wgi: warning: " or two spaces.
std::string format_overlap_warning(const OverlapReport& r, const TraceMetadata& md);

}  // namespace wgi::trace
