// wgi run's command line: the settings it fills and the parser.
//
// Options are rows of one table (run_options.cc): the parser, `wgi run
// --help` and the run section of `wgi --help` (print_run_options, cli.h)
// all read it, so a new option is one row plus a field in RunSettings.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "decoder/decoder.h"
#include "interp/thread.h"
#include "threads/threadlink.h"
#include "wasi/wasi.h"

namespace wgi::cli {

// --race-limit's default: enough to see the pattern, few enough to read.
inline constexpr uint64_t kDefaultRaceLimit = 20;

// Everything the command line can set.
struct RunSettings {
  std::vector<std::string> positional;  // FILE, then ARGS
  std::optional<std::string> invoke;
  interp::ThreadConfig thread;  // starts at the interpreter's defaults
  Features features;            // threads proposal on unless --no-threads
  threads::ThreadlinkConfig threadlink;  // for modules built against wasm_threadlink
  bool trace = false;                    // --trace
  std::optional<std::string> trace_out;  // --trace-out DIR
  std::optional<uint64_t> trace_limit;   // --trace-limit N
  bool race = false;                     // --race
  std::optional<uint64_t> race_limit;    // --race-limit N
  std::optional<std::string> report;     // --report FILE
  bool race_stats = false;               // --race-stats
  bool deadlock = false;                 // --deadlock (threadlink.deadlock_exit: --deadlock-exit)
  wasi::WasiConfig wasi;                 // --dir, --env (args: FILE and ARGS, set by cmd_run)
  bool trap_unknown_imports = false;     // --trap-unknown-imports
  std::optional<std::chrono::nanoseconds> timeout;  // --timeout DURATION
  bool help = false;
};

// Fills s from the arguments. Options may appear before FILE, and after it
// up to the first argument that is not one of ours (or "--"): from there
// on, every argument is the program's (positional). With --invoke, options
// may appear anywhere before "--" (the function's arguments are values,
// never options). An option's value is the next argument or follows '='
// (--max-stack=64M).
// On a usage error, reports it and returns the exit status.
std::optional<int> parse_run_args(std::span<char* const> args, RunSettings& s);

// Prints "wgi: run: MESSAGE" and run's help on stderr; returns kExitUsage.
int run_usage_error(const std::string& message);

}  // namespace wgi::cli
