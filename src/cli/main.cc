// wgi: a WebAssembly interpreter with threads built in.
//
// main() only dispatches: each subcommand lives in its own cmd_*.cc and is
// listed once in kCommands below (the usage text is generated from it).
#include <cstdio>
#include <cstring>
#include <span>
#include <string_view>

#include "cli/cli.h"

#ifndef WGI_VERSION
#define WGI_VERSION "unknown"
#endif

namespace wgi::cli {

namespace {

struct Command {
  const char* name;
  const char* args;     // shown after the name in the usage
  const char* summary;  // one line
  int (*run)(std::span<char* const> args);
};

constexpr Command kCommands[] = {
    {"validate", "[--no-threads] FILE.wasm...",
     "decode and validate modules; silent on success", cmd_validate},
    {"dump", "[--code] [--compiled | --traced] [--no-threads] FILE.wasm",
     "print sections, types, imports, exports, functions, tables, memories,\n"
     "                 globals and segments; --code also disassembles every function body;\n"
     "                 --compiled then prints the interpreter's threaded code for each\n"
     "                 defined function, one instruction a line: word offset in the\n"
     "                 function, name, 32-bit operand fields (slots, offsets, branch\n"
     "                 distances in words), imm= immediate words, @wasm offset;\n"
     "                 --traced the same for the code `run --trace` executes",
     cmd_dump},
    {"run", "[OPTIONS] FILE.wasm [ARGS...] | [OPTIONS] FILE.wasm --invoke NAME [VALUES...]",
     "instantiate a module and run its _start (a WASI program gets\n"
     "                 ARGS), or call an export and print its results;\n"
     "                 `wgi run --help` has the details",
     cmd_run},
    {"trace", "convert [--to std|csv] [--no-request] TRACE.bin | stats TRACE.bin |\n"
              "           races [--metadata FILE] [--race-limit N] [--report FILE] TRACE.bin |\n"
              "           deadlocks [--metadata FILE] [--report FILE] TRACE.bin",
     "print a RapidBin trace (from run --trace) as text, or its counts, or\n"
     "                 find its data races as run --race does, or its potential\n"
     "                 deadlocks as run --deadlock does;\n"
     "                 `wgi trace --help` has the details",
     cmd_trace},
};

}  // namespace

void print_usage(std::FILE* out) {
  std::fprintf(out,
               "wgi %s: a WebAssembly interpreter with threads built in.\n"
               "\n"
               "Usage:\n",
               WGI_VERSION);
  for (const Command& c : kCommands) std::fprintf(out, "  wgi %s %s\n", c.name, c.args);
  std::fprintf(out,
               "  wgi --help | --version\n"
               "\n"
               "Commands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-14s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\n"
               "Options:\n"
               "  --no-threads   check against plain Wasm 2.0: reject shared memories and atomic\n"
               "                 instructions (the threads proposal is on by default)\n"
               "  -h, --help     print this help\n"
               "  --version      print the version\n"
               "\n"
               "Options of run:\n");
  print_run_options(out);
  std::fprintf(out,
               "\n"
               "Errors in a module are reported on stderr as\n"
               "  wgi: FILE:0xOFFSET: malformed: MESSAGE\n"
               "  wgi: FILE:0xOFFSET: invalid: [func INDEX \"NAME\": ]MESSAGE\n"
               "where OFFSET is the byte offset in FILE, in hex.\n"
               "\n"
               "Exit status:\n"
               "  0  success\n"
               "  1  a module is malformed or invalid, or a file cannot be read; for run also\n"
               "     a missing or mismatched import, a threadlink module lacking an ABI\n"
               "     export, and with --trace a trace that cannot be written;\n"
               "     for trace a file that is not a consistent RapidBin trace (or for\n"
               "     trace races and deadlocks, metadata that does not fit it)\n"
               "  2  usage error; for run also an unknown export, an export that is not a\n"
               "     function, VALUES that do not fit its parameters, or ARGS for a module\n"
               "     that is not a WASI program\n"
               "  3  run: a trap (\"wgi: trap: MESSAGE\" and a backtrace on stderr), in any\n"
               "     thread of a threadlink program\n"
               "  4  run: a threadlink program called panic (\"wgi: panic: ...\")\n"
               "  5  run: a live deadlock (\"wgi: deadlock: ...\" and every thread's state),\n"
               "     or a lock cycle found with the lock hooks\n"
               "  66  run --race, trace races: data races were found; run --deadlock,\n"
               "      trace deadlocks: lock-order deadlocks were predicted (and the\n"
               "      program otherwise ended normally)\n"
               "  124  run --timeout: the time ran out; every thread was stopped, as for\n"
               "      SIGINT\n"
               "  130  run: stopped by SIGINT, after printing where every thread was; with\n"
               "      --trace the trace recorded so far is written (131: SIGQUIT)\n"
               "A WASI program that calls proc_exit(N) makes run exit with N's low 8 bits,\n"
               "printing nothing (wgi's own statuses come with a \"wgi: ...\" line).\n");
}

}  // namespace wgi::cli

int main(int argc, char** argv) {
  using namespace wgi::cli;
  if (argc < 2) return usage_error("no command given");
  std::string_view cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    print_usage(stdout);
    return kExitOk;
  }
  if (cmd == "--version") {
    std::printf("wgi %s\n", WGI_VERSION);
    return kExitOk;
  }
  for (const Command& c : kCommands)
    if (cmd == c.name) return c.run(std::span<char* const>(argv + 2, size_t(argc - 2)));
  return usage_error("unknown command '" + std::string(cmd) + "'");
}
