#include "interp/thread.h"

#include <pthread.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace wgi::interp {

const Word* halt_code();  // exec.cc

namespace {

// Reserves n bytes of zero-initialised, lazily committed memory.
void* reserve(size_t n) {
  void* p = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
}

// Native stack kept free below an invocation: the interpreter loop runs in
// one native frame, but a host function calling back into Wasm nests a new
// loop (and the host's own frames) per level. Sanitizers make frames much
// larger.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr size_t kNativeStackReserve = 128 * 1024;
#else
constexpr size_t kNativeStackReserve = 32 * 1024;
#endif

// The lowest usable address of the calling thread's native stack, or 0 when
// it cannot be determined.
uintptr_t native_stack_low() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* addr = nullptr;
  size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0) return 0;
  return reinterpret_cast<uintptr_t>(addr);
}

}  // namespace

Thread::Thread(const ThreadConfig& config) : config_(config) {
  handler_table();  // make sure the halt code is initialised
  stack_bytes_ = std::max<size_t>(config.value_stack_bytes, 4096);
  stack_base_ = static_cast<Slot*>(reserve(stack_bytes_));
  stack_limit_ = stack_base_ + stack_bytes_ / sizeof(Slot);
  stack_top_ = stack_base_;
  // +1 for the sentinel record of each (possibly nested) invocation.
  frames_bytes_ = (size_t(std::max<uint32_t>(config.max_call_depth, 1)) + 1) * sizeof(Frame);
  frames_base_ = static_cast<Frame*>(reserve(frames_bytes_));
  frames_end_ = frames_base_ + frames_bytes_ / sizeof(Frame);
  frames_limit_.store(frames_end_, std::memory_order_relaxed);
  frames_top_ = frames_base_;
}

Thread::~Thread() {
  munmap(stack_base_, stack_bytes_);
  munmap(frames_base_, frames_bytes_);
}

TrapKind Thread::invoke(const FuncInst& f, const Slot* args, Slot* results) {
  uint32_t param_slots = 0, result_slots = 0;
  for (ValType v : f.type->params) param_slots += slot_count(v);
  for (ValType v : f.type->results) result_slots += slot_count(v);
  const bool outermost = frames_top_ == frames_base_;
  if (outermost) backtrace_.clear();

  // Re-entry through host functions nests native frames; refuse to go on
  // when the native stack runs low (deep recursion through the host must
  // trap, not crash). An outermost invocation needs only one interpreter
  // frame however deep the Wasm recursion, so only nested ones are checked.
  // Looked up on first use: the Thread belongs to the OS thread that runs it.
  if (!outermost && native_stack_low_ == 0) native_stack_low_ = native_stack_low();
  if (!outermost) {
    char probe;
    const uintptr_t sp = reinterpret_cast<uintptr_t>(&probe);
    if (native_stack_low_ != 0 && sp - native_stack_low_ < kNativeStackReserve) {
      backtrace_.push_back(BacktraceFrame{nullptr, 0, 0, "<native stack exhausted>"});
      return TrapKind::CallStackExhausted;
    }
  }

  Slot* const fp = stack_top_;
  const uint32_t arg_area = std::max(param_slots, result_slots);
  if (fp + arg_area > stack_limit_ || frames_top_ >= frames_limit_.load(std::memory_order_relaxed)) {
    if (interrupt_requested()) return TrapKind::Interrupted;
    backtrace_.push_back(BacktraceFrame{nullptr, 0, 0, "<invoke>"});
    return TrapKind::CallStackExhausted;
  }
  if (param_slots) std::memcpy(fp, args, param_slots * sizeof(Slot));

  TrapKind k;
  if (f.is_host()) {
    Slot* saved = stack_top_;
    stack_top_ = fp + arg_area;
    const size_t saved_backtrace = backtrace_.size();
    k = f.host(*this, fp);
    stack_top_ = saved;
    if (k != TrapKind::None) backtrace_.push_back(BacktraceFrame{nullptr, 0, 0, f.host_name});
    else backtrace_.resize(saved_backtrace);
  } else {
    const CompiledFunc& cf = *f.code;
    const Word* entry = cf.loaded_entry();  // then frame_slots (code.h)
    if (fp + cf.loaded_frame_slots() > stack_limit_) {
      backtrace_.push_back(BacktraceFrame{f.instance, cf.func_index, 0, {}});
      return TrapKind::CallStackExhausted;
    }
    for (uint32_t i = cf.param_slots; i < cf.local_slots; ++i) fp[i] = 0;
    // The sentinel record: returning from f lands on Halt.
    Frame* const saved_frames = frames_top_;
    *frames_top_++ = Frame{halt_code(), fp, f.instance};
    Slot* const saved_top = stack_top_;
    k = execute(this, entry, fp, f.instance);
    stack_top_ = saved_top;
    frames_top_ = saved_frames;
  }
  if (k == TrapKind::None && result_slots) std::memcpy(results, fp, result_slots * sizeof(Slot));
  return k;
}

