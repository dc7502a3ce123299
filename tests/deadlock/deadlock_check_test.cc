// Tests of deadlock_check.h (the deadlock corpus's labels, report and stderr
// parsing, and the check) on made-up inputs, so that the corpus tests'
// verdicts can be trusted to fail when wgi reports the wrong thing.
#include "deadlock/deadlock_check.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace wgi::deadlock_test {
namespace {

// ---- labels ---------------------------------------------------------------------

Labels labels_of(const std::string& source) {
  std::string error;
  std::optional<Labels> l = parse_labels(source, &error);
  EXPECT_TRUE(l) << error;
  return l ? *l : Labels{};
}

std::string label_error(const std::string& source) {
  std::string error;
  std::optional<Labels> l = parse_labels(source, &error);
  EXPECT_FALSE(l) << source;
  return error;
}

TEST(DeadlockLabels, DeadlockFree) {
  const Labels l = labels_of("// prose\n//\n// expect: deadlock-free\n#include \"corpus.h\"\n");
  EXPECT_TRUE(l.deadlock_free);
  EXPECT_FALSE(l.live);
  EXPECT_EQ(l.lock_cycles, 0u);
  EXPECT_TRUE(l.cycles.empty());
}

TEST(DeadlockLabels, LiveLockCyclesAndCycles) {
  const Labels l = labels_of(
      "// expect-live: 3\r\n// expect-lock-cycles: 1\n// expect-cycle: lock_a lock_b\n"
      "// expect-cycle: c d e\nint x; // expect-live: 9 (not at column 0: prose)\n");
  EXPECT_FALSE(l.deadlock_free);
  EXPECT_EQ(l.live, 3u);
  EXPECT_EQ(l.lock_cycles, 1u);
  ASSERT_EQ(l.cycles.size(), 2u);
  EXPECT_EQ(l.cycles[0].symbols, (std::vector<std::string>{"lock_a", "lock_b"}));
  EXPECT_EQ(l.cycles[1].symbols, (std::vector<std::string>{"c", "d", "e"}));
}

TEST(DeadlockLabels, EachKindAlone) {
  EXPECT_EQ(labels_of("// expect-live: 12\n").live, 12u);
  EXPECT_EQ(labels_of("// expect-lock-cycles: 2\n").lock_cycles, 2u);
  EXPECT_EQ(labels_of("// expect-cycle: a b\n").cycles.size(), 1u);
}

TEST(DeadlockLabels, Malformed) {
  EXPECT_NE(label_error("// expect-live: 0\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-live: 03\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-live:3\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-live: 3 threads\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-lock-cycles: -1\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycle: a\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycle: a a\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycle: a  b\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycle: a b \n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycle: a 1b\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycle:a b\n").find("malformed"), std::string::npos);
  EXPECT_NE(label_error("// expect: race-free\n").find("unknown"), std::string::npos);
  EXPECT_NE(label_error("// expect-cycles: a b\n").find("unknown"), std::string::npos);
  EXPECT_NE(label_error("// expect-lock-cycle: 1\n").find("unknown"), std::string::npos);
}

TEST(DeadlockLabels, Combinations) {
  EXPECT_NE(label_error("no labels at all\n").find("needs exactly one"), std::string::npos);
  EXPECT_NE(label_error("// expect: deadlock-free\n// expect-live: 2\n").find("needs exactly one"), std::string::npos);
  EXPECT_NE(label_error("// expect: deadlock-free\n// expect: deadlock-free\n").find("needs exactly one"),
            std::string::npos);
  EXPECT_NE(label_error("// expect-live: 2\n// expect-live: 2\n").find("once each"), std::string::npos);
  EXPECT_NE(label_error("// expect-lock-cycles: 1\n// expect-lock-cycles: 1\n").find("once each"), std::string::npos);
  // The same locks in another order are the same cycle.
  EXPECT_NE(label_error("// expect-cycle: a b c\n// expect-cycle: c a b\n").find("same locks"), std::string::npos);
}

TEST(DeadlockLabels, ExpectedStatus) {
  const Labels free_ = labels_of("// expect: deadlock-free\n");
  const Labels live = labels_of("// expect-live: 2\n// expect-cycle: a b\n");
  const Labels partial = labels_of("// expect-lock-cycles: 1\n// expect-cycle: a b\n");
  const Labels predicted = labels_of("// expect-cycle: a b\n");
  for (bool hooks : {false, true}) {
    for (bool flag : {false, true}) {
      EXPECT_EQ(expected_status(free_, hooks, flag), 0);
      EXPECT_EQ(expected_status(live, hooks, flag), kExitDeadlock);
      EXPECT_EQ(expected_status(partial, hooks, flag), hooks ? kExitDeadlock : 0);
      EXPECT_EQ(expected_status(predicted, hooks, flag), hooks && flag ? kExitPotential : 0);
    }
  }
}

// ---- the report -----------------------------------------------------------------

std::string report_json(const std::string& deadlock, const std::string& potential = "[]") {
  return R"({"format": "wgi-report", "version": 1, "deadlock": )" + deadlock +
         (potential.empty() ? "" : R"(, "potential_deadlocks": )" + potential) + "}";
}

Report report_of(const std::string& text) {
  std::string error;
  std::optional<Report> r = parse_report(text, &error);
  EXPECT_TRUE(r) << error << "\n" << text;
  return r ? *r : Report{};
}

std::string report_error(const std::string& text) {
  std::string error;
  std::optional<Report> r = parse_report(text, &error);
  EXPECT_FALSE(r) << text;
  return error;
}

// A blocked thread's JSON.
std::string blocked(uint32_t thread, const std::string& state, const std::string& addr, const std::string& target,
                    const std::string& holder,
                    const std::string& backtrace = R"([{"func": 3, "func_name": "f", "offset": 16}])") {
  return R"({"thread": )" + std::to_string(thread) + R"(, "state": ")" + state + R"(", "addr": )" + addr +
         R"(, "target": )" + target + R"(, "lock_holder": )" + holder + R"(, "backtrace": )" + backtrace + "}";
}

// A cycle entry's JSON: `thread` acquires `acquires` holding `holds`.
std::string entry(uint32_t thread, uint64_t holds, uint64_t acquires) {
  return R"({"thread": )" + std::to_string(thread) + R"(, "holds": )" + std::to_string(holds) + R"(, "acquires": )" +
         std::to_string(acquires) + R"(, "func": 7, "func_name": "a_then_b", "offset": 42, )" +
         R"("backtrace": [{"func": 7, "func_name": null, "offset": 42}]})";
}

std::string cycle(const std::vector<std::string>& entries) {
  std::string s = R"({"cycle": [)";
  for (size_t i = 0; i < entries.size(); ++i) s += (i ? ", " : "") + entries[i];
  return s + "]}";
}

TEST(DeadlockReport, NoDeadlock) {
  const Report r = report_of(report_json("null"));
  EXPECT_FALSE(r.deadlock);
  ASSERT_TRUE(r.potential);
  EXPECT_TRUE(r.potential->empty());
  // Without --deadlock there may be no potential_deadlocks at all; other
  // members (a race report's) are ignored.
  const Report plain = report_of(R"({"format": "wgi-report", "version": 1, "deadlock": null, "races": []})");
  EXPECT_FALSE(plain.potential);
}

TEST(DeadlockReport, Full) {
  const Report r = report_of(report_json(R"({"threads": [)" + blocked(0, "join", "null", "1", "null") + ", " +
                                             blocked(1, "lock", "1024", "null", "2") + ", " +
                                             blocked(2, "wait", "2048", "null", "null", "[]") + "]}",
                                         "[" + cycle({entry(1, 1024, 1028), entry(2, 1028, 1024)}) + "]"));
  ASSERT_TRUE(r.deadlock);
  ASSERT_EQ(r.deadlock->size(), 3u);
  EXPECT_EQ((*r.deadlock)[0].state, "join");
  EXPECT_EQ((*r.deadlock)[0].target, 1u);
  EXPECT_FALSE((*r.deadlock)[0].addr);
  EXPECT_EQ((*r.deadlock)[1].lock_holder, 2u);
  EXPECT_EQ((*r.deadlock)[1].addr, 1024u);
  ASSERT_EQ((*r.deadlock)[1].backtrace.size(), 1u);
  EXPECT_EQ((*r.deadlock)[1].backtrace[0].func_name, "f");
  EXPECT_TRUE((*r.deadlock)[2].backtrace.empty());
  ASSERT_TRUE(r.potential);
  ASSERT_EQ(r.potential->size(), 1u);
  const std::vector<CycleEntry>& c = (*r.potential)[0].cycle;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].thread, 1u);
  EXPECT_EQ(c[0].holds, 1024u);
  EXPECT_EQ(c[0].acquires, 1028u);
  EXPECT_EQ(c[0].where.func, 7u);
  EXPECT_EQ(c[0].where.func_name, "a_then_b");
  EXPECT_EQ(c[0].where.offset, 42u);
  ASSERT_EQ(c[0].backtrace.size(), 1u);
  EXPECT_FALSE(c[0].backtrace[0].func_name);
}

