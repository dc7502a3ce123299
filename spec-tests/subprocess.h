// Running a child process and capturing its output (posix_spawn + pipes).
// Used by the spec runner's --cli mode and by the CLI's GoogleTest tests.
#pragma once

#include <string>
#include <vector>

namespace wgi::spec {

struct ProcessResult {
  bool started = false;    // false: spawn_error says why
  std::string spawn_error;
  bool exited = false;     // exited normally (else killed by term_signal)
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;  // killed (SIGKILL) when the timeout passed
  double timeout_seconds = 0;  // the timeout it ran with, for describe()
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr

  // "exit status 1" / "killed by signal 11" / "timed out after 20 s (killed)" /
  // "not started: ..."
  std::string describe() const;
};

// Runs argv[0] (a path, not searched in PATH) with the given arguments,
// stdin from /dev/null, and waits for it. With timeout_seconds > 0, a child
// still running that long after its start is killed with SIGKILL (for tests
// of programs that may hang, such as a deadlock wgi fails to detect); its
// output so far is kept.
ProcessResult run_process(const std::vector<std::string>& argv, double timeout_seconds = 0);

}  // namespace wgi::spec