void Thread::capture_backtrace(const Word* pc, const Instance* inst, const Frame* top,
                               const Frame* bottom) {
  auto add = [&](const Word* at, const Instance* in) {
    if (in == nullptr) return;
    const CompiledModule& cm = *in->module;
    const CompiledFunc* cf = cm.func_at(at);
    if (cf == nullptr) return;
    backtrace_.push_back(BacktraceFrame{in, cf->func_index, cm.wasm_offset_at(at), {}});
  };
  add(pc, inst);
  // Return addresses point after the call; step back one word so the lookup
  // lands inside the call instruction.
  for (const Frame* f = top; f != bottom;) {
    --f;
    add(f->pc - 1, f->inst);
  }
}

void Thread::request_interrupt(bool wake_waiters) {
  interrupt_.store(true);
  frames_limit_.store(frames_base_);
  if (wake_waiters) parking_lot().wake_all_for_interrupt();
}

void Thread::clear_interrupt() {
  interrupt_.store(false);
  frames_limit_.store(frames_end_);
  // A request that came in between the two stores lowered the limit
  // before we raised it: lower it again (sequentially consistent, so a
  // later request is seen or does it itself).
  if (interrupt_.load()) frames_limit_.store(frames_base_);
}

Thread::CodeLocation Thread::resolve(const RawFrame& f) {
  CodeLocation loc;
  if (f.module == nullptr) return loc;
  if (const CompiledFunc* cf = f.module->func_at(f.pc)) {
    loc.func_index = cf->func_index;
    loc.offset = f.module->wasm_offset_at(f.pc);
  }
  return loc;
}

Thread::RawFrame Thread::caller_frame() const {
  if (frames_top_ == frames_base_) return {};
  const Frame& f = frames_top_[-1];
  // Return addresses point after the call: step back into it.
  return f.inst ? RawFrame{f.inst->module.get(), f.pc - 1} : RawFrame{};
}

Instance* Thread::caller_instance() const {
  return frames_top_ == frames_base_ ? nullptr : frames_top_[-1].inst;
}

std::vector<Thread::RawFrame> Thread::caller_frames() const {
  std::vector<RawFrame> out;
  for (const Frame* f = frames_top_; f != frames_base_;) {
    --f;
    // Sentinel records (an invocation's bottom) are in no function.
    if (f->inst && f->inst->module->func_at(f->pc - 1)) out.push_back({f->inst->module.get(), f->pc - 1});
  }
  return out;
}

void Thread::give_backtrace(const Word* pc, const Instance* inst, const Frame* top,
                            const Frame* bottom) {
  const size_t saved = backtrace_.size();
  capture_backtrace(pc, inst, top, bottom);
  const std::vector<BacktraceFrame> frames(backtrace_.begin() + static_cast<ptrdiff_t>(saved),
                                           backtrace_.end());
  backtrace_.resize(saved);
  if (trace_) trace_->backtrace_ready(frames);
}

}  // namespace wgi::interp
