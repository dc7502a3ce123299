#include "threads/threadlink.h"

#include <atomic>
#include <csignal>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "decoder/format.h"
#include "interp/instantiate.h"
#include "interp/mem_access.h"
#include "interp/runtime.h"
#include "interp/trap.h"
#include "interp/trap_report.h"
#include "interp/parking_lot.h"
#include "threads/os_thread.h"

namespace wgi::threads {

using interp::BacktraceFrame;
using interp::ExternVal;
using interp::FuncInst;
using interp::Instance;
using interp::Slot;
using interp::TrapKind;

const char* errno_description(int32_t code) {
  switch (code) {
    case kNoError: return "no error";
    case kThreadNotFound: return "thread not found";
    case kThreadJoinFailed: return "thread join failed";
    case kThreadFailed: return "thread failed in runtime context";
    case kOutOfBounds: return "thread tried to access shared memory out of bounds";
    case kConversionFailed: return "could not convert u32 to pointer-sized type";
    case kLockPoisoned: return "thread management lock was poisoned";
    case kNoResultAfterJoin: return "result was not available after thread join";
    case kMultipleRefsAfterJoin: return "multiple references to the result after thread join";
    default: return "unknown error";
  }
}

// wasi-threads ids are below 2^29 (the ABI keeps the upper bits for the
// guest's own flags).
constexpr uint32_t kMaxSpawnedId = 1u << 29;

bool uses_threadlink(const Module& m) {
  for (const Import& imp : m.imports)
    if (imp.module == "wasm_threadlink") return true;
  return false;
}

bool uses_wasi_threads(const Module& m) {
  for (const Import& imp : m.imports)
    if (imp.module == kWasiThreadsModule && imp.field == kWasiThreadSpawn) return true;
  return false;
}

// One Wasm thread: an OS thread, an interpreter Thread, an Instance. It
// observes its own parking (memory.atomic.wait) for the block registry.
struct ThreadRec final : interp::ParkObserver {
  void parked(uintptr_t key, int64_t timeout_ns) override;
  void unparked() override;

  uint32_t id = 0;
  Runtime::Impl* rt = nullptr;
  OsThread os;                         // not for thread 0; moved out (under
                                       // Impl::mu) by whoever joins it
  interp::Thread* thread = nullptr;    // set while the thread runs
  Instance* inst = nullptr;
  interp::EventLog* trace = nullptr;  // traced runs: where it records
  bool finished = false;               // guarded by Impl::mu
  // Notified when `finished` is set or the program stops; only this
  // thread's joiner waits on it. One per thread, not one for the runtime:
  // with a shared one every thread's end woke every joiner, N ends times N
  // joiners (a chain of 2000 threads each joining the next took 15 s).
  std::condition_variable finished_cv;
  bool failed = false;
  bool joined = false;
  bool spawned = false;  // by wasi.thread-spawn (else thread_create)
  // Blocks allocated for this thread (0 when none).
  uint32_t stack_ptr = 0, stack_size = 0;
  uint32_t tls_ptr = 0, tls_size = 0, tls_align = 0;
  // Where it was when a deadlock or an interrupt stopped it (Runtime::Impl::
  // collect_backtraces), written by the thread itself as it unwinds.
  std::vector<FrameInfo> final_frames;
  // Its record in the block registry (set before the thread runs).
  BlockRegistry::Handle block = nullptr;
};

struct Runtime::Impl {
  std::shared_ptr<const interp::CompiledModule> cm;
  const Module& m;
  ThreadlinkConfig config;
  interp::Store store;
  interp::Memory* memory = nullptr;
  std::vector<ExternVal> imports;

  // Facts about the module the thread machinery needs, found once.
  std::optional<uint32_t> stack_pointer_global;
  bool has_malloc = false;    // __wasmgrind_malloc exported with the ABI's type
  bool has_init_tls = false;  // __wasm_init_tls exported as (i32) -> ()
  std::string setup_error;    // non-empty: thread_create (thread-spawn) cannot work, and why
  bool uses_spawn = false;    // the module imports wasi.thread-spawn (wasi-threads)
  bool ran = false;           // run() was called

  std::mutex mu;
  std::map<uint32_t, std::unique_ptr<ThreadRec>> threads;
  uint32_t next_id = 0;
  uint32_t live = 0;  // threads besides the main thread created and not finished
  // A block the runtime frees for a thread; `owner` is the thread that used
  // it, when one did (its stack and TLS), whose end the freeing follows.
  struct Block {
    uint32_t ptr, size, align;
    std::optional<uint32_t> owner;
  };
  std::vector<Block> pending_free;

