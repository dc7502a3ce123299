// Thread: the execution context of one OS thread running Wasm code.
//
// It owns the value stack (frames of slots, see code.h) and the call stack
// of return records, both reserved once at a fixed size. Exhausting either
// is the trap "call stack exhausted", never a host stack overflow: Wasm calls
// do not recurse on the native stack (the interpreter loop handles call and
// return itself), so depth is bounded only by these limits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "interp/code.h"
#include "interp/event_log.h"
#include "interp/parking_lot.h"
#include "interp/runtime.h"
#include "interp/trap.h"

namespace wgi::interp {

struct ThreadConfig {
  // Value-stack size in bytes (address space reserved up front, committed
  // as touched). Frames use 8 bytes per local and operand-stack slot.
  size_t value_stack_bytes = size_t{64} << 20;
  // Maximum depth of nested Wasm calls.
  uint32_t max_call_depth = 200'000;
};

// The native stack an OS thread needs to run Wasm code through a Thread:
// one interpreter-loop frame per (nested) invocation, and the host
// functions between them. Wasm calls do not recurse on the native stack, so
// this does not grow with the program, and a nested invocation that would
// leave less than its reserve free (thread.cc) traps instead of
// overflowing. Runtimes that start OS threads for Wasm code give them this
// much rather than the system default (threads/os_thread.h says why).
// Sanitizers make frames much larger (ASan's loop frame alone is over
// 64 KiB).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr size_t kWasmThreadNativeStack = size_t{2} << 20;
#else
inline constexpr size_t kWasmThreadNativeStack = size_t{256} << 10;
#endif

// A return record: where to continue in the caller.
struct Frame {
  const Word* pc;  // return address (the instruction after the call)
  Slot* fp;        // caller's frame
  Instance* inst;  // caller's instance
};

// One line of a trap backtrace, innermost first.
struct BacktraceFrame {
  const Instance* instance = nullptr;  // null for host functions
  uint32_t func_index = 0;
  uint32_t offset = 0;                 // absolute byte offset in the module
  std::string host_name;               // host functions
};

class Thread {
 public:
  explicit Thread(const ThreadConfig& config = {});
  ~Thread();
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  // Calls f. args holds the parameters' slots (value.h encoding), results
  // receives the results' slots. Returns TrapKind::None on success, else the
  // trap (backtrace() then describes where) or a non-trap status such as
  // Interrupted. May be called re-entrantly from a host function.
  TrapKind invoke(const FuncInst& f, const Slot* args, Slot* results);

  const std::vector<BacktraceFrame>& backtrace() const { return backtrace_; }

  // Asks the thread to stop: running Wasm code returns Interrupted at the
  // next loop back-edge or call (direct, indirect, to the host), and a
  // memory.atomic.wait returns at once (wake_waiters: the parking lot wakes
  // its waiters to recheck their flags; a caller stopping many threads
  // passes false and wakes them once itself, parking_lot.h). Safe to call
  // from any thread.
  void request_interrupt(bool wake_waiters = true);
  void clear_interrupt();
  bool interrupt_requested() const { return interrupt_.load(std::memory_order_relaxed); }

  const ThreadConfig& config() const { return config_; }

  // Embedder data (e.g. the threadlink runtime's thread record).
  void* user = nullptr;

  // The status a host function that returned TrapKind::Exit asked the
  // program to end with (WASI's proc_exit).
  int32_t exit_status = 0;

  // Told when this thread parks in memory.atomic.wait (parking_lot.h).
  ParkObserver* park_observer = nullptr;

  // For a host function: where the Wasm code that called it is, as raw
  // frames (code and return address, no lookup), resolved when needed with
  // resolve(). The compiled module outlives the instance, so a raw frame
  // stays valid after its thread ends.
  struct RawFrame {
    const CompiledModule* module = nullptr;
    const Word* pc = nullptr;  // inside the call instruction
  };
  struct CodeLocation {
    uint32_t func_index = UINT32_MAX;  // UINT32_MAX: not in any function
    uint32_t offset = 0;               // absolute byte offset in the module
  };
  static CodeLocation resolve(const RawFrame& f);
  // The innermost caller, or a null frame when no Wasm code called.
  RawFrame caller_frame() const;
  // For a host function: the instance of the Wasm code that called it
  // (whose memory a host API such as WASI reads), or null when no Wasm code
  // called (Thread::invoke of the host function itself).
  Instance* caller_instance() const;
  // Every frame, innermost first, through every invocation on this thread
  // (a host function called from a nested invocation sees the outer ones).
  std::vector<RawFrame> caller_frames() const;

  // Where traced code (CompiledModule::traced) records this thread's
  // events; must be set before such code runs on this thread.
  EventLog* trace_ = nullptr;

  // ---- state shared with the interpreter loop (exec.cc) ----
  std::atomic<bool> interrupt_{false};
  Slot* stack_base_ = nullptr;
  Slot* stack_limit_ = nullptr;
  Slot* stack_top_ = nullptr;    // first slot free for a nested invocation
  Frame* frames_base_ = nullptr;
  // The call-depth check every call makes (rs >= frames_limit_). An
  // interrupt request lowers it to frames_base_, so that the same check
  // stops the next call: calls pay for no check of their own (exec.cc).
  // frames_end_ is the real limit.
  std::atomic<Frame*> frames_limit_{nullptr};
  Frame* frames_end_ = nullptr;
  Frame* frames_top_ = nullptr;
  std::vector<BacktraceFrame> backtrace_;

  // Records the backtrace for a trap at pc (in frame fp of inst), walking
  // the return records down to `bottom`.
  void capture_backtrace(const Word* pc, const Instance* inst, const Frame* top, const Frame* bottom);
  // Hands the backtrace at pc to trace_->backtrace_ready() (the log asked
  // for it, event_log.h), leaving backtrace_ as it was.
  void give_backtrace(const Word* pc, const Instance* inst, const Frame* top, const Frame* bottom);

 private:
  ThreadConfig config_;
  uintptr_t native_stack_low_ = 0;
  size_t stack_bytes_ = 0;
  size_t frames_bytes_ = 0;
};

// The interpreter loop: runs from pc in frame fp of inst until the Halt
// that ends the current invocation, or a trap. (exec.cc)
TrapKind execute(Thread* t, const Word* pc, Slot* fp, Instance* inst);

}  // namespace wgi::interp