TEST(DeadlockReport, Malformed) {
  EXPECT_NE(report_error("{").find("not JSON"), std::string::npos);
  EXPECT_NE(report_error("[]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(report_error(R"({"format": "wgi-trace-metadata", "version": 1, "deadlock": null})").find("wgi report"),
            std::string::npos);
  EXPECT_NE(report_error(R"({"format": "wgi-report", "version": 2, "deadlock": null})").find("wgi report"),
            std::string::npos);
  EXPECT_NE(report_error(R"({"format": "wgi-report", "version": 1})").find("\"deadlock\""), std::string::npos);
  EXPECT_NE(report_error(report_json("[]")).find("\"deadlock\""), std::string::npos);
  EXPECT_NE(report_error(report_json("{}")).find("threads"), std::string::npos);
  EXPECT_NE(
      report_error(report_json(R"({"threads": [)" + blocked(1, "sleep", "null", "null", "null") + "]}")).find("state"),
      std::string::npos);
  EXPECT_NE(report_error(report_json(R"({"threads": [{"thread": 1, "state": "wait", "addr": 4, "target": null,
                                          "backtrace": []}]})"))
                .find("lock_holder"),
            std::string::npos);
  EXPECT_NE(
      report_error(report_json(R"({"threads": [)" + blocked(1, "wait", "-4", "null", "null") + "]}")).find("addr"),
      std::string::npos);
  EXPECT_NE(report_error(report_json(R"({"threads": [)" + blocked(1, "wait", "4", "null", "null", "null") + "]}"))
                .find("backtrace"),
            std::string::npos);
  EXPECT_NE(report_error(report_json("null", "{}")).find("potential_deadlocks"), std::string::npos);
  EXPECT_NE(report_error(report_json("null", "[{}]")).find("cycle"), std::string::npos);
  EXPECT_NE(report_error(report_json("null", R"([{"cycle": [{"thread": 1, "acquires": 4, "func": 1, "offset": 2}]}])"))
                .find("holds"),
            std::string::npos);
  EXPECT_NE(report_error(report_json("null", R"([{"cycle": [{"thread": 1, "holds": 8, "acquires": 4, "func": 1,
                                                             "func_name": 5, "offset": 2}]}])"))
                .find("func_name"),
            std::string::npos);
}

