// Overlapping variables (src/trace/overlap.h), against a brute-force check.
#include "trace/overlap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace wgi::trace {
namespace {

using Var = TraceMetadata::Variable;

Var var(uint64_t address, uint32_t size, uint32_t thread, bool shared = false, uint64_t accesses = 1) {
  Var v;
  v.address = address;
  v.size = size;
  v.first_thread = thread;
  v.shared = shared;
  v.accesses = accesses;
  return v;
}

// The definition, pair by pair.
std::vector<bool> brute_force(const std::vector<Var>& vars, uint32_t max_size = UINT32_MAX) {
  std::vector<bool> flagged(vars.size());
  for (size_t i = 0; i < vars.size(); ++i)
    for (size_t j = i + 1; j < vars.size(); ++j) {
      const Var &a = vars[i], &b = vars[j];
      if (a.size > max_size || b.size > max_size) continue;
      const bool overlap = a.address < b.address + b.size && b.address < a.address + a.size;
      const bool two_threads = a.shared || b.shared || a.first_thread != b.first_thread;
      if (overlap && two_threads) flagged[i] = flagged[j] = true;
    }
  return flagged;
}

uint64_t count(const std::vector<bool>& f) { return static_cast<uint64_t>(std::count(f.begin(), f.end(), true)); }

TEST(Overlap, SimpleCases) {
  // Disjoint and adjacent: nothing.
  EXPECT_EQ(find_overlaps(std::vector<Var>{var(0, 4, 0), var(4, 4, 1), var(8, 8, 2)}).overlapping, 0u);
  // Overlapping but one thread only: cannot race, not reported.
  EXPECT_EQ(find_overlaps(std::vector<Var>{var(0, 8, 0), var(4, 4, 0)}).overlapping, 0u);
  // Two threads: both reported, with their accesses.
  auto r = find_overlaps(std::vector<Var>{var(0, 8, 0, false, 3), var(4, 4, 1, false, 5), var(100, 4, 1)});
  EXPECT_EQ(r.variables, 3u);
  EXPECT_EQ(r.overlapping, 2u);
  EXPECT_EQ(r.accesses, 9u);
  EXPECT_EQ(r.overlapping_accesses, 8u);
  EXPECT_EQ(r.scalar_overlapping, 2u);
  ASSERT_EQ(r.examples.size(), 1u);
  EXPECT_EQ(r.examples[0], (std::pair<uint32_t, uint32_t>{0, 1}));
  // A variable shared by several threads overlaps even a same-thread one.
  EXPECT_EQ(find_overlaps(std::vector<Var>{var(0, 4, 0, true), var(2, 2, 0)}).overlapping, 2u);
}

TEST(Overlap, RangesAreCountedApartFromScalars) {
  // A 1 KiB memory.fill by T0 overlaps T1's words; T1's words overlap T2's
  // 8-byte access too.
  std::vector<Var> vars = {var(0, 1024, 0), var(16, 4, 1), var(20, 4, 1), var(16, 8, 2), var(512, 4, 1)};
  auto r = find_overlaps(vars);
  EXPECT_EQ(r.overlapping, 5u);
  EXPECT_EQ(r.scalar_overlapping, 3u);
  ASSERT_FALSE(r.examples.empty());
  // Pairs of single accesses come first.
  EXPECT_LE(vars[r.examples[0].first].size, kMaxScalarAccess);
  EXPECT_LE(vars[r.examples[0].second].size, kMaxScalarAccess);
  const std::string w = format_overlap_warning(r, TraceMetadata{{}, {}, vars, {}});
  EXPECT_NE(w.find("wgi: warning: trace: 5 of 5 variables (100.00%)"), std::string::npos) << w;
  EXPECT_NE(w.find("3 of them between single accesses"), std::string::npos) << w;
  EXPECT_NE(w.find("V1 (4 bytes at 0x10, thread T1) overlaps V3 (8 bytes at 0x10, thread T2)"), std::string::npos)
      << w;
}

TEST(Overlap, NoWarningWithoutOverlaps) {
  std::vector<Var> vars = {var(0, 4, 0), var(4, 4, 1)};
  EXPECT_EQ(format_overlap_warning(find_overlaps(vars), TraceMetadata{{}, {}, vars, {}}), "");
}

TEST(Overlap, OneThreadAloneNeverOverlaps) {
  // Overlapping ranges, all of thread 3: no pair, but the totals count.
  std::vector<Var> vars = {var(0, 8, 3, false, 2), var(4, 4, 3, false, 5), var(0, 1, 3)};
  const OverlapReport r = find_overlaps(vars);
  EXPECT_EQ(r.variables, 3u);
  EXPECT_EQ(r.accesses, 8u);
  EXPECT_EQ(r.overlapping, 0u);
  EXPECT_TRUE(r.examples.empty());
  // Once the 1-byte variable at 0 is touched by a second thread too, it
  // pairs with the 8-byte one at 0; the 4-byte one at 4 overlaps only the
  // latter, of its own thread, so it stays out.
  vars[2].shared = true;
  EXPECT_EQ(find_overlaps(vars).overlapping, 2u);
}

TEST(Overlap, MatchesBruteForceOnRandomSets) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<Var> vars;
    const int n = 1 + static_cast<int>(rng() % 60);
    const uint32_t threads = 1 + rng() % 4;
    const uint64_t space = 16 + rng() % 400;
    std::set<std::pair<uint64_t, uint32_t>> seen;  // variables are distinct pairs
    for (int i = 0; i < n; ++i) {
      const uint64_t a = rng() % space;
      const uint32_t s = rng() % 8 == 0 ? 17 + rng() % 64 : 1u << (rng() % 4);
      if (!seen.insert({a, s}).second) continue;
      vars.push_back(var(a, s, rng() % threads, rng() % 6 == 0, 1 + rng() % 3));
    }
    const auto r = find_overlaps(vars);
    const auto want = brute_force(vars);
    EXPECT_EQ(r.overlapping, count(want)) << "round " << round;
    EXPECT_EQ(r.scalar_overlapping, count(brute_force(vars, kMaxScalarAccess))) << "round " << round;
    uint64_t acc = 0;
    for (size_t i = 0; i < vars.size(); ++i)
      if (want[i]) acc += vars[i].accesses;
    EXPECT_EQ(r.overlapping_accesses, acc);
    for (const auto& [a, b] : r.examples) {
      const Var &x = vars[a], &y = vars[b];
      EXPECT_TRUE(x.address < y.address + y.size && y.address < x.address + x.size);
      EXPECT_TRUE(x.shared || y.shared || x.first_thread != y.first_thread);
    }
  }
}

}  // namespace
}  // namespace wgi::trace
