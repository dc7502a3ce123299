#include "cli/sigint_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace wgi::cli {

namespace {

// The handler's state while a watcher is installed (one at a time). The
// pipe's write end; bytes on the pipe: 'i' SIGINT arrived, 'q' the watcher
// thread is to end.
int g_sigint_fd = -1;
// When the first SIGINT arrived (CLOCK_MONOTONIC, ns), or kNone.
constexpr int64_t kNone = -1;
std::atomic<int64_t> g_first_ns{kNone};
std::atomic<int> g_first_signal{0};  // which signal that was
std::atomic<bool> g_traced{true};     // the messages speak of a trace
static_assert(std::atomic<int64_t>::is_always_lock_free);
// Set by disarm(): the trace is being written; the files to remove should
// a second SIGINT end wgi (published by g_cleanup_count).
std::atomic<bool> g_writing{false};
constexpr size_t kMaxCleanup = 2, kMaxPath = 4096;
char g_cleanup[kMaxCleanup][kMaxPath];
std::atomic<size_t> g_cleanup_count{0};

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void say(const char* s) { (void)!write(STDERR_FILENO, s, std::strlen(s)); }

extern "C" void on_sigint(int sig) {
  const int saved = errno;
  const int64_t now = now_ns();
  int64_t first = kNone;
  if (g_first_ns.compare_exchange_strong(first, now)) {
    g_first_signal.store(sig);
    if (g_writing.load())
      say("wgi: interrupted while writing the trace: finishing it (interrupt again to exit without it)\n");
    const char c = 'i';
    if (g_sigint_fd >= 0) (void)!write(g_sigint_fd, &c, 1);
  } else if (now - first >= std::chrono::nanoseconds(SigintWatcher::kRepeatWindow).count()) {
    say(g_traced.load() ? "wgi: second interrupt: exiting without writing the trace\n"
                        : "wgi: second interrupt: exiting now\n");
    const size_t n = g_cleanup_count.load();
    for (size_t i = 0; i < n; ++i) unlink(g_cleanup[i]);
    // Die of the signal, as the shell expects: the default action,
    // delivered once the handler returns and unblocks it.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
    raise(sig);
  }
  // else: the same request as the first (file comment)
  errno = saved;
}

}  // namespace

SigintWatcher::SigintWatcher(std::function<void(int)> stop, std::function<void()> tick, bool writes_trace,
                             std::optional<std::chrono::nanoseconds> timeout)
    : stop_(std::move(stop)), tick_(std::move(tick)) {
  if (timeout) deadline_ = std::chrono::steady_clock::now() + *timeout;
  if (pipe2(fds_, O_CLOEXEC) != 0) {
    fds_[0] = fds_[1] = -1;
    return;
  }
  g_first_ns.store(kNone);
  g_first_signal.store(0);
  g_traced.store(writes_trace);
  g_writing.store(false);
  g_cleanup_count.store(0);
  g_sigint_fd = fds_[1];
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGQUIT, &sa, &old_quit_);
  thread_ = std::thread([this] { loop(); });
}

void SigintWatcher::disarm(const std::vector<std::string>& cleanup) {
  if (fds_[0] < 0) return;
  size_t n = 0;
  for (const std::string& path : cleanup) {
    if (n == kMaxCleanup || path.size() >= kMaxPath) continue;
    std::memcpy(g_cleanup[n], path.c_str(), path.size() + 1);
    ++n;
  }
  g_cleanup_count.store(n);
  g_writing.store(true);
  if (thread_.joinable()) {
    const char q = 'q';
    (void)!write(fds_[1], &q, 1);
    thread_.join();
  }
}

SigintWatcher::~SigintWatcher() {
  if (fds_[0] < 0) return;
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGQUIT, &old_quit_, nullptr);
  if (thread_.joinable()) {
    const char q = 'q';
    (void)!write(fds_[1], &q, 1);
    thread_.join();
  }
  g_sigint_fd = -1;
  g_cleanup_count.store(0);
  close(fds_[0]);
  close(fds_[1]);
}

int SigintWatcher::signal() const { return fired_.load() ? g_first_signal.load() : 0; }

void SigintWatcher::loop() {
  for (;;) {
    int wait_ms = 100;
    if (deadline_ && !fired_.load()) {
      const auto left = *deadline_ - std::chrono::steady_clock::now();
      if (left <= std::chrono::nanoseconds::zero()) {
        // The timeout is the request, unless a signal was first (then its
        // byte is on the pipe: read below). SIGINTs in the next
        // kRepeatWindow are the same request (on_sigint).
        int64_t none = kNone;
        if (g_first_ns.compare_exchange_strong(none, now_ns())) {
          g_first_signal.store(kTimeoutSignal);
          if (!fired_.exchange(true)) stop_(kTimeoutSignal);
          continue;
        }
      } else {
        wait_ms = static_cast<int>(std::min<int64_t>(
            wait_ms, std::chrono::ceil<std::chrono::milliseconds>(left).count()));
      }
    }
    pollfd p{fds_[0], POLLIN, 0};
    const int n = poll(&p, 1, wait_ms);
    if (n > 0) {
      char c = 0;
      if (read(fds_[0], &c, 1) != 1) continue;
      if (c == 'q') return;
      if (!fired_.exchange(true)) stop_(g_first_signal.load());
    } else if (n == 0) {
      tick_();
    }
  }
}

}  // namespace wgi::cli
