// Atomics in RapidBin's terms (trace/metadata.h): each atomic instruction
// on address A is a critical section of A's reserved lock around its read
// and/or write, so a happens-before tool that knows only locks, fork and
// join (RAPID's HB engine) finds no race in a race-free program.
//
// Checked on traces of real programs: tests/trace/tr_races.c, tr_program.c
// and the primes example, recorded in process (against the recorder's own
// events, which say which accesses are atomic) and through `wgi run
// --trace` and `wgi trace convert --to std` (RAPID's input), where a small
// vector-clock HB checker plays RAPID: no race with the sections, races
// with the sections taken out again (the plain encoding wgi wrote before).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "interp/code.h"
#include "subprocess.h"
#include "threads/threadlink.h"
#include "trace/metadata.h"
#include "trace/rapidbin.h"
#include "trace/recorder.h"
#include "trace/writer.h"
#include "support/trace_data.h"

namespace wgi::trace {
namespace {

namespace fs = std::filesystem;
using rapidbin::Op;

using test::slurp;
const std::string& kData = test::kTraceData;
constexpr bool kHaveProgram = test::kHaveTraceProgram;
const std::string& kRaces = test::kTraceRaces;
const std::string& kProgram = test::kTraceProgram;
const std::string& kPrimes = test::kPrimesTraced;

// ---- STD text and a happens-before checker over it -----------------------------------

struct StdEvent {
  uint32_t thread = 0;
  std::string op;  // acq rel req r w fork join
  uint64_t id = 0;  // lock, variable or thread
  uint32_t location = 0;
};

std::vector<StdEvent> parse_std(const std::string& text) {
  std::vector<StdEvent> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    // T<thread>|<op>(<L|V|T><id>)|<location>
    StdEvent e;
    const size_t bar = line.find('|'), open = line.find('('), close = line.find(')');
    EXPECT_TRUE(line.size() > 1 && line[0] == 'T' && bar != std::string::npos && open != std::string::npos &&
                close != std::string::npos)
        << line;
    if (::testing::Test::HasFailure()) return out;
    e.thread = static_cast<uint32_t>(std::stoul(line.substr(1, bar - 1)));
    e.op = line.substr(bar + 1, open - bar - 1);
    e.id = std::stoull(line.substr(open + 2, close - open - 2));
    e.location = static_cast<uint32_t>(std::stoul(line.substr(close + 2)));
    out.push_back(e);
  }
  return out;
}

// RAPID's happens-before, with full vector clocks (Djit+): acq joins the
// lock's clock, rel stores the thread's; fork and join pass clocks between
// threads. Two accesses of one variable id race when one is a write and
// neither happens before the other. Returns the racing variable ids.
std::set<uint64_t> hb_races(const std::vector<StdEvent>& evs) {
  using VC = std::vector<uint32_t>;
  auto get = [](const VC& v, size_t i) { return i < v.size() ? v[i] : 0u; };
  auto join = [](VC& a, const VC& b) {
    if (b.size() > a.size()) a.resize(b.size(), 0);
    for (size_t i = 0; i < b.size(); ++i) a[i] = std::max(a[i], b[i]);
  };
  std::map<uint64_t, VC> threads, locks;
  struct Var {
    VC r, w;  // per thread: the clock of its last read / write
  };
  std::map<uint64_t, Var> vars;
  auto clock = [&](uint64_t t) -> VC& {
    VC& c = threads[t];
    if (c.size() <= t) c.resize(t + 1, 0);
    if (c[t] == 0) c[t] = 1;
    return c;
  };
  auto tick = [](VC& c, uint64_t t) { ++c[t]; };
  std::set<uint64_t> racy;
  for (const StdEvent& e : evs) {
    VC& c = clock(e.thread);
    const uint64_t t = e.thread;
    if (e.op == "acq") {
      join(c, locks[e.id]);
    } else if (e.op == "rel") {
      locks[e.id] = c;
      tick(c, t);
    } else if (e.op == "fork") {
      join(clock(e.id), c);
      tick(c, t);
    } else if (e.op == "join") {
      VC& child = clock(e.id);
      join(c, child);
      tick(child, e.id);
    } else if (e.op == "r" || e.op == "w") {
      Var& v = vars[e.id];
      const bool write = e.op == "w";
      const size_t n = std::max({v.w.size(), v.r.size(), c.size()});
      for (size_t u = 0; u < n; ++u) {
        if (u == t) continue;
        if (get(v.w, u) > get(c, u) || (write && get(v.r, u) > get(c, u))) racy.insert(e.id);
      }
      VC& mine = write ? v.w : v.r;
      if (mine.size() <= t) mine.resize(t + 1, 0);
      mine[t] = c[t];
    }
  }
  return racy;
}

TEST(HbChecker, FindsRacesAndRespectsLocksForksAndJoins) {
  const std::vector<StdEvent> evs = parse_std(
      "T0|w(V0)|0\n"
      "T0|fork(T1)|1\n"
      "T1|w(V0)|2\n"  // after the fork: no race
      "T0|w(V1)|3\n"
      "T1|r(V1)|4\n"  // unordered: a race on V1
      "T0|acq(L0)|5\n"
      "T0|w(V2)|5\n"
      "T0|rel(L0)|5\n"
      "T1|acq(L0)|6\n"
      "T1|r(V2)|6\n"  // ordered by L0
      "T1|rel(L0)|6\n"
      "T1|r(V3)|7\n"
      "T0|join(T1)|8\n"
      "T0|w(V3)|9\n"  // after the join
      "T1|acq(L1)|10\n");
  ASSERT_EQ(evs.size(), 15u);
  EXPECT_EQ(evs[2].op, "w");
  EXPECT_EQ(evs[14].id, 1u);
  EXPECT_EQ(hb_races(evs), (std::set<uint64_t>{1}));
  // Without the lock, V2 races too.
  std::vector<StdEvent> unlocked;
  for (const StdEvent& e : evs)
    if (e.op != "acq" && e.op != "rel") unlocked.push_back(e);
  EXPECT_EQ(hb_races(unlocked), (std::set<uint64_t>{1, 2}));
}

// ---- the traces -------------------------------------------------------------------

struct TraceFiles {
  std::vector<StdEvent> events;  // `wgi trace convert --to std`, requests included
  MetadataFile meta;
  std::set<uint64_t> atomic_locks;  // lock ids of kind "atomic"
};

class AtomicEncoding : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!kHaveProgram) GTEST_SKIP() << "the C test programs are not built";
    dir_ = fs::temp_directory_path() / ("wgi-atomic-enc-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the module traced through the CLI and reads the trace back as STD.
  TraceFiles traced(const std::string& module, const std::vector<std::string>& invoke) {
    TraceFiles t;
    std::vector<std::string> run = {WGI_CLI_PATH, "run", "--trace", "--trace-out", dir_.string(), module, "--invoke"};
    run.insert(run.end(), invoke.begin(), invoke.end());
    spec::ProcessResult r = spec::run_process(run);
    EXPECT_EQ(r.exit_code, 0) << r.describe() << "\n" << r.err;
    spec::ProcessResult conv =
        spec::run_process({WGI_CLI_PATH, "trace", "convert", "--to", "std", (dir_ / "trace.bin").string()});
    EXPECT_EQ(conv.exit_code, 0) << conv.describe() << "\n" << conv.err;
    t.events = parse_std(conv.out);
    auto meta = read_metadata_json(slurp(dir_ / "trace.json"));
    EXPECT_TRUE(meta.ok()) << (meta.ok() ? "" : meta.error().message);
    if (!meta.ok()) return t;
    t.meta = std::move(meta).value();
    EXPECT_EQ(t.meta.version, 2u);
    for (size_t l = 0; l < t.meta.md.locks.size(); ++l)
      if (t.meta.md.locks[l].kind == LockKind::Atomic) t.atomic_locks.insert(l);
    return t;
  }

  // The checks every race-free traced program passes (file comment).
  void check(const TraceFiles& t) {
    ASSERT_FALSE(t.events.empty());
    ASSERT_FALSE(t.atomic_locks.empty()) << "the program uses atomics";
    const TraceMetadata& md = t.meta.md;
    // Sections: acq(L_A), the accesses of one atomic instruction to A by the
    // same thread (r, w, r w, or none), rel(L_A), one after the other. So
    // each reserved lock's sections are well nested: acquire and release
    // alternate, by one thread at a time.
    std::set<uint64_t> atomic_vars;
    std::vector<bool> in_section(t.events.size(), false);
    size_t sections = 0;
    for (size_t i = 0; i < t.events.size(); ++i) {
      const StdEvent& e = t.events[i];
      const bool atomic_lock = (e.op == "acq" || e.op == "rel" || e.op == "req") && t.atomic_locks.count(e.id);
      if (!atomic_lock) continue;
      ASSERT_EQ(e.op, "acq") << "event " << i << ": a release (or request) of an atomic lock outside a section";
      const uint64_t address = md.locks[e.id].address;
      size_t j = i + 1;
      std::string shape;
      for (; j < t.events.size() && (t.events[j].op == "r" || t.events[j].op == "w"); ++j) {
        ASSERT_EQ(t.events[j].thread, e.thread) << "event " << j << " inside another thread's section";
        ASSERT_EQ(md.variables[t.events[j].id].address, address) << "event " << j;
        ASSERT_EQ(t.events[j].location, e.location) << "event " << j;
        atomic_vars.insert(t.events[j].id);
        shape += t.events[j].op;
      }
      ASSERT_LT(j, t.events.size());
      const StdEvent& rel = t.events[j];
      ASSERT_TRUE(rel.op == "rel" && rel.id == e.id && rel.thread == e.thread && rel.location == e.location)
          << "event " << i << ": section not closed by its thread's release at event " << j;
      EXPECT_TRUE(shape == "" || shape == "r" || shape == "w" || shape == "rw") << "event " << i << ": " << shape;
      for (size_t k = i; k <= j; ++k) in_section[k] = true;
      ++sections;
      i = j;
    }
    EXPECT_GT(sections, 0u);
    // Every access of a variable an atomic touched is an atomic one, inside
    // a section (these programs touch their atomic words with atomics only).
    for (size_t i = 0; i < t.events.size(); ++i) {
      const StdEvent& e = t.events[i];
      if ((e.op == "r" || e.op == "w") && atomic_vars.count(e.id)) {
        EXPECT_TRUE(in_section[i]) << "event " << i << ": an access of atomic variable V" << e.id
                                   << " outside its lock's section";
      }
    }
    // RAPID's view: no race.
    const std::set<uint64_t> races = hb_races(t.events);
    EXPECT_TRUE(races.empty()) << races.size() << " racy variables, e.g. V" << *races.begin();
    // The plain encoding (the sections' locks taken out) races.
    std::vector<StdEvent> plain;
    for (const StdEvent& e : t.events)
      if (!((e.op == "acq" || e.op == "rel") && t.atomic_locks.count(e.id))) plain.push_back(e);
    EXPECT_FALSE(hb_races(plain).empty());
  }

  fs::path dir_;
};

