// wgi run: instantiate a module and run it: a program's _start, or the
// exported function --invoke names.
//
//   wgi run [OPTIONS] FILE.wasm [ARGS...]
//   wgi run [OPTIONS] FILE.wasm --invoke NAME [--] [VALUES...]
//
// Steps, each with its own exit status (exit_status.h):
//   parse the command line                    -> 2 (one line)
//   read, decode, validate, compile           -> 1
//   find NAME (or _start, if exported and no
//   --invoke), parse VALUES by its type       -> 2 (before anything runs)
// Then a program runs on the program runtime (threads/threadlink.h): a
// WASI program (its ARGS, --dir and --env go to a wasi::Wasi whose
// functions it imports), a module importing from "wasm_threadlink", or one
// importing wasi-threads' thread-spawn (run_program: 1 when its imports
// cannot be provided, then 0, 1, 3, 4, 5 or 130 by how the program ends,
// or the status a WASI program gave proc_exit). Any other module:
//   link: the CLI provides no host imports,
//   so any import fails                       -> 1 ("unknown import", naming
//                                                module, field and type;
//                                                --trap-unknown-imports
//                                                stubs function imports)
//   reserve the thread's stacks               -> 2 (with the usage: too big a
//                                                --max-stack/--max-call-depth)
//   instantiate: memory, segments, start      -> 1 when the memory cannot be
//                                                reserved, 3 trap
//   invoke, print each result on its line     -> 3 trap, else 0 (also 0 when
//                                                there is nothing to invoke)
// With --trace the trace is written however the run ends, once
// instantiation has begun (threadlink: once the runtime exists): a failure
// to write it is 1 when all else went well, and SIGINT stops the program
// with 130 (a second one more than 1 s later ends wgi without the trace:
// sigint_watcher.h). With --race (race_session.h) the detector sees every
// event first; races turn a status 0 into 66.
//
// The command line: run_options.h; the help: run_help.cc; tracing:
// trace_session.h; race detection: race_session.h.
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/deadlock_session.h"
#include "cli/race_session.h"
#include "cli/run_options.h"
#include "cli/sigint_watcher.h"
#include "cli/trace_session.h"
#include "decoder/format.h"
#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/parking_lot.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "interp/trap.h"
#include "interp/trap_report.h"
#include "interp/value_text.h"
#include "threads/threadlink.h"
#include "trace/recorder.h"
#include "wasi/wasi.h"

