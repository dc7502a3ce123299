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
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr

  // "exit status 1" / "killed by signal 11" / "not started: ..."
  std::string describe() const;
};

// Runs argv[0] (a path, not searched in PATH) with the given arguments,
// stdin from /dev/null, and waits for it.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace wgi::spec
