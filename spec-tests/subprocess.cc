#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

extern char** environ;

namespace wgi::spec {

std::string ProcessResult::describe() const {
  if (!started) return "not started: " + spawn_error;
  if (timed_out) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
    return std::string("timed out after ") + seconds + " s (killed)";
  }
  if (exited) return "exit status " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(term_signal) + " (" + strsignal(term_signal) + ")";
}

namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  bool open() { return pipe2(fd, O_CLOEXEC) == 0; }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
};

// Reads both pipes until both reach end of file. Polling both at once keeps a
// child that fills one pipe while we block on the other from deadlocking.
// With a deadline, the child is killed once it passes (*timed_out set), and
// the reading goes on until the pipes close, which the child's death does.
void drain(int out_fd, int err_fd, std::string& out, std::string& err, pid_t pid,
           std::optional<std::chrono::steady_clock::time_point> deadline, bool* timed_out) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open_count = 2;
  char buf[4096];
  while (open_count > 0) {
    int wait_ms = -1;
    if (deadline && !*timed_out) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        kill(pid, SIGKILL);
        *timed_out = true;
      } else {
        wait_ms = static_cast<int>(std::min<int64_t>(left.count(), 1000000));
      }
    }
    const int ready = poll(fds, 2, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (ready == 0) continue;  // the deadline: checked at the top
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, size_t(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_count;
      }
    }
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, double timeout_seconds) {
  ProcessResult r;
  r.timeout_seconds = timeout_seconds;
  if (argv.empty()) {
    r.spawn_error = "empty command line";
    return r;
  }
  Pipe out, err;
  if (!out.open() || !err.open()) {
    r.spawn_error = std::string("pipe: ") + strerror(errno);
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    r.spawn_error = argv[0] + ": " + strerror(rc);
    return r;
  }
  r.started = true;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (timeout_seconds > 0)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(timeout_seconds));
  // Close our copies of the write ends, or the reads never see end of file.
  out.close_end(1);
  err.close_end(1);
  drain(out.fd[0], err.fd[0], r.out, r.err, pid, deadline, &r.timed_out);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      r.spawn_error = std::string("waitpid: ") + strerror(errno);
      r.started = false;
      return r;
    }
  }
  if (WIFEXITED(status)) {
    r.exited = true;
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.term_signal = WTERMSIG(status);
  }
  return r;
}

}  // namespace wgi::spec