namespace wgi::cli {

namespace {

// ---- reporting -----------------------------------------------------------

// The trap report on stderr (interp/trap_report.h); `context` explains an
// empty backtrace (a segment initialiser has no frame).
int report_trap(interp::TrapKind kind, const std::vector<interp::BacktraceFrame>& frames,
                const char* context) {
  std::fflush(stdout);
  std::string report = interp::format_trap_report(kind, frames);
  if (frames.empty() && context) report.append("  ").append(context).append("\n");
  std::fputs(report.c_str(), stderr);
  return kExitTrap;
}

const char* extern_kind_article(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "a function";
    case ExternKind::Table: return "a table";
    case ExternKind::Memory: return "a memory";
    case ExternKind::Global: return "a global";
  }
  return "something";
}

// A one-line error about the invocation (exit 2, no usage: the command line
// was well formed, it just does not fit the module).
int invocation_error(const std::string& path, const std::string& message) {
  std::fprintf(stderr, "wgi: %s: %s\n", path.c_str(), message.c_str());
  return kExitUsage;
}

// Prints results, one per line, in the text form of their types.
void print_results(const FuncType& type, const std::vector<interp::Slot>& slots) {
  for (size_t i = 0, slot = 0; i < type.results.size(); ++i) {
    const ValType t = type.results[i];
    std::printf("%s\n", interp::format_value(t, &slots[slot]).c_str());
    slot += interp::slot_count(t);
  }
}

// The end of a run that may be checked and traced: the race reports, the
// potential deadlocks, the --report file (with `live_keys`, the live
// deadlock checks' keys of a threadlink run), then the trace files; each
// may change the status (race_session.h, deadlock_session.h,
// trace_session.h).
int finish_checks(const std::string& path, const interp::CompiledModule& cm, const RunSettings& s,
                  RaceSession* racing, DeadlockSession* predicting, TraceSession* tracing, int status,
                  const std::string& live_keys = {}) {
  if (racing) status = racing->finish(status);
  if (predicting) status = predicting->finish(status);
  if (s.report) {
    std::vector<std::string> keys;
    if (racing) keys.push_back(racing->json_keys());
    else if (s.race) keys.push_back(empty_race_keys());
    if (!live_keys.empty()) keys.push_back(live_keys);
    if (predicting) keys.push_back(predicting->json_keys());
    else if (s.deadlock) keys.push_back("\"potential_deadlocks\": []");
    std::string joined;
    for (const std::string& k : keys) joined.append(joined.empty() ? "" : ",\n  ").append(k);
    if (!write_report(*s.report, joined) && status == kExitOk) status = kExitError;
  }
  return tracing ? tracing->finish(path, cm, status) : status;
}

// A plain module's one thread: parking without a timeout is a deadlock
// (no other thread exists to notify it). Told under the parking lot's
// lock, it may not wake anyone: it only raises the thread's interrupt
// flag, which the waiter checks before it sleeps (parking_lot.h).
class OnlyThreadObserver final : public interp::ParkObserver {
 public:
  explicit OnlyThreadObserver(interp::Thread& t) : t_(t) {}
  void parked(uintptr_t key, int64_t timeout_ns) override {
    std::lock_guard g(mu_);
    key_ = key;
    timeout_ = timeout_ns;
    parked_ = true;
    if (timeout_ns >= 0) return;
    blocked_ = true;
    t_.interrupt_.store(true, std::memory_order_relaxed);
  }
  void unparked() override {
    std::lock_guard g(mu_);
    if (!blocked_) parked_ = false;  // a deadlock's report shows the wait it left
  }
  bool blocked() const {
    std::lock_guard g(mu_);
    return blocked_;
  }
  // Its state now, for a report: waiting (with the timeout) or running.
  threads::ThreadState state() const {
    std::lock_guard g(mu_);
    threads::ThreadState st;
    if (parked_) {
      st.kind = threads::ThreadState::Kind::Wait;
      st.addr = mem_ ? static_cast<uint32_t>(key_ - reinterpret_cast<uintptr_t>(mem_->base())) : 0;
      st.timeout_ns = timeout_;
    }
    return st;
  }
  // A signal's stop: keeps the state it found (the wait is left at once).
  void freeze() {
    threads::ThreadState st = state();
    std::lock_guard g(mu_);
    frozen_ = st;
  }
  threads::ThreadState frozen() const {
    std::lock_guard g(mu_);
    return frozen_;
  }
  void set_memory(const interp::Memory* m) {
    std::lock_guard g(mu_);
    mem_ = m;
  }

