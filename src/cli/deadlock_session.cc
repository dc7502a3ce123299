#include "cli/deadlock_session.h"

#include <cstdio>

#include "cli/exit_status.h"

namespace wgi::cli {

deadlock::Naming naming_of(const Module& m) {
  deadlock::Naming n;
  n.func_label = [&m](uint32_t f) { return threads::func_label(m, f); };
  n.func_name = [&m](uint32_t f) -> std::optional<std::string> {
    if (const std::string* name = m.func_name(f)) return *name;
    for (const Export& e : m.exports)
      if (e.kind == ExternKind::Func && e.index == f) return e.name;
    return std::nullopt;
  };
  return n;
}

DeadlockSession::DeadlockSession(std::shared_ptr<const interp::CompiledModule> cm) : cm_(std::move(cm)) {}

namespace {

// Where the host call in progress on t was made from.
deadlock::Backtrace backtrace_of(const interp::Thread& t) {
  deadlock::Backtrace bt;
  for (const interp::Thread::RawFrame& f : t.caller_frames()) {
    const interp::Thread::CodeLocation loc = interp::Thread::resolve(f);
    if (loc.func_index != UINT32_MAX) bt.push_back({loc.func_index, loc.offset});
  }
  return bt;
}

}  // namespace

void DeadlockSession::requested(uint32_t tid, uint32_t lock, const interp::Thread& t) {
  predictor_.request(tid, lock, [&t] { return backtrace_of(t); });
}

void DeadlockSession::acquired(uint32_t tid, uint32_t lock, const interp::Thread& t) {
  predictor_.acquire(tid, lock, [&t] { return backtrace_of(t); });
}

void DeadlockSession::released(uint32_t tid, uint32_t lock) { predictor_.release(tid, lock); }
void DeadlockSession::forked(uint32_t parent, uint32_t child) { predictor_.fork(parent, child); }
void DeadlockSession::joined(uint32_t parent, uint32_t child) { predictor_.join(parent, child); }

int DeadlockSession::finish(int status) {
  cycles_ = predictor_.cycles();
  std::fflush(stdout);
  std::fputs(deadlock::format_cycles(cycles_, naming_of(*cm_->module)).c_str(), stderr);
  return status == kExitOk && !cycles_.empty() ? kExitRaces : status;
}

std::string DeadlockSession::json_keys() const { return deadlock::json_cycles(cycles_, naming_of(*cm_->module)); }

std::string json_live_deadlock(const Module& m, const threads::RunOutcome& o) {
  std::string s = "\"deadlock\": ";
  if (o.kind == threads::RunOutcome::Kind::Deadlock) {
    // A lock cycle ends the run only with --deadlock-exit; the threads are
    // then every thread, and the cycle is the last of lock_cycles.
    s += std::string("{\"kind\": \"") + (o.all_blocked ? "all_blocked" : "lock_cycle") +
         "\", \"threads\": " + threads::json_thread_reports(m, o.threads) + "}";
  } else {
    s += "null";
  }
  s += ",\n  \"lock_cycles\": [";
  for (size_t i = 0; i < o.lock_cycles.size(); ++i)
    s += (i ? ",\n    {\"threads\": " : "\n    {\"threads\": ") + threads::json_thread_reports(m, o.lock_cycles[i]) + "}";
  s += o.lock_cycles.empty() ? "]" : "\n  ]";
  return s;
}

}  // namespace wgi::cli