// ---- stderr ---------------------------------------------------------------------

TEST(DeadlockStderr, LiveReportAndLockCycles) {
  const StderrSummary s = scan_stderr(
      "wgi: deadlock: lock cycle: thread 1 holds 0x400 and waits for 0x404, held by thread 2, ...\n"
      "  thread 9: not counted (before the live report)\n"
      "wgi: deadlock: all 3 threads are blocked\n"
      "  thread 0: joining thread 1\n"
      "    #0 test (func 9) at 0x1a\n"
      "  thread 1: waiting for lock 0x404, held by thread 2 (acquired at a_then_b (func 5) at 0x10)\n"
      "    #0 a_then_b (func 5) at 0x22\n"
      "  thread 2: waiting on 0x400\n"
      "    #0 b_then_a (func 6) at 0x22\n"
      "    #1 wgi_thread_start (func 3) at 0x8\n"
      "wgi: something else\n"
      "  thread 7: after the block\n");
  EXPECT_EQ(s.lock_cycle_lines, 1);
  EXPECT_EQ(s.live_headers, 1);
  EXPECT_EQ(s.live_count, 3u);
  EXPECT_EQ(s.live_threads, (std::vector<uint32_t>{0, 1, 2}));
}

TEST(DeadlockStderr, OneThreadAndNothing) {
  const StderrSummary one = scan_stderr("wgi: deadlock: all 1 thread is blocked\n  thread 0: waiting on 0x10\n");
  EXPECT_EQ(one.live_count, 1u);
  EXPECT_EQ(one.live_threads, (std::vector<uint32_t>{0}));
  const StderrSummary none = scan_stderr("");
  EXPECT_EQ(none.live_headers, 0);
  EXPECT_FALSE(none.live_count);
  EXPECT_EQ(none.lock_cycle_lines, 0);
  const StderrSummary only = scan_stderr("wgi: deadlock: the only thread is blocked\n  thread 0: waiting on 0x10\n");
  EXPECT_EQ(only.live_count, std::optional<uint32_t>(1));
  EXPECT_EQ(only.live_threads, std::vector<uint32_t>{0});
  const StderrSummary garbled = scan_stderr("wgi: deadlock: all the threads are blocked\n");
  EXPECT_EQ(garbled.live_headers, 1);
  EXPECT_FALSE(garbled.live_count);
}

