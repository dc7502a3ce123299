// The deadlock corpus's labels, what `wgi run [--deadlock] --report OUT.json`
// says about deadlocks (the report and stderr), and the check of one against
// the other (tests/deadlock/README.md). Header-only: corpus_test.cc runs the
// corpus, deadlock_check_test.cc tests the parsing and the check on made-up
// inputs.
//
// Labels, in a program's source, each line starting at column 0:
//
//   // expect: deadlock-free                   (alone), or any of:
//   // expect-live: N                          (at most once, N >= 1)
//   // expect-lock-cycles: K                   (at most once, K >= 1)
//   // expect-cycle: SYMBOL SYMBOL [SYMBOL...] (any number of lines)
//
// expect-live: the run ends with all its N live threads blocked forever
// (the live deadlock report; exit status 5), with or without the hooks.
// expect-lock-cycles: with the hooks, K lock wait-for cycles form during the
// run and each is reported when it forms ("wgi: deadlock: lock cycle"); the
// run ends with status 5 even if it otherwise ends normally. expect-cycle:
// with the hooks and --deadlock, one predicted deadlock whose locks are
// exactly those mutexes (their exported addresses).
//
// The report (one JSON object; other members are ignored):
//
//   {"format": "wgi-report", "version": 1,
//    "deadlock": null | {"threads": [
//        {"thread": T, "state": "wait" | "join" | "lock",
//         "addr": A | null, "target": T | null, "lock_holder": T | null,
//         "backtrace": [{"func": F, "func_name": S | null, "offset": O}, ...]}]},
//    "potential_deadlocks": [                       (with --deadlock)
//        {"cycle": [{"thread": T, "holds": L, "acquires": L,
//                    "func": F, "func_name": S | null, "offset": O,
//                    "backtrace": [...]}, ...]}]}
//
// A cycle entry says: thread T acquired lock `acquires` while holding lock
// `holds`; entry i's `acquires` is entry i+1's `holds`, the last's the
// first's. Lock ids are the wgi_mutex addresses in linear memory.
//
// Stderr, for a live deadlock:
//
//   wgi: deadlock: all N threads are blocked     (or "the only thread is blocked")
//     thread K: joining thread 1
//       #0 FUNC (func I) at 0xOFF
//     thread K: waiting on 0x...
//     thread K: waiting for lock 0x..., held by thread J (acquired at ...)
//
// and for each lock wait-for cycle, when it forms, a line starting
// "wgi: deadlock: lock cycle".
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "json.h"  // spec-tests/json.h: wgi::spec::Json, parse_json

