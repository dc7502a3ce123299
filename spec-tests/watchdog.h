// Watchdog: a per-command time limit for Wasm execution.
//
// An interpreter bug can turn a terminating test into an endless loop. The
// runner arms the watchdog around each invocation and instantiation; when
// the limit passes, the watchdog asks the interp::Thread to stop
// (request_interrupt), the invocation returns TrapKind::Interrupted, and the
// command fails with "timed out" instead of hanging the whole run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "interp/thread.h"

namespace wgi::spec {

class Watchdog {
 public:
  // limit_seconds <= 0 disables the watchdog (arm/disarm do nothing).
  explicit Watchdog(double limit_seconds);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  double limit_seconds() const { return limit_; }

  // Starts the clock for `thread` (clearing any earlier interrupt request).
  void arm(interp::Thread& thread);
  // Stops the clock. Returns true when the limit passed while armed (the
  // thread was asked to stop).
  bool disarm();

  // Arms on construction, disarms on destruction; fired() after the fact.
  class Scope {
   public:
    Scope(Watchdog& w, interp::Thread& t) : w_(w) { w_.arm(t); }
    ~Scope() { finish(); }
    // Disarms now; true when the watchdog fired.
    bool finish() {
      if (!done_) fired_ = w_.disarm(), done_ = true;
      return fired_;
    }

   private:
    Watchdog& w_;
    bool done_ = false;
    bool fired_ = false;
  };

 private:
  void loop();

  const double limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  interp::Thread* armed_ = nullptr;  // guarded by mu_
  std::chrono::steady_clock::time_point deadline_;
  uint64_t generation_ = 0;  // bumped by every arm, so a stale wake-up is ignored
  bool fired_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace wgi::spec