TEST(DeadlockStderr, WaitForCycles) {
  auto lock = [](uint32_t t, uint64_t holder) {
    BlockedThread b;
    b.thread = t;
    b.state = "lock";
    b.addr = 64;
    b.lock_holder = holder;
    return b;
  };
  BlockedThread join;
  join.thread = 0;
  join.state = "join";
  join.target = 1;
  EXPECT_EQ(count_wait_for_cycles({join, lock(1, 2), lock(2, 1)}), 1u);
  EXPECT_EQ(count_wait_for_cycles({lock(1, 2), lock(2, 3), lock(3, 1), lock(4, 1)}), 1u);  // 4 waits into it
  EXPECT_EQ(count_wait_for_cycles({lock(1, 2), lock(2, 1), lock(3, 4), lock(4, 3)}), 2u);
  EXPECT_EQ(count_wait_for_cycles({lock(1, 1)}), 1u);
  EXPECT_EQ(count_wait_for_cycles({join, lock(2, 0), lock(3, 7)}), 0u);  // 0 joins, 7 has ended
}

// ---- the check ------------------------------------------------------------------

const std::map<std::string, uint64_t> kSymbols = {{"lock_a", 1024}, {"lock_b", 1028}, {"lock_c", 1032}};

const char* const kLiveErr =
    "wgi: deadlock: lock cycle\n"
    "wgi: deadlock: all 3 threads are blocked\n"
    "  thread 0: joining thread 1\n"
    "    #0 test (func 9) at 0x1a\n"
    "  thread 1: waiting for lock 0x404, held by thread 2\n"
    "    #0 a_then_b (func 5) at 0x22\n"
    "  thread 2: waiting for lock 0x400, held by thread 1\n"
    "    #0 b_then_a (func 6) at 0x22\n";

const std::string kLiveThreads = R"({"threads": [)" + blocked(0, "join", "null", "1", "null") + ", " +
                                 blocked(1, "lock", "1028", "null", "2") + ", " +
                                 blocked(2, "lock", "1024", "null", "1") + "]}";

const std::string kAbCycle = cycle({entry(1, 1024, 1028), entry(2, 1028, 1024)});

Labels abba_labels() {
  return labels_of("// expect-live: 3\n// expect-lock-cycles: 1\n// expect-cycle: lock_a lock_b\n");
}

ObservedRun abba_run() {
  return ObservedRun{true, true, kExitDeadlock, kLiveErr, report_of(report_json(kLiveThreads, "[" + kAbCycle + "]"))};
}

std::string joined(const std::vector<std::string>& problems) {
  std::string s;
  for (const std::string& p : problems) s += p + "\n";
  return s;
}

// Checks that `run` fails with a problem containing `needle`.
void expect_problem(const Labels& labels, const ObservedRun& run, const std::string& needle) {
  const std::vector<std::string> problems = check_run(labels, kSymbols, run);
  EXPECT_NE(joined(problems).find(needle), std::string::npos) << "want \"" << needle << "\" among:\n"
                                                              << joined(problems);
}

TEST(DeadlockVerdict, LiveMatches) {
  EXPECT_EQ(joined(check_run(abba_labels(), kSymbols, abba_run())), "");
  // The cycle's entries may start anywhere.
  ObservedRun rotated = abba_run();
  rotated.report =
      report_of(report_json(kLiveThreads, "[" + cycle({entry(2, 1028, 1024), entry(1, 1024, 1028)}) + "]"));
  EXPECT_EQ(joined(check_run(abba_labels(), kSymbols, rotated)), "");
}