namespace wgi::deadlock_test {

// What `wgi run` exits with after a live deadlock or a lock wait-for cycle
// (when the program otherwise ended normally), and with --deadlock after
// predicted deadlocks only.
constexpr int kExitDeadlock = 5;
constexpr int kExitPotential = 66;

// ---- labels -----------------------------------------------------------------

struct ExpectedCycle {
  std::vector<std::string> symbols;  // as written: distinct, at least two
};

struct Labels {
  bool deadlock_free = false;
  std::optional<uint32_t> live;  // expect-live: N
  uint32_t lock_cycles = 0;      // expect-lock-cycles: K
  std::vector<ExpectedCycle> cycles;
};

namespace detail {

inline bool is_ident(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// A decimal number >= 1 without sign or leading zeros (deadlock_corpus.cmake
// accepts the same).
inline std::optional<uint32_t> parse_positive(std::string_view s) {
  if (s.empty() || s.size() > 9 || s[0] == '0') return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v;
}

inline std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find('\n', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    pos = end + 1;
  }
  return out;
}

}  // namespace detail

// Reads the label lines of a program's source: every line starting with
// "// expect" must be one of the four forms. Returns nullopt and sets
// *error for a malformed or unknown label, a number or symbol list out of
// shape, a repeated expect-live or expect-lock-cycles, two cycles over the
// same locks, deadlock-free together with anything, or no label at all.
inline std::optional<Labels> parse_labels(std::string_view source, std::string* error) {
  Labels labels;
  int free_lines = 0, live_lines = 0, lock_cycle_lines = 0;
  std::set<std::set<std::string>> seen_cycles;
  const auto lines = detail::split_lines(source);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (!line.starts_with("// expect")) continue;
    const std::string where = "line " + std::to_string(i + 1) + ": ";
    auto number_after = [&](std::string_view prefix) -> std::optional<uint32_t> {
      return line.starts_with(prefix) ? detail::parse_positive(line.substr(prefix.size())) : std::nullopt;
    };
    if (line == "// expect: deadlock-free") {
      ++free_lines;
    } else if (line.starts_with("// expect-live:")) {
      std::optional<uint32_t> n = number_after("// expect-live: ");
      if (!n) {
        *error = where + "malformed label `" + std::string(line) + "` (want `// expect-live: N`, N >= 1)";
        return std::nullopt;
      }
      ++live_lines;
      labels.live = *n;
    } else if (line.starts_with("// expect-lock-cycles:")) {
      std::optional<uint32_t> k = number_after("// expect-lock-cycles: ");
      if (!k) {
        *error = where + "malformed label `" + std::string(line) + "` (want `// expect-lock-cycles: K`, K >= 1)";
        return std::nullopt;
      }
      ++lock_cycle_lines;
      labels.lock_cycles = *k;
    } else if (line.starts_with("// expect-cycle:")) {
      ExpectedCycle c;
      std::string_view rest = line.substr(std::string_view("// expect-cycle:").size());
      bool ok = rest.starts_with(' ');
      while (ok && !rest.empty()) {
        rest.remove_prefix(1);  // the space before each symbol
        const size_t end = std::min(rest.find(' '), rest.size());
        const std::string_view sym = rest.substr(0, end);
        ok = detail::is_ident(sym);
        c.symbols.emplace_back(sym);
        rest.remove_prefix(end);
      }
      const std::set<std::string> set(c.symbols.begin(), c.symbols.end());
      if (!ok || c.symbols.size() < 2 || set.size() != c.symbols.size()) {
        *error = where + "malformed label `" + std::string(line) +
                 "` (want `// expect-cycle: SYMBOL SYMBOL...`: two or more distinct symbols, one space apart)";
        return std::nullopt;
      }
      if (!seen_cycles.insert(set).second) {
        *error = where + "a second `// expect-cycle:` over the same locks: `" + std::string(line) + "`";
        return std::nullopt;
      }
      labels.cycles.push_back(std::move(c));
    } else {
      *error = where + "unknown label `" + std::string(line) +
               "` (want `// expect: deadlock-free`, `// expect-live: N`, `// expect-lock-cycles: K` or "
               "`// expect-cycle: SYMBOL SYMBOL...`)";
      return std::nullopt;
    }
  }
  const int others = live_lines + lock_cycle_lines + static_cast<int>(labels.cycles.size());
  if (live_lines > 1 || lock_cycle_lines > 1) {
    *error = "`// expect-live:` and `// expect-lock-cycles:` may appear once each (found " +
             std::to_string(live_lines) + " and " + std::to_string(lock_cycle_lines) + ")";
    return std::nullopt;
  }
  if (free_lines == 1 && others == 0) {
    labels.deadlock_free = true;
    return labels;
  }
  if (free_lines == 0 && others > 0) return labels;
  *error =
      "needs exactly one `// expect: deadlock-free` line, or else one or more of `// expect-live:`, "
      "`// expect-lock-cycles:`, `// expect-cycle:` (found " +
      std::to_string(free_lines) + " deadlock-free and " + std::to_string(others) + " others)";
  return std::nullopt;
}

// The status `wgi run [--deadlock] --report OUT.json M.wasm --invoke test`
// must exit with, for a module built with or without the lock hooks. A
// live deadlock or a lock wait-for cycle wins over predicted deadlocks; the
// wait-for cycles and the predictions need the hooks, and the predictions
// --deadlock.
inline int expected_status(const Labels& labels, bool hooks, bool deadlock_flag) {
  if (labels.live) return kExitDeadlock;
  if (hooks && labels.lock_cycles > 0) return kExitDeadlock;
  if (hooks && deadlock_flag && !labels.cycles.empty()) return kExitPotential;
  return 0;
}

// ---- the report -----------------------------------------------------------------

struct Frame {
  uint32_t func = 0;
  std::optional<std::string> func_name;  // null in the report: no name
  uint64_t offset = 0;
};

