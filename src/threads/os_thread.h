// OsThread: an OS thread with a native stack of the size its creator asks
// for; otherwise like std::thread (movable, join() once, std::terminate if
// destroyed or assigned to while still joinable).
//
// std::thread cannot choose the size: every one gets the process default,
// which glibc takes from the stack rlimit (8 MiB here). Threads that run
// Wasm need far less (interp::kWasmThreadNativeStack says why), and with
// thousands of threads the big stacks cost time: each one's top sits in a
// 2 MiB region of its own, so every thread start and end allocates and
// frees a page-table page, where 256 KiB stacks share one between eight.
// Starting and joining 2000 threadlink threads took a fifth less time with
// the smaller stacks.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <functional>

namespace wgi::threads {

class OsThread {
 public:
  OsThread() = default;
  // Runs fn on a new thread whose native stack is stack_bytes (raised to
  // the system's minimum). Throws std::system_error when no thread can be
  // started, as std::thread does.
  OsThread(size_t stack_bytes, std::function<void()> fn);
  OsThread(OsThread&& other) noexcept;
  OsThread& operator=(OsThread&& other) noexcept;
  ~OsThread();
  OsThread(const OsThread&) = delete;
  OsThread& operator=(const OsThread&) = delete;

  bool joinable() const { return joinable_; }
  // Waits for the thread to end. Throws std::system_error when it is not
  // joinable.
  void join();

 private:
  pthread_t handle_{};
  bool joinable_ = false;
};

}  // namespace wgi::threads
