// The race corpus (tests/race/README.md): labelled C programs, each built
// with and without the lock hooks (tests/race/race_corpus.cmake), run by the
// wgi binary.
//
// RaceCorpus/Corpus.Race/<module> runs
//
//   wgi run --race --report OUT.json <module>.wasm --invoke test
//
// and checks the verdict against the labels in the program's source: a
// race-free program must exit 0 with no races in the report; a racy one must
// exit 66, every reported race must lie inside an expected range, and every
// expected range must meet a reported race (race_check.h; its own tests are
// race_check_test.cc). The expected ranges become addresses through the
// exports the build adds for the labelled symbols (-Wl,--export=SYMBOL: an
// immutable i32 global holding the address), read from the module with
// wgi's decoder.
//
// The environment variable WGI_RACE_CORPUS_WGI names another wgi binary for
// the Race tests (e.g. a fake that writes made-up reports, to try the
// harness, or another build).
//
// CorpusPlain/CorpusRun.Plain/<module> runs the same module with plain
// `wgi run` and expects a normal end (exit 0, nothing on stderr): every
// program runs, and the race-free ones compute the right results (their
// CHECKs trap otherwise).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <ostream>
#include <string>
#include <vector>

#include "decoder/decoder.h"
#include "race/race_check.h"
#include "race/report_compare.h"
#include "race_corpus_variants.h"  // generated: WGI_RACE_CORPUS_MODULES, ..._DATA, ..._SOURCE_DIR
#include "subprocess.h"
#include "support/corpus_support.h"