struct BlockedThread {
  uint32_t thread = 0;
  std::string state;  // "wait", "join" or "lock"
  std::optional<uint64_t> addr;
  std::optional<uint64_t> target;
  std::optional<uint64_t> lock_holder;
  std::vector<Frame> backtrace;
};

struct CycleEntry {
  uint32_t thread = 0;
  uint64_t holds = 0;
  uint64_t acquires = 0;
  Frame where;  // func, func_name, offset: the acquisition
  std::vector<Frame> backtrace;
};

struct PotentialDeadlock {
  std::vector<CycleEntry> cycle;
};

struct Report {
  // The live deadlock's threads; nullopt when "deadlock" is null.
  std::optional<std::vector<BlockedThread>> deadlock;
  // nullopt when the report has no "potential_deadlocks" (runs without
  // --deadlock).
  std::optional<std::vector<PotentialDeadlock>> potential;
};

namespace detail {

inline bool get_u64(const spec::Json& obj, std::string_view key, uint64_t* out, std::string* error,
                    const std::string& where) {
  const spec::Json* v = obj.find(key);
  std::optional<int64_t> n = v ? v->as_int() : std::nullopt;
  if (!n || *n < 0) {
    *error = where + ": \"" + std::string(key) + "\" must be a non-negative integer";
    return false;
  }
  *out = static_cast<uint64_t>(*n);
  return true;
}

inline bool get_u32(const spec::Json& obj, std::string_view key, uint32_t* out, std::string* error,
                    const std::string& where) {
  uint64_t v = 0;
  if (!get_u64(obj, key, &v, error, where)) return false;
  if (v > UINT32_MAX) {
    *error = where + ": \"" + std::string(key) + "\" out of range";
    return false;
  }
  *out = static_cast<uint32_t>(v);
  return true;
}

// A member that must be present: a non-negative integer or null (nullopt).
inline bool get_opt_u64(const spec::Json& obj, std::string_view key, std::optional<uint64_t>* out, std::string* error,
                        const std::string& where) {
  const spec::Json* v = obj.find(key);
  if (v && v->is_null()) {
    out->reset();
    return true;
  }
  uint64_t n = 0;
  if (!get_u64(obj, key, &n, error, where)) {
    *error += " or null";
    return false;
  }
  *out = n;
  return true;
}

inline bool get_frame(const spec::Json& obj, Frame* f, std::string* error, const std::string& where) {
  if (!get_u32(obj, "func", &f->func, error, where) || !get_u64(obj, "offset", &f->offset, error, where)) return false;
  const spec::Json* name = obj.find("func_name");
  if (name && name->is_string()) {
    f->func_name = name->text();
  } else if (name && !name->is_null()) {
    *error = where + ": \"func_name\" must be a string or null";
    return false;
  }
  return true;
}

// "backtrace": an array of frames; required when `required`.
inline bool get_backtrace(const spec::Json& obj, bool required, std::vector<Frame>* out, std::string* error,
                          const std::string& where) {
  const spec::Json* bt = obj.find("backtrace");
  if (!bt && !required) return true;
  if (!bt || !bt->is_array()) {
    *error = where + ": \"backtrace\" must be an array";
    return false;
  }
  for (size_t i = 0; i < bt->items().size(); ++i) {
    const spec::Json& item = bt->items()[i];
    const std::string fwhere = where + ".backtrace[" + std::to_string(i) + "]";
    if (!item.is_object()) {
      *error = fwhere + ": not an object";
      return false;
    }
    Frame f;
    if (!get_frame(item, &f, error, fwhere)) return false;
    out->push_back(std::move(f));
  }
  return true;
}

inline bool get_blocked_thread(const spec::Json& obj, BlockedThread* t, std::string* error, const std::string& where) {
  if (!obj.is_object()) {
    *error = where + ": not an object";
    return false;
  }
  if (!get_u32(obj, "thread", &t->thread, error, where)) return false;
  const spec::Json* state = obj.find("state");
  if (!state || !state->is_string() ||
      (state->text() != "wait" && state->text() != "join" && state->text() != "lock")) {
    *error = where + ": \"state\" must be \"wait\", \"join\" or \"lock\"";
    return false;
  }
  t->state = state->text();
  return get_opt_u64(obj, "addr", &t->addr, error, where) && get_opt_u64(obj, "target", &t->target, error, where) &&
         get_opt_u64(obj, "lock_holder", &t->lock_holder, error, where) &&
         get_backtrace(obj, /*required=*/true, &t->backtrace, error, where);
}

inline bool get_cycle_entry(const spec::Json& obj, CycleEntry* e, std::string* error, const std::string& where) {
  if (!obj.is_object()) {
    *error = where + ": not an object";
    return false;
  }
  return get_u32(obj, "thread", &e->thread, error, where) && get_u64(obj, "holds", &e->holds, error, where) &&
         get_u64(obj, "acquires", &e->acquires, error, where) && get_frame(obj, &e->where, error, where) &&
         get_backtrace(obj, /*required=*/false, &e->backtrace, error, where);
}

}  // namespace detail

