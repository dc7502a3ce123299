// A traced run (wgi run --trace): the recorder, the SIGINT watcher while
// the program runs and its trace is written, and the trace files and report
// at the end.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/run_options.h"
#include "cli/sigint_watcher.h"
#include "interp/code.h"
#include "trace/recorder.h"

namespace wgi::cli {

class TraceSession {
 public:
  // --trace-limit and --trace-out from s.
  explicit TraceSession(const RunSettings& s);

  trace::Recorder& recorder() { return recorder_; }

  // From now until finish(), SIGINT and SIGQUIT call stop(signal).
  void watch(std::function<void(int)> stop);
  bool interrupted() const { return watcher_ && watcher_->fired(); }
  int signal() const { return watcher_ ? watcher_->signal() : 0; }

  // Once every recording thread has ended: writes the trace and reports on
  // stderr. SIGINT stays handled until the trace is written: one soon after
  // the first is ignored, a later one ends wgi without the trace
  // (sigint_watcher.h). Returns the exit status: `status` (the run's), or
  // kExitError when the trace cannot be written and the run itself
  // succeeded.
  int finish(const std::string& path, const interp::CompiledModule& cm, int status);

 private:
  void warn_limit();

  trace::Recorder recorder_;
  std::string dir_;
  std::optional<std::chrono::nanoseconds> timeout_;  // --timeout
  std::unique_ptr<SigintWatcher> watcher_;
  std::atomic<bool> limit_warned_{false};
};

}  // namespace wgi::cli
