#include "threads/os_thread.h"

#include <limits.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <memory>
#include <system_error>
#include <utility>

namespace wgi::threads {

namespace {

void* run_function(void* arg) {
  std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(arg));
  // As with std::thread: an exception leaving the thread's function ends
  // the process, rather than unwinding into the C library's thread start.
  try {
    (*fn)();
  } catch (...) {
    std::terminate();
  }
  return nullptr;
}

}  // namespace

OsThread::OsThread(size_t stack_bytes, std::function<void()> fn) {
  auto heap_fn = std::make_unique<std::function<void()>>(std::move(fn));
  pthread_attr_t attr;
  int rc = pthread_attr_init(&attr);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_attr_init");
  rc = pthread_attr_setstacksize(&attr, std::max<size_t>(stack_bytes, PTHREAD_STACK_MIN));
  if (rc == 0) rc = pthread_create(&handle_, &attr, run_function, heap_fn.get());
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_create");
  heap_fn.release();  // the thread owns it now
  joinable_ = true;
}

OsThread::OsThread(OsThread&& other) noexcept
    : handle_(other.handle_), joinable_(std::exchange(other.joinable_, false)) {}

OsThread& OsThread::operator=(OsThread&& other) noexcept {
  if (joinable_) std::terminate();
  handle_ = other.handle_;
  joinable_ = std::exchange(other.joinable_, false);
  return *this;
}

OsThread::~OsThread() {
  if (joinable_) std::terminate();
}

void OsThread::join() {
  if (!joinable_) throw std::system_error(EINVAL, std::generic_category(), "OsThread::join");
  const int rc = pthread_join(handle_, nullptr);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_join");
  joinable_ = false;
}

}  // namespace wgi::threads