// Parses the report (the layout at the top of this file). Returns nullopt
// and sets *error when it is not JSON or lacks a member. An offline report
// (`wgi trace deadlocks`, offline = true) has no "deadlock": nothing ran.
inline std::optional<Report> parse_report(std::string_view text, std::string* error, bool offline = false) {
  spec::JsonError je;
  std::optional<spec::Json> doc = spec::parse_json(text, &je);
  if (!doc) {
    *error = "not JSON: " + je.message + " at byte " + std::to_string(je.offset);
    return std::nullopt;
  }
  if (!doc->is_object()) {
    *error = "the report is not a JSON object";
    return std::nullopt;
  }
  const spec::Json* format = doc->find("format");
  const spec::Json* version = doc->find("version");
  if (!format || !format->is_string() || format->text() != "wgi-report" || !version || version->as_int() != 1) {
    *error = "not a wgi report version 1 (\"format\": \"wgi-report\", \"version\": 1)";
    return std::nullopt;
  }
  Report report;
  const spec::Json* deadlock = doc->find("deadlock");
  if (offline && !deadlock) {
    static const spec::Json kNull;
    deadlock = &kNull;
  }
  if (!deadlock || !(deadlock->is_null() || deadlock->is_object())) {
    *error = "\"deadlock\" is missing or neither null nor an object";
    return std::nullopt;
  }
  if (deadlock->is_object()) {
    const spec::Json* threads = deadlock->find("threads");
    if (!threads || !threads->is_array()) {
      *error = "deadlock: \"threads\" is missing or not an array";
      return std::nullopt;
    }
    report.deadlock.emplace();
    for (size_t i = 0; i < threads->items().size(); ++i) {
      BlockedThread t;
      if (!detail::get_blocked_thread(threads->items()[i], &t, error, "deadlock.threads[" + std::to_string(i) + "]"))
        return std::nullopt;
      report.deadlock->push_back(std::move(t));
    }
  }
  if (const spec::Json* potential = doc->find("potential_deadlocks")) {
    if (!potential->is_array()) {
      *error = "\"potential_deadlocks\" is not an array";
      return std::nullopt;
    }
    report.potential.emplace();
    for (size_t i = 0; i < potential->items().size(); ++i) {
      const spec::Json& p = potential->items()[i];
      const std::string where = "potential_deadlocks[" + std::to_string(i) + "]";
      const spec::Json* cycle = p.is_object() ? p.find("cycle") : nullptr;
      if (!cycle || !cycle->is_array()) {
        *error = where + ": \"cycle\" is missing or not an array";
        return std::nullopt;
      }
      PotentialDeadlock d;
      for (size_t j = 0; j < cycle->items().size(); ++j) {
        CycleEntry e;
        if (!detail::get_cycle_entry(cycle->items()[j], &e, error, where + ".cycle[" + std::to_string(j) + "]"))
          return std::nullopt;
        d.cycle.push_back(std::move(e));
      }
      report.potential->push_back(std::move(d));
    }
  }
  return report;
}

// ---- stderr ---------------------------------------------------------------------

// What stderr says about deadlocks, as far as the check needs it.
struct StderrSummary {
  int live_headers = 0;                // "wgi: deadlock: all N threads are blocked" lines
  std::optional<uint32_t> live_count;  // N of the first one
  std::vector<uint32_t> live_threads;  // K of each "  thread K:" line in the first one's block
  int lock_cycle_lines = 0;            // lines starting "wgi: deadlock: lock cycle"
};

