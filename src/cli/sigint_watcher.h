// Turning SIGINT and SIGQUIT into an orderly stop (wgi run: a threadlink
// program says where each thread was; --trace writes the trace).
//
// A signal handler may do almost nothing (only async-signal-safe calls),
// and stopping a program and writing its trace is far from that. So the
// handler only writes a byte to a pipe; a watcher thread reads it and calls
// stop(), which asks the runtime to interrupt the program, so every thread
// unwinds normally and the trace can be written afterwards.
//
// One keypress may bring several SIGINTs (GNU timeout signals wgi and then
// its whole process group; a terminal signals every process of the
// foreground group), so every SIGINT within kRepeatWindow of the first is
// the same request. A SIGINT after that, should the orderly stop or the
// writing hang, ends wgi at once: the handler says so on stderr, removes
// the temporary trace files it was told of (disarm()) and dies of SIGINT.
// The handler stays installed until the watcher is destroyed, after the
// trace is written; disarm() only ends the watcher thread.
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wgi::cli {

class SigintWatcher {
 public:
  // SIGINTs this soon after the first are the same request.
  static constexpr std::chrono::milliseconds kRepeatWindow{1000};

  // Installs the handler for SIGINT and SIGQUIT (both are "the request"
  // below). stop(signal) runs on the watcher thread when the first arrives;
  // tick() about every 100 ms. Without a pipe there is no watcher, and the
  // signals keep their default action.
  // writes_trace: the run is traced (the messages speak of the trace).
  // timeout: wgi run --timeout: when this much time has passed and no
  // signal came first, the watcher makes the request itself, as the
  // signal kTimeoutSignal.
  SigintWatcher(std::function<void(int signal)> stop, std::function<void()> tick, bool writes_trace = true,
                std::optional<std::chrono::nanoseconds> timeout = std::nullopt);

  // The "signal" of a request made by the timeout (never raised: SIGALRM
  // is only its name, for the code that tells requests apart).
  static constexpr int kTimeoutSignal = SIGALRM;
  // Restores the previous action and ends the watcher thread.
  ~SigintWatcher();
  SigintWatcher(const SigintWatcher&) = delete;
  SigintWatcher& operator=(const SigintWatcher&) = delete;

  // The program has ended and its trace is about to be written: ends the
  // watcher thread (no more stop() or tick()). A first SIGINT from now on
  // only says that a later one ends wgi without the trace; that one removes
  // the files `cleanup` names (at most two) as it goes.
  void disarm(const std::vector<std::string>& cleanup);

  bool fired() const { return fired_.load(); }
  // The signal that fired it (SIGINT or SIGQUIT), 0 before.
  int signal() const;

 private:
  void loop();

  std::function<void(int)> stop_;
  std::function<void()> tick_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  int fds_[2] = {-1, -1};
  struct sigaction old_int_ {}, old_quit_ {};
  std::thread thread_;
  std::atomic<bool> fired_{false};
};

}  // namespace wgi::cli
