// Traced runs end to end: the threadlink runtime recording into a
// Recorder (in process, so ThreadSanitizer sees the recording), and
// `wgi run --trace` / `wgi trace` as processes (files, exit statuses,
// SIGINT, the event limit, warnings).
//
// The programs: tests/trace/tr_program.c (threadlink, built with the lock
// hooks) and tests/trace/tr_spin.wat (a plain module).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "interp/code.h"
#include "json.h"
#include "subprocess.h"
#include "threads/threadlink.h"
#include "trace/rapidbin.h"
#include "trace/recorder.h"
#include "support/trace_data.h"

extern char** environ;

namespace wgi::trace {
namespace {

namespace fs = std::filesystem;
using rapidbin::Op;

using test::slurp;
const std::string& kData = test::kTraceData;
constexpr bool kHaveProgram = test::kHaveTraceProgram;
const std::string& kProgram = test::kTraceProgram;
const std::string& kSpin = test::kTraceSpin;
const std::string& kPark = test::kTracePark;

// ---- one event, whichever way it was read ---------------------------------------------

// Threads are wgi thread ids; addresses are linear-memory addresses.
struct Ev {
  uint32_t thread = 0;
  Op op = Op::Read;
  uint64_t address = 0;  // lock or variable
  uint32_t size = 0;     // variable
  uint32_t child = 0;    // fork / join
  std::string function;  // the location's function name, when known
  bool atomic_lock = false;  // acquire/release of a lock reserved for atomics
  bool runtime = false;      // recorded outside any call site (a runtime join)
};

std::vector<Ev> from_recorder(const Recorder& r) {
  std::vector<Ev> out;
  for (const auto& m : r.merge()) {
    Ev e;
    e.thread = m.tid;
    e.op = static_cast<Op>(m.ev.op());
    if (e.op == Op::Fork || e.op == Op::Join) e.child = static_cast<uint32_t>(m.ev.value);
    else e.address = m.ev.value;
    e.size = m.ev.size();
    e.runtime = m.ev.site == kNoSite;
    out.push_back(e);
  }
  return out;
}

// A trace directory read back: trace.bin checked by the reader, trace.json
// parsed, and the events mapped through the metadata.
struct ReadTrace {
  rapidbin::Trace bin;
  spec::Json json;
  std::vector<Ev> events;
};

ReadTrace read_trace(const fs::path& dir) {
  ReadTrace t;
  const std::string bytes = slurp(dir / "trace.bin");
  auto parsed = rapidbin::parse(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  if (!parsed.ok()) return t;
  t.bin = std::move(parsed).value();
  spec::JsonError err;
  auto json = spec::parse_json(slurp(dir / "trace.json"), &err);
  EXPECT_TRUE(json) << "trace.json: " << err.message << " at " << err.offset;
  if (!json) return t;
  t.json = std::move(*json);
  const auto& threads = t.json.find("threads")->items();
  const auto& locks = t.json.find("locks")->items();
  const auto& vars = t.json.find("variables")->items();
  const auto& locs = t.json.find("locations")->items();
  EXPECT_EQ(threads.size(), static_cast<size_t>(t.bin.header.threads));
  EXPECT_EQ(locks.size(), static_cast<size_t>(t.bin.header.locks));
  EXPECT_EQ(vars.size(), static_cast<size_t>(t.bin.header.variables));
  EXPECT_EQ(t.json.find("events")->as_int(), t.bin.header.events);
  for (const rapidbin::Event& b : t.bin.events) {
    Ev e;
    e.thread = static_cast<uint32_t>(*threads.at(b.thread).find("wgi_thread")->as_int());
    e.op = b.op;
    switch (rapidbin::decor_kind(b.op)) {
      case rapidbin::DecorKind::Lock:
        e.address = *locks.at(b.decor).find("address")->as_int();
        e.atomic_lock = locks.at(b.decor).find("kind")->text() == "atomic";
        break;
      case rapidbin::DecorKind::Variable:
        e.address = *vars.at(b.decor).find("address")->as_int();
        e.size = static_cast<uint32_t>(*vars.at(b.decor).find("size")->as_int());
        break;
      case rapidbin::DecorKind::Thread:
        e.child = static_cast<uint32_t>(*threads.at(b.decor).find("wgi_thread")->as_int());
        break;
    }
    const spec::Json& loc = locs.at(b.location);
    if (loc.find("name")->is_string()) e.function = loc.find("name")->text();
    e.runtime = loc.find("function")->is_null();
    t.events.push_back(e);
  }
  return t;
}

// ---- what every trace must satisfy ------------------------------------------------------

// Forks and joins: a thread is forked once, before any of its events, and
// joined at most once by the program, after all of them (the runtime may
// join it too, where it frees its blocks: also after all of them). Locks:
// acquire and release alternate (one holder at a time, released by its
// holder), and each acquire follows a request by the same thread. A lock
// reserved for atomics has sections of one thread's access to its address
// only, nothing in between (well nested: checked by check_atomic_sections).
// `complete`: the program ended normally, so every thread was joined and
// every lock released.
void check_consistent(const std::vector<Ev>& evs, bool complete) {
  std::set<uint32_t> forked{0}, joined, ended;
  std::map<uint64_t, uint32_t> holder;               // lock -> thread
  std::map<std::pair<uint32_t, uint64_t>, int> requests;  // (thread, lock) -> pending
  for (size_t i = 0; i < evs.size(); ++i) {
    const Ev& e = evs[i];
    SCOPED_TRACE("event " + std::to_string(i));
    ASSERT_TRUE(forked.count(e.thread)) << "T" << e.thread << " acts before its fork";
    ASSERT_FALSE(ended.count(e.thread)) << "T" << e.thread << " acts after its join";
    if (e.atomic_lock) continue;
    switch (e.op) {
      case Op::Fork: EXPECT_TRUE(forked.insert(e.child).second) << "T" << e.child << " forked twice"; break;
      case Op::Join:
        EXPECT_TRUE(forked.count(e.child)) << "join of unforked T" << e.child;
        ended.insert(e.child);
        if (!e.runtime) {
          EXPECT_TRUE(joined.insert(e.child).second) << "T" << e.child << " joined twice";
        }
        break;
      case Op::Request: ++requests[{e.thread, e.address}]; break;
      case Op::Acquire:
        EXPECT_FALSE(holder.count(e.address)) << "lock " << e.address << " acquired by T" << e.thread
                                              << " while T" << holder[e.address] << " holds it";
        EXPECT_GT((requests[{e.thread, e.address}]--), 0) << "acquire without request";
        holder[e.address] = e.thread;
        break;
      case Op::Release:
        ASSERT_TRUE(holder.count(e.address)) << "release of a free lock";
        EXPECT_EQ(holder[e.address], e.thread) << "released by another thread";
        holder.erase(e.address);
        break;
      default: break;
    }
  }
  if (complete) {
    // (The joins of an untraced module have no location either.)
    EXPECT_EQ(ended.size() + 1, forked.size()) << "every thread joined";
    EXPECT_TRUE(holder.empty()) << "a lock is still held at the end";
    for (const auto& [key, pending] : requests) EXPECT_EQ(pending, 0) << "request without acquire";
  }
}

// The counter of locked_counter(n, iters): the main thread writes it once,
// each worker reads and writes it iters times, the main thread reads it at
// the end; every access is 4 bytes, and the workers' are in counter_worker.
void check_counter(const std::vector<Ev>& evs, uint64_t counter, uint32_t n, uint32_t iters, bool names) {
  uint64_t reads = 0, writes = 0, worker_accesses = 0;
  for (const Ev& e : evs) {
    if ((e.op != Op::Read && e.op != Op::Write) || e.address != counter) continue;
    EXPECT_EQ(e.size, 4u) << "an access of the counter with another size";
    (e.op == Op::Read ? reads : writes)++;
    if (e.thread != 0) {
      ++worker_accesses;
      if (names) {
        EXPECT_EQ(e.function, "counter_worker");
      }
    }
  }
  EXPECT_EQ(reads, uint64_t{n} * iters + 1);
  EXPECT_EQ(writes, uint64_t{n} * iters + 1);
  EXPECT_EQ(worker_accesses, 2 * uint64_t{n} * iters);
}

// ---- in process: the runtime records ----------------------------------------------------------

std::shared_ptr<const interp::CompiledModule> load(const std::string& path, bool traced) {
  const std::string bytes = slurp(path);
  auto cm = interp::load_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), {}, {.trace = traced});
  EXPECT_TRUE(cm.ok()) << path << ": " << (cm.ok() ? "" : cm.error().message);
  return cm.ok() ? *cm : nullptr;
}

uint32_t call_u32(const std::string& func) {
  auto rt = threads::Runtime::create(load(kProgram, false), {});
  EXPECT_TRUE(rt.ok());
  auto o = (*rt)->run(func, {});
  EXPECT_EQ(o.kind, threads::RunOutcome::Kind::Ok) << o.report;
  return o.results.empty() ? 0 : static_cast<uint32_t>(o.results[0]);
}

class TracedProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kHaveProgram) GTEST_SKIP() << "tr_program.c not built (WGI_BUILD_THREADLINK_EXAMPLES=OFF)";
  }
};

