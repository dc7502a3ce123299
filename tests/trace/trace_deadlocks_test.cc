// `wgi trace deadlocks` (src/cli/trace_deadlocks.h): on hand-made traces,
// which lock orders it reports and which a gate lock or thread creation
// and joining rule out, that atomics' locks do not count, and what it does
// without metadata; then against `wgi run --deadlock` on the same runs of
// tests/trace/tr_lock_order.c (one run with --deadlock --trace gives the
// online report and the trace, and the offline predictor must find the
// same cycles); plus bad input and usage.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "json.h"
#include "subprocess.h"
#include "support/trace_data.h"
#include "trace/rapidbin.h"

namespace wgi::spec {
// For gtest's messages (found by argument-dependent lookup).
static std::ostream& operator<<(std::ostream& os, const ProcessResult& r) {
  return os << r.describe() << "\nstdout:\n" << r.out << "stderr:\n" << r.err;
}
}  // namespace wgi::spec

namespace wgi::trace {
namespace {

namespace fs = std::filesystem;
using rapidbin::Event;
using rapidbin::Op;

spec::ProcessResult wgi(std::vector<std::string> args) {
  args.insert(args.begin(), WGI_CLI_PATH);
  return spec::run_process(args);
}

// One edge of a reported cycle: thread, the lock it held, the lock it
// acquired, and the innermost frame's function and offset (-1: null).
using Edge = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>;
// A cycle: its edges, whichever lock the report starts it from.
using Cycle = std::set<Edge>;

// The "potential_deadlocks" of a --report file.
std::set<Cycle> read_cycles(const fs::path& p) {
  std::set<Cycle> out;
  spec::JsonError err;
  auto json = spec::parse_json(test::slurp(p), &err);
  EXPECT_TRUE(json) << p << ": " << err.message << " at " << err.offset;
  if (!json) return out;
  EXPECT_EQ(json->find("format")->text(), "wgi-report");
  const spec::Json* cycles = json->find("potential_deadlocks");
  EXPECT_TRUE(cycles) << p;
  if (!cycles) return out;
  auto num = [](const spec::Json& o, const char* key) -> int64_t {
    const spec::Json* v = o.find(key);
    return v && v->is_number() ? *v->as_int() : -1;
  };
  for (const spec::Json& c : cycles->items()) {
    Cycle cycle;
    for (const spec::Json& e : c.find("cycle")->items())
      cycle.insert({num(e, "thread"), num(e, "holds"), num(e, "acquires"), num(e, "func"), num(e, "offset")});
    out.insert(cycle);
  }
  return out;
}

// The report headlines ("wgi: potential deadlock: ..."), in order.
std::vector<std::string> headlines(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream in(err);
  for (std::string l; std::getline(in, l);)
    if (l.rfind("wgi: potential deadlock: ", 0) == 0) out.push_back(l);
  return out;
}

class TraceDeadlocks : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("wgi-trace-deadlocks-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

// ---- hand-made traces ---------------------------------------------------------------------

// The ids of the hand-made traces. Trace threads 1 and 2 are wgi threads 5
// and 7 (reports name wgi's). Lock kAtomic is reserved for the atomics on
// A's address. Locations: main's fork and join, the worker's first and
// second acquisition, and one with no function.
constexpr uint32_t T0 = 0, T1 = 1, T2 = 2;
constexpr uint64_t A = 0, B = 1, G = 2, kAtomic = 3;
constexpr uint32_t kMain = 0, kFirst = 1, kSecond = 2, kRuntime = 3;

std::string metadata_json(size_t events) {
  return R"({"format": "wgi-trace-metadata", "version": 2, "trace": "trace.bin", "module": "m.wasm",
  "events": )" + std::to_string(events) + R"(, "truncated": false,
  "threads": [{"id": 0, "wgi_thread": 0}, {"id": 1, "wgi_thread": 5}, {"id": 2, "wgi_thread": 7}],
  "locks": [{"id": 0, "address": 256, "kind": "lock"}, {"id": 1, "address": 512, "kind": "lock"},
            {"id": 2, "address": 768, "kind": "lock"}, {"id": 3, "address": 256, "kind": "atomic"}],
  "variables": [{"id": 0, "address": 256, "size": 4}],
  "locations": [
    {"id": 0, "function": 1, "name": "main", "instruction": 3, "offset": 80, "width": 0},
    {"id": 1, "function": 2, "name": "worker", "instruction": 5, "offset": 96, "width": 0},
    {"id": 2, "function": 2, "name": "worker", "instruction": 9, "offset": 112, "width": 0},
    {"id": 3, "function": null, "name": null, "instruction": null, "offset": null, "width": null}]
})";
}

// `t` takes `first` then `second` (inside `gate` unless it is none), then
// lets them go.
std::vector<Event> section(uint32_t t, uint64_t first, uint64_t second, std::optional<uint64_t> gate = {}) {
  std::vector<Event> ev;
  if (gate) ev.push_back({t, Op::Acquire, *gate, kFirst});
  ev.push_back({t, Op::Request, first, kFirst});
  ev.push_back({t, Op::Acquire, first, kFirst});
  ev.push_back({t, Op::Request, second, kSecond});
  ev.push_back({t, Op::Acquire, second, kSecond});
  ev.push_back({t, Op::Release, second, kSecond});
  ev.push_back({t, Op::Release, first, kFirst});
  if (gate) ev.push_back({t, Op::Release, *gate, kFirst});
  return ev;
}

std::vector<Event> cat(std::initializer_list<std::vector<Event>> parts) {
  std::vector<Event> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// T1 and T2 forked before either is joined.
std::vector<Event> concurrent(const std::vector<Event>& t1, const std::vector<Event>& t2) {
  return cat({{{T0, Op::Fork, T1, kMain}, {T0, Op::Fork, T2, kMain}}, t1, t2,
              {{T0, Op::Join, T1, kMain}, {T0, Op::Join, T2, kMain}}});
}

// Writes dir/trace.bin, and dir/trace.json unless `with_metadata` is false.
// Returns the trace's path.
fs::path write_trace(const fs::path& dir, const std::vector<Event>& events, bool with_metadata = true) {
  fs::create_directories(dir);
  auto bytes = rapidbin::encode(events);
  EXPECT_TRUE(bytes.ok()) << bytes.error().message;
  std::ofstream(dir / "trace.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
  if (with_metadata) std::ofstream(dir / "trace.json") << metadata_json(events.size());
  return dir / "trace.bin";
}

TEST_F(TraceDeadlocks, InversionInTwoConcurrentThreads) {
  const fs::path t = write_trace(dir_ / "t", concurrent(section(T1, A, B), section(T2, B, A)));
  spec::ProcessResult r = wgi({"trace", "deadlocks", "--report", (dir_ / "r.json").string(), t.string()});
  EXPECT_EQ(r.exit_code, 66) << r;
  EXPECT_NE(r.err.find("wgi: potential deadlock: lock-order inversion between 2 threads (0x100 -> 0x200 -> 0x100)\n"
                       "  thread 5 asked for lock 0x200 while holding lock 0x100:\n"
                       "    #0 worker (func 2) at 0x70\n"
                       "  thread 7 asked for lock 0x100 while holding lock 0x200:\n"
                       "    #0 worker (func 2) at 0x70\n"
                       "wgi: 1 potential deadlock found"),
            std::string::npos)
      << r;
  const std::set<Cycle> expected = {{{5, 256, 512, 2, 112}, {7, 512, 256, 2, 112}}};
  EXPECT_EQ(read_cycles(dir_ / "r.json"), expected);
}

TEST_F(TraceDeadlocks, GateLockOrForkJoinOrderRulesItOut) {
  // Both hold G around their inversion: it cannot happen.
  const fs::path gated = write_trace(dir_ / "gated", concurrent(section(T1, A, B, G), section(T2, B, A, G)));
  spec::ProcessResult r = wgi({"trace", "deadlocks", "--report", (dir_ / "r.json").string(), gated.string()});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.err.find("wgi: trace deadlocks: no potential deadlocks found (20 events)"), std::string::npos) << r;
  EXPECT_TRUE(read_cycles(dir_ / "r.json").empty());
  // A gate held by one thread alone does not help.
  EXPECT_EQ(wgi({"trace", "deadlocks",
                 write_trace(dir_ / "half", concurrent(section(T1, A, B, G), section(T2, B, A))).string()})
                .exit_code,
            66);
  // T2 is created after the program joined T1. A runtime join (at a
  // location with no function: the runtime freed T1's blocks) is no such
  // order: in another schedule T1 is still running when T2 starts.
  for (const uint32_t at : {kMain, kRuntime}) {
    const fs::path seq = write_trace(dir_ / ("seq" + std::to_string(at)),
                                     cat({{{T0, Op::Fork, T1, kMain}}, section(T1, A, B), {{T0, Op::Join, T1, at}},
                                          {{T0, Op::Fork, T2, kMain}}, section(T2, B, A),
                                          {{T0, Op::Join, T2, kMain}}}));
    spec::ProcessResult s = wgi({"trace", "deadlocks", seq.string()});
    EXPECT_EQ(s.exit_code, at == kMain ? 0 : 66) << s;
    EXPECT_EQ(headlines(s.err).empty(), at == kMain) << s;
  }
  // T1 creates T2 after its own inversion: T2's cannot meet it.
  const fs::path nested = write_trace(
      dir_ / "nested",
      cat({{{T0, Op::Fork, T1, kMain}}, section(T1, A, B), {{T1, Op::Fork, T2, kMain}}, section(T2, B, A),
           {{T1, Op::Join, T2, kMain}, {T0, Op::Join, T1, kMain}}}));
  EXPECT_EQ(wgi({"trace", "deadlocks", nested.string()}).exit_code, 0);
  // But when T1 takes its locks after creating T2, they can.
  const fs::path after_fork = write_trace(
      dir_ / "after_fork",
      cat({{{T0, Op::Fork, T1, kMain}, {T1, Op::Fork, T2, kMain}}, section(T1, A, B), section(T2, B, A),
           {{T1, Op::Join, T2, kMain}, {T0, Op::Join, T1, kMain}}}));
  EXPECT_EQ(wgi({"trace", "deadlocks", after_fork.string()}).exit_code, 66);
}

// The locks reserved for atomics stand for atomic instructions, not locks
// the program takes: they are no part of any lock order. Here T2 holds A's
// while taking A (which wgi never writes), against T1's atomic inside A.
TEST_F(TraceDeadlocks, AtomicsLocksDoNotCount) {
  const std::vector<Event> t1 = {{T1, Op::Acquire, A, kFirst},
                                 {T1, Op::Acquire, kAtomic, kSecond},
                                 {T1, Op::Read, 0, kSecond},
                                 {T1, Op::Release, kAtomic, kSecond},
                                 {T1, Op::Release, A, kFirst}};
  const std::vector<Event> t2 = {{T2, Op::Acquire, kAtomic, kFirst},
                                 {T2, Op::Acquire, A, kSecond},
                                 {T2, Op::Release, A, kSecond},
                                 {T2, Op::Release, kAtomic, kFirst}};
  // (T0 takes B and G first, alone, for the lock ids to be dense.)
  const std::vector<Event> events = cat({{{T0, Op::Acquire, B, kMain},
                                          {T0, Op::Release, B, kMain},
                                          {T0, Op::Acquire, G, kMain},
                                          {T0, Op::Release, G, kMain}},
                                         concurrent(t1, t2)});
  const fs::path t = write_trace(dir_ / "t", events);
  spec::ProcessResult r = wgi({"trace", "deadlocks", t.string()});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(headlines(r.err).empty()) << r;
  // Without the metadata, every lock is a plain lock.
  const fs::path bare = write_trace(dir_ / "bare", events, /*with_metadata=*/false);
  spec::ProcessResult b = wgi({"trace", "deadlocks", bare.string()});
  EXPECT_EQ(b.exit_code, 66) << b;
}

// Without trace.json, each lock id and thread id stands for itself, and
// reports name trace locations; --metadata brings the names back.
TEST_F(TraceDeadlocks, WithoutMetadata) {
  const std::vector<Event> events = concurrent(section(T1, A, B), section(T2, B, A));
  const fs::path bare = write_trace(dir_ / "bare", events, /*with_metadata=*/false);
  spec::ProcessResult r = wgi({"trace", "deadlocks", "--report", (dir_ / "r.json").string(), bare.string()});
  EXPECT_EQ(r.exit_code, 66) << r;
  EXPECT_NE(r.err.find("wgi: trace deadlocks: no metadata ("), std::string::npos) << r;
  EXPECT_NE(r.err.find("(0x0 -> 0x1 -> 0x0)\n  thread 1 asked for lock 0x1 while holding lock 0x0:\n"
                       "    #0 location 2\n"),
            std::string::npos)
      << r;
  const std::string json = test::slurp(dir_ / "r.json");
  EXPECT_NE(json.find("\"func\": null, \"func_name\": null, \"location\": 2, \"offset\": null"), std::string::npos)
      << json;
  write_trace(dir_ / "meta", events);
  spec::ProcessResult m =
      wgi({"trace", "deadlocks", "--metadata", (dir_ / "meta" / "trace.json").string(), bare.string()});
  EXPECT_EQ(m.exit_code, 66) << m;
  EXPECT_NE(m.err.find("    #0 worker (func 2) at 0x70\n"), std::string::npos) << m;
}

TEST_F(TraceDeadlocks, BadInputAndUsage) {
  const std::vector<Event> events = concurrent(section(T1, A, B), section(T2, B, A));
  const fs::path t = write_trace(dir_ / "t", events);
  // Metadata that does not describe the trace: another event count, too
  // few locations.
  std::ofstream(dir_ / "other.json") << metadata_json(events.size() + 1);
  spec::ProcessResult other = wgi({"trace", "deadlocks", "--metadata", (dir_ / "other.json").string(), t.string()});
  EXPECT_EQ(other.exit_code, 1) << other;
  EXPECT_NE(other.err.find("does not describe"), std::string::npos) << other;
  const fs::path far = write_trace(dir_ / "far", cat({events, {{T0, Op::Acquire, A, 9}}}));
  spec::ProcessResult loc = wgi({"trace", "deadlocks", far.string()});
  EXPECT_EQ(loc.exit_code, 1) << loc;
  EXPECT_NE(loc.err.find("has a location the metadata does not list"), std::string::npos) << loc;
  std::ofstream(dir_ / "bad.json") << "{\"format\": \"wgi-trace-metadata\", \"locks\": [{\"id\": 0, \"kind\": 3}]}";
  EXPECT_EQ(wgi({"trace", "deadlocks", "--metadata", (dir_ / "bad.json").string(), t.string()}).exit_code, 1);
  EXPECT_EQ(wgi({"trace", "deadlocks", "--metadata", (dir_ / "nope.json").string(), t.string()}).exit_code, 1);
  // A trace cut short, or missing.
  const std::string bin = test::slurp(t);
  std::ofstream(dir_ / "cut.bin", std::ios::binary) << bin.substr(0, bin.size() - 5);
  spec::ProcessResult cut = wgi({"trace", "deadlocks", (dir_ / "cut.bin").string()});
  EXPECT_EQ(cut.exit_code, 1) << cut;
  EXPECT_NE(cut.err.find("malformed"), std::string::npos) << cut;
  EXPECT_EQ(wgi({"trace", "deadlocks", (dir_ / "missing.bin").string()}).exit_code, 1);
  // A report that cannot be written.
  EXPECT_EQ(wgi({"trace", "deadlocks", "--report", "/dev/null/r.json", t.string()}).exit_code, 1);
  // Usage: one line, then the help.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"trace", "deadlocks"}, {"trace", "deadlocks", "a.bin", "b.bin"},
        {"trace", "deadlocks", "a.bin", "--report"}, {"trace", "deadlocks", "--race-limit", "1", "a.bin"},
        {"trace", "deadlocks", "--no-request", "a.bin"}, {"trace", "deadlocks", "--metadata=", "a.bin"}}) {
    spec::ProcessResult u = wgi(args);
    EXPECT_EQ(u.exit_code, 2) << u;
    EXPECT_EQ(u.err.rfind("wgi: trace: ", 0), 0u) << u;
  }
  EXPECT_NE(wgi({"trace", "deadlocks", "--race-limit", "1", "a.bin"})
                .err.find("unknown option '--race-limit' for deadlocks"),
            std::string::npos);
  spec::ProcessResult help = wgi({"trace", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("wgi trace deadlocks [--metadata FILE] [--report FILE] TRACE.bin"), std::string::npos);
  EXPECT_NE(wgi({"--help"}).out.find("deadlocks [--metadata FILE] [--report FILE] TRACE.bin"), std::string::npos);
}

// ---- against wgi run --deadlock -------------------------------------------------------------

class TraceDeadlocksAgree : public TraceDeadlocks {
 protected:
  void SetUp() override {
    if (!test::kHaveTraceProgram) GTEST_SKIP() << "the C test programs are not built";
    TraceDeadlocks::SetUp();
  }