namespace wgi::race_test {
namespace {

using test::output_of;
using test::read_file;
using test::symbol_address;

namespace fs = std::filesystem;

// What `wgi run --race` exits with when it reported races and the program
// otherwise ended normally.
constexpr int kExitRaces = 66;

struct CorpusModule {
  std::string program;  // tests/race/corpus/<program>.c
  std::string module;   // <data dir>/<module>.wasm
  bool hooks = false;
  bool stack_first = false;
};

// Test parameters print as their module name.
void PrintTo(const CorpusModule& m, std::ostream* os) { *os << m.module; }

std::vector<CorpusModule> corpus_modules() {
  std::vector<CorpusModule> v;
#define WGI_RACE_CORPUS_ENTRY(program, module, hooks, stack_first) v.push_back({program, module, hooks, stack_first});
  WGI_RACE_CORPUS_MODULES(WGI_RACE_CORPUS_ENTRY)
#undef WGI_RACE_CORPUS_ENTRY
  return v;
}

std::string module_name(const ::testing::TestParamInfo<CorpusModule>& info) { return info.param.module; }

std::string source_path(const CorpusModule& m) { return std::string(WGI_RACE_CORPUS_SOURCE_DIR) + "/" + m.program + ".c"; }
std::string wasm_path(const CorpusModule& m) { return std::string(WGI_RACE_CORPUS_DATA) + "/" + m.module + ".wasm"; }

// The wgi binary the Race tests run: WGI_RACE_CORPUS_WGI, else the one built
// with the tests.
std::string race_wgi() {
  const char* env = std::getenv("WGI_RACE_CORPUS_WGI");
  return env && *env ? env : WGI_CLI_PATH;
}

// ---- the race checker's verdicts ------------------------------------------------

class Corpus : public ::testing::TestWithParam<CorpusModule> {};

TEST_P(Corpus, Race) {
  const CorpusModule& m = GetParam();
  const std::string src = source_path(m);
  const std::string wasm = wasm_path(m);

  std::optional<std::string> text = read_file(src);
  ASSERT_TRUE(text) << "cannot read " << src;
  std::string error;
  std::optional<Labels> labels = parse_labels(*text, &error);
  ASSERT_TRUE(labels) << src << ": " << error;

  std::optional<std::string> bytes = read_file(wasm);
  ASSERT_TRUE(bytes) << "cannot read " << wasm << " (built by the target wgi_race_corpus)";
  auto mod = decode_module(std::vector<uint8_t>(bytes->begin(), bytes->end()));
  ASSERT_TRUE(mod.ok()) << wasm << ": " << mod.error().message;
  std::vector<ExpectedRange> expected;
  for (const ExpectedRace& r : labels->races) {
    std::optional<uint32_t> addr = symbol_address(*mod, r.symbol, &error);
    ASSERT_TRUE(addr) << m.module << ": " << error;
    expected.push_back({r, uint64_t{*addr} + r.offset});
  }

  const fs::path report_path =
      fs::temp_directory_path() / ("wgi-race-corpus-" + std::to_string(::getpid()) + "-" + m.module + ".json");
  fs::remove(report_path);
  const spec::ProcessResult p =
      spec::run_process({race_wgi(), "run", "--race", "--report", report_path.string(), wasm, "--invoke", "test"});
  std::optional<std::string> report_text = read_file(report_path.string());
  fs::remove(report_path);

  const int want_status = labels->race_free ? 0 : kExitRaces;
  ASSERT_TRUE(p.exited && (p.exit_code == 0 || p.exit_code == kExitRaces))
      << m.module << ": wgi run --race did not end normally (want exit " << want_status << "):\n" << output_of(p);
  ASSERT_TRUE(report_text) << m.module << ": no report written to " << report_path << "\n" << output_of(p);
  std::optional<Report> report = parse_report(*report_text, &error);
  ASSERT_TRUE(report) << m.module << ": bad report: " << error << "\n" << report_text->substr(0, 4000);

  EXPECT_EQ(p.exit_code, want_status)
      << m.module << ": labelled " << (labels->race_free ? "race-free" : "racy") << ", " << report->races.size()
      << " race(s) reported\n" << output_of(p);
  EXPECT_EQ(p.exit_code == kExitRaces, !report->races.empty())
      << m.module << ": exit status " << p.exit_code << " but " << report->races.size() << " race(s) in the report";
  for (const std::string& problem : check_races(expected, *report)) ADD_FAILURE() << m.module << ": " << problem;
}

INSTANTIATE_TEST_SUITE_P(RaceCorpus, Corpus, ::testing::ValuesIn(corpus_modules()), module_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Corpus);

// ---- the same verdicts offline, from the run's trace ------------------------------

// `wgi run --race --trace` and then `wgi trace races` on the trace it wrote:
// one execution, so the offline detector must give the same verdict on the
// same bytes.
class CorpusOffline : public ::testing::TestWithParam<CorpusModule> {};

TEST_P(CorpusOffline, SameRacesFromTheTrace) {
  const CorpusModule& m = GetParam();
  const fs::path dir =
      fs::temp_directory_path() / ("wgi-race-corpus-offline-" + std::to_string(::getpid()) + "-" + m.module);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const spec::ProcessResult online =
      spec::run_process({WGI_CLI_PATH, "run", "--race", "--trace", "--trace-out", (dir / "t").string(), "--report",
                         (dir / "online.json").string(), wasm_path(m), "--invoke", "test"});
  ASSERT_TRUE(online.exited && (online.exit_code == 0 || online.exit_code == kExitRaces)) << output_of(online);
  const spec::ProcessResult offline = spec::run_process(
      {WGI_CLI_PATH, "trace", "races", "--report", (dir / "offline.json").string(), (dir / "t" / "trace.bin").string()});
  EXPECT_EQ(offline.exit_code, online.exit_code) << output_of(online) << output_of(offline);
  const race::compare::Report on = race::compare::read_report(dir / "online.json");
  const race::compare::Report off = race::compare::read_report(dir / "offline.json");
  // The same verdict and the same racy bytes. Not the counts, nor always
  // the same pairs of locations: in loops that race many times, which pair
  // is met first depends on the order of unsynchronised accesses, which a
  // trace keeps only up to synchronisation (trace_races_test compares whole
  // reports on programs whose races happen once).
  std::set<std::pair<int64_t, int64_t>> on_bytes, off_bytes;
  for (const auto& r : on.races) on_bytes.insert({std::get<0>(r), std::get<1>(r)});
  for (const auto& r : off.races) off_bytes.insert({std::get<0>(r), std::get<1>(r)});
  EXPECT_EQ(on_bytes, off_bytes) << m.module;
  EXPECT_EQ(on.races.empty(), off.races.empty()) << m.module;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(RaceCorpusOffline, CorpusOffline, ::testing::ValuesIn(corpus_modules()), module_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CorpusOffline);

// ---- plain runs ---------------------------------------------------------------

class CorpusRun : public ::testing::TestWithParam<CorpusModule> {};

TEST_P(CorpusRun, Plain) {
  const CorpusModule& m = GetParam();
  const spec::ProcessResult p = spec::run_process({WGI_CLI_PATH, "run", wasm_path(m), "--invoke", "test"});
  EXPECT_TRUE(p.exited && p.exit_code == 0) << m.module << ":\n" << output_of(p);
  EXPECT_EQ(p.out, "") << m.module;  // test returns nothing
  EXPECT_EQ(p.err, "") << m.module;
}

INSTANTIATE_TEST_SUITE_P(CorpusPlain, CorpusRun, ::testing::ValuesIn(corpus_modules()), module_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CorpusRun);

}  // namespace
}  // namespace wgi::race_test