TEST_F(TracedProgram, RuntimeRecordsLocksForksJoinsAndTheCounter) {
  Recorder rec(10'000'000);
  threads::ThreadlinkConfig config;
  config.recorder = &rec;
  auto rt = threads::Runtime::create(load(kProgram, true), config);
  ASSERT_TRUE(rt.ok()) << rt.error().message;
  auto o = (*rt)->run("locked_counter", std::vector<interp::Slot>{3, 50});
  ASSERT_EQ(o.kind, threads::RunOutcome::Kind::Ok) << o.report;
  EXPECT_EQ(o.results.at(0), 150u);
  EXPECT_FALSE(rec.truncated());
  const std::vector<Ev> evs = from_recorder(rec);
  check_consistent(evs, true);
  check_counter(evs, call_u32("counter_addr"), 3, 50, false);
  // The counter's lock: 150 lock/unlock pairs by the workers.
  const uint64_t lock = call_u32("counter_lock_addr");
  int acquires = 0;
  for (const Ev& e : evs)
    if (e.op == Op::Acquire && e.address == lock) ++acquires;
  EXPECT_EQ(acquires, 150);
  // Lock events carry the hook call's site.
  for (const auto& m : rec.merge())
    if (m.ev.op() == EventOp::Acquire || m.ev.op() == EventOp::Fork) {
      EXPECT_NE(m.ev.site, kNoSite);
    }
}

