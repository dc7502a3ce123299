// The wasm_threadlink runtime: runs modules built against the Wasmgrind
// runtime ABI, one interpreter instance per OS thread, all on one shared
// memory.
//
// The ABI (32-bit Wasm):
//   imports  wasm_threadlink.thread_create(tid_ptr: i32, start_routine: i32) -> errno
//            wasm_threadlink.thread_join(tid: i32) -> errno
//            wasm_threadlink.panic(errno: i32)
//            wasm_threadlink.{start_lock, finish_lock, start_unlock, finish_unlock}(lock: i32)
//                (tracing builds; recorded when the run is traced, see below)
//            env.memory (shared; wgi creates it from the import's own limits)
//   exports  thread_start(start_routine: i32)
//            __wasmgrind_malloc(size: i32, align: i32) -> i32
//            __wasmgrind_free(ptr: i32, size: i32, align: i32)
//            __wasm_init_tls, __tls_base, __tls_size, __tls_align (modules with TLS)
//
// Per-thread stack and TLS without binary patching: every thread after the
// first gets a stack allocated with __wasmgrind_malloc *by its creator*
// (which runs on a valid stack of its own), and its instance's stack-pointer
// global is set to the top of that block before anything runs in it (the
// start function is deferred for this). Likewise a TLS block, initialised
// with the child's own __wasm_init_tls. The first thread keeps the layout the
// linker made, so both clang's (stack after data) and rustc's (stack first)
// layouts work. A finished thread's blocks are handed back with
// __wasmgrind_free by the next thread_create/thread_join caller: freeing a
// stack while running on it would let the allocator overwrite the frame
// doing the freeing.
//
// What the module must provide is checked once, when the Runtime is
// created, and reported at the first thread_create (a program that never
// creates a thread needs none of it): the memory imported as env.memory
// (a memory of its own would not be shared between the threads' instances),
// the three exports with exactly the ABI's types, __wasm_init_tls with type
// (i32) -> () if exported, and a stack-pointer global.
//
// Tracing (ThreadlinkConfig::recorder, with a module compiled for tracing):
// every thread, the main one included, records into its own EventLog
// (interp/event_log.h; trace::Recorder hands them out), and the runtime
// adds the events only it sees, each
// followed by a sequence mark and located at the import call:
//   start_lock(l)    request(l)        finish_lock(l)   acquire(l)
//   start_unlock(l)  release(l)        finish_unlock    nothing
//   thread_create    fork(child), once the id is known and before the
//                    child can run
//   thread_join      join(child), when it returns 0 (after the child's end
//                    mark, so the child's events come first)
// and marks each thread's end. Lock ids are the lock's address.
//
// The same runtime runs WASI programs (the CLI hands it WASI's functions as
// ThreadlinkConfig::host_imports), and their threads through the
// wasi-threads ABI:
//   import   wasi.thread-spawn(start_arg: i32) -> tid (> 0), or < 0 on failure
//   export   wasi_thread_start(tid: i32, start_arg: i32)
// A spawned thread is a new instance on its own OS thread, sharing the
// memory imported as env.memory, that calls wasi_thread_start(tid,
// start_arg). Its stack and TLS are the guest's business (wasi-libc's
// pthread_create allocates them and passes them in start_arg); there is no
// join in the ABI (the guest waits on a word that the thread clears), so a
// spawned thread is a fork to the race checker and a live thread to the
// deadlock checker like any other. Recorded traces give the spawn a fork
// event, as thread_create.
//
// A host function that returns TrapKind::Exit (WASI's proc_exit) ends every
// thread, and run() returns Kind::Exit with the status it left in
// interp::Thread::exit_status.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "interp/code.h"
#include "interp/event_log.h"
#include "interp/instantiate.h"
#include "interp/thread.h"
#include "threads/blocking.h"
#include "util/result.h"

namespace wgi::threads {

// The ABI's error codes: return values of thread_create/thread_join and the
// argument of panic.
enum Errno : int32_t {
  kNoError = 0,
  kThreadNotFound = 1,
  kThreadJoinFailed = 2,
  kThreadFailed = 3,
  kOutOfBounds = 4,
  kConversionFailed = 5,
  kLockPoisoned = 6,
  kNoResultAfterJoin = 7,
  kMultipleRefsAfterJoin = 8,
};
// "no error", "thread not found", ...; "unknown error" for other values.
const char* errno_description(int32_t code);

// True when the module imports anything from "wasm_threadlink".
bool uses_threadlink(const Module& m);

// wasi-threads: the spawn import's module and name, and the export a
// spawned thread starts in.
inline constexpr std::string_view kWasiThreadsModule = "wasi";
inline constexpr std::string_view kWasiThreadSpawn = "thread-spawn";
inline constexpr std::string_view kWasiThreadStart = "wasi_thread_start";
// True when the module imports wasi-threads' thread-spawn.
bool uses_wasi_threads(const Module& m);

// Told the lock-order facts of a run (wgi run --deadlock): each lock asked
// for, taken and released (the lock hooks start_lock, finish_lock and
// start_unlock), and the
// fork/join order of threads. Calls come from the threads themselves;
// forked() comes before the child runs and joined() after it ended.
class LockObserver {
 public:
  // `t`: the requesting / acquiring thread, inside the start_lock /
  // finish_lock host call (its caller_frames() say where).
  virtual void requested(uint32_t tid, uint32_t lock, const interp::Thread& t) = 0;
  virtual void acquired(uint32_t tid, uint32_t lock, const interp::Thread& t) = 0;
  virtual void released(uint32_t tid, uint32_t lock) = 0;
  virtual void forked(uint32_t parent, uint32_t child) = 0;
  virtual void joined(uint32_t parent, uint32_t child) = 0;

