// How a trap is reported to a person: the message line and the backtrace,
// shared by `wgi run` and the threadlink runtime.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "interp/thread.h"
#include "interp/trap.h"

namespace wgi::interp {

// The backtrace, innermost frame first, one line per frame ("  #0 func 13
// "div" at 0x1dd"), each ending in '\n'. A deep recursion has hundreds of
// thousands of frames, so a run of identical frames (the same call site)
// takes two lines, and when there are still too many lines only the
// innermost and outermost ones are kept.
std::string format_backtrace(const std::vector<BacktraceFrame>& frames);

// "wgi: trap: MESSAGE[ (in thread N)]\n" followed by format_backtrace.
// Non-trap statuses (Interrupted) read "wgi: stopped: ...".
std::string format_trap_report(TrapKind kind, const std::vector<BacktraceFrame>& frames,
                               std::optional<uint32_t> thread_id = std::nullopt);

}  // namespace wgi::interp