TEST_F(TracedProgram, UntracedModuleWithRecorderRecordsOnlyRuntimeEvents) {
  // The hooks and thread_create/join record even when the code itself does
  // not (a module compiled without tracing).
  Recorder rec(1'000'000);
  threads::ThreadlinkConfig config;
  config.recorder = &rec;
  auto rt = threads::Runtime::create(load(kProgram, false), config);
  ASSERT_TRUE(rt.ok());
  auto o = (*rt)->run("locked_counter", std::vector<interp::Slot>{2, 10});
  ASSERT_EQ(o.kind, threads::RunOutcome::Kind::Ok) << o.report;
  const std::vector<Ev> evs = from_recorder(rec);
  check_consistent(evs, true);
  for (const Ev& e : evs) EXPECT_NE(e.op, Op::Read);
}

// The deadlock ends the run by itself (every thread is blocked for good),
// and the trace recorded up to it is consistent.
TEST_F(TracedProgram, ADeadlockEndsTheRun) {
  Recorder rec(1'000'000);
  threads::ThreadlinkConfig config;
  config.recorder = &rec;
  auto rt = threads::Runtime::create(load(kProgram, true), config);
  ASSERT_TRUE(rt.ok());
  auto o = (*rt)->run("deadlock", {});
  EXPECT_EQ(o.kind, threads::RunOutcome::Kind::Deadlock);
  EXPECT_EQ(o.threads.size(), 3u);
  check_consistent(from_recorder(rec), false);
}

