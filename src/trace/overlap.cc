#include "trace/overlap.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <numeric>
#include <set>

namespace wgi::trace {

namespace {

using Var = TraceMetadata::Variable;

uint64_t end_of(const Var& v) { return v.address + v.size; }

// The best two candidates seen so far by some measure (largest end going
// forwards, smallest start going backwards): the best shared variable, and
// the best two single-thread variables of two different threads. Enough to
// answer "is there a candidate from another thread?" for any variable.
struct Best {
  static constexpr size_t kNone = SIZE_MAX;
  bool forward;  // larger is better (ends); else smaller is better (starts)
  size_t shared = kNone;
  uint64_t shared_key = 0;
  size_t single[2] = {kNone, kNone};  // different threads, single[0] the better
  uint64_t single_key[2] = {0, 0};
  uint32_t single_thread[2] = {0, 0};

  bool better(uint64_t a, uint64_t b) const { return forward ? a > b : a < b; }

  void add(size_t i, const Var& v, uint64_t key) {
    if (v.shared) {
      if (shared == kNone || better(key, shared_key)) shared = i, shared_key = key;
      return;
    }
    const uint32_t t = v.first_thread;
    if (single[0] != kNone && single_thread[0] == t) {
      if (better(key, single_key[0])) single[0] = i, single_key[0] = key;
    } else if (single[0] == kNone || better(key, single_key[0])) {
      single[1] = single[0], single_key[1] = single_key[0], single_thread[1] = single_thread[0];
      single[0] = i, single_key[0] = key, single_thread[0] = t;
    } else if (single[1] == kNone || better(key, single_key[1])) {
      // single[1] is the best of the threads other than single[0]'s.
      single[1] = i, single_key[1] = key, single_thread[1] = t;
    }
  }

  // The best candidate that makes a cross-thread pair with v, or kNone.
  size_t partner(const Var& v, uint64_t* key) const {
    size_t best = kNone;
    auto consider = [&](size_t i, uint64_t k) {
      if (i != kNone && (best == kNone || better(k, *key))) best = i, *key = k;
    };
    consider(shared, shared_key);
    for (int s = 0; s < 2; ++s)
      if (v.shared || single_thread[s] != v.first_thread) consider(single[s], single_key[s]);
    return best;
  }
};

}  // namespace

namespace {

// Flags every variable of `subset` (indices into vars, sorted by address
// then size) that overlaps another variable of the subset from another
// thread; records up to max_examples pairs in `examples`.
void sweep(std::span<const Var> vars, const std::vector<uint32_t>& subset, std::vector<bool>& flagged,
           std::set<std::pair<uint32_t, uint32_t>>& examples, size_t max_examples) {
  auto found = [&](size_t a, size_t b) {
    flagged[a] = flagged[b] = true;
    if (examples.size() < max_examples)
      examples.insert({static_cast<uint32_t>(std::min(a, b)), static_cast<uint32_t>(std::max(a, b))});
  };
  // Forwards: an earlier variable (start <= this start) overlaps this one
  // iff its end is past this start; the one reaching furthest decides.
  Best fwd{true};
  for (size_t i : subset) {
    uint64_t key = 0;
    const size_t p = fwd.partner(vars[i], &key);
    if (p != Best::kNone && key > vars[i].address && vars[i].size > 0) found(p, i);
    fwd.add(i, vars[i], end_of(vars[i]));
  }
  // Backwards: a later variable (start >= this start) overlaps this one iff
  // it starts before this end; the one starting first decides.
  Best bwd{false};
  for (size_t k = subset.size(); k-- > 0;) {
    const size_t i = subset[k];
    uint64_t key = 0;
    const size_t p = bwd.partner(vars[i], &key);
    if (p != Best::kNone && key < end_of(vars[i])) found(p, i);
    if (vars[i].size > 0) bwd.add(i, vars[i], vars[i].address);
  }
}

}  // namespace

OverlapReport find_overlaps(std::span<const Var> vars, size_t max_examples) {
  OverlapReport r;
  r.variables = vars.size();
  // Only variables of different threads can form a pair: when every
  // variable was touched by one and the same thread (any single-threaded
  // run), there is nothing to sort, which saves seconds on big traces.
  bool one_thread = true;
  for (const Var& v : vars) {
    r.accesses += v.accesses;
    one_thread = one_thread && !v.shared && v.first_thread == vars[0].first_thread;
  }
  if (one_thread) return r;
  std::set<std::pair<uint32_t, uint32_t>> scalar_examples, all_examples;
  // Ids fit 32 bits (a RapidBin header counts them in 31).
  std::vector<uint32_t> all(vars.size()), scalar;
  std::iota(all.begin(), all.end(), uint32_t{0});
  std::sort(all.begin(), all.end(), [&](uint32_t a, uint32_t b) {
    return vars[a].address != vars[b].address ? vars[a].address < vars[b].address : vars[a].size < vars[b].size;
  });
  for (uint32_t i : all)
    if (vars[i].size <= kMaxScalarAccess) scalar.push_back(i);
  std::vector<bool> scalar_flagged(vars.size()), flagged(vars.size());
  sweep(vars, scalar, scalar_flagged, scalar_examples, max_examples);
  sweep(vars, all, flagged, all_examples, max_examples);
  for (size_t i = 0; i < vars.size(); ++i) {
    if (flagged[i]) {
      ++r.overlapping;
      r.overlapping_accesses += vars[i].accesses;
    }
    if (scalar_flagged[i]) ++r.scalar_overlapping;
  }
  r.examples.assign(scalar_examples.begin(), scalar_examples.end());
  for (const auto& e : all_examples)
    if (r.examples.size() < max_examples && !scalar_examples.count(e)) r.examples.push_back(e);
  return r;
}

namespace {

std::string percent(uint64_t part, uint64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", whole ? 100.0 * double(part) / double(whole) : 0.0);
  return buf;
}

std::string describe(const TraceMetadata& md, uint32_t id) {
  const Var& v = md.variables[id];
  char buf[128];
  std::snprintf(buf, sizeof buf, "V%u (%u bytes at 0x%" PRIx64 ", %s T%u)", id, v.size, v.address,
                v.shared ? "several threads, first" : "thread", v.first_thread);
  return buf;
}

}  // namespace

std::string format_overlap_warning(const OverlapReport& r, const TraceMetadata& md) {
  if (r.overlapping == 0) return "";
  std::string s = "wgi: warning: trace: " + std::to_string(r.overlapping) + " of " + std::to_string(r.variables) +
                  " variables (" + percent(r.overlapping, r.variables) + "), with " +
                  std::to_string(r.overlapping_accesses) + " of " + std::to_string(r.accesses) + " accesses (" +
                  percent(r.overlapping_accesses, r.accesses) +
                  "), share bytes with a variable of a different (address, size) that another thread accessed; " +
                  (r.scalar_overlapping == 0
                       ? std::string("all of them only through memory.copy/fill/init ranges")
                       : std::to_string(r.scalar_overlapping) +
                             " of them between single accesses (not only through memory.copy/fill/init ranges)") +
                  ". RapidBin tools compare variables by id: races between such pairs go unseen. For example:\n";
  for (const auto& [a, b] : r.examples)
    s += "  " + describe(md, a) + " overlaps " + describe(md, b) + "\n";
  return s;
}

}  // namespace wgi::trace