  // Stopping the whole program: the first stop wins.
  std::atomic<bool> stopping{false};
  RunOutcome stop_outcome;  // guarded by mu
  // Set before a stop that reports every thread (deadlock, interrupt):
  // each thread keeps the backtrace it unwinds from.
  std::atomic<bool> collect_backtraces{false};

  // Who is blocked on what (blocking.h), and the thread that acts on its
  // findings (it may not act inside the registry: the registry is called
  // under parking-lot locks that stopping needs).
  BlockRegistry blocks;
  std::thread monitor;
  std::vector<std::vector<ThreadReport>> lock_cycles;  // guarded by mu

  Impl(std::shared_ptr<const interp::CompiledModule> c, const ThreadlinkConfig& cfg)
      : cm(std::move(c)), m(*cm->module), config(cfg) {
    store.limits = config.store_limits;
  }

  // ---------------------------------------------------------------- setup
  Result<void> init() {
    // Host functions, bound to this runtime. Each finds its caller's thread
    // through interp::Thread::user.
    using interp::HostFn;
    const FuncType create_t{{ValType::I32, ValType::I32}, {ValType::I32}};
    const FuncType join_t{{ValType::I32}, {ValType::I32}};
    const FuncType unary_t{{ValType::I32}, {}};
    std::map<std::string, ExternVal> host;
    host["thread_create"] = ExternVal::of(store.add_host_func(
        create_t, [this](interp::Thread& t, Slot* s) { return thread_create(t, s); }, "thread_create"));
    host["thread_join"] = ExternVal::of(store.add_host_func(
        join_t, [this](interp::Thread& t, Slot* s) { return thread_join(t, s); }, "thread_join"));
    host["panic"] = ExternVal::of(store.add_host_func(
        unary_t, [this](interp::Thread& t, Slot* s) { return panic(t, s); }, "panic"));
    // The lock hooks tell the block registry (live deadlocks) and the lock
    // observer (predicted ones), and record (file comment of threadlink.h)
    // when the thread records.
    using interp::EventOp;
    enum class Hook { StartLock, FinishLock, StartUnlock, FinishUnlock };
    const std::pair<const char*, Hook> hooks[] = {{"start_lock", Hook::StartLock},
                                                  {"finish_lock", Hook::FinishLock},
                                                  {"start_unlock", Hook::StartUnlock},
                                                  {"finish_unlock", Hook::FinishUnlock}};
    for (const auto& [hook, which] : hooks) {
      host[hook] = ExternVal::of(store.add_host_func(
          unary_t, [this, which](interp::Thread& t, Slot* s) { return lock_hook(which, t, s); }, hook));
    }
    const FuncType spawn_t{{ValType::I32}, {ValType::I32}};
    FuncInst* spawn = nullptr;
    for (const Import& imp : m.imports) {
      const ExternVal* provided = config.host_imports ? config.host_imports->find(imp.module, imp.field) : nullptr;
      if (imp.module == kWasiThreadsModule && imp.field == kWasiThreadSpawn && imp.kind == ExternKind::Func) {
        if (spawn == nullptr)
          spawn = store.add_host_func(
              spawn_t, [this](interp::Thread& t, Slot* s) { return thread_spawn(t, s); }, "wasi.thread-spawn");
        imports.push_back(ExternVal::of(spawn));
        uses_spawn = true;
      } else if (provided != nullptr) {
        imports.push_back(*provided);
      } else if (imp.module == "wasm_threadlink") {
        auto it = host.find(imp.field);
        if (it == host.end())
          return make_error(ErrorCode::Unlinkable, imp.offset,
                            "unknown import: \"wasm_threadlink\" \"" + imp.field + "\" (expected " +
                                interp::describe_import_type(m, imp) + ")");
        imports.push_back(it->second);
      } else if (imp.module == "env" && imp.field == "memory" && imp.kind == ExternKind::Memory) {
        if (memory == nullptr) {
          WGI_TRY_ASSIGN(auto mem, interp::Memory::create(imp.memory, store.limits.memory_budget));
          memory = store.add_memory(std::move(mem));
        }
        imports.push_back(ExternVal::of(memory));
      } else if (config.trap_unknown_imports && imp.kind == ExternKind::Func) {
        imports.push_back(ExternVal::of(interp::add_trapping_import(store, m, imp)));
      } else {
        return make_error(ErrorCode::Unlinkable, imp.offset,
                          "unknown import: \"" + imp.module + "\" \"" + imp.field + "\" (expected " +
                              interp::describe_import_type(m, imp) + ")");
      }
    }
    find_thread_facts();
    return {};
  }

  // The import that creates threads, for messages.
  const char* creator() const { return uses_spawn ? "thread-spawn" : "thread_create"; }

