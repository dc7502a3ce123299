// Crash guard: when the process dies of a fatal signal (an interpreter bug
// that the runner cannot catch, such as a segmentation fault), say which
// command was running, so the crash can be reproduced with --filter.
//
// The handler writes one line to stderr, puts back the handler that was
// installed before (the default one, or a sanitizer's) and lets the signal
// happen again, so core dumps and sanitizer reports are unaffected.
#pragma once

#include <string_view>

namespace wgi::spec {

// Installs the handler for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT.
void install_crash_guard();

// Records the command about to run (truncated to a few hundred bytes).
void note_current_command(std::string_view label);

}  // namespace wgi::spec
