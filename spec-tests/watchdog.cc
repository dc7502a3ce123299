#include "watchdog.h"

namespace wgi::spec {

Watchdog::Watchdog(double limit_seconds) : limit_(limit_seconds) {
  if (limit_ > 0) thread_ = std::thread([this] { loop(); });
}

Watchdog::~Watchdog() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::arm(interp::Thread& thread) {
  thread.clear_interrupt();
  if (limit_ <= 0) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = &thread;
    fired_ = false;
    ++generation_;
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(limit_));
  }
  cv_.notify_all();
}

bool Watchdog::disarm() {
  if (limit_ <= 0) return false;
  std::lock_guard<std::mutex> lock(mu_);
  armed_ = nullptr;
  ++generation_;
  return fired_;
}

void Watchdog::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (armed_ == nullptr) {
      cv_.wait(lock);
      continue;
    }
    const uint64_t gen = generation_;
    const auto deadline = deadline_;
    if (cv_.wait_until(lock, deadline, [&] { return stop_ || generation_ != gen; })) continue;
    // Still armed by the same arm() and past the deadline.
    armed_->request_interrupt();
    fired_ = true;
    armed_ = nullptr;
  }
}

}  // namespace wgi::spec