  // "" when the module exports function `name` with type `want`, else why not.
  std::string check_export(const char* name, const FuncType& want) const {
    const Export* e = m.find_export(name);
    if (e == nullptr || e->kind != ExternKind::Func)
      return std::string("the module does not export the function \"") + name + "\" that " + creator() + " needs";
    const FuncType& have = m.func_type(e->index);
    if (have != want)
      return std::string("the module's export \"") + name + "\" has type " + format_func_type(have) + ", but " +
             creator() + " needs " + format_func_type(want);
    return {};
  }

  void find_thread_facts() {
    if (uses_spawn) {
      // wasi-threads needs only the shared memory and the start export.
      if (memory == nullptr)
        setup_error = "the module does not import its memory as \"env\" \"memory\": its threads could not share it";
      else
        setup_error = check_export(kWasiThreadStart.data(), FuncType{{ValType::I32, ValType::I32}, {}});
      return;
    }
    // Checked here, so that calls into these exports (Runtime::Impl::call)
    // always pass and receive exactly the slots their types describe.
    const FuncType start_t{{ValType::I32}, {}};
    const FuncType malloc_t{{ValType::I32, ValType::I32}, {ValType::I32}};
    const FuncType free_t{{ValType::I32, ValType::I32, ValType::I32}, {}};
    has_malloc = check_export("__wasmgrind_malloc", malloc_t).empty();
    if (const Export* e = m.find_export("__wasm_init_tls")) {
      has_init_tls = e->kind == ExternKind::Func && m.func_type(e->index) == start_t;
      if (!has_init_tls) setup_error = check_export("__wasm_init_tls", start_t);
    }
    if (memory == nullptr)
      setup_error = "the module does not import its memory as \"env\" \"memory\": its threads could not share it";
    for (const auto& [name, type] : {std::pair{"thread_start", &start_t},
                                     std::pair{"__wasmgrind_malloc", &malloc_t},
                                     std::pair{"__wasmgrind_free", &free_t}}) {
      if (!setup_error.empty()) return;
      setup_error = check_export(name, *type);
    }
    if (!setup_error.empty()) return;
    for (const auto& [idx, name] : m.names.globals)
      if (name == "__stack_pointer") stack_pointer_global = idx;
    if (!stack_pointer_global) {
      // No name section entry: the single mutable i32 global whose
      // initialiser is a non-zero constant (the linker's stack top).
      std::optional<uint32_t> found;
      int count = 0;
      for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
        const Global& g = m.globals[i];
        if (!g.type.mut || g.type.type != ValType::I32 || g.init.instrs.size() != 1) continue;
        const ConstInstr& ci = g.init.instrs[0];
        if (ci.op == Op::I32Const && static_cast<uint32_t>(ci.value) != 0) {
          found = i;
          ++count;
        }
      }
      if (count == 1) stack_pointer_global = found;
    }
    if (!stack_pointer_global)
      setup_error =
          "cannot find the stack pointer: no global named __stack_pointer in the name section and "
          "no single mutable i32 global with a non-zero initialiser";
  }

  ThreadRec* self(interp::Thread& t) { return static_cast<ThreadRec*>(t.user); }

  template <class Hook>
  TrapKind lock_hook(Hook which, interp::Thread& t, Slot* s) {
    const uint32_t lock = static_cast<uint32_t>(s[0]);
    const uint32_t tid = self(t)->id;
    std::optional<interp::EventOp> op;
    switch (which) {
      case Hook::StartLock:
        op = interp::EventOp::Request;
        blocks.lock_request(tid, lock, t.caller_frame());
        if (config.lock_observer) config.lock_observer->requested(tid, lock, t);
        break;
      case Hook::FinishLock:
        op = interp::EventOp::Acquire;
        blocks.lock_acquired(tid, lock, t.caller_frame());
        if (config.lock_observer) config.lock_observer->acquired(tid, lock, t);
        break;
      case Hook::StartUnlock:
        op = interp::EventOp::Release;
        blocks.lock_released(tid, lock);
        if (config.lock_observer) config.lock_observer->released(tid, lock);
        break;
      case Hook::FinishUnlock: break;
    }
    if (op && t.trace_) {
      t.trace_->push(*op, lock, 0, t.trace_->call_site);
      t.trace_->mark();
    }
    return TrapKind::None;
  }