 protected:
  ~LockObserver() = default;
};

// One frame of a thread report: a Wasm function and an offset in it.
struct FrameInfo {
  uint32_t func_index = 0;
  uint32_t offset = 0;  // absolute byte offset in the module
};

// A thread in a deadlock report or a dump: its state and where it was.
struct ThreadReport {
  ThreadState state;
  std::vector<FrameInfo> backtrace;  // innermost first; Wasm frames only
};

struct ThreadlinkConfig {
  // Bytes of linear memory allocated as each new thread's stack (rounded up
  // to a multiple of 16, the stack pointer's alignment).
  uint32_t thread_stack_size = 1u << 20;
  // Threads besides the main thread that may be running at once (created
  // and not yet finished; joined or not). While that many run,
  // thread_create returns 3 ("thread failed in runtime context").
  uint32_t max_threads = 1023;
  // Per-thread interpreter limits (value stack, call depth).
  interp::ThreadConfig interp;
  // The program's store's limits (table sizes).
  interp::StoreLimits store_limits;
  // Non-null: record a trace (file comment); the module should be compiled
  // with CompileOptions::trace. Must outlive the Runtime's run.
  interp::EventLogSource* recorder = nullptr;
  // Non-null: told the lock-order facts (LockObserver).
  LockObserver* lock_observer = nullptr;
  // Where lock-cycle reports go as they are found (they do not end the run
  // unless deadlock_exit).
  std::FILE* findings_out = stderr;
  bool deadlock_exit = false;
  // Imports besides the runtime's own (wasm_threadlink, env.memory,
  // wasi.thread-spawn), by module and name: e.g. WASI's functions. Must
  // outlive the Runtime, as must the objects it names.
  const interp::Linker* host_imports = nullptr;
  // A function import nothing provides is linked as a stub that traps
  // ("call to an unresolved import", naming it) when called, rather than
  // failing instantiation.
  bool trap_unknown_imports = false;
};

// How a run ended: what happened, not what it means to a shell (the CLI
// turns the kind into an exit status).
struct RunOutcome {
  // Deadlock: every live thread was stuck for good (threads/blocking.h), or
  // a lock cycle formed and ThreadlinkConfig::deadlock_exit was set.
  // Exit: a host function ended the program (WASI's proc_exit) with
  // `exit_status`.
  enum class Kind { Ok, Trap, Panic, Error, Interrupted, Deadlock, Exit } kind = Kind::Ok;
  int32_t exit_status = 0;
  std::vector<interp::Slot> results;  // Ok: the invoked function's results (slots)
  // Trap / Panic / Error: the report for stderr, one or more lines
  // ("wgi: panic: thread not found (errno 1) in thread 2").
  // Deadlock and Interrupted: the header line and every thread's state and
  // backtrace (as in `threads`).
  std::string report;
  // Deadlock and Interrupted: the threads alive when it happened, by id.
  std::vector<ThreadReport> threads;
  // Deadlock: every thread was stuck (else a lock cycle with deadlock_exit).
  bool all_blocked = false;
  // Interrupted: the signal that asked for it (SIGINT, SIGQUIT), 0 if none.
  int signal = 0;
  // Lock cycles found during the run (each printed as found).
  std::vector<std::vector<ThreadReport>> lock_cycles;
};

// The text of a thread report: "  thread 1: waiting for lock 0x10a40, held
// by thread 2 (acquired at inc (func 5) at 0x1a3)" and its backtrace lines.
std::string format_thread_reports(const Module& m, const std::vector<ThreadReport>& threads);
// The JSON array of the same: [{"thread", "state", "addr", "target",
// "lock_holder", "backtrace"}...].
std::string json_thread_reports(const Module& m, const std::vector<ThreadReport>& threads);
// "name (func N)", or "func N" without a name.
std::string func_label(const Module& m, uint32_t func_index);

class Runtime {
 public:
  static Result<std::unique_ptr<Runtime>> create(std::shared_ptr<const interp::CompiledModule> cm,
                                                 const ThreadlinkConfig& config);
  ~Runtime();

  // Instantiates the module as thread 0 on the calling OS thread (its start
  // function runs), invokes the export `func` (unless empty) with `args`
  // (slot encoding),
  // and returns when it returns or the program stops (panic, trap, error).
  // Threads still running when `func` returns are stopped, as when a C
  // program returns from main. Every OS thread the run started has ended
  // when it returns. One run per Runtime: a second call is an Error.
  RunOutcome run(std::string_view func, std::span<const interp::Slot> args);

  // Stops the program from another OS thread (e.g. on SIGINT, `signal`):
  // every thread ends as for a panic, and run() returns Kind::Interrupted,
  // with every thread's state and backtrace, unless the program had already
  // stopped or finished. Safe at any time, before, during or after run().
  void interrupt(int signal = 0);

  struct Impl;

 private:
  explicit Runtime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wgi::threads