inline StderrSummary scan_stderr(std::string_view err) {
  StderrSummary s;
  const auto lines = detail::split_lines(err);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.starts_with("wgi: deadlock: lock cycle")) ++s.lock_cycle_lines;
    constexpr std::string_view kLive = "wgi: deadlock: all ";
    // A program with one thread left says so rather than "all 1 threads".
    constexpr std::string_view kOnly = "wgi: deadlock: the only thread is blocked";
    if (!line.starts_with(kLive) && line != kOnly) continue;
    if (++s.live_headers > 1) continue;
    if (line == kOnly) {
      s.live_count = 1;
    } else {
      // "N threads are blocked" (or "1 thread is blocked").
      std::string_view rest = line.substr(kLive.size());
      const size_t digits = rest.find_first_not_of("0123456789");
      if (digits != std::string_view::npos && digits > 0 && rest.substr(digits).starts_with(" thread"))
        s.live_count = detail::parse_positive(rest.substr(0, digits));
    }
    // The block: indented lines; "  thread K: ..." opens each thread's part.
    for (size_t j = i + 1; j < lines.size() && lines[j].starts_with("  "); ++j) {
      constexpr std::string_view kThread = "  thread ";
      if (!lines[j].starts_with(kThread)) continue;
      std::string_view id = lines[j].substr(kThread.size());
      const size_t colon = id.find(':');
      if (colon == std::string_view::npos) continue;
      if (id.substr(0, colon) == "0") {
        s.live_threads.push_back(0);
      } else if (std::optional<uint32_t> k = detail::parse_positive(id.substr(0, colon))) {
        s.live_threads.push_back(*k);
      }
    }
  }
  return s;
}

// ---- describing and checking ------------------------------------------------------

inline std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// "worker (func 12) at 0x4b1"
inline std::string describe(const Frame& f) {
  return (f.func_name ? *f.func_name : std::string("<no name>")) + " (func " + std::to_string(f.func) + ") at " +
         hex(f.offset);
}

// A lock address with its labelled symbol's name when it is one:
// "lock_a (0x4a0)" or "0x4a0".
inline std::string describe_lock(uint64_t addr, const std::map<std::string, uint64_t>& symbols) {
  for (const auto& [name, a] : symbols)
    if (a == addr) return name + " (" + hex(addr) + ")";
  return hex(addr);
}

inline std::string describe(const PotentialDeadlock& d, const std::map<std::string, uint64_t>& symbols) {
  std::string s = "cycle of " + std::to_string(d.cycle.size()) + ":";
  for (const CycleEntry& e : d.cycle) {
    s += " [thread " + std::to_string(e.thread) + " acquires " + describe_lock(e.acquires, symbols) + " holding " +
         describe_lock(e.holds, symbols) + " in " + describe(e.where) + "]";
  }
  return s;
}

inline std::string describe(const BlockedThread& t, const std::map<std::string, uint64_t>& symbols) {
  std::string s = "thread " + std::to_string(t.thread) + " " + t.state;
  if (t.addr) s += " addr " + describe_lock(*t.addr, symbols);
  if (t.target) s += " target " + std::to_string(*t.target);
  if (t.lock_holder) s += " held by " + std::to_string(*t.lock_holder);
  if (!t.backtrace.empty()) s += " in " + describe(t.backtrace[0]);
  return s;
}

// The lock wait-for cycles among the blocked threads: each thread in state
// "lock" points to its lock's holder. Returns how many distinct cycles
// there are (a thread waiting for a lock it holds itself is one).
inline size_t count_wait_for_cycles(const std::vector<BlockedThread>& threads) {
  std::map<uint64_t, uint64_t> next;
  for (const BlockedThread& t : threads)
    if (t.state == "lock" && t.lock_holder) next[t.thread] = *t.lock_holder;
  // Each thread has at most one successor: walk from every start, and a
  // cycle is new when the walk closes on a thread first seen in this walk.
  std::map<uint64_t, int> walk_of;  // the walk that first reached a thread
  size_t cycles = 0;
  int walk = 0;
  for (const auto& [start, unused] : next) {
    (void)unused;
    ++walk;
    uint64_t t = start;
    while (!walk_of.count(t)) {
      walk_of[t] = walk;
      auto it = next.find(t);
      if (it == next.end()) break;
      t = it->second;
      if (walk_of.count(t) && walk_of[t] == walk) {
        ++cycles;
        break;
      }
    }
  }
  return cycles;
}