 private:
  interp::Thread& t_;
  // The thread itself writes, and a signal's watcher thread reads.
  mutable std::mutex mu_;
  const interp::Memory* mem_ = nullptr;
  uintptr_t key_ = 0;
  int64_t timeout_ = -1;
  bool parked_ = false, blocked_ = false;
  threads::ThreadState frozen_;
};

// True when the module imports a lock hook (built with tracing hooks).
bool uses_lock_hooks(const Module& m) {
  for (const Import& imp : m.imports)
    if (imp.module == "wasm_threadlink" && imp.field == "finish_lock") return true;
  return false;
}

// A program: the module is thread 0, threads come and go through its
// wasm_threadlink or wasi-threads imports, and a WASI program's functions
// come with s.threadlink.host_imports (threads/threadlink.h). Exit statuses
// as for plain modules, plus kExitPanic and a WASI program's own.
int run_program(const std::string& path, std::shared_ptr<const interp::CompiledModule> cm,
                   RunSettings& s, const std::string& name, const std::vector<interp::Slot>& args,
                   const FuncType* type) {
  s.threadlink.interp = s.thread;
  std::unique_ptr<TraceSession> tracing;
  if (s.trace) {
    tracing = std::make_unique<TraceSession>(s);
    s.threadlink.recorder = &tracing->recorder();
  }
  // With --race the detector sees every event first and passes it on to
  // the recorder when tracing too.
  std::unique_ptr<RaceSession> racing;
  if (s.race && RaceSession::applies(*cm->module)) {
    racing = std::make_unique<RaceSession>(cm, s, tracing ? &tracing->recorder() : nullptr);
    s.threadlink.recorder = &racing->detector();
  }
  // --deadlock: the predictor hears of every lock the hooks report (a
  // module without them has nothing to predict from).
  std::unique_ptr<DeadlockSession> predicting;
  if (s.deadlock) {
    if (!uses_lock_hooks(*cm->module))
      std::fprintf(stderr,
                   "wgi: warning: --deadlock: the module does not import the lock hooks "
                   "(wasm_threadlink.start_lock, ...): no lock orders to check\n");
    predicting = std::make_unique<DeadlockSession>(cm);
    s.threadlink.lock_observer = predicting.get();
  }
  auto rt = threads::Runtime::create(cm, s.threadlink);
  if (!rt.ok()) {
    report_error(path, rt.error(), nullptr);
    return kExitError;
  }
  threads::Runtime& runtime = **rt;
  // SIGINT and SIGQUIT stop the program and say where every thread was
  // (and, traced, the trace is written).
  auto on_signal = [&runtime](int sig) { runtime.interrupt(sig); };
  std::unique_ptr<SigintWatcher> watcher;
  if (tracing) tracing->watch(on_signal);
  else watcher = std::make_unique<SigintWatcher>(on_signal, [] {}, /*writes_trace=*/false, s.timeout);
  threads::RunOutcome o = runtime.run(name, args);
  watcher.reset();
  if (o.kind == threads::RunOutcome::Kind::Ok) {
    if (type) print_results(*type, o.results);
  } else {
    std::fflush(stdout);
    std::fputs(o.report.c_str(), stderr);
  }
  int status = exit_status(o);
  if (o.kind == threads::RunOutcome::Kind::Interrupted && o.signal == SIGQUIT) status = kExitQuit;
  if (o.kind == threads::RunOutcome::Kind::Interrupted && o.signal == SigintWatcher::kTimeoutSignal)
    status = kExitTimeout;
  // A lock cycle that did not end the run still makes it fail, as races do.
  if (status == kExitOk && !o.lock_cycles.empty()) status = kExitDeadlock;
  return finish_checks(path, *cm, s, racing.get(), predicting.get(), tracing.get(), status,
                       json_live_deadlock(*cm->module, o));
}

}  // namespace