  // `wgi run --deadlock --trace` then `wgi trace deadlocks` on its trace:
  // both exit with `status` and report the same cycles (the same locks,
  // threads and innermost frames; online has whole backtraces). Returns
  // them.
  // `offline_status`: the offline command's, when it differs from the
  // default (66 with cycles, else 0; a deadlocked run exits 5 online).
  std::set<Cycle> same_cycles(const std::string& module, const std::string& invoke, int status,
                              int offline_status = -1) {
    const fs::path t = dir_ / invoke;
    const fs::path on = dir_ / (invoke + "-online.json"), off = dir_ / (invoke + "-offline.json");
    online_ = wgi({"run", "--deadlock", "--report", on.string(), "--trace", "--trace-out", t.string(), module,
                   "--invoke", invoke});
    EXPECT_EQ(online_.exit_code, status) << online_;
    offline_ = wgi({"trace", "deadlocks", "--report", off.string(), (t / "trace.bin").string()});
    EXPECT_EQ(offline_.exit_code, offline_status >= 0 ? offline_status : status == 66 ? 66 : 0) << offline_;
    const std::set<Cycle> cycles = read_cycles(on);
    EXPECT_EQ(cycles, read_cycles(off));
    EXPECT_EQ(headlines(online_.err), headlines(offline_.err)) << online_ << offline_;
    return cycles;
  }