  // ---------------------------------------------------------------- stopping
  // Stops every thread: they return Interrupted at their next loop
  // back-edge, call, wait or join. The first caller's outcome is kept.
  void stop(RunOutcome outcome) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (stopping.load()) return;
      stop_outcome = std::move(outcome);
      stopping.store(true);
      for (auto& [id, rec] : threads) {
        if (rec->thread) rec->thread->request_interrupt(/*wake_waiters=*/false);
        rec->finished_cv.notify_all();
      }
    }
    interp::parking_lot().wake_all_for_interrupt();
  }

  RunOutcome trap_outcome(TrapKind k, const ThreadRec& rec, const interp::Thread& t) {
    RunOutcome o;
    o.kind = RunOutcome::Kind::Trap;
    o.report = interp::format_trap_report(k, t.backtrace(), rec.id);
    return o;
  }
  RunOutcome error_outcome(const std::string& msg) {
    RunOutcome o;
    o.kind = RunOutcome::Kind::Error;
    o.report = "wgi: " + msg + "\n";
    return o;
  }

  // A thread's invocation failed with k: report it for the whole program,
  // unless the program is already stopping (then k is just the echo of
  // that stop).
  void thread_failed(TrapKind k, const ThreadRec& rec, const interp::Thread& t) {
    if (k == TrapKind::Interrupted || stopping.load()) return;
    if (k == TrapKind::Exit) {
      RunOutcome o;
      o.kind = RunOutcome::Kind::Exit;
      o.exit_status = t.exit_status;
      stop(std::move(o));
      return;
    }
    stop(trap_outcome(k, rec, t));
  }

  // ---------------------------------------------------------------- helpers
  // Calls an export of `inst` on thread t (re-entrantly from a host function).
  TrapKind call(interp::Thread& t, Instance& inst, const char* name, std::initializer_list<Slot> args,
                Slot* result = nullptr) {
    FuncInst* f = inst.get_export_func(name);
    Slot in[4] = {0, 0, 0, 0};
    size_t i = 0;
    for (Slot a : args) in[i++] = a;
    Slot out[2] = {0, 0};
    TrapKind k = t.invoke(*f, in, out);
    if (result) *result = out[0];
    return k;
  }

  // Hands finished threads' blocks back to the allocator, on the calling
  // thread (which runs on a stack of its own).
  TrapKind reap(interp::Thread& t, Instance& inst) {
    std::vector<Block> blocks;
    {
      std::lock_guard<std::mutex> lock(mu);
      blocks.swap(pending_free);
    }
    for (const Block& b : blocks) {
      // The owner ended before its blocks were listed (under mu): the free
      // follows its end, whoever frees it (the race checker must know).
      if (b.owner && t.trace_) t.trace_->follows_end_of(*b.owner);
      // Not for the lock-order predictor: that the owner ended before this
      // free is the runtime's doing in this schedule, not an order the
      // program imposes (in another schedule the owner is still running),
      // and predicting is about other schedules.
      TrapKind k = call(t, inst, "__wasmgrind_free", {b.ptr, b.size, b.align});
      if (k != TrapKind::None) return k;
    }
    return TrapKind::None;
  }

  std::optional<uint32_t> export_global_u32(const Instance& inst, const char* name) {
    auto v = inst.get_export(name);
    if (!v || v->kind != ExternKind::Global) return std::nullopt;
    return static_cast<uint32_t>(v->global->value[0]);
  }

  // ---------------------------------------------------------------- the ABI
  TrapKind thread_create(interp::Thread& t, Slot* s) {
    ThreadRec* parent = self(t);
    // The call's site, read before the allocator calls below run traced
    // code (its lock hooks) that sets it again.
    const uint32_t site = t.trace_ ? t.trace_->call_site : interp::kNoSite;
    const uint32_t tid_ptr = static_cast<uint32_t>(s[0]);
    const uint32_t start_routine = static_cast<uint32_t>(s[1]);
    if (stopping.load()) return TrapKind::Interrupted;
    if (!setup_error.empty()) {
      stop(error_outcome("thread_create: " + setup_error));
      return TrapKind::Interrupted;
    }
    auto ret = [&](int32_t code) {
      s[0] = static_cast<uint32_t>(code);
      return TrapKind::None;
    };
    if (uint64_t(tid_ptr) + 4 > memory->size()) return ret(kOutOfBounds);
    {
      std::lock_guard<std::mutex> lock(mu);
      if (live >= config.max_threads) return ret(kThreadFailed);
      ++live;  // reserved now, so concurrent creators cannot overshoot
    }
    // Every return below that starts no thread gives the reservation back.
    bool started = false;
    struct Unreserve {
      Impl* rt;
      const bool& started;
      ~Unreserve() {
        if (started) return;
        std::lock_guard<std::mutex> lock(rt->mu);
        --rt->live;
      }
    } unreserve{this, started};
    Instance& pinst = *parent->inst;
    if (TrapKind k = reap(t, pinst); k != TrapKind::None) return k;

    auto rec = std::make_unique<ThreadRec>();
    rec->rt = this;
    // The new thread's stack and TLS, allocated here on the creator's stack.
    // The size is a multiple of 16 so that the stack pointer starts aligned.
    const uint32_t stack_size =
        static_cast<uint32_t>(std::min<uint64_t>((uint64_t(config.thread_stack_size) + 15) & ~uint64_t{15},
                                                 0xFFFFFFF0u));
    Slot ptr = 0;
    if (TrapKind k = call(t, pinst, "__wasmgrind_malloc", {stack_size, 16}, &ptr); k != TrapKind::None)
      return k;
    if (static_cast<uint32_t>(ptr) == 0) return ret(kThreadFailed);
    rec->stack_ptr = static_cast<uint32_t>(ptr);
    rec->stack_size = stack_size;
    const auto tls_size = export_global_u32(pinst, "__tls_size");
    const auto tls_align = export_global_u32(pinst, "__tls_align");
    if (tls_size && *tls_size > 0 && has_init_tls) {
      rec->tls_size = *tls_size;
      rec->tls_align = tls_align ? std::max<uint32_t>(*tls_align, 1) : 16;
      if (TrapKind k = call(t, pinst, "__wasmgrind_malloc", {rec->tls_size, rec->tls_align}, &ptr);
          k != TrapKind::None)
        return k;
      if (static_cast<uint32_t>(ptr) == 0) {
        std::lock_guard<std::mutex> lock(mu);
        pending_free.push_back({rec->stack_ptr, rec->stack_size, 16, std::nullopt});
        return ret(kThreadFailed);
      }
      rec->tls_ptr = static_cast<uint32_t>(ptr);
    }

    const bool launched = launch(t, *parent, std::move(rec), site, start_routine, [&](uint32_t id) {
      // The id is visible to the creator before the child can run (starting
      // the OS thread orders it for the child too). Other Wasm threads may
      // be reading that memory: a race-free store (mem_access.h).
      interp::shared_store<uint32_t>(memory->base() + tid_ptr, id);
    });
    if (!launched) return TrapKind::Interrupted;
    started = true;
    return ret(kNoError);
  }

  // Gives `rec` its id, registers it (trace, block registry, lock
  // observer), tells the creator the id (`publish`, under mu, before the
  // child can run) and starts its OS thread with `arg` (thread_create's
  // start routine, thread-spawn's start argument). False when the program
  // is stopping: nothing was started.
  template <class Publish>
  bool launch(interp::Thread& t, const ThreadRec& parent, std::unique_ptr<ThreadRec> rec, uint32_t site,
              uint32_t arg, Publish publish) {
    ThreadRec* r = rec.get();
    std::lock_guard<std::mutex> lock(mu);
    if (stopping.load()) return false;
    rec->id = next_id++;
    publish(rec->id);
    if (config.recorder) {
      // Before the child runs: its first mark comes after the fork's.
      rec->trace = config.recorder->add_thread(rec->id);
      if (t.trace_) {
        t.trace_->push(interp::EventOp::Fork, rec->id, 0, site);
        t.trace_->mark();
      }
    }
    // Live from now (a join of it must not look stuck before it runs).
    rec->block = blocks.add(rec->id);
    if (config.lock_observer) config.lock_observer->forked(parent.id, rec->id);
    threads.emplace(rec->id, std::move(rec));
    r->os = OsThread(interp::kWasmThreadNativeStack, [this, r, arg] { child_main(r, arg); });
    return true;
  }

  // wasi-threads' thread-spawn (file comment of threadlink.h): the new
  // thread's id, or a negative number when none could be started (-6:
  // WASI's EAGAIN, what wasi-libc's pthread_create reports for it).
  TrapKind thread_spawn(interp::Thread& t, Slot* s) {
    ThreadRec* parent = self(t);
    const uint32_t site = t.trace_ ? t.trace_->call_site : interp::kNoSite;
    const uint32_t start_arg = static_cast<uint32_t>(s[0]);
    constexpr int32_t kAgain = -6;
    if (stopping.load()) return TrapKind::Interrupted;
    if (!setup_error.empty()) {
      stop(error_outcome("thread-spawn: " + setup_error));
      return TrapKind::Interrupted;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      if (live >= config.max_threads || next_id >= kMaxSpawnedId) {
        s[0] = static_cast<uint32_t>(kAgain);
        return TrapKind::None;
      }
      ++live;
    }
    auto rec = std::make_unique<ThreadRec>();
    rec->rt = this;
    rec->spawned = true;
    uint32_t id = 0;
    if (!launch(t, *parent, std::move(rec), site, start_arg, [&id](uint32_t i) { id = i; })) {
      std::lock_guard<std::mutex> lock(mu);
      --live;
      return TrapKind::Interrupted;
    }
    s[0] = id;
    return TrapKind::None;
  }

  // `arg`: thread_create's start routine, or thread-spawn's start argument.
  void child_main(ThreadRec* rec, uint32_t arg) {
    interp::Thread thread(config.interp);
    thread.user = rec;
    thread.trace_ = rec->trace;
    thread.park_observer = rec;
    {
      std::lock_guard<std::mutex> lock(mu);
      rec->thread = &thread;
      if (stopping.load()) thread.request_interrupt();
    }
    bool ok = false;
    auto inst_r = interp::instantiate(store, cm, imports, thread, {.run_start = false});
    if (!inst_r.ok()) {
      stop(error_outcome("thread " + std::to_string(rec->id) + ": " + inst_r.error().message));
    } else {
      Instance& inst = *inst_r->instance;
      rec->inst = &inst;
      TrapKind k = TrapKind::None;
      if (rec->spawned) {
        // wasi-libc sets up the stack and TLS inside wasi_thread_start.
        k = interp::run_start(inst, thread);
        if (k == TrapKind::None) k = call(thread, inst, kWasiThreadStart.data(), {rec->id, arg});
      } else {
        // Stack size and block are multiples of 16: the top is aligned.
        inst.global_ptrs[*stack_pointer_global]->value[0] = uint64_t(rec->stack_ptr) + rec->stack_size;
        k = interp::run_start(inst, thread);
        if (k == TrapKind::None && rec->tls_ptr) k = call(thread, inst, "__wasm_init_tls", {rec->tls_ptr});
        if (k == TrapKind::None) k = call(thread, inst, "thread_start", {arg});
      }
      keep_frames(k, *rec, thread);
      if (k == TrapKind::None) ok = true;
      else thread_failed(k, *rec, thread);
      // Nothing runs in this instance again, and nothing outside it points
      // into it (threadlink modules import only the memory and host
      // functions): free it now rather than when the program ends.
      rec->inst = nullptr;  // read only by this thread's own host calls
      store.remove(&inst);
    }
    // Before `finished` is published: a joiner's mark follows this one.
    if (rec->trace) rec->trace->mark_end();
    blocks.remove(rec->id);
    {
      std::lock_guard<std::mutex> lock(mu);
      rec->finished = true;
      rec->failed = !ok;
      rec->thread = nullptr;
      --live;
      if (rec->tls_ptr) pending_free.push_back({rec->tls_ptr, rec->tls_size, rec->tls_align, rec->id});
      if (rec->stack_ptr) pending_free.push_back({rec->stack_ptr, rec->stack_size, 16, rec->id});
    }
    rec->finished_cv.notify_all();
  }

  TrapKind thread_join(interp::Thread& t, Slot* s) {
    ThreadRec* me = self(t);
    const uint32_t site = t.trace_ ? t.trace_->call_site : interp::kNoSite;  // before reap() runs code
    const uint32_t id = static_cast<uint32_t>(s[0]);
    ThreadRec* rec = nullptr;
    OsThread os;
    {
      std::unique_lock<std::mutex> lock(mu);
      if (id == me->id) {  // would wait forever
        s[0] = kThreadJoinFailed;
        return TrapKind::None;
      }
      auto it = threads.find(id);
      if (it == threads.end() || it->second->joined || id == 0) {
        s[0] = kThreadNotFound;
        return TrapKind::None;
      }
      rec = it->second.get();
      rec->joined = true;  // claim it: a second join of the same id gets "not found"
      if (!rec->finished) {
        // No timeout: stop() sets `stopping` and notifies under mu, so it
        // cannot slip in between the check and the wait.
        blocks.join_begin(me->id, id);
        while (!rec->finished && !stopping.load()) rec->finished_cv.wait(lock);
        blocks.join_end(me->id);
      }
      // Once the program stops, a join does not return into Wasm: the
      // child may have just ended because of the stop, and its "failed"
      // would send the joiner down its error path (a panic) instead of
      // leaving it where it waited.
      if (!rec->finished || stopping.load()) return TrapKind::Interrupted;
      // Taken under the lock: finish_threads may be joining every thread
      // at the same time, and an OS thread must be joined exactly once.
      os = std::move(rec->os);
    }
    if (os.joinable()) os.join();
    if (t.trace_ && !rec->failed) {
      t.trace_->push(interp::EventOp::Join, id, 0, site);
      t.trace_->mark();
    }
    if (config.lock_observer && !rec->failed) config.lock_observer->joined(me->id, id);
    if (TrapKind k = reap(t, *me->inst); k != TrapKind::None) return k;
    s[0] = rec->failed ? kThreadFailed : kNoError;
    return TrapKind::None;
  }

  TrapKind panic(interp::Thread& t, Slot* s) {
    const int32_t code = static_cast<int32_t>(static_cast<uint32_t>(s[0]));
    RunOutcome o;
    o.kind = RunOutcome::Kind::Panic;
    o.report = std::string("wgi: panic: ") + errno_description(code) + " (errno " + std::to_string(code) +
               ") in thread " + std::to_string(self(t)->id) + "\n";
    stop(std::move(o));
    return TrapKind::Interrupted;
  }

  // ---------------------------------------------------------------- main
  RunOutcome run(std::string_view func, std::span<const Slot> args) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (ran) return error_outcome("a threadlink Runtime runs once");
      ran = true;
    }
    interp::Thread thread(config.interp);
    auto main_rec = std::make_unique<ThreadRec>();
    ThreadRec* rec = main_rec.get();
    rec->rt = this;
    thread.user = rec;
    thread.park_observer = rec;
    {
      std::lock_guard<std::mutex> lock(mu);
      rec->id = next_id++;
      rec->thread = &thread;
      rec->block = blocks.add(rec->id);
      // interrupt() may come before run().
      if (stopping.load()) thread.request_interrupt();
      threads.emplace(rec->id, std::move(main_rec));
    }
    if (config.recorder) thread.trace_ = rec->trace = config.recorder->add_thread(rec->id);
    monitor = std::thread([this] { monitor_main(); });
    RunOutcome outcome;
    // The start function runs once rec->inst is set: should it call
    // thread_create, the host function finds its caller's instance.
    auto inst_r = interp::instantiate(store, cm, imports, thread, {.run_start = false});
    if (!inst_r.ok()) {
      outcome = error_outcome(inst_r.error().message);
    } else {
      rec->inst = inst_r->instance;
      TrapKind k = inst_r->trap;
      if (k == TrapKind::None) k = interp::run_start(*rec->inst, thread);
      if (k == TrapKind::None) k = init_main_tls(thread, *rec);
      if (k == TrapKind::None && !func.empty()) {
        FuncInst* f = rec->inst->get_export_func(func);
        if (f == nullptr) {
          outcome = error_outcome("no exported function \"" + std::string(func) + "\"");
        } else {
          size_t n = 0;
          for (ValType v : f->type->results) n += interp::slot_count(v);
          outcome.results.assign(std::max<size_t>(n, 1), 0);
          k = thread.invoke(*f, args.data(), outcome.results.data());
          outcome.results.resize(n);
        }
      }
      keep_frames(k, *rec, thread);
      if (k != TrapKind::None) thread_failed(k, *rec, thread);
    }
    if (rec->trace) rec->trace->mark_end();
    // Whatever happened, end every other thread now.
    const bool stopped_early = stopping.load();
    stop(RunOutcome{});
    finish_threads();
    blocks.close();
    monitor.join();
    std::lock_guard<std::mutex> lock(mu);
    rec->thread = nullptr;
    RunOutcome& result = stopped_early ? stop_outcome : outcome;
    result.lock_cycles = lock_cycles;
    if (result.kind == RunOutcome::Kind::Deadlock || result.kind == RunOutcome::Kind::Interrupted) {
      // Each stopped thread left its backtrace behind (keep_frames).
      for (ThreadReport& r : result.threads)
        if (auto it = threads.find(r.state.thread); it != threads.end()) r.backtrace = it->second->final_frames;
      result.report += format_thread_reports(m, result.threads);
    }
    return std::move(result);
  }

  // The first thread keeps the stack and TLS the linker set up. But a
  // module linked with --shared-memory leaves __tls_base at 0 and expects
  // the embedder to call __wasm_init_tls for every thread; without it the
  // main thread's thread-locals would alias address 0 and miss their
  // initial values. So when __tls_base is still 0, thread 0 gets a TLS
  // block like any other thread.
  TrapKind init_main_tls(interp::Thread& t, ThreadRec& rec) {
    Instance& inst = *rec.inst;
    const auto size = export_global_u32(inst, "__tls_size");
    const auto base = export_global_u32(inst, "__tls_base");
    if (!size || *size == 0 || !base || *base != 0 || !has_init_tls || !has_malloc) return TrapKind::None;
    const auto align = export_global_u32(inst, "__tls_align");
    Slot ptr = 0;
    if (TrapKind k = call(t, inst, "__wasmgrind_malloc", {*size, align ? std::max<uint32_t>(*align, 1) : 16},
                          &ptr);
        k != TrapKind::None)
      return k;
    if (ptr == 0) return TrapKind::None;  // no memory: keep the linker's layout
    rec.tls_ptr = static_cast<uint32_t>(ptr);
    return call(t, inst, "__wasm_init_tls", {rec.tls_ptr});
  }

  // A thread stopped for a report of every thread keeps where it was.
  void keep_frames(TrapKind k, ThreadRec& rec, const interp::Thread& t) {
    if (k != TrapKind::Interrupted || !collect_backtraces.load()) return;
    rec.final_frames.clear();
    for (const interp::BacktraceFrame& f : t.backtrace())
      if (f.instance) rec.final_frames.push_back({f.func_index, f.offset});
  }

  // Stops the program with a report of every thread: `threads` are their
  // states now; their backtraces are added as they unwind.
  void stop_with_threads(RunOutcome o, const std::vector<ThreadState>& states) {
    for (const ThreadState& st : states) o.threads.push_back({st, {}});
    collect_backtraces.store(true);
    stop(std::move(o));
  }

  // Acts on the block registry's findings until the run ends.
  void monitor_main() {
    while (std::optional<BlockFinding> f = blocks.next_finding()) {
      if (stopping.load()) continue;  // the program is ending anyway
      RunOutcome o;
      o.kind = RunOutcome::Kind::Deadlock;
      if (f->kind == BlockFinding::Kind::AllBlocked) {
        o.all_blocked = true;
        const size_t n = f->threads.size();
        o.report = "wgi: deadlock: " + (n == 1 ? std::string("the only thread is blocked")
                                                : "all " + std::to_string(n) + " threads are blocked") +
                   "\n";
        stop_with_threads(std::move(o), f->threads);
        continue;
      }
      // A lock cycle: said at once; the run goes on unless asked not to.
      std::vector<ThreadReport> cycle;
      for (const ThreadState& st : f->threads) {
        ThreadReport r{st, {}};
        const interp::Thread::CodeLocation loc = interp::Thread::resolve(st.requested_at);
        if (loc.func_index != UINT32_MAX) r.backtrace.push_back({loc.func_index, loc.offset});
        cycle.push_back(std::move(r));
      }
      std::string text = "wgi: deadlock: lock cycle: " + std::to_string(cycle.size()) +
                         (cycle.size() == 1 ? " thread waits for a lock it holds" : " threads wait for each other's locks") +
                         (config.deadlock_exit ? "\n" : " (the program goes on)\n");
      text += format_thread_reports(m, cycle);
      {
        std::lock_guard<std::mutex> lock(mu);
        lock_cycles.push_back(cycle);
      }
      std::fputs(text.c_str(), config.findings_out);
      std::fflush(config.findings_out);
      if (config.deadlock_exit) {
        o.report = "wgi: deadlock: stopped at the lock cycle above (--deadlock-exit); every thread:\n";
        stop_with_threads(std::move(o), blocks.snapshot());
      }
    }
  }

  // Joins every OS thread (all have been asked to stop, and no new one can
  // start). A thread whose OsThread a joiner took is joined by that
  // joiner, which is itself one of the threads joined here.
  void finish_threads() {
    std::vector<OsThread> all;
    {
      std::lock_guard<std::mutex> lock(mu);
      for (auto& [id, r] : threads)
        if (r->os.joinable()) all.push_back(std::move(r->os));
    }
    for (OsThread& os : all) os.join();
  }
};