TEST(TraceRuntime, InterruptBeforeRunStopsAtOnce) {
  if (!kHaveProgram) GTEST_SKIP();
  auto rt = threads::Runtime::create(load(kProgram, false), {});
  ASSERT_TRUE(rt.ok());
  (*rt)->interrupt();
  const auto t0 = std::chrono::steady_clock::now();
  auto o = (*rt)->run("deadlock", {});
  EXPECT_EQ(o.kind, threads::RunOutcome::Kind::Interrupted);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

// ---- through the CLI ------------------------------------------------------------------------

struct Proc {
  int status = -1;  // exit status, or -signal
  std::string out, err;
};
std::ostream& operator<<(std::ostream& os, const Proc& p) {
  return os << "status " << p.status << "\nstdout:\n" << p.out << "stderr:\n" << p.err;
}

// When to send SIGINT: `count` times, the first `after` the start (or,
// with `once`, after stderr first shows that text), then `gap` apart (0:
// kill() calls back to back).
struct Sigints {
  Sigints(std::chrono::milliseconds after, int count = 1, std::chrono::milliseconds gap = {},
          std::string once = {})
      : after(after), count(count), gap(gap), once(std::move(once)) {}
  std::chrono::milliseconds after;
  int count;
  std::chrono::milliseconds gap;
  std::string once;
};

// Runs wgi with args, stdout and stderr into files; sends SIGINT as
// `sigints` says; calls started(pid) once wgi runs. Kills it after 60 s.
Proc run_wgi(const fs::path& dir, std::vector<std::string> args, std::optional<Sigints> sigints = std::nullopt,
             const std::function<void(pid_t)>& started = nullptr) {
  fs::create_directories(dir);
  const std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::vector<std::string> argv_s{WGI_CLI_PATH};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  Proc p;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) {
    ADD_FAILURE() << "cannot start " << argv[0];
    return p;
  }
  posix_spawn_file_actions_destroy(&fa);
  if (started) started(pid);
  const auto start = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> armed;  // when the SIGINT clock starts
  if (sigints && sigints->once.empty()) armed = start;
  int sent = 0;
  int ws = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &ws, WNOHANG);
    if (r == pid) break;
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed = now - start;
    if (sigints && !armed && slurp(err).find(sigints->once) != std::string::npos) armed = now;
    while (armed && sent < sigints->count && now - *armed >= sigints->after + sent * sigints->gap) {
      kill(pid, SIGINT);
      ++sent;
    }
    if (elapsed > std::chrono::seconds(60)) {
      kill(pid, SIGKILL);
      waitpid(pid, &ws, 0);
      ADD_FAILURE() << "wgi did not end within 60 s";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(sigints && sent < sigints->count ? 1 : 10));
  }
  p.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -WTERMSIG(ws);
  p.out = slurp(out);
  p.err = slurp(err);
  return p;
}

// The names in dir.
std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}
const std::set<std::string> kTraceFiles = {"trace.bin", "trace.json"};

class TraceCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("wgi-trace-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

class TraceCliProgram : public TraceCli {
 protected:
  void SetUp() override {
    if (!kHaveProgram) GTEST_SKIP() << "tr_program.c not built (WGI_BUILD_THREADLINK_EXAMPLES=OFF)";
    TraceCli::SetUp();
  }
  uint64_t export_u32(const std::string& func) {
    Proc p = run_wgi(dir_ / "addr", {"run", kProgram, "--invoke", func});
    EXPECT_EQ(p.status, 0) << p;
    return std::stoull(p.out);
  }
};

TEST_F(TraceCliProgram, LockedCounter) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kProgram, "--invoke", "locked_counter",
                          "4", "200"});
  ASSERT_EQ(p.status, 0) << p;
  EXPECT_EQ(p.out, "800\n");
  EXPECT_NE(p.err.find("wgi: trace: "), std::string::npos) << p;
  EXPECT_NE(p.err.find(" written to " + (out / "trace.bin").string()), std::string::npos) << p;
  ReadTrace t = read_trace(out);
  ASSERT_FALSE(t.events.empty());
  EXPECT_EQ(t.bin.header.threads, 5);
  EXPECT_FALSE(t.json.find("truncated")->as_bool());
  check_consistent(t.events, true);
  check_counter(t.events, export_u32("counter_addr"), 4, 200, true);
  int forks = 0, joins = 0;
  for (const Ev& e : t.events) {
    forks += e.op == Op::Fork;
    joins += e.op == Op::Join && !e.runtime;
    if (e.op == Op::Fork || e.op == Op::Join) {
      EXPECT_EQ(e.thread, 0u);
    }
  }
  EXPECT_EQ(forks, 4);
  EXPECT_EQ(joins, 4);

  // STD without requests: RAPID's syntax on every line.
  Proc std_out = run_wgi(dir_ / "c", {"trace", "convert", "--no-request", (out / "trace.bin").string()});
  ASSERT_EQ(std_out.status, 0) << std_out;
  const std::regex line(R"(T[0-9]+\|(r|w|acq|rel|fork|join)\((V|L|T)[0-9]+\)\|[0-9]+)");
  std::istringstream in(std_out.out);
  int64_t lines = 0, requests = 0;
  for (std::string l; std::getline(in, l); ++lines) ASSERT_TRUE(std::regex_match(l, line)) << l;
  for (const auto& e : t.bin.events) requests += e.op == Op::Request;
  EXPECT_GT(requests, 800);
  EXPECT_EQ(lines, t.bin.header.events - requests);
  Proc with_req = run_wgi(dir_ / "c", {"trace", "convert", (out / "trace.bin").string()});
  EXPECT_NE(with_req.out.find("|req(L"), std::string::npos);

  Proc stats = run_wgi(dir_ / "s", {"trace", "stats", (out / "trace.bin").string()});
  ASSERT_EQ(stats.status, 0) << stats;
  EXPECT_NE(stats.out.find("threads 5, locks "), std::string::npos) << stats;
  EXPECT_NE(stats.out.find("\ntotal "), std::string::npos) << stats;
}