int cmd_run(std::span<char* const> args) {
  RunSettings s;
  if (std::optional<int> status = parse_run_args(args, s)) return *status;
  if (s.help) {
    print_run_help(stdout);
    return kExitOk;
  }
  if (s.positional.empty()) return run_usage_error("no module file given");
  const std::string path = s.positional[0];
  const std::vector<std::string> call_args(s.positional.begin() + 1, s.positional.end());
  if (!s.trace && (s.trace_out || s.trace_limit))
    return run_usage_error(std::string(s.trace_out ? "--trace-out" : "--trace-limit") + " needs --trace");
  if (!s.race && (s.race_limit || s.race_stats))
    return run_usage_error(std::string(s.race_limit ? "--race-limit" : "--race-stats") + " needs --race");

  // ---- load: read, decode, validate, compile ----
  Result<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes.ok()) {
    report_error(path, bytes.error(), nullptr);
    return kExitError;
  }
  Result<Module> decoded = decode_module(std::move(bytes).value(), s.features);
  if (!decoded.ok()) {
    report_error(path, decoded.error(), nullptr);
    return kExitError;
  }
  auto module = std::make_shared<const Module>(std::move(decoded).value());
  // Traced runs use the recording variant of the code (interp/code.h);
  // untraced code has no trace instructions at all.
  // So does --race where there is a shared memory to check (a memory only
  // one thread can reach cannot race: unchecked, at no cost).
  // Otherwise functions are compiled at their first call, so a big program
  // starts at once; except under --deadlock, whose lock hooks resolve
  // their callers' frames on every lock operation, and that lookup is
  // lock-free only in eagerly compiled code.
  const bool traced = s.trace || (s.race && RaceSession::applies(*module));
  Result<std::shared_ptr<const interp::CompiledModule>> compiled = interp::compile_module(
      module, s.features, {.trace = traced, .lazy = !s.deadlock});
  if (!compiled.ok()) {
    report_error(path, compiled.error(), module.get());
    return kExitError;
  }

  // ---- the program's arguments (WASI), or the function's ----
  const bool wasi_program = wasi::uses_wasi(*module);
  if (!s.invoke && !call_args.empty() && !wasi_program)
    return invocation_error(path, "arguments given ('" + call_args[0] +
                                      "'), but the module is not a WASI program: use --invoke NAME to pass "
                                      "them to an export");
  if (!wasi_program && (!s.wasi.preopens.empty() || !s.wasi.env.empty()))
    std::fprintf(stderr, "wgi: warning: %s is not a WASI program: --dir and --env have no effect\n",
                 path.c_str());

  // ---- the function to call and its arguments ----
  // Checked against the module before instantiating: a usage error must not
  // run the start function first.
  // (A plain string and a flag: g++ 12 warns falsely about optional<string>.)
  const bool call = s.invoke.has_value() || module->find_export("_start") != nullptr;
  const std::string name = s.invoke.value_or("_start");
  const FuncType* type = nullptr;
  std::vector<interp::Slot> arg_slots, result_slots;
  if (call) {
    const Export* e = module->find_export(name);
    if (e == nullptr) {
      std::string known;
      for (const Export& x : module->exports)
        if (x.kind == ExternKind::Func) known.append(known.empty() ? "" : ", ").append(quote_name(x.name));
      return invocation_error(path, "no export named " + quote_name(name) +
                                        (known.empty() ? " (the module exports no functions)"
                                                       : " (exported functions: " + known + ")"));
    }
    if (e->kind != ExternKind::Func)
      return invocation_error(path, "export " + quote_name(name) + " is " +
                                        extern_kind_article(e->kind) + ", not a function");
    type = &module->func_type(e->index);
    if (!s.invoke && wasi_program) {
      // _start of a WASI program: ARGS are the program's (for the WASI
      // context below), and _start takes nothing.
      if (!type->params.empty() || !type->results.empty())
        return invocation_error(path, "export \"_start\" has type " + format_func_type(*type) +
                                          ", but a program's entry point takes and returns nothing");
    } else if (call_args.size() != type->params.size()) {
      return invocation_error(
          path, quote_name(name) + " takes " + std::to_string(type->params.size()) +
                    (type->params.size() == 1 ? " argument " : " arguments ") +
                    format_type_list(type->params) + ", got " + std::to_string(call_args.size()));
    }
    for (ValType t : type->params) arg_slots.resize(arg_slots.size() + interp::slot_count(t));
    for (ValType t : type->results) result_slots.resize(result_slots.size() + interp::slot_count(t));
    for (size_t i = 0, slot = 0; (s.invoke || !wasi_program) && i < call_args.size(); ++i) {
      const ValType t = type->params[i];
      if (std::optional<std::string> err = interp::parse_value(t, call_args[i], &arg_slots[slot]))
        return invocation_error(path, "argument " + std::to_string(i + 1) + " of " +
                                          quote_name(name) + ": " + *err);
      slot += interp::slot_count(t);
    }
  }

  // ---- programs: WASI, and modules built against the wasm_threadlink ABI ----
  if (wasi_program || threads::uses_threadlink(*module) || threads::uses_wasi_threads(*module)) {
    std::unique_ptr<wasi::Wasi> wasi_host;
    interp::Linker host_imports;
    if (wasi_program) {
      s.wasi.args.assign(1, path);
      if (!s.invoke) s.wasi.args.insert(s.wasi.args.end(), call_args.begin(), call_args.end());
      auto w = wasi::Wasi::create(s.wasi);
      if (!w.ok()) {
        report_error(path, w.error(), nullptr);
        return kExitError;
      }
      wasi_host = std::move(w).value();
      wasi_host->define(host_imports);
    }
    s.threadlink.host_imports = &host_imports;
    s.threadlink.trap_unknown_imports = s.trap_unknown_imports;
    // (A WASI program's _start has no results to print.)
    return run_program(path, *compiled, s, call ? name : "", arg_slots, type);
  }

  // ---- link and instantiate ----
  // Plain modules get no host imports: a module with imports fails here
  // with "unknown import" (unless --trap-unknown-imports stubs them).
  interp::Store store;
  store.limits = s.threadlink.store_limits;
  interp::Linker linker;
  if (s.trap_unknown_imports) linker.define_missing_as_traps(store, *module);
  Result<std::vector<interp::ExternVal>> imports = linker.resolve(*module);
  if (!imports.ok()) {
    report_error(path, imports.error(), module.get());
    return kExitError;
  }
  std::unique_ptr<interp::Thread> thread;
  try {
    thread = std::make_unique<interp::Thread>(s.thread);
  } catch (const std::bad_alloc&) {
    return run_usage_error("cannot reserve the stacks for --max-stack " +
                           std::to_string(s.thread.value_stack_bytes) + " and --max-call-depth " +
                           std::to_string(s.thread.max_call_depth));
  }
  // The one thread parking in a wait without a timeout can never be
  // notified: a live deadlock, found when it parks. The observer also
  // knows whether it waits when a signal stops it.
  OnlyThreadObserver only(*thread);
  thread->park_observer = &only;
  interp::Thread* t = thread.get();
  auto on_signal = [t, &only](int) {
    only.freeze();
    t->request_interrupt();
  };
  // Traced: the one thread records, SIGINT interrupts it, and the trace is
  // written however the run ends (after instantiation began).
  std::unique_ptr<TraceSession> tracing;
  if (s.trace) {
    tracing = std::make_unique<TraceSession>(s);
    tracing->watch(on_signal);
  }
  // Untraced, SIGINT and SIGQUIT stop it too, and say where it was.
  std::unique_ptr<SigintWatcher> watcher;
  if (!tracing) watcher = std::make_unique<SigintWatcher>(on_signal, [] {}, /*writes_trace=*/false, s.timeout);
  // --race on one thread finds nothing, but it runs the same way.
  std::unique_ptr<RaceSession> racing;
  if (s.race && RaceSession::applies(*module))
    racing = std::make_unique<RaceSession>(*compiled, s, tracing ? &tracing->recorder() : nullptr);
  if (racing) thread->trace_ = racing->detector().add_thread(0);
  else if (tracing) thread->trace_ = tracing->recorder().add_thread(0);
  threads::RunOutcome deadlock;  // its report, when it happens
  auto finish = [&](int status) {
    if (thread->trace_) thread->trace_->mark_end();
    return finish_checks(path, **compiled, s, racing.get(), nullptr, tracing.get(), status,
                         json_live_deadlock(*module, deadlock));
  };
  // A trap, a deadlock, or the interruption a SIGINT asked for (exit 130).
  // The one thread's report: its state then, and where it stopped.
  auto report_only_thread = [&](const std::string& header, threads::ThreadState state) {
    threads::ThreadReport r{state, {}};
    for (const interp::BacktraceFrame& f : thread->backtrace())
      if (f.instance) r.backtrace.push_back({f.func_index, f.offset});
    std::fflush(stdout);
    std::fputs((header + threads::format_thread_reports(*module, {r})).c_str(), stderr);
    return r;
  };
  auto stopped = [&](interp::TrapKind k, const char* context) {
    if (k == interp::TrapKind::Interrupted && only.blocked()) {
      deadlock.kind = threads::RunOutcome::Kind::Deadlock;
      deadlock.all_blocked = true;
      deadlock.threads.push_back(report_only_thread("wgi: deadlock: the only thread is blocked\n", only.state()));
      return finish(kExitDeadlock);
    }
    const int sig = tracing ? tracing->signal() : watcher ? watcher->signal() : 0;
    if (k == interp::TrapKind::Interrupted && sig != 0) {
      const bool timeout = sig == SigintWatcher::kTimeoutSignal;
      report_only_thread(std::string("wgi: interrupted (") +
                             (timeout ? "--timeout" : sig == SIGQUIT ? "SIGQUIT" : "SIGINT") + "): 1 thread\n",
                         only.frozen());
      return finish(timeout ? kExitTimeout : sig == SIGQUIT ? kExitQuit : kExitInterrupted);
    }
    return finish(report_trap(k, thread->backtrace(), context));
  };
  Result<interp::Instantiation> inst = interp::instantiate(store, *compiled, *imports, *thread);
  if (!inst.ok()) {
    report_error(path, inst.error(), module.get());
    return finish(kExitError);
  }
  only.set_memory(inst->instance->memory);
  if (inst->trap != interp::TrapKind::None)
    return stopped(inst->trap, "while initialising the module's table and memory segments");
  if (!call) return finish(kExitOk);  // instantiating (and the start function) was the whole job

  // ---- call and print ----
  const interp::FuncInst& func = *inst->instance->get_export_func(name);
  const interp::TrapKind k = thread->invoke(func, arg_slots.data(), result_slots.data());
  if (k != interp::TrapKind::None) return stopped(k, nullptr);
  print_results(*type, result_slots);
  return finish(kExitOk);
}

}  // namespace wgi::cli