Result<std::unique_ptr<Runtime>> Runtime::create(std::shared_ptr<const interp::CompiledModule> cm,
                                                 const ThreadlinkConfig& config) {
  auto impl = std::make_unique<Impl>(std::move(cm), config);
  WGI_TRY(impl->init());
  return std::unique_ptr<Runtime>(new Runtime(std::move(impl)));
}

Runtime::Runtime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Runtime::~Runtime() = default;

RunOutcome Runtime::run(std::string_view func, std::span<const Slot> args) {
  return impl_->run(func, args);
}

void Runtime::interrupt(int signal) {
  RunOutcome o;
  o.kind = RunOutcome::Kind::Interrupted;
  o.signal = signal;
  const std::vector<ThreadState> states = impl_->blocks.snapshot();
  // (SIGALRM: the CLI's --timeout; nothing raises it.)
  o.report = "wgi: interrupted" +
             std::string(signal == SIGQUIT   ? " (SIGQUIT)"
                         : signal == SIGINT  ? " (SIGINT)"
                         : signal == SIGALRM ? " (--timeout)"
                                             : "") +
             ": " + std::to_string(states.size()) + (states.size() == 1 ? " thread" : " threads") + "\n";
  impl_->stop_with_threads(std::move(o), states);
}

void ThreadRec::parked(uintptr_t key, int64_t timeout_ns) {
  // The key is the word's host address in the thread's memory 0 (waits
  // need a shared memory, which never moves).
  const interp::Memory* mem = inst ? inst->memory : nullptr;
  const uintptr_t base = mem ? reinterpret_cast<uintptr_t>(mem->base()) : key;
  rt->blocks.parked(block, static_cast<uint32_t>(key - base), timeout_ns);
}

void ThreadRec::unparked() { rt->blocks.unparked(block); }

}  // namespace wgi::threads
