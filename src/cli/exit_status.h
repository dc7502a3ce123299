// wgi's exit statuses: the only place that gives them numbers.
//
// The runtimes below the CLI report how a run ended (a TrapKind, a
// threads::RunOutcome::Kind); what the shell sees is decided here, so
// `wgi run` on a plain module and on a threadlink program cannot drift
// apart. Every subcommand uses the same numbers; `wgi --help` and
// `wgi run --help` explain them to the user.
#pragma once

#include "threads/threadlink.h"

namespace wgi::cli {

inline constexpr int kExitOk = 0;
// A module is malformed, invalid or cannot be linked or instantiated, a
// file cannot be read (or, with --trace, written).
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;  // the command line does not fit (the usage goes to stderr)
inline constexpr int kExitTrap = 3;   // wgi run: a trap, in any thread
inline constexpr int kExitPanic = 4;  // wgi run: a threadlink program called panic
// wgi run: a live deadlock (every live thread blocked for good), or a lock
// cycle (with the lock hooks) in a run that otherwise ended normally or
// was stopped by --deadlock-exit.
inline constexpr int kExitDeadlock = 5;
// wgi run stopped by SIGINT (SIGQUIT: 131). 128 + the signal is how shells
// report a process killed by it, which is what the user asked for; wgi
// just says where every thread was, and writes the trace, first.
inline constexpr int kExitInterrupted = 130;
inline constexpr int kExitQuit = 131;
// wgi run --timeout: the time ran out and every thread was stopped (GNU
// timeout's status for the same).
inline constexpr int kExitTimeout = 124;
// wgi run --race found data races, or --deadlock predicted lock-order
// deadlocks, and the program otherwise ended normally (a trap, a panic, a
// deadlock or an error keeps its own status). ThreadSanitizer's.
inline constexpr int kExitRaces = 66;

// The status of a program's run (threadlink, WASI) that ended as `o`. A
// WASI program's proc_exit(N) is N's low 8 bits: all the OS passes on.
constexpr int exit_status(const threads::RunOutcome& o) {
  using Kind = threads::RunOutcome::Kind;
  switch (o.kind) {
    case Kind::Exit: return o.exit_status & 0xFF;
    case Kind::Ok: return kExitOk;
    case Kind::Error: return kExitError;
    case Kind::Trap: return kExitTrap;
    case Kind::Panic: return kExitPanic;
    case Kind::Interrupted: return kExitInterrupted;
    case Kind::Deadlock: return kExitDeadlock;
  }
  return kExitError;
}

}  // namespace wgi::cli