TEST_F(TraceCliProgram, PrimesExampleTraceIsConsistent) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(),
                          std::string(WGI_THREADLINK_EXAMPLES_DIR) + "/primes_traced.wasm", "--invoke",
                          "count_primes", "20000", "4"});
  ASSERT_EQ(p.status, 0) << p;
  EXPECT_EQ(p.out, "2262\n");
  check_consistent(read_trace(out).events, true);
}

// A deadlock ends a traced run with status 5, its report, and the trace.
TEST_F(TraceCliProgram, ADeadlockWritesTheTrace) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kProgram, "--invoke", "deadlock"},
                   std::chrono::milliseconds(20000));
  ASSERT_EQ(p.status, 5) << p;
  EXPECT_NE(p.err.find("wgi: deadlock: all 3 threads are blocked"), std::string::npos) << p;
  ReadTrace t = read_trace(out);
  check_consistent(t.events, false);
  // The deadlock is in the trace: each worker holds one lock and has
  // requested the other, which the other worker holds.
  std::map<uint32_t, std::set<uint64_t>> held, wanted;
  for (const Ev& e : t.events) {
    if (e.thread == 0 || e.atomic_lock) continue;
    if (e.op == Op::Request) wanted[e.thread].insert(e.address);
    if (e.op == Op::Acquire) held[e.thread].insert(e.address), wanted[e.thread].erase(e.address);
    if (e.op == Op::Release) held[e.thread].erase(e.address);
  }
  ASSERT_EQ(held.size(), 2u);
  const uint32_t a = held.begin()->first, b = std::next(held.begin())->first;
  ASSERT_EQ(wanted[a].size(), 1u);
  ASSERT_EQ(wanted[b].size(), 1u);
  EXPECT_TRUE(held[b].count(*wanted[a].begin()));
  EXPECT_TRUE(held[a].count(*wanted[b].begin()));
}

// The one thread is parked in memory.atomic.wait32 for a minute: the
// SIGINT watcher must wake it, since parked waiters do not poll.
TEST_F(TraceCli, SigintOnAPlainModuleParked) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kPark, "--invoke", "park"},
                   std::chrono::milliseconds(300));
  ASSERT_EQ(p.status, 130) << p;
  EXPECT_NE(p.err.find("wgi: interrupted (SIGINT): 1 thread\n  thread 0: waiting on 0x0 (timeout 60 s)\n"),
            std::string::npos)
      << p;
  EXPECT_EQ(listing(out), kTraceFiles);
}

TEST_F(TraceCli, SigintOnAPlainModuleLoop) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), "--trace-limit", "2000000", kSpin,
                          "--invoke", "spin"},
                   std::chrono::milliseconds(500));
  ASSERT_EQ(p.status, 130) << p;
  ReadTrace t = read_trace(out);
  ASSERT_GT(t.events.size(), 0u);
  for (const Ev& e : t.events) {
    EXPECT_EQ(e.thread, 0u);
    EXPECT_EQ(e.op, Op::Write);
    EXPECT_EQ(e.size, 4u);
  }
}

