#include "cli/sigint_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace wgi::cli {

namespace {

// The pipe's write end while a watcher is installed. Bytes on the pipe:
// 'i' SIGINT arrived, 'q' the destructor ends the watcher thread.
int g_sigint_fd = -1;

extern "C" void on_sigint(int) {
  const int saved = errno;
  const char c = 'i';
  if (g_sigint_fd >= 0) (void)!write(g_sigint_fd, &c, 1);
  errno = saved;
}

}  // namespace

SigintWatcher::SigintWatcher(std::function<void()> stop, std::function<void()> tick)
    : stop_(std::move(stop)), tick_(std::move(tick)) {
  if (pipe2(fds_, O_CLOEXEC) != 0) {
    fds_[0] = fds_[1] = -1;
    return;
  }
  g_sigint_fd = fds_[1];
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &sa, &old_);
  thread_ = std::thread([this] { loop(); });
}

SigintWatcher::~SigintWatcher() {
  if (fds_[0] < 0) return;
  sigaction(SIGINT, &old_, nullptr);
  const char q = 'q';
  (void)!write(fds_[1], &q, 1);
  thread_.join();
  g_sigint_fd = -1;
  close(fds_[0]);
  close(fds_[1]);
}

void SigintWatcher::loop() {
  for (;;) {
    pollfd p{fds_[0], POLLIN, 0};
    const int n = poll(&p, 1, 100);
    if (n > 0) {
      char c = 0;
      if (read(fds_[0], &c, 1) != 1) continue;
      if (c == 'q') return;
      if (!fired_.exchange(true)) stop_();
    } else if (n == 0) {
      tick_();
    }
  }
}

}  // namespace wgi::cli