TEST(DeadlockVerdict, LiveWithoutHooks) {
  // The same program without the hooks: mutex words waited on, no lock
  // states, no wait-for cycle and no prediction.
  const std::string threads = R"({"threads": [)" + blocked(0, "join", "null", "1", "null") + ", " +
                              blocked(1, "wait", "1028", "null", "null") + ", " +
                              blocked(2, "wait", "1024", "null", "null") + "]}";
  const std::string err =
      "wgi: deadlock: all 3 threads are blocked\n  thread 0: joining thread 1\n"
      "  thread 1: waiting on 0x404\n  thread 2: waiting on 0x400\n";
  const ObservedRun run{false, true, kExitDeadlock, err, report_of(report_json(threads))};
  EXPECT_EQ(joined(check_run(abba_labels(), kSymbols, run)), "");

  ObservedRun with_lock = run;
  with_lock.report = report_of(report_json(kLiveThreads));
  expect_problem(abba_labels(), with_lock, "a lock state in a module without the lock hooks");
  ObservedRun with_cycle = run;
  with_cycle.report = report_of(report_json(threads, "[" + kAbCycle + "]"));
  expect_problem(abba_labels(), with_cycle, "unexpected predicted deadlock (the module has no lock hooks)");
  ObservedRun with_line = run;
  with_line.err = "wgi: deadlock: lock cycle\n" + err;
  expect_problem(abba_labels(), with_line, "\"wgi: deadlock: lock cycle\" lines, want 0");
}

TEST(DeadlockVerdict, LiveMismatches) {
  ObservedRun status = abba_run();
  status.exit_status = 0;
  expect_problem(abba_labels(), status, "exit status 0, want 5");

  ObservedRun no_deadlock = abba_run();
  no_deadlock.report.deadlock.reset();
  expect_problem(abba_labels(), no_deadlock, "\"deadlock\" is null");

  ObservedRun two = abba_run();
  two.report.deadlock->pop_back();
  expect_problem(abba_labels(), two, "lists 2 threads, want 3");
  expect_problem(abba_labels(), two, "name different threads");

  ObservedRun twice = abba_run();
  (*twice.report.deadlock)[2].thread = 1;
  expect_problem(abba_labels(), twice, "thread 1 twice");

  ObservedRun no_holder = abba_run();
  (*no_holder.report.deadlock)[1].lock_holder.reset();
  expect_problem(abba_labels(), no_holder, "needs the lock's holder");
  expect_problem(abba_labels(), no_holder, "lock waits form 0 cycles, want 1");

  ObservedRun no_addr = abba_run();
  (*no_addr.report.deadlock)[1].addr.reset();
  expect_problem(abba_labels(), no_addr, "needs the lock's address");

  ObservedRun bad_target = abba_run();
  (*bad_target.report.deadlock)[0].target = 5;
  expect_problem(abba_labels(), bad_target, "target must be another blocked thread");

  ObservedRun no_backtrace = abba_run();
  (*no_backtrace.report.deadlock)[0].backtrace.clear();
  expect_problem(abba_labels(), no_backtrace, "no backtrace");

  ObservedRun wait_no_addr = abba_run();
  (*wait_no_addr.report.deadlock)[1].state = "wait";
  (*wait_no_addr.report.deadlock)[1].addr.reset();
  expect_problem(abba_labels(), wait_no_addr, "a waiting thread needs its address");

  ObservedRun no_header = abba_run();
  no_header.err = "wgi: deadlock: lock cycle\n";
  expect_problem(abba_labels(), no_header, "want one live deadlock report on stderr");

  ObservedRun two_headers = abba_run();
  two_headers.err += kLiveErr;
  expect_problem(abba_labels(), two_headers, "found 2");

  ObservedRun wrong_count = abba_run();
  wrong_count.err = std::string(kLiveErr).replace(std::string(kLiveErr).find("all 3"), 5, "all 4");
  expect_problem(abba_labels(), wrong_count, "names 4 threads, want 3");

  ObservedRun missing_block = abba_run();
  missing_block.err = std::string(kLiveErr).substr(0, std::string(kLiveErr).find("  thread 2"));
  expect_problem(abba_labels(), missing_block, "has 2 \"  thread K:\" blocks, want 3");

  ObservedRun no_cycle_line = abba_run();
  no_cycle_line.err = std::string(kLiveErr).substr(std::string("wgi: deadlock: lock cycle\n").size());
  expect_problem(abba_labels(), no_cycle_line, "0 \"wgi: deadlock: lock cycle\" lines, want 1");
}

TEST(DeadlockVerdict, NotLive) {
  const Labels free_ = labels_of("// expect: deadlock-free\n");
  const ObservedRun ok{true, true, 0, "", report_of(report_json("null"))};
  EXPECT_EQ(joined(check_run(free_, kSymbols, ok)), "");
  const ObservedRun plain{true, false, 0, "", report_of(R"({"format": "wgi-report", "version": 1, "deadlock": null})")};
  EXPECT_EQ(joined(check_run(free_, kSymbols, plain)), "");

  ObservedRun live = abba_run();
  live.exit_status = 0;
  expect_problem(free_, live, "unexpected live deadlock report on stderr");
  expect_problem(free_, live, "unexpected live deadlock in the report");
  expect_problem(free_, live, "unexpected predicted deadlock (no expect-cycle label)");

  ObservedRun missing = ok;
  missing.report.potential.reset();
  expect_problem(free_, missing, "no \"potential_deadlocks\"");
}