TEST_F(TraceCli, TwoSigintsAtOnceAreOneRequest) {
  // GNU timeout signals wgi and then its process group: two SIGINTs at
  // once (or a few ms apart) are one request, and the trace is written.
  // Before, the second one killed wgi without a trace whenever it came after
  // the first had been handled.
  for (int gap_ms : {0, 20, 200}) {
    SCOPED_TRACE(::testing::Message() << "gap " << gap_ms << " ms");
    const fs::path out = dir_ / "t" += std::to_string(gap_ms);  // (not "t" + ...: g++ 12 warns falsely)
    Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), "--trace-limit", "2000000", kSpin,
                            "--invoke", "spin"},
                     // the limit's warning comes from the SIGINT watcher: it is running
                     Sigints(std::chrono::milliseconds(100), 2, std::chrono::milliseconds(gap_ms),
                             "the event limit (2000000) is reached"));
    ASSERT_EQ(p.status, 130) << p;
    EXPECT_NE(p.err.find("wgi: interrupted (SIGINT): writing the trace"), std::string::npos) << p;
    EXPECT_EQ(p.err.find("second interrupt"), std::string::npos) << p;
    EXPECT_EQ(listing(out), kTraceFiles);
    const std::string bin = slurp(out / "trace.bin");
    EXPECT_TRUE(rapidbin::validate(std::span(reinterpret_cast<const uint8_t*>(bin.data()), bin.size())).ok());
    ReadTrace t = read_trace(out);
    EXPECT_GT(t.events.size(), 0u);
  }
}

TEST_F(TraceCli, ALateSecondSigintExitsAtOnceAndSaysSo) {
  // The first SIGINT stops the program, then the write hangs: its
  // temporary trace.bin is a FIFO nobody reads. A second SIGINT more than
  // the repeat window (1 s) later ends wgi, saying so, and removes the
  // temporary files; an earlier trace in the directory stays as it was.
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer holds a signal back while its thread is blocked in
  // open() of that FIFO, so the second SIGINT never arrives there.
  GTEST_SKIP() << "ThreadSanitizer defers signals during the blocked open() this test relies on";
#endif
  const fs::path out = dir_ / "t";
  ASSERT_EQ(run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kSpin, "--invoke", "sum", "5"}).status, 0);
  const std::string old_bin = slurp(out / "trace.bin"), old_json = slurp(out / "trace.json");
  bool fifo = false;
  Proc p = run_wgi(
      dir_, {"run", "--trace", "--trace-out", out.string(), "--trace-limit", "100000", kSpin, "--invoke", "spin"},
      Sigints(std::chrono::milliseconds(100), 2, std::chrono::milliseconds(1500), "the event limit (100000) is reached"),
      [&](pid_t pid) {
        const fs::path tmp = out / ("trace.bin." + std::to_string(pid) + ".tmp");
        fifo = ::mkfifo(tmp.c_str(), 0644) == 0;
      });
  ASSERT_TRUE(fifo);
  EXPECT_EQ(p.status, -SIGINT) << p;
  EXPECT_NE(p.err.find("wgi: interrupted (SIGINT): writing the trace"), std::string::npos) << p;
  EXPECT_NE(p.err.find("wgi: second interrupt: exiting without writing the trace\n"), std::string::npos) << p;
  EXPECT_EQ(listing(out), kTraceFiles);
  EXPECT_EQ(slurp(out / "trace.bin"), old_bin);
  EXPECT_EQ(slurp(out / "trace.json"), old_json);
}

TEST_F(TraceCli, NoTemporaryFilesRemain) {
  const fs::path out = dir_ / "t";
  for (const char* n : {"30", "40"}) {
    Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kSpin, "--invoke", "sum", n});
    ASSERT_EQ(p.status, 0) << p;
    EXPECT_EQ(listing(out), kTraceFiles);
  }
  EXPECT_EQ(read_trace(out).bin.header.events, 80);  // the second run's
}

TEST_F(TraceCli, TheLimitIsTheEventsWritten) {
  // sum(100): 200 events, one thread. A limit of 200 keeps them all, with no
  // warning; any less keeps exactly that many and says the trace is cut.
  const fs::path out = dir_ / "t";
  for (int limit : {200, 199, 101, 7, 1}) {
    SCOPED_TRACE(::testing::Message() << "limit " << limit);
    Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), "--trace-limit", std::to_string(limit),
                            kSpin, "--invoke", "sum", "100"});
    ASSERT_EQ(p.status, 0) << p;
    ReadTrace t = read_trace(out);
    EXPECT_EQ(t.bin.header.events, limit);
    EXPECT_EQ(t.json.find("truncated")->as_bool(), limit < 200);
    EXPECT_EQ(p.err.find("the event limit") != std::string::npos, limit < 200) << p;
    EXPECT_EQ(p.err.find("truncated at the event limit") != std::string::npos, limit < 200) << p;
  }
}