// What one run gave.
struct ObservedRun {
  bool hooks = false;          // the module was built with the lock hooks
  bool deadlock_flag = false;  // run with --deadlock
  int exit_status = 0;
  std::string err;  // stderr
  Report report;
};

// Checks a run against the labels; `symbols` holds the address of every
// symbol the expect-cycle labels name. Returns one message per problem;
// empty when the run matches:
//  - the exit status is expected_status();
//  - expect-live: N: stderr has exactly one live deadlock report naming N
//    threads, with N thread blocks; the report's "deadlock" lists N distinct
//    threads, the same ones; each has a backtrace; a joining thread's target
//    is one of them; a waiting thread has an address; "lock" appears only
//    with the hooks, with an address and a holder. Otherwise stderr has no
//    live report and "deadlock" is null;
//  - with the hooks, stderr has exactly K "lock cycle" lines (K from
//    expect-lock-cycles, else 0), and a live report's lock waits form K
//    cycles; without them, no such line;
//  - with --deadlock, "potential_deadlocks" is there. With the hooks each
//    predicted cycle is well formed (two or more entries, in distinct
//    threads, each entry's acquires the next one's holds) and its locks are
//    exactly one expect-cycle label's symbols; each label is matched by
//    exactly one cycle. Without the hooks, or without --deadlock, no cycle.
inline std::vector<std::string> check_run(const Labels& labels, const std::map<std::string, uint64_t>& symbols,
                                          const ObservedRun& run) {
  std::vector<std::string> problems;
  const StderrSummary err = scan_stderr(run.err);
  const int want_status = expected_status(labels, run.hooks, run.deadlock_flag);
  if (run.exit_status != want_status)
    problems.push_back("exit status " + std::to_string(run.exit_status) + ", want " + std::to_string(want_status));

  // The live deadlock.
  if (labels.live) {
    const uint32_t n = *labels.live;
    if (err.live_headers != 1)
      problems.push_back("want one live deadlock report on stderr (\"wgi: deadlock: all " + std::to_string(n) +
                         " threads are blocked\"), found " + std::to_string(err.live_headers));
    if (err.live_headers >= 1) {
      if (err.live_count != n)
        problems.push_back("stderr's live deadlock report names " +
                           (err.live_count ? std::to_string(*err.live_count) : std::string("no number of")) +
                           " threads, want " + std::to_string(n));
      if (err.live_threads.size() != n)
        problems.push_back("stderr's live deadlock report has " + std::to_string(err.live_threads.size()) +
                           " \"  thread K:\" blocks, want " + std::to_string(n));
    }
    if (!run.report.deadlock) {
      problems.push_back("the report's \"deadlock\" is null, want " + std::to_string(n) + " blocked threads");
    } else {
      const std::vector<BlockedThread>& threads = *run.report.deadlock;
      if (threads.size() != n)
        problems.push_back("the report's \"deadlock\" lists " + std::to_string(threads.size()) + " threads, want " +
                           std::to_string(n));
      std::set<uint64_t> ids;
      for (const BlockedThread& t : threads)
        if (!ids.insert(t.thread).second)
          problems.push_back("the report's \"deadlock\" lists thread " + std::to_string(t.thread) + " twice");
      const std::set<uint64_t> err_ids(err.live_threads.begin(), err.live_threads.end());
      if (err.live_headers >= 1 && err_ids != ids)
        problems.push_back("stderr's live deadlock report and the report's \"deadlock\" name different threads");
      for (const BlockedThread& t : threads) {
        const std::string what = "blocked " + describe(t, symbols) + ": ";
        if (t.backtrace.empty()) problems.push_back(what + "no backtrace");
        if (t.state == "join" && (!t.target || !ids.count(*t.target) || *t.target == t.thread))
          problems.push_back(what + "a joining thread's target must be another blocked thread");
        if (t.state == "wait" && !t.addr) problems.push_back(what + "a waiting thread needs its address");
        if (t.state == "lock") {
          if (!run.hooks) problems.push_back(what + "a lock state in a module without the lock hooks");
          if (!t.addr) problems.push_back(what + "a thread waiting for a lock needs the lock's address");
          if (!t.lock_holder) problems.push_back(what + "a thread waiting for a lock needs the lock's holder");
        }
      }
    }
  } else {
    if (err.live_headers != 0)
      problems.push_back("unexpected live deadlock report on stderr (the program is not labelled expect-live)");
    if (run.report.deadlock)
      problems.push_back("unexpected live deadlock in the report: " + std::to_string(run.report.deadlock->size()) +
                         " threads (the program is not labelled expect-live)");
  }

  // Lock wait-for cycles.
  const int want_lock_cycles = run.hooks ? static_cast<int>(labels.lock_cycles) : 0;
  if (err.lock_cycle_lines != want_lock_cycles)
    problems.push_back("stderr has " + std::to_string(err.lock_cycle_lines) +
                       " \"wgi: deadlock: lock cycle\" lines, want " + std::to_string(want_lock_cycles));
  if (run.hooks && labels.live && run.report.deadlock) {
    const size_t found = count_wait_for_cycles(*run.report.deadlock);
    if (found != labels.lock_cycles)
      problems.push_back("the live deadlock's lock waits form " + std::to_string(found) + " cycles, want " +
                         std::to_string(labels.lock_cycles));
  }

  // Predicted deadlocks.
  if (run.deadlock_flag && !run.report.potential)
    problems.push_back("the report has no \"potential_deadlocks\" (the run had --deadlock)");
  const std::vector<PotentialDeadlock> none;
  const std::vector<PotentialDeadlock>& potential = run.report.potential ? *run.report.potential : none;
  const bool predict = run.hooks && run.deadlock_flag;
  std::vector<std::set<uint64_t>> expected;
  for (const ExpectedCycle& c : labels.cycles) {
    std::set<uint64_t> locks;
    for (const std::string& sym : c.symbols) {
      auto it = symbols.find(sym);
      if (it == symbols.end())
        problems.push_back("no address for the labelled symbol " + sym);
      else
        locks.insert(it->second);
    }
    expected.push_back(std::move(locks));
  }
  std::vector<int> matched(expected.size(), 0);
  for (const PotentialDeadlock& d : potential) {
    const std::string what = describe(d, symbols);
    if (!predict) {
      problems.push_back(std::string("unexpected predicted deadlock ") +
                         (run.hooks ? "(the run had no --deadlock): " : "(the module has no lock hooks): ") + what);
      continue;
    }
    const size_t n = d.cycle.size();
    std::set<uint64_t> threads, holds;
    bool chained = true;
    for (size_t i = 0; i < n; ++i) {
      threads.insert(d.cycle[i].thread);
      holds.insert(d.cycle[i].holds);
      chained = chained && d.cycle[i].acquires == d.cycle[(i + 1) % n].holds && d.cycle[i].holds != d.cycle[i].acquires;
    }
    if (n < 2 || threads.size() != n || holds.size() != n || !chained) {
      problems.push_back(
          "malformed predicted deadlock (want two or more entries in distinct threads, over distinct "
          "locks, each entry's acquires the next one's holds): " +
          what);
      continue;
    }
    auto it = std::find(expected.begin(), expected.end(), holds);
    if (it == expected.end()) {
      problems.push_back(std::string(labels.cycles.empty()
                                         ? "unexpected predicted deadlock (no expect-cycle label): "
                                         : "unexpected predicted deadlock (no label has its locks): ") +
                         what);
    } else if (++matched[it - expected.begin()] == 2) {
      problems.push_back("predicted deadlock reported more than once: " + what);
    }
  }
  if (predict) {
    for (size_t i = 0; i < expected.size(); ++i) {
      if (matched[i] > 0) continue;
      std::string names;
      for (const std::string& s : labels.cycles[i].symbols) names += (names.empty() ? "" : " ") + s;
      problems.push_back("missed predicted deadlock: no cycle over exactly " + names);
    }
  }
  return problems;
}

}  // namespace wgi::deadlock_test
