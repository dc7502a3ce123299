// Turning SIGINT into an orderly stop (wgi run --trace).
//
// A signal handler may do almost nothing (only async-signal-safe calls),
// and stopping a program and writing its trace is far from that. So the
// handler only writes a byte to a pipe; a watcher thread reads it and calls
// stop(), which asks the runtime to interrupt the program, so every thread
// unwinds normally and the trace can be written afterwards.
// SA_RESETHAND: a second SIGINT kills wgi as usual, should the orderly stop
// hang.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace wgi::cli {

class SigintWatcher {
 public:
  // Installs the handler. stop() runs on the watcher thread when SIGINT
  // arrives; tick() about every 100 ms. Without a pipe there is no
  // watcher, and SIGINT keeps its default action.
  SigintWatcher(std::function<void()> stop, std::function<void()> tick);
  // Restores the previous action and ends the watcher thread.
  ~SigintWatcher();
  SigintWatcher(const SigintWatcher&) = delete;
  SigintWatcher& operator=(const SigintWatcher&) = delete;

  bool fired() const { return fired_.load(); }

 private:
  void loop();

  std::function<void()> stop_, tick_;
  int fds_[2] = {-1, -1};
  struct sigaction old_ {};
  std::thread thread_;
  std::atomic<bool> fired_{false};
};

}  // namespace wgi::cli