  // The address of lock i of tr_lock_order.c.
  int64_t lock(int i) {
    spec::ProcessResult r = wgi({"run", test::kTraceLockOrder, "--invoke", "lock_addr", std::to_string(i)});
    EXPECT_EQ(r.exit_code, 0) << r;
    return std::stoll(r.out);
  }

  spec::ProcessResult online_, offline_;
};

// Each cycle's (holds, acquires) pairs and threads.
std::set<std::tuple<int64_t, int64_t>> lock_pairs(const Cycle& c) {
  std::set<std::tuple<int64_t, int64_t>> out;
  for (const Edge& e : c) out.insert({std::get<1>(e), std::get<2>(e)});
  return out;
}
std::set<int64_t> threads_of(const Cycle& c) {
  std::set<int64_t> out;
  for (const Edge& e : c) out.insert(std::get<0>(e));
  return out;
}

TEST_F(TraceDeadlocksAgree, Inversion) {
  const std::set<Cycle> c = same_cycles(test::kTraceLockOrder, "inversion", 66);
  ASSERT_EQ(c.size(), 1u);
  const int64_t a = lock(0), b = lock(1);
  EXPECT_EQ(lock_pairs(*c.begin()), (std::set<std::tuple<int64_t, int64_t>>{{a, b}, {b, a}}));
  EXPECT_EQ(threads_of(*c.begin()), (std::set<int64_t>{1, 2}));
  EXPECT_NE(offline_.err.find("    #0 take_two (func "), std::string::npos) << offline_;
}

TEST_F(TraceDeadlocksAgree, RingOfThree) {
  const std::set<Cycle> c = same_cycles(test::kTraceLockOrder, "ring3", 66);
  ASSERT_EQ(c.size(), 1u);
  const int64_t a = lock(0), b = lock(1), d = lock(2);
  EXPECT_EQ(lock_pairs(*c.begin()), (std::set<std::tuple<int64_t, int64_t>>{{a, b}, {b, d}, {d, a}}));
  EXPECT_EQ(threads_of(*c.begin()), (std::set<int64_t>{1, 2, 3}));
}

TEST_F(TraceDeadlocksAgree, GatedAndJoinOrderedHaveNone) {
  EXPECT_TRUE(same_cycles(test::kTraceLockOrder, "gated", 0).empty());
  EXPECT_TRUE(same_cycles(test::kTraceLockOrder, "join_ordered", 0).empty());
  // Locks the runtime's allocator takes, and a program that takes one lock
  // at a time: nothing either.
  EXPECT_TRUE(same_cycles(test::kTraceProgram, "mixed_sizes", 0).empty());
}

// A run that does deadlock ends with status 5 and writes its trace. Its
// second acquisitions never happened, but their requests did: both
// predictors find the cycle from the requests, and the live detector
// reports the run.
TEST_F(TraceDeadlocksAgree, ADeadlockedRunPredictsItsCycle) {
  EXPECT_EQ(same_cycles(test::kTraceProgram, "deadlock", 5, 66).size(), 1u);
  EXPECT_NE(online_.err.find("wgi: deadlock: "), std::string::npos) << online_;
}

}  // namespace
}  // namespace wgi::trace