TEST_F(TraceCli, PlainModule) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kSpin, "--invoke", "sum", "100"});
  ASSERT_EQ(p.status, 0) << p;
  EXPECT_EQ(p.out, "4950\n");
  ReadTrace t = read_trace(out);
  EXPECT_EQ(t.bin.header, (rapidbin::Header{1, 0, 64, 200}));
  EXPECT_EQ(t.json.find("locations")->items().size(), 2u);
  EXPECT_EQ(t.events[0].op, Op::Write);
  EXPECT_EQ(t.events[1].op, Op::Read);
  EXPECT_EQ(p.err.find("warning"), std::string::npos) << p;
}

// Where each recorded event ends among a trace's file events: an atomic's
// lock section (a lock of kind "atomic", acq ... rel) is one recorded event.
std::vector<size_t> recorded_ends(const ReadTrace& t) {
  const auto& locks = t.json.find("locks")->items();
  auto atomic_lock = [&](const rapidbin::Event& b, Op op) {
    return b.op == op && locks.at(b.decor).find("kind")->text() == "atomic";
  };
  std::vector<size_t> ends;  // ends[k]: file events in the first k + 1 recorded events
  for (size_t i = 0; i < t.bin.events.size(); ++i) {
    if (atomic_lock(t.bin.events[i], Op::Acquire)) {
      ++i;
      while (i < t.bin.events.size() && !atomic_lock(t.bin.events[i], Op::Release)) ++i;
    }
    ends.push_back(i + 1);
  }
  return ends;
}
size_t recorded_events(const ReadTrace& t) { return recorded_ends(t).size(); }

TEST_F(TraceCliProgram, PrimesLimitIsCountedInEvents) {
  // The README's example, whole and at small limits. The main thread
  // records alone until its first fork, so a limit below that keeps exactly
  // that prefix of the whole trace: as many events as the limit, counted as
  // recorded: an atomic is one event, written to trace.bin as a section of
  // the lock reserved for its address (acq ... rel, 2 to 4 file events).
  const std::string primes = std::string(WGI_THREADLINK_EXAMPLES_DIR) + "/primes_traced.wasm";
  auto run = [&](const fs::path& out, std::optional<int> limit) {
    std::vector<std::string> args = {"run", "--trace", "--trace-out", out.string()};
    if (limit) args.insert(args.end(), {"--trace-limit", std::to_string(*limit)});
    args.insert(args.end(), {primes, "--invoke", "count_primes", "100000", "4"});
    return run_wgi(dir_, args);
  };
  Proc whole = run(dir_ / "whole", 100000);
  ASSERT_EQ(whole.status, 0) << whole;
  EXPECT_EQ(whole.out, "9592\n");
  EXPECT_EQ(whole.err.find("event limit"), std::string::npos) << whole;  // 100000 is far more than it needs
  const ReadTrace ref = read_trace(dir_ / "whole");
  EXPECT_FALSE(ref.json.find("truncated")->as_bool());
  EXPECT_GT(ref.bin.header.events, 400);
  // Where each recorded event ends in the file: an atomic's lock section is
  // one recorded event.
  const std::vector<size_t> ends = recorded_ends(ref);
  size_t first_fork = 0;  // in recorded events
  while (first_fork < ends.size() && ref.events[ends[first_fork] - 1].op != Op::Fork) ++first_fork;
  ASSERT_GT(first_fork, 20u);
  ASSERT_LT(first_fork, ends.size());
  bool sections = false;
  for (size_t limit = 1; limit <= first_fork; ++limit) {
    const size_t want = ends[limit - 1];
    const bool section = want - (limit > 1 ? ends[limit - 2] : 0) > 1;
    if (limit % 7 != 1 && limit != first_fork && !section) continue;
    sections |= section;
    SCOPED_TRACE(::testing::Message() << "limit " << limit);
    const fs::path out = dir_ / "l" += std::to_string(limit);
    Proc p = run(out, static_cast<int>(limit));
    ASSERT_EQ(p.status, 0) << p;
    EXPECT_NE(p.err.find("the event limit (" + std::to_string(limit) + ") is reached"), std::string::npos) << p;
    const ReadTrace t = read_trace(out);
    ASSERT_EQ(t.bin.header.events, static_cast<int64_t>(want));
    EXPECT_TRUE(t.json.find("truncated")->as_bool());
    for (size_t i = 0; i < want; ++i) {
      EXPECT_EQ(t.events[i].op, ref.events[i].op) << "event " << i;
      EXPECT_EQ(t.events[i].address, ref.events[i].address) << "event " << i;
    }
  }
  EXPECT_TRUE(sections) << "a limit ending in an atomic's section was tried";
}

