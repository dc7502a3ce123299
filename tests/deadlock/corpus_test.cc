// The deadlock corpus (tests/deadlock/README.md): labelled C programs, each
// built with and without the lock hooks (tests/deadlock/deadlock_corpus.cmake),
// run by the wgi binary.
//
// DeadlockCorpus/DeadlockCorpusCheck.Verdict/<module> runs
//
//   wgi run --deadlock --report OUT.json <module>.wasm --invoke test
//
// and checks the exit status, stderr and the report against the labels in
// the program's source (deadlock_check.h: check_run; its own tests are
// deadlock_check_test.cc). The expect-cycle labels' mutexes become
// addresses through the exports the build adds for them
// (-Wl,--export=SYMBOL: an immutable i32 global holding the address), read
// from the module with wgi's decoder.
//
// DeadlockCorpusPlain/DeadlockCorpusRun.Plain/<module> runs the same module
// with plain `wgi run` (no --deadlock, no report): the live deadlocks and
// lock wait-for cycles are reported all the same (exit 5), nothing is
// predicted, and every other program ends normally with nothing on stderr
// (its CHECKs trap otherwise).
//
// Every run has a hard timeout (kTimeoutSeconds): a deadlock wgi does not
// detect would otherwise hang the test. The programs end, or deadlock,
// within a second or two.
//
// The environment variable WGI_DEADLOCK_CORPUS_WGI names another wgi binary
// for both (e.g. a fake that writes made-up reports, to try the harness, or
// another build).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "deadlock/deadlock_check.h"
#include "deadlock_corpus_variants.h"  // generated: WGI_DEADLOCK_CORPUS_MODULES, ..._DATA, ..._SOURCE_DIR
#include "decoder/decoder.h"
#include "subprocess.h"
#include "support/corpus_support.h"