TEST(DeadlockVerdict, Predicted) {
  const Labels ab = labels_of("// expect-cycle: lock_a lock_b\n");
  const ObservedRun ok{true, true, kExitPotential, "", report_of(report_json("null", "[" + kAbCycle + "]"))};
  EXPECT_EQ(joined(check_run(ab, kSymbols, ok)), "");

  ObservedRun status = ok;
  status.exit_status = 0;
  expect_problem(ab, status, "exit status 0, want 66");

  ObservedRun none = ok;
  none.report.potential->clear();
  expect_problem(ab, none, "missed predicted deadlock: no cycle over exactly lock_a lock_b");

  ObservedRun twice = ok;
  twice.report = report_of(report_json("null", "[" + kAbCycle + ", " + kAbCycle + "]"));
  expect_problem(ab, twice, "reported more than once");

  ObservedRun three = ok;  // a, b and c: not exactly the label's locks
  three.report = report_of(
      report_json("null", "[" + cycle({entry(1, 1024, 1028), entry(2, 1028, 1032), entry(3, 1032, 1024)}) + "]"));
  expect_problem(ab, three,
                 "unexpected predicted deadlock (no label has its locks): cycle of 3: [thread 1 acquires "
                 "lock_b (0x404) holding lock_a (0x400) in a_then_b (func 7) at 0x2a]");
  expect_problem(ab, three, "missed predicted deadlock");

  ObservedRun one_thread = ok;
  one_thread.report = report_of(report_json("null", "[" + cycle({entry(1, 1024, 1028), entry(1, 1028, 1024)}) + "]"));
  expect_problem(ab, one_thread, "malformed predicted deadlock");

  ObservedRun broken = ok;  // thread 2's entry does not close the cycle
  broken.report = report_of(report_json("null", "[" + cycle({entry(1, 1024, 1028), entry(2, 1032, 1024)}) + "]"));
  expect_problem(ab, broken, "malformed predicted deadlock");

  ObservedRun single = ok;
  single.report = report_of(report_json("null", "[" + cycle({entry(1, 1024, 1024)}) + "]"));
  expect_problem(ab, single, "malformed predicted deadlock");

  // Without --deadlock: nothing predicted, exit 0.
  const ObservedRun plain{true, false, 0, "", report_of(R"({"format": "wgi-report", "version": 1, "deadlock": null})")};
  EXPECT_EQ(joined(check_run(ab, kSymbols, plain)), "");
  ObservedRun plain_cycle = plain;
  plain_cycle.report = report_of(report_json("null", "[" + kAbCycle + "]"));
  expect_problem(ab, plain_cycle, "unexpected predicted deadlock (the run had no --deadlock)");

  // Without the hooks: nothing predicted, exit 0.
  const ObservedRun nohooks{false, true, 0, "", report_of(report_json("null"))};
  EXPECT_EQ(joined(check_run(ab, kSymbols, nohooks)), "");

  // A label whose symbol has no address (the harness found no export).
  const Labels ax = labels_of("// expect-cycle: lock_a lock_x\n");
  expect_problem(ax, ok, "no address for the labelled symbol lock_x");
}

TEST(DeadlockVerdict, PartialLockCycle) {
  const Labels partial = labels_of("// expect-lock-cycles: 1\n// expect-cycle: lock_a lock_b\n");
  const ObservedRun ok{true, true, kExitDeadlock, "wgi: deadlock: lock cycle: threads 1 and 2\n",
                       report_of(report_json("null", "[" + kAbCycle + "]"))};
  EXPECT_EQ(joined(check_run(partial, kSymbols, ok)), "");
  ObservedRun status = ok;
  status.exit_status = kExitPotential;
  expect_problem(partial, status, "exit status 66, want 5");
  ObservedRun no_line = ok;
  no_line.err = "";
  expect_problem(partial, no_line, "0 \"wgi: deadlock: lock cycle\" lines, want 1");
  const ObservedRun nohooks{false, true, 0, "", report_of(report_json("null"))};
  EXPECT_EQ(joined(check_run(partial, kSymbols, nohooks)), "");
}

}  // namespace
}  // namespace wgi::deadlock_test