TEST_F(AtomicEncoding, MessagePassingAndASpinLock) { check(traced(kRaces, {"race_free"})); }

TEST_F(AtomicEncoding, MutexWithLockHooks) { check(traced(kProgram, {"locked_counter", "3", "100"})); }

TEST_F(AtomicEncoding, PrimesExample) {
  if (kPrimes.empty()) GTEST_SKIP();
  check(traced(kPrimes, {"count_primes", "30000", "4"}));
}

// In process: the recorder's own events (which know which accesses are
// atomic) against the file, event by event.
TEST_F(AtomicEncoding, EveryRecordedAtomicIsASectionInTheFile) {
  const std::string bytes = slurp(kRaces);
  auto cm = interp::load_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), {}, {.trace = true});
  ASSERT_TRUE(cm.ok()) << cm.error().message;
  Recorder rec(10'000'000);
  threads::ThreadlinkConfig config;
  config.recorder = &rec;
  auto rt = threads::Runtime::create(*cm, config);
  ASSERT_TRUE(rt.ok()) << rt.error().message;
  auto o = (*rt)->run("race_free", {});
  ASSERT_EQ(o.kind, threads::RunOutcome::Kind::Ok) << o.report;
  EXPECT_EQ(o.results.at(0), 446u);

  MetadataInfo info;
  info.site_info = (*cm)->trace_site_info;
  auto w = write_trace(rec, (*cm)->trace_sites, info, dir_.string());
  ASSERT_TRUE(w.ok()) << w.error().message;
  const std::string bin = slurp(dir_ / "trace.bin");
  auto parsed = rapidbin::parse(std::span(reinterpret_cast<const uint8_t*>(bin.data()), bin.size()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const std::vector<rapidbin::Event>& file = parsed->events;
  const TraceMetadata& md = w->metadata;

  size_t at = 0, atomics = 0;
  std::map<EventOp, size_t> seen;
  for (const Recorder::Merged& m : rec.merge()) {
    const Event& e = m.ev;
    const EventOp op = e.op();
    ASSERT_LT(at, file.size());
    const rapidbin::Event& first = file[at];
    EXPECT_EQ(md.threads[first.thread], m.tid);
    // The location is the event's own instruction, with its offset.
    const TraceMetadata::Location& loc = md.locations[first.location];
    if (e.site != kNoSite) {
      EXPECT_EQ(loc.function, (*cm)->trace_sites[e.site].first);
      EXPECT_EQ(loc.instruction, (*cm)->trace_sites[e.site].second);
      EXPECT_EQ(loc.offset, (*cm)->trace_site_info[e.site].offset);
    }
    const bool atomic = op == EventOp::AtomicLoad || op == EventOp::AtomicStore || op == EventOp::AtomicRmw ||
                        op == EventOp::AtomicSync;
    if (!atomic) {
      EXPECT_EQ(first.op, op) << "event " << at;
      ++at;
      continue;
    }
    ++atomics;
    ++seen[op];
    // acq(L_A), the access(es), rel(L_A): L_A the atomic lock of the address.
    std::vector<Op> want = {Op::Acquire};
    if (op == EventOp::AtomicLoad || op == EventOp::AtomicRmw) want.push_back(Op::Read);
    if (op == EventOp::AtomicStore || op == EventOp::AtomicRmw) want.push_back(Op::Write);
    want.push_back(Op::Release);
    ASSERT_LE(at + want.size(), file.size());
    for (size_t k = 0; k < want.size(); ++k) {
      const rapidbin::Event& f = file[at + k];
      SCOPED_TRACE("file event " + std::to_string(at + k));
      EXPECT_EQ(f.op, want[k]);
      EXPECT_EQ(f.thread, first.thread);
      EXPECT_EQ(f.location, first.location);
      if (f.op == Op::Acquire || f.op == Op::Release) {
        EXPECT_EQ(md.locks[f.decor], (TraceMetadata::Lock{e.value, LockKind::Atomic}));
      } else {
        EXPECT_EQ(md.variables[f.decor].address, e.value);
        EXPECT_EQ(md.variables[f.decor].size, e.size());
      }
    }
    at += want.size();
  }
  EXPECT_EQ(at, file.size());
  EXPECT_GT(atomics, 100u);
  // Every kind of atomic event occurs (the spin lock's failed exchanges
  // are loads followed by syncs; the waits, loads and syncs).
  for (EventOp op : {EventOp::AtomicLoad, EventOp::AtomicStore, EventOp::AtomicRmw, EventOp::AtomicSync})
    EXPECT_GT(seen[op], 0u) << "op " << static_cast<int>(op);
}

}  // namespace
}  // namespace wgi::trace