namespace wgi::deadlock_test {
namespace {

using test::output_of;
using test::read_file;
using test::symbol_address;

namespace fs = std::filesystem;

// Long enough for a loaded machine (sanitizer builds, ctest -j), short
// enough that an undetected deadlock fails the test rather than the suite.
constexpr double kTimeoutSeconds = 20;

struct CorpusModule {
  std::string program;  // tests/deadlock/corpus/<program>.c
  std::string module;   // <data dir>/<module>.wasm
  bool hooks = false;
};

// Test parameters print as their module name.
void PrintTo(const CorpusModule& m, std::ostream* os) { *os << m.module; }

std::vector<CorpusModule> corpus_modules() {
  std::vector<CorpusModule> v;
#define WGI_DEADLOCK_CORPUS_ENTRY(program, module, hooks) v.push_back({program, module, hooks});
  WGI_DEADLOCK_CORPUS_MODULES(WGI_DEADLOCK_CORPUS_ENTRY)
#undef WGI_DEADLOCK_CORPUS_ENTRY
  return v;
}

std::string module_name(const ::testing::TestParamInfo<CorpusModule>& info) { return info.param.module; }

std::string source_path(const CorpusModule& m) {
  return std::string(WGI_DEADLOCK_CORPUS_SOURCE_DIR) + "/" + m.program + ".c";
}
std::string wasm_path(const CorpusModule& m) {
  return std::string(WGI_DEADLOCK_CORPUS_DATA) + "/" + m.module + ".wasm";
}

// The wgi binary the tests run: WGI_DEADLOCK_CORPUS_WGI, else the one built
// with the tests.
std::string corpus_wgi() {
  const char* env = std::getenv("WGI_DEADLOCK_CORPUS_WGI");
  return env && *env ? env : WGI_CLI_PATH;
}

// The program's labels, or a failure.
::testing::AssertionResult load_labels(const CorpusModule& m, Labels* out) {
  const std::string src = source_path(m);
  std::optional<std::string> text = read_file(src);
  if (!text) return ::testing::AssertionFailure() << "cannot read " << src;
  std::string error;
  std::optional<Labels> labels = parse_labels(*text, &error);
  if (!labels) return ::testing::AssertionFailure() << src << ": " << error;
  *out = std::move(*labels);
  return ::testing::AssertionSuccess();
}

// ---- the verdicts ----------------------------------------------------------------

class DeadlockCorpusCheck : public ::testing::TestWithParam<CorpusModule> {};

TEST_P(DeadlockCorpusCheck, Verdict) {
  const CorpusModule& m = GetParam();
  const std::string wasm = wasm_path(m);
  Labels labels;
  ASSERT_TRUE(load_labels(m, &labels));

  std::optional<std::string> bytes = read_file(wasm);
  ASSERT_TRUE(bytes) << "cannot read " << wasm << " (built by the target wgi_deadlock_corpus)";
  auto mod = decode_module(std::vector<uint8_t>(bytes->begin(), bytes->end()));
  ASSERT_TRUE(mod.ok()) << wasm << ": " << mod.error().message;
  std::map<std::string, uint64_t> symbols;
  for (const ExpectedCycle& c : labels.cycles) {
    for (const std::string& sym : c.symbols) {
      std::string error;
      std::optional<uint32_t> addr = symbol_address(*mod, sym, &error);
      ASSERT_TRUE(addr) << m.module << ": " << error;
      symbols[sym] = *addr;
    }
  }

  const fs::path report_path =
      fs::temp_directory_path() / ("wgi-deadlock-corpus-" + std::to_string(::getpid()) + "-" + m.module + ".json");
  fs::remove(report_path);
  const spec::ProcessResult p = spec::run_process(
      {corpus_wgi(), "run", "--deadlock", "--report", report_path.string(), wasm, "--invoke", "test"}, kTimeoutSeconds);
  std::optional<std::string> report_text = read_file(report_path.string());
  fs::remove(report_path);

  const int want_status = expected_status(labels, m.hooks, /*deadlock_flag=*/true);
  ASSERT_TRUE(p.exited) << m.module << ": wgi run --deadlock did not exit (want exit " << want_status
                        << "; a timeout is a deadlock that was not detected):\n"
                        << output_of(p);
  ASSERT_TRUE(report_text) << m.module << ": no report written to " << report_path << "\n" << output_of(p);
  std::string error;
  std::optional<Report> report = parse_report(*report_text, &error);
  ASSERT_TRUE(report) << m.module << ": bad report: " << error << "\n" << report_text->substr(0, 4000);

  const ObservedRun run{m.hooks, /*deadlock_flag=*/true, p.exit_code, p.err, std::move(*report)};
  const std::vector<std::string> problems = check_run(labels, symbols, run);
  for (const std::string& problem : problems) ADD_FAILURE() << m.module << ": " << problem;
  if (!problems.empty())
    ADD_FAILURE() << m.module << ": the run:\n" << output_of(p) << "report:\n" << report_text->substr(0, 4000);
}

INSTANTIATE_TEST_SUITE_P(DeadlockCorpus, DeadlockCorpusCheck, ::testing::ValuesIn(corpus_modules()), module_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DeadlockCorpusCheck);

// ---- offline: the same predictions from the run's trace ---------------------------

// `wgi run --deadlock --trace` and then `wgi trace deadlocks` on its trace
// predict the same cycles: the same threads, and for each the lock held,
// the lock asked for and the innermost frame (a trace has no backtraces).
// Only the hooks builds have lock events to predict from.
class DeadlockCorpusOffline : public ::testing::TestWithParam<CorpusModule> {};

TEST_P(DeadlockCorpusOffline, AgreesWithOnline) {
  const CorpusModule& m = GetParam();
  const fs::path dir =
      fs::temp_directory_path() / ("wgi-deadlock-offline-" + std::to_string(::getpid()) + "-" + m.module);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string on = (dir / "online.json").string(), off = (dir / "offline.json").string();
  const spec::ProcessResult run = spec::run_process({corpus_wgi(), "run", "--deadlock", "--report", on, "--trace",
                                                     "--trace-out", (dir / "t").string(), wasm_path(m), "--invoke",
                                                     "test"},
                                                    kTimeoutSeconds);
  ASSERT_TRUE(run.exited) << output_of(run);
  const spec::ProcessResult offline = spec::run_process(
      {corpus_wgi(), "trace", "deadlocks", "--report", off, (dir / "t" / "trace.bin").string()}, kTimeoutSeconds);
  ASSERT_TRUE(offline.exited) << output_of(offline);
  auto cycles = [&](const std::string& path, bool offline) {
    std::set<std::vector<std::tuple<uint32_t, uint64_t, uint64_t, uint32_t, uint64_t>>> out;
    std::optional<std::string> text = read_file(path);
    EXPECT_TRUE(text) << "no report " << path;
    if (!text) return out;
    std::string error;
    std::optional<Report> r = parse_report(*text, &error, offline);
    EXPECT_TRUE(r && r->potential) << path << ": " << error;
    if (!r || !r->potential) return out;
    for (const PotentialDeadlock& d : *r->potential) {
      std::vector<std::tuple<uint32_t, uint64_t, uint64_t, uint32_t, uint64_t>> c;
      for (const CycleEntry& e : d.cycle)
        c.emplace_back(e.thread, e.holds, e.acquires, e.where.func,
                       e.where.offset);
      std::sort(c.begin(), c.end());
      out.insert(c);
    }
    return out;
  };
  const auto online_cycles = cycles(on, false), offline_cycles = cycles(off, true);
  EXPECT_EQ(online_cycles, offline_cycles) << m.module << "\nonline:\n" << output_of(run) << "offline:\n"
                                           << output_of(offline);
  EXPECT_EQ(offline.exit_code, online_cycles.empty() ? 0 : 66) << output_of(offline);
  fs::remove_all(dir);
}

std::vector<CorpusModule> hooks_modules() {
  std::vector<CorpusModule> out;
  for (const CorpusModule& m : corpus_modules())
    if (m.hooks) out.push_back(m);
  return out;
}

INSTANTIATE_TEST_SUITE_P(DeadlockCorpusOffline, DeadlockCorpusOffline, ::testing::ValuesIn(hooks_modules()),
                         module_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DeadlockCorpusOffline);

// ---- plain runs ---------------------------------------------------------------

class DeadlockCorpusRun : public ::testing::TestWithParam<CorpusModule> {};

TEST_P(DeadlockCorpusRun, Plain) {
  const CorpusModule& m = GetParam();
  Labels labels;
  ASSERT_TRUE(load_labels(m, &labels));
  const int want_status = expected_status(labels, m.hooks, /*deadlock_flag=*/false);
  const spec::ProcessResult p =
      spec::run_process({corpus_wgi(), "run", wasm_path(m), "--invoke", "test"}, kTimeoutSeconds);
  ASSERT_TRUE(p.exited) << m.module << ": want exit " << want_status << "\n" << output_of(p);
  EXPECT_EQ(p.exit_code, want_status) << m.module << ":\n" << output_of(p);
  EXPECT_EQ(p.out, "") << m.module;  // test returns nothing
  if (want_status == 0) {
    EXPECT_EQ(p.err, "") << m.module;
  } else {
    // The same live and wait-for cycle reports as with --deadlock.
    const StderrSummary err = scan_stderr(p.err);
    EXPECT_EQ(err.live_headers, labels.live ? 1 : 0) << m.module << ":\n" << output_of(p);
    EXPECT_EQ(err.lock_cycle_lines, m.hooks ? static_cast<int>(labels.lock_cycles) : 0) << m.module << ":\n"
                                                                                        << output_of(p);
  }
}

INSTANTIATE_TEST_SUITE_P(DeadlockCorpusPlain, DeadlockCorpusRun, ::testing::ValuesIn(corpus_modules()), module_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DeadlockCorpusRun);

}  // namespace
}  // namespace wgi::deadlock_test