TEST_F(TraceCliProgram, EventLimitWarnsAndCutsConsistently) {
  const fs::path out = dir_ / "t";
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), "--trace-limit", "200000", kProgram,
                          "--invoke", "busy", "4", "3000"});
  ASSERT_EQ(p.status, 0) << p;
  EXPECT_EQ(p.out, "12000\n");
  EXPECT_NE(p.err.find("wgi: warning: trace: the event limit (200000) is reached"), std::string::npos) << p;
  EXPECT_NE(p.err.find("truncated at the event limit"), std::string::npos) << p;
  ReadTrace t = read_trace(out);
  EXPECT_TRUE(t.json.find("truncated")->as_bool());
  // How much survives the merge's cut depends on the threads' timing (a
  // thread refused room at its start cuts the trace at its fork); never
  // more than the limit.
  EXPECT_GT(t.bin.header.events, 0);
  EXPECT_LE(recorded_events(t), 200000u);
  check_consistent(t.events, false);
}

TEST_F(TraceCliProgram, OverlapWarning) {
  const uint64_t wide = export_u32("mixed_sizes");
  char at[32];
  std::snprintf(at, sizeof at, "bytes at 0x%llx", static_cast<unsigned long long>(wide));
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", (dir_ / "t").string(), kProgram, "--invoke",
                          "mixed_sizes"});
  ASSERT_EQ(p.status, 0) << p;
  EXPECT_NE(p.err.find("wgi: warning: trace: "), std::string::npos) << p;
  EXPECT_NE(p.err.find("between single accesses"), std::string::npos) << p;
  EXPECT_NE(p.err.find(std::string("(8 ") + at), std::string::npos) << p;
  EXPECT_NE(p.err.find(std::string("(4 ") + at), std::string::npos) << p;
}

TEST_F(TraceCli, UsageErrors) {
  EXPECT_EQ(run_wgi(dir_, {"run", "--trace-out", "x", kSpin, "--invoke", "sum", "1"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"run", "--trace-limit", "5", kSpin, "--invoke", "sum", "1"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"run", "--trace", "--trace-limit", "0", kSpin, "--invoke", "sum", "1"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"trace"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"trace", "dump", "x"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"trace", "convert"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"trace", "convert", "--to", "xml", "x"}).status, 2);
  EXPECT_EQ(run_wgi(dir_, {"trace", "stats", "--no-request", "x"}).status, 2);
  Proc help = run_wgi(dir_, {"trace", "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
  Proc run_help = run_wgi(dir_, {"run", "--help"});
  EXPECT_NE(run_help.out.find("--trace-limit N"), std::string::npos);
  EXPECT_NE(run_help.out.find("130"), std::string::npos);
}

TEST_F(TraceCli, BadTraceFilesAreErrors) {
  Proc missing = run_wgi(dir_, {"trace", "stats", (dir_ / "missing.bin").string()});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos) << missing;
  // A valid trace, then cut short.
  const fs::path out = dir_ / "t";
  ASSERT_EQ(run_wgi(dir_, {"run", "--trace", "--trace-out", out.string(), kSpin, "--invoke", "sum", "10"}).status, 0);
  std::string bytes = slurp(out / "trace.bin");
  std::ofstream(dir_ / "cut.bin", std::ios::binary) << bytes.substr(0, bytes.size() - 3);
  Proc cut = run_wgi(dir_, {"trace", "convert", (dir_ / "cut.bin").string()});
  EXPECT_EQ(cut.status, 1);
  EXPECT_NE(cut.err.find("cut.bin:0xa: malformed: the header says 20 events"), std::string::npos) << cut;
  EXPECT_EQ(cut.out, "");
}

TEST_F(TraceCli, UnwritableTraceDirectory) {
  Proc p = run_wgi(dir_, {"run", "--trace", "--trace-out", "/dev/null/x", kSpin, "--invoke", "sum", "3"});
  EXPECT_EQ(p.status, 1) << p;
  EXPECT_EQ(p.out, "3\n");
  EXPECT_NE(p.err.find("wgi: trace not written: "), std::string::npos) << p;
}

}  // namespace
}  // namespace wgi::trace
