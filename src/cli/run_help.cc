// `wgi run --help`: what run does, its options (from the option table,
// run_options.cc), its output and its exit statuses.
#include <cstdio>

#include "cli/cli.h"
#include "cli/sigint_watcher.h"

namespace wgi::cli {

static_assert(SigintWatcher::kRepeatWindow == std::chrono::seconds(1), "the help below says 1 s");

void print_run_help(std::FILE* out) {
  std::fprintf(out,
               "Usage: wgi run [OPTIONS] FILE.wasm [ARGS...]\n"
               "       wgi run [OPTIONS] FILE.wasm --invoke NAME [--] [VALUES...]\n"
               "\n"
               "Instantiates FILE.wasm (running its start function), then calls _start\n"
               "when the module exports it. A WASI program (one importing from\n"
               "wasi_snapshot_preview1) gets ARGS as its arguments, after argv[0] =\n"
               "FILE.wasm as written; --dir and --env give it directories and variables,\n"
               "and it uses wgi's stdin, stdout and stderr. Options may come before\n"
               "FILE.wasm and right after it; the first argument after FILE.wasm that is\n"
               "not one of wgi's options, or \"--\", begins ARGS.\n"
               "\n"
               "With --invoke, wgi calls the export NAME instead, with VALUES parsed by\n"
               "its parameter types: i32/i64 as decimal (negative numbers are fine) or\n"
               "0x-hex; f32/f64 as decimal or hex floats, inf, -inf, nan, nan:0xPAYLOAD.\n"
               "Each result is printed on its own line: integers as signed decimal,\n"
               "floats in the shortest form that reads back exactly. Options may then\n"
               "come anywhere before \"--\", which ends them.\n"
               "\n"
               "Options:\n");
  print_run_options(out);
  std::fprintf(out,
               "  -h, --help          print this help\n"
               "\n"
               "A trap prints \"wgi: trap: MESSAGE\" and a backtrace on stderr, innermost\n"
               "call first, one line per frame: function index, name (from the name\n"
               "section, else the export) and the byte offset in FILE.wasm, in hex.\n"
               "\n"
               "Exit status:\n"
               "  0  success\n"
               "  1  the module is malformed, invalid or unsupported, an import is missing\n"
               "     or has the wrong type, or the file cannot be read\n"
               "  2  usage error: bad option, unknown export, export not a function,\n"
               "     wrong number or type of ARGS\n"
               "  3  trap (in the start function, a segment initialiser or the call;\n"
               "     threadlink modules: in any thread)\n"
               "  4  a threadlink module called panic\n"
               "  5  a live deadlock: every thread blocked for good (each thread's state\n"
               "     and backtrace on stderr); also a lock cycle (lock hooks) that ended\n"
               "     the run (--deadlock-exit) or a run that otherwise ended normally\n"
               "  66  --race: data races were reported, --deadlock: lock-order deadlocks\n"
               "     were predicted, and the program otherwise ended normally (a trap, a\n"
               "     panic, a deadlock or an error keeps its own status)\n"
               "  124  --timeout: the time ran out, every thread was stopped (as for\n"
               "     SIGINT: where each was, and the trace with --trace)\n"
               "  130  stopped by SIGINT, after printing where every thread was (with\n"
               "     --trace the trace so far is written); 131 the same for SIGQUIT\n"
               "A WASI program that calls proc_exit(N) (exit(N) in C) ends with N's low\n"
               "8 bits, whatever wgi's own statuses mean; wgi then prints nothing, while\n"
               "each of its own statuses above comes with a \"wgi: ...\" line on stderr.\n"
               "With --trace, failing to write the trace is status 1 when the run itself\n"
               "succeeded; otherwise the run's status stands.\n"
               "\n"
               "Modules that import from \"wasm_threadlink\" run as multithreaded programs:\n"
               "every thread_create starts an OS thread running a new instance of the module\n"
               "on the shared memory \"env\" \"memory\". When the invoked function returns,\n"
               "wgi prints its results and exits; threads still running are ended, as when\n"
               "a C program returns from main. A panic or a trap in any thread stops every\n"
               "thread.\n"
               "\n"
               "--trace records every thread's memory accesses (address and size), atomic\n"
               "operations, threadlink lock hooks (request, acquire, release), thread_create\n"
               "(fork) and thread_join (join), in an order consistent with the execution,\n"
               "and writes them as a RapidBin trace; `wgi trace` converts and summarises it.\n"
               "On stderr it reports the counts, a truncation, and memory accesses of\n"
               "different (address, size) pairs that overlap across threads (RapidBin\n"
               "tools would not compare them).\n"
               "\n"
               "SIGINTs within 1 s of the first are the same request (timeout -s INT\n"
               "signals wgi and its process group: two at once). A later one, should\n"
               "stopping or writing hang, ends wgi at once, killed by SIGINT, saying\n"
               "\"wgi: second interrupt: exiting without writing the trace\"; a first\n"
               "SIGINT while the trace is written lets the write finish.\n");
}

}  // namespace wgi::cli