namespace wgi::deadlock_test {
namespace {

// --deadlock-exit ends the run at the lock cycle, before the main thread
// (which would go on and return) finishes: status 5, the cycle, then every
// thread's state, and a report whose deadlock is the lock cycle. Without
// the flag the same program runs to its end (also status 5, the cycle said
// as it formed).
TEST(DeadlockExit, EndsTheRunAtTheLockCycle) {
  const std::string wasm = std::string(WGI_DEADLOCK_CORPUS_DATA) + "/partial_abba_hooks.wasm";
  if (!fs::exists(wasm)) GTEST_SKIP() << wasm << " not built (no threadlink toolchain)";
  const fs::path report = fs::temp_directory_path() / ("wgi-deadlock-exit-" + std::to_string(::getpid()) + ".json");
  const spec::ProcessResult p = spec::run_process(
      {corpus_wgi(), "run", "--deadlock-exit", "--report", report.string(), wasm, "--invoke", "test"},
      kTimeoutSeconds);
  ASSERT_TRUE(p.exited) << output_of(p);
  EXPECT_EQ(p.exit_code, 5) << output_of(p);
  EXPECT_NE(p.err.find("wgi: deadlock: lock cycle: 2 threads wait for each other's locks\n"), std::string::npos)
      << output_of(p);
  EXPECT_NE(p.err.find("wgi: deadlock: stopped at the lock cycle above (--deadlock-exit); every thread:\n"
                       "  thread 0: "),
            std::string::npos)
      << output_of(p);
  std::optional<std::string> json = read_file(report.string());
  fs::remove(report);
  ASSERT_TRUE(json);
  EXPECT_NE(json->find("\"deadlock\": {\"kind\": \"lock_cycle\", \"threads\": ["), std::string::npos) << *json;

  const spec::ProcessResult goes_on = spec::run_process({corpus_wgi(), "run", wasm, "--invoke", "test"}, kTimeoutSeconds);
  EXPECT_EQ(goes_on.exit_code, 5) << output_of(goes_on);
  EXPECT_NE(goes_on.err.find("(the program goes on)"), std::string::npos) << output_of(goes_on);
  EXPECT_EQ(goes_on.err.find("stopped at the lock cycle"), std::string::npos) << output_of(goes_on);
}

}  // namespace
}  // namespace wgi::deadlock_test
