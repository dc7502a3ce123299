// `wgi trace races` (src/cli/trace_races.h) against `wgi run --race`: one
// run with --race --trace gives the online reports and the trace, and the
// offline detector must find the same races in the trace (the same bytes,
// the same pairs of threads and code locations). Plus what it does with
// older traces, traces without metadata, and bad input.
//
// The programs: tests/trace/tr_races.c (a racy scenario whose three races
// do not depend on timing, and a race-free one ordered by atomics alone),
// tests/trace/tr_program.c and the primes example.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "json.h"
#include "subprocess.h"
#include "trace/rapidbin.h"
#include "support/trace_data.h"
#include "race/report_compare.h"

namespace wgi::spec {
// For gtest's messages (found by argument-dependent lookup).
static std::ostream& operator<<(std::ostream& os, const ProcessResult& r) {
  return os << r.describe() << "\nstdout:\n" << r.out << "stderr:\n" << r.err;
}
}  // namespace wgi::spec

namespace wgi::race {
namespace {

namespace fs = std::filesystem;

using test::slurp;
constexpr bool kHaveProgram = test::kHaveTraceProgram;
const std::string& kData = test::kTraceData;
const std::string& kRaces = test::kTraceRaces;
const std::string& kProgram = test::kTraceProgram;
const std::string& kPrimes = test::kPrimesTraced;

spec::ProcessResult wgi(std::vector<std::string> args) {
  args.insert(args.begin(), WGI_CLI_PATH);
  return spec::run_process(args);
}

using compare::headlines;
using compare::read_report;
using compare::Race;
using compare::Side;
using compare::Report;

class TraceRaces : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kHaveProgram) GTEST_SKIP() << "the C test programs are not built";
    dir_ = fs::temp_directory_path() / ("wgi-trace-races-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `wgi run --race --trace` then `wgi trace races` on its trace: both
  // exit with `status`, and their reports agree. Returns the online report.
  Report same_races(const std::string& module, const std::vector<std::string>& invoke, int status) {
    const fs::path t = dir_ / "t";
    std::vector<std::string> run = {"run", "--race", "--trace", "--trace-out", t.string(), "--report",
                                    (dir_ / "online.json").string(), module, "--invoke"};
    run.insert(run.end(), invoke.begin(), invoke.end());
    online_ = wgi(run);
    EXPECT_EQ(online_.exit_code, status) << online_;
    offline_ = wgi({"trace", "races", "--report", (dir_ / "offline.json").string(), (t / "trace.bin").string()});
    EXPECT_EQ(offline_.exit_code, status) << offline_;
    const Report on = read_report(dir_ / "online.json"), off = read_report(dir_ / "offline.json");
    EXPECT_EQ(on.races, off.races);
    EXPECT_EQ(on.total, off.total);
    EXPECT_EQ(on.distinct, off.distinct);
    EXPECT_EQ(headlines(online_.err), headlines(offline_.err)) << online_ << offline_;
    return on;
  }

  fs::path dir_;
  spec::ProcessResult online_, offline_;
};

TEST_F(TraceRaces, RacyProgramSameRacesOnlineAndOffline) {
  const Report r = same_races(kRaces, {"racy"}, 66);
  ASSERT_EQ(r.races.size(), 4u);
  // Four addresses, 4 bytes each: the 4-byte pair, the low half of the
  // 8-byte write (a pair RapidBin tools cannot see: two variables), the
  // atomic store against the plain write, and the pair after two atomic
  // loads (the replay turns their sections back into loads, which do not
  // synchronise: read as locks, they would hide it when racer_a's came
  // first).
  std::set<int64_t> addrs;
  int atomic_sides = 0;
  for (const Race& race : r.races) {
    addrs.insert(std::get<0>(race));
    EXPECT_EQ(std::get<1>(race), 4);
    const Side& a = std::get<2>(race);
    const Side& b = std::get<3>(race);
    EXPECT_NE(std::get<0>(a), std::get<0>(b)) << "two threads";
    EXPECT_TRUE(std::get<4>(a) == "racer_a" || std::get<4>(a) == "racer_b");
    EXPECT_TRUE(std::get<4>(b) == "racer_a" || std::get<4>(b) == "racer_b");
    atomic_sides += std::get<2>(a) + std::get<2>(b);
  }
  EXPECT_EQ(addrs.size(), 4u);
  EXPECT_EQ(atomic_sides, 1);
  // The same report text, but for the backtraces (offline has the
  // innermost frame only).
  EXPECT_NE(offline_.err.find("    #0 racer_a (func "), std::string::npos) << offline_;
  EXPECT_NE(offline_.err.find("atomic write of 4 bytes by thread "), std::string::npos) << offline_;
  EXPECT_NE(offline_.err.find("wgi: 4 data races found (4 distinct pairs of locations, 4 printed)"),
            std::string::npos)
      << offline_;
}

TEST_F(TraceRaces, RaceFreeThroughAtomicsAlone) {
  EXPECT_TRUE(same_races(kRaces, {"race_free"}, 0).races.empty());
  EXPECT_EQ(online_.out, "446\n");
  EXPECT_NE(offline_.err.find("wgi: trace races: no data races found ("), std::string::npos) << offline_;
}

TEST_F(TraceRaces, RaceFreeMutexAndMixedSizes) {
  EXPECT_TRUE(same_races(kProgram, {"locked_counter", "4", "100"}, 0).races.empty());
  EXPECT_TRUE(same_races(kProgram, {"mixed_sizes"}, 0).races.empty());
}

TEST_F(TraceRaces, RaceFreePrimes) {
  if (kPrimes.empty()) GTEST_SKIP();
  // Workers end at different times, and the runtime frees their stacks and
  // TLS blocks as it goes (a join in the trace): no false race on reuse.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_races(kPrimes, {"count_primes", "30000", "6"}, 0).races.empty());
}

TEST_F(TraceRaces, RaceLimit) {
  const fs::path t = dir_ / "t";
  ASSERT_EQ(wgi({"run", "--trace", "--trace-out", t.string(), kRaces, "--invoke", "racy"}).exit_code, 0);
  spec::ProcessResult r = wgi({"trace", "races", "--race-limit", "1", (t / "trace.bin").string()});
  EXPECT_EQ(r.exit_code, 66) << r;
  EXPECT_EQ(headlines(r.err).size(), 1u) << r;
  EXPECT_NE(r.err.find("wgi: 4 data races found (4 distinct pairs of locations, 1 printed)"), std::string::npos)
      << r;
  spec::ProcessResult none = wgi({"trace", "races", "--race-limit=0", (t / "trace.bin").string()});
  EXPECT_EQ(none.exit_code, 66) << none;
  EXPECT_TRUE(headlines(none.err).empty()) << none;
}

// A trace as wgi wrote it before atomics had locks: the sections' acquire
// and release taken out (their reads and writes stay, as plain accesses),
// the metadata of version 1. The offline detector then sees the plain
// accesses an HB tool saw, and finds the races such a tool reported on a
// program that has none.
TEST_F(TraceRaces, OldPlainEncodingShowsFalseRaces) {
  const fs::path t = dir_ / "t";
  ASSERT_EQ(wgi({"run", "--trace", "--trace-out", t.string(), kRaces, "--invoke", "race_free"}).exit_code, 0);
  const std::string json = slurp(t / "trace.json");
  const std::string bin = slurp(t / "trace.bin");
  auto parsed = trace::rapidbin::parse(std::span(reinterpret_cast<const uint8_t*>(bin.data()), bin.size()));
  ASSERT_TRUE(parsed.ok());
  // The locks, from the "locks" lines of trace.json: the atomic ones go,
  // the others are numbered again (ids are dense), in the same order.
  std::map<uint64_t, uint64_t> renumber;  // old id -> new, plain locks only
  std::string locks = "\"locks\": [";
  const std::regex lock_line(R"re(\{"id": ([0-9]+), "address": ([0-9]+), "kind": "(lock|atomic)"\})re");
  size_t atomic = 0;
  for (std::sregex_iterator it(json.begin(), json.end(), lock_line), end; it != end; ++it) {
    if ((*it)[3] == "atomic") {
      ++atomic;
      continue;
    }
    const uint64_t id = renumber.size();
    renumber[std::stoull((*it)[1])] = id;
    locks += (id ? ", {\"id\": " : "{\"id\": ") + std::to_string(id) + ", \"address\": " + (*it)[2].str() + "}";
  }
  locks += "]";
  ASSERT_GT(atomic, 0u);
  std::vector<trace::rapidbin::Event> plain;
  for (trace::rapidbin::Event e : parsed->events) {
    if (trace::rapidbin::decor_kind(e.op) == trace::rapidbin::DecorKind::Lock) {
      if (!renumber.count(e.decor)) continue;  // an atomic's section
      e.decor = renumber[e.decor];
    }
    plain.push_back(e);
  }
  auto encoded = trace::rapidbin::encode(plain);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  const fs::path old = dir_ / "old";
  fs::create_directories(old);
  std::ofstream(old / "trace.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(encoded->data()), static_cast<std::streamsize>(encoded->size()));
  std::string v1 = std::regex_replace(json, std::regex(R"("locks": \[[^\]]*\])"), locks);
  v1 = std::regex_replace(v1, std::regex(R"(, "offset": [0-9a-z]+, "width": [0-9a-z]+)"), "");
  v1 = std::regex_replace(v1, std::regex(R"("version": 2)"), R"("version": 1)");
  v1 = std::regex_replace(v1, std::regex(R"("events": [0-9]+)"), "\"events\": " + std::to_string(plain.size()));
  std::ofstream(old / "trace.json") << v1;

  spec::ProcessResult r = wgi({"trace", "races", (old / "trace.bin").string()});
  EXPECT_EQ(r.exit_code, 66) << r;
  EXPECT_NE(r.err.find("gives no lock kinds (an older trace)"), std::string::npos) << r;
  // The message words, the spin lock's counter and its word: all false races.
  EXPECT_NE(r.err.find("publisher (func "), std::string::npos) << r;
  EXPECT_NE(r.err.find("spinner (func "), std::string::npos) << r;
  // The same file with the sections is race-free (RaceFreeThroughAtomicsAlone).
  EXPECT_EQ(wgi({"trace", "races", (t / "trace.bin").string()}).exit_code, 0);
}

TEST_F(TraceRaces, WithoutMetadata) {
  const fs::path t = dir_ / "t";
  ASSERT_EQ(wgi({"run", "--trace", "--trace-out", t.string(), kRaces, "--invoke", "racy"}).exit_code, 0);
  const fs::path bare = dir_ / "bare";
  fs::create_directories(bare);
  fs::copy_file(t / "trace.bin", bare / "trace.bin");
  spec::ProcessResult r = wgi({"trace", "races", "--report", (dir_ / "r.json").string(), (bare / "trace.bin").string()});
  EXPECT_EQ(r.exit_code, 66) << r;
  EXPECT_NE(r.err.find("wgi: trace races: no metadata ("), std::string::npos) << r;
  EXPECT_NE(r.err.find("    #0 location "), std::string::npos) << r;
  // Variables are ids: the 8-byte write and the 4-byte read of its low half
  // are two variables, so that race goes. And every lock is a plain lock:
  // the two loads' sections order the last pair when racer_a's load came
  // first (it depends on the run). The other two remain.
  const Report rep = read_report(dir_ / "r.json");
  EXPECT_GE(rep.races.size(), 2u);
  EXPECT_LE(rep.races.size(), 3u);
  // --metadata brings them back.
  spec::ProcessResult with = wgi({"trace", "races", "--metadata", (t / "trace.json").string(),
                                  (bare / "trace.bin").string()});
  EXPECT_EQ(with.exit_code, 66) << with;
  EXPECT_EQ(headlines(with.err).size(), 4u) << with;
}

TEST_F(TraceRaces, BadInput) {
  const fs::path t = dir_ / "t", u = dir_ / "u";
  ASSERT_EQ(wgi({"run", "--trace", "--trace-out", t.string(), kRaces, "--invoke", "racy"}).exit_code, 0);
  ASSERT_EQ(wgi({"run", "--trace", "--trace-out", u.string(), kProgram, "--invoke", "mixed_sizes"}).exit_code, 0);
  // Another trace's metadata.
  spec::ProcessResult other =
      wgi({"trace", "races", "--metadata", (u / "trace.json").string(), (t / "trace.bin").string()});
  EXPECT_EQ(other.exit_code, 1) << other;
  EXPECT_NE(other.err.find("does not describe"), std::string::npos) << other;
  // A --metadata that does not exist, or is not metadata.
  spec::ProcessResult missing =
      wgi({"trace", "races", "--metadata", (dir_ / "nope.json").string(), (t / "trace.bin").string()});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  std::ofstream(dir_ / "bad.json") << "{\"format\": \"wgi-trace-metadata\", \"locks\": [{\"id\": 0, \"kind\": 3}]}";
  spec::ProcessResult bad = wgi({"trace", "races", "--metadata", (dir_ / "bad.json").string(), (t / "trace.bin").string()});
  EXPECT_EQ(bad.exit_code, 1) << bad;
  EXPECT_NE(bad.err.find("bad.json:0x"), std::string::npos) << bad;
  EXPECT_NE(bad.err.find("malformed: expected a string"), std::string::npos) << bad;
  // A trace that is cut short.
  const std::string bin = slurp(t / "trace.bin");
  std::ofstream(dir_ / "cut.bin", std::ios::binary) << bin.substr(0, bin.size() - 5);
  spec::ProcessResult cut = wgi({"trace", "races", (dir_ / "cut.bin").string()});
  EXPECT_EQ(cut.exit_code, 1) << cut;
  EXPECT_NE(cut.err.find("malformed"), std::string::npos) << cut;
  EXPECT_EQ(wgi({"trace", "races", (dir_ / "missing.bin").string()}).exit_code, 1);
  // A report that cannot be written.
  EXPECT_EQ(wgi({"trace", "races", "--report", "/dev/null/r.json", (t / "trace.bin").string()}).exit_code, 1);
  // Usage.
  EXPECT_EQ(wgi({"trace", "races"}).exit_code, 2);
  EXPECT_EQ(wgi({"trace", "races", "a.bin", "b.bin"}).exit_code, 2);
  EXPECT_EQ(wgi({"trace", "races", "--race-limit", "x", "a.bin"}).exit_code, 2);
  EXPECT_EQ(wgi({"trace", "races", "a.bin", "--report"}).exit_code, 2);
  EXPECT_EQ(wgi({"trace", "races", "--to", "std", "a.bin"}).exit_code, 2);
  EXPECT_EQ(wgi({"trace", "stats", "--report", "r.json", "a.bin"}).exit_code, 2);
  spec::ProcessResult help = wgi({"trace", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("wgi trace races [--metadata FILE] [--race-limit N] [--report FILE] TRACE.bin"),
            std::string::npos);
  EXPECT_NE(wgi({"--help"}).out.find("races [--metadata FILE]"), std::string::npos);
}

}  // namespace
}  // namespace wgi::race
