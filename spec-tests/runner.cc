#include "runner.h"

#include <cstdio>
#include <exception>

#include "crash_guard.h"
#include "interp/code.h"
#include "interp/trap.h"
#include "spectest_host.h"
#include "values.h"

namespace wgi::spec {

using interp::TrapKind;

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "trap "unreachable"", with where it happened when the thread knows.
std::string describe_trap(TrapKind k, const interp::Thread* thread) {
  std::string s = "trap " + in_quotes(interp::trap_message(k));
  if (thread && !thread->backtrace().empty()) {
    const interp::BacktraceFrame& f = thread->backtrace().front();
    if (!f.host_name.empty()) s += " in " + f.host_name;
    else s += " in func " + std::to_string(f.func_index) + " at " + hex(f.offset);
  }
  return s;
}

// What an invocation that did not return normally did instead.
std::string describe_status(TrapKind k, bool timed_out, double limit,
                            const interp::Thread* thread) {
  if (timed_out) return "timed out after " + seconds(limit) + " (interrupted by the watchdog)";
  if (interp::is_trap(k)) return describe_trap(k, thread);
  return "stopped with status " + in_quotes(interp::trap_message(k));
}

std::string describe_values(const std::vector<Value>& values) {
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + format_expected(values[i]);
  return s + ")";
}

std::string entry_unavailable(const ModuleEntry& e) {
  return "the module defined at line " + std::to_string(e.line) + " has no instance (" +
         e.unavailable + ")";
}

}  // namespace

std::string describe_error(const Error& e) {
  std::string s = error_code_name(e.code);
  s += e.offset == kNoOffset ? " (no offset)" : " at " + hex(e.offset);
  if (e.func_index != kNoFunc) s += " in func " + std::to_string(e.func_index);
  return s + ": " + e.message;
}

std::string describe_command(const std::string& script, const Command& cmd) {
  std::string s = script + ":" + std::to_string(cmd.line) + ": " + cmd.type;
  if (!cmd.filename.empty()) s += " " + cmd.filename;
  if (cmd.kind == CommandKind::Register) s += " " + in_quotes(cmd.as) + (cmd.name.empty() ? "" : " " + cmd.name);
  if (cmd.action) {
    s += " " + cmd.action->type + (cmd.action->module.empty() ? "" : " " + cmd.action->module) +
         " " + in_quotes(cmd.action->field);
    if (cmd.action->type == "invoke") s += " " + describe_values(cmd.action->args);
  }
  return s;
}

std::string kind_label(const Command& cmd) {
  switch (cmd.kind) {
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformed:
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertUninstantiable:
      return cmd.type + (cmd.is_text_module() ? " (text)" : " (binary)");
    case CommandKind::Unknown:
      return "unknown command \"" + cmd.type + "\"";
    default:
      return cmd.type;
  }
}

ScriptRunner::ScriptRunner(const RunOptions& options, ModuleSource& source,
                           KnownConflicts& conflicts, Tally& tally)
    : options_(options),
      source_(source),
      conflicts_(conflicts),
      tally_(tally),
      watchdog_(options.execute ? options.timeout_seconds : 0) {}

ScriptRunner::~ScriptRunner() = default;

void ScriptRunner::start_script(const Features& features) {
  features_ = features;
  registry_ = Registry();  // every script starts from nothing
  skipped_registrations_.clear();
  setup_problem_.clear();
  // The linker and registry point into the store: drop them first.
  linker_.reset();
  store_.reset();
  if (!options_.execute) return;
  store_ = std::make_unique<interp::Store>();
  linker_ = std::make_unique<interp::Linker>();
  if (!thread_) thread_ = std::make_unique<interp::Thread>(options_.thread);
  Result<void> ok = define_spectest(*store_, *linker_,
                                    SpectestOptions{.threads = features.threads,
                                                    .verbose = options_.verbose});
  if (!ok.ok()) setup_problem_ = "cannot create the spectest module: " + describe_error(ok.error());
}

Counts ScriptRunner::run(const Script& script, const std::string& name,
                         const std::filesystem::path& dir, const Features& features) {
  name_ = name;
  dir_ = dir;
  start_script(features);

  // After an exception the thread's stacks may be mid-call: use a fresh one.
  auto replace_thread = [this] {
    thread_.reset();
    if (options_.execute) thread_ = std::make_unique<interp::Thread>(options_.thread);
  };
  Counts counts;
  for (const Command& cmd : script.commands) {
    note_current_command(describe_command(name_, cmd));
    Outcome o;
    try {
      if (const KnownConflict* c = conflicts_.match(name_, cmd.line)) {
        o = on_known_conflict(cmd, *c);
      } else {
        o = dispatch(cmd);
      }
    } catch (const std::exception& e) {
      o = Outcome::fail("no C++ exception", std::string("exception: ") + e.what());
      replace_thread();
    } catch (...) {
      o = Outcome::fail("no C++ exception", "an exception of unknown type");
      replace_thread();
    }
    counts.add(o.status);
    tally_.all.add(o.status);
    tally_.by_kind[kind_label(cmd)].add(o.status);
    if (o.status == Status::Skipped) ++tally_.skip_reasons[o.skip_reason];
    if (o.wrong_category) ++tally_.wrong_category;
    report(cmd, o);
  }
  note_current_command({});
  // Free the script's memories and instances now rather than at the next script.
  registry_ = Registry();
  linker_.reset();
  store_.reset();
  return counts;
}

Outcome ScriptRunner::dispatch(const Command& cmd) {
  switch (cmd.kind) {
    case CommandKind::Module: return on_module(cmd);
    case CommandKind::Register: return on_register(cmd);
    case CommandKind::Action:
    case CommandKind::AssertReturn:
    case CommandKind::AssertTrap:
    case CommandKind::AssertExhaustion: return on_action(cmd);
    case CommandKind::AssertInvalid: return on_assert_invalid(cmd);
    case CommandKind::AssertMalformed: return on_assert_malformed(cmd);
    case CommandKind::AssertUnlinkable: return on_assert_unlinkable(cmd);
    case CommandKind::AssertUninstantiable: return on_assert_uninstantiable(cmd);
    case CommandKind::Unknown: return on_unknown(cmd);
  }
  return on_unknown(cmd);
}

Verdict ScriptRunner::load(const Command& cmd) {
  if (cmd.filename.empty()) {
    Verdict v;
    v.problem = "the command names no module file";
    return v;
  }
  return source_.load(dir_ / cmd.filename, features_);
}

ScriptRunner::Instantiated ScriptRunner::instantiate(const std::shared_ptr<const Module>& module) {
  Instantiated r;
  if (!setup_problem_.empty()) {
    r.text = setup_problem_;
    return r;
  }
  // Lazily compiled, as `wgi run` runs modules: the suite checks that code
  // compiled at its first call behaves exactly as the spec says.
  auto cm = interp::compile_module(module, features_, {.lazy = true});
  if (!cm.ok()) {
    r.text = "compile_module failed: " + describe_error(cm.error());
    return r;
  }
  // Importing from a module that was skipped skips for the same reason: its
  // exports are missing from the linker through no fault of this module.
  for (const Import& imp : module->imports) {
    auto it = skipped_registrations_.find(imp.module);
    if (it != skipped_registrations_.end()) {
      r.kind = Instantiated::Skip;
      r.text = it->second;
      return r;
    }
  }
  auto imports = linker_->resolve(*module);
  if (!imports.ok()) {
    r.kind = imports.error().code == ErrorCode::Unlinkable ? Instantiated::LinkError
                                                           : Instantiated::Failure;
    r.error = imports.error();
    r.text = "Linker::resolve failed: " + describe_error(imports.error());
    return r;
  }
  // A trap in a segment initializer records no backtrace, so drop the one
  // an earlier invocation left: a backtrace after this call is the start
  // function's.
  thread_->backtrace_.clear();
  Watchdog::Scope watch(watchdog_, *thread_);
  auto res = interp::instantiate(*store_, *cm, *imports, *thread_);
  const bool timed_out =
      watch.finish() && res.ok() && res->trap == TrapKind::Interrupted;
  if (!res.ok()) {
    const Error& e = res.error();
    if (e.code == ErrorCode::Unlinkable) {
      r.kind = Instantiated::LinkError;
      r.error = e;
    } else {
      r.text = "instantiate failed: " + describe_error(e);
    }
    return r;
  }
  r.instance = res->instance;
  r.trap = res->trap;
  if (res->trap == TrapKind::None && res->instance) {
    r.kind = Instantiated::Ok;
  } else if (interp::is_trap(res->trap)) {
    r.kind = Instantiated::Trap;
  } else if (res->trap == TrapKind::None) {
    r.text = "instantiate succeeded without an instance";
  } else {
    r.text = "instantiation " +
             describe_status(res->trap, timed_out, watchdog_.limit_seconds(), thread_.get());
  }
  return r;
}

Outcome ScriptRunner::on_module(const Command& cmd) {
  auto entry = std::make_shared<ModuleEntry>();
  entry->line = cmd.line;
  if (cmd.is_text_module()) {
    entry->unavailable = kTextModule;
    entry->skipped = true;
    registry_.define(cmd.name, std::move(entry));
    return Outcome::skip(kTextModule);
  }
  const std::string expected = "a module that validates, links and instantiates";
  Verdict v = load(cmd);
  if (!v.problem.empty() || !v.valid) {
    entry->unavailable = "it failed to load";
    registry_.define(cmd.name, std::move(entry));
    return Outcome::fail(expected, v.problem.empty() ? describe_error(v.error) : v.problem);
  }
  entry->module = std::move(v.module);
  if (!options_.execute || !entry->module) {
    entry->unavailable = kCliNoExecution;
    entry->skipped = true;
    registry_.define(cmd.name, std::move(entry));
    return Outcome::pass();  // what --cli mode checks: the module is valid
  }
  Instantiated r = instantiate(entry->module);
  Outcome o;
  switch (r.kind) {
    case Instantiated::Ok:
      entry->instance = r.instance;
      o = Outcome::pass();
      break;
    case Instantiated::Skip:
      entry->unavailable = r.text;
      entry->skipped = true;
      o = Outcome::skip(r.text);
      break;
    case Instantiated::LinkError:
      entry->unavailable = "it failed to link";
      o = Outcome::fail(expected, describe_error(r.error));
      break;
    case Instantiated::Trap:
      entry->unavailable = "its instantiation trapped";
      o = Outcome::fail(expected, "instantiation " + describe_trap(r.trap, thread_.get()));
      break;
    case Instantiated::Failure:
      entry->unavailable = "it failed to instantiate";
      o = Outcome::fail(expected, r.text);
      break;
  }
  registry_.define(cmd.name, std::move(entry));
  return o;
}

Outcome ScriptRunner::on_register(const Command& cmd) {
  const std::string expected = "a module to register as " + in_quotes(cmd.as);
  auto e = registry_.register_as(cmd.as, cmd.name);
  if (!e)
    return Outcome::fail(expected, cmd.name.empty() ? "no current module" : "no module " + cmd.name);
  if (e->instance) {
    linker_->define_instance(cmd.as, *e->instance);
    skipped_registrations_.erase(cmd.as);
    return Outcome::pass();
  }
  if (e->skipped) {
    skipped_registrations_[cmd.as] = e->unavailable;
    return Outcome::skip(e->unavailable);
  }
  return Outcome::fail(expected, entry_unavailable(*e));
}

ScriptRunner::ActionResult ScriptRunner::perform(const Action& action,
                                                 const interp::Instance& inst) {
  ActionResult r;
  if (action.type == "get") {
    auto ev = inst.get_export(action.field);
    if (!ev || ev->kind != ExternKind::Global) {
      r.problem = "no exported global " + in_quotes(action.field);
      return r;
    }
    const interp::GlobalInst& g = *ev->global;
    r.types = {g.type.type};
    r.slots.assign(g.value, g.value + interp::slot_count(g.type.type));
    return r;
  }
  if (action.type != "invoke") {
    r.problem = "unknown action type " + in_quotes(action.type);
    return r;
  }
  const interp::FuncInst* f = inst.get_export_func(action.field);
  if (!f) {
    r.problem = "no exported function " + in_quotes(action.field);
    return r;
  }
  const FuncType& type = *f->type;
  if (action.args.size() != type.params.size()) {
    r.problem = std::to_string(action.args.size()) + " arguments for a function with " +
                std::to_string(type.params.size()) + " parameters";
    return r;
  }
  std::vector<interp::Slot> args;
  for (size_t i = 0; i < type.params.size(); ++i) {
    interp::Slot s[2];
    if (auto err = value_to_slots(action.args[i], type.params[i], s)) {
      r.problem = "argument " + std::to_string(i) + ": " + *err;
      return r;
    }
    args.insert(args.end(), s, s + interp::slot_count(type.params[i]));
  }
  size_t result_slots = 0;
  for (ValType t : type.results) result_slots += interp::slot_count(t);
  r.types = type.results;
  r.slots.assign(result_slots, 0);
  // Never hand out null pointers for empty lists.
  args.reserve(1);
  r.slots.reserve(1);
  Watchdog::Scope watch(watchdog_, *thread_);
  r.trap = thread_->invoke(*f, args.data(), r.slots.data());
  r.timed_out = watch.finish() && r.trap == TrapKind::Interrupted;
  return r;
}

Outcome ScriptRunner::on_action(const Command& cmd) {
  std::string expected;
  switch (cmd.kind) {
    case CommandKind::AssertReturn: expected = "results " + describe_values(cmd.expected); break;
    case CommandKind::AssertTrap: expected = "trap " + in_quotes(cmd.text); break;
    case CommandKind::AssertExhaustion: expected = "exhaustion " + in_quotes(cmd.text); break;
    default: expected = "no trap"; break;
  }
  if (!cmd.action) return Outcome::fail(expected, "the command has no action");
  const Action& a = *cmd.action;
  auto entry = registry_.find(a.module);
  if (!entry)
    return Outcome::fail(expected, a.module.empty() ? "no current module" : "no module " + a.module);
  if (!entry->instance) {
    if (entry->skipped) return Outcome::skip(entry->unavailable);
    return Outcome::fail(expected, entry_unavailable(*entry));
  }

  ActionResult r = perform(a, *entry->instance);
  if (!r.problem.empty()) return Outcome::fail(expected, r.problem);

  auto describe_results = [&] {
    std::string s = "results (";
    size_t slot = 0;
    for (size_t i = 0; i < r.types.size(); ++i) {
      const std::string lane_type = i < cmd.expected.size() ? cmd.expected[i].lane_type : "";
      s += (i ? ", " : "") + format_actual(r.types[i], &r.slots[slot], lane_type);
      slot += interp::slot_count(r.types[i]);
    }
    return s + ")";
  };
  const std::string status =
      r.trap == TrapKind::None
          ? std::string()
          : describe_status(r.trap, r.timed_out, watchdog_.limit_seconds(), thread_.get());

  if (cmd.kind == CommandKind::AssertTrap || cmd.kind == CommandKind::AssertExhaustion) {
    if (r.trap == TrapKind::None) return Outcome::fail(expected, describe_results());
    const TrapKind want = cmd.kind == CommandKind::AssertExhaustion
                              ? TrapKind::CallStackExhausted
                              : interp::trap_kind_from_message(cmd.text);
    if (want == TrapKind::None)
      return Outcome::fail(expected, "(runner) no trap kind has this message; got " + status);
    if (r.timed_out || r.trap != want) return Outcome::fail(expected, status);
    return Outcome::pass();
  }

  if (r.trap != TrapKind::None) return Outcome::fail(expected, status);
  if (cmd.kind != CommandKind::AssertReturn) return Outcome::pass();
  if (r.types.size() != cmd.expected.size())
    return Outcome::fail(expected, std::to_string(r.types.size()) + " " + describe_results());
  size_t slot = 0;
  for (size_t i = 0; i < r.types.size(); ++i) {
    if (auto why = match_value(cmd.expected[i], r.types[i], &r.slots[slot]))
      return Outcome::fail(expected,
                           describe_results() + ": result " + std::to_string(i) + ": " + *why);
    slot += interp::slot_count(r.types[i]);
  }
  return Outcome::pass();
}

Outcome ScriptRunner::on_assert_invalid(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  return expect_rejection(cmd, ErrorCode::Invalid);
}

Outcome ScriptRunner::on_assert_malformed(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  return expect_rejection(cmd, ErrorCode::Malformed);
}

std::shared_ptr<const Module> ScriptRunner::load_valid(const Command& cmd,
                                                       const std::string& expected,
                                                       Outcome* failure) {
  // Linking and instantiation come after validation: the module itself must
  // be valid.
  Verdict v = load(cmd);
  if (!v.problem.empty() || !v.valid) {
    *failure = Outcome::fail("a valid module that then fails with " + expected,
                             v.problem.empty() ? describe_error(v.error) : v.problem);
    return nullptr;
  }
  if (!options_.execute || !v.module) {
    *failure = Outcome::skip(kCliNoExecution);
    return nullptr;
  }
  return std::move(v.module);
}

Outcome ScriptRunner::on_assert_unlinkable(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  const std::string expected = "link error " + in_quotes(cmd.text);
  Outcome o;
  auto module = load_valid(cmd, expected, &o);
  if (!module) return o;
  Instantiated r = instantiate(module);
  switch (r.kind) {
    case Instantiated::LinkError:
      note_message(cmd, r.error.message, describe_error(r.error));
      return Outcome::pass();
    case Instantiated::Skip: return Outcome::skip(r.text);
    case Instantiated::Ok: return Outcome::fail(expected, "the module linked and instantiated");
    case Instantiated::Trap:
      return Outcome::fail(expected,
                           "the module linked, then instantiation " + describe_trap(r.trap, thread_.get()));
    case Instantiated::Failure: return Outcome::fail(expected, r.text);
  }
  return Outcome::fail(expected, "?");
}

Outcome ScriptRunner::on_assert_uninstantiable(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  const std::string expected = "instantiation trap " + in_quotes(cmd.text);
  Outcome o;
  auto module = load_valid(cmd, expected, &o);
  if (!module) return o;
  Instantiated r = instantiate(module);
  switch (r.kind) {
    case Instantiated::Trap: {
      const TrapKind want = interp::trap_kind_from_message(cmd.text);
      if (want == TrapKind::None)
        return Outcome::fail(expected, "(runner) no trap kind has this message; got " +
                                           describe_trap(r.trap, thread_.get()));
      if (r.trap != want) return Outcome::fail(expected, describe_trap(r.trap, thread_.get()));
      return Outcome::pass();
    }
    case Instantiated::Skip: return Outcome::skip(r.text);
    case Instantiated::Ok: return Outcome::fail(expected, "the module instantiated without a trap");
    case Instantiated::LinkError: return Outcome::fail(expected, describe_error(r.error));
    case Instantiated::Failure: return Outcome::fail(expected, r.text);
  }
  return Outcome::fail(expected, "?");
}

Outcome ScriptRunner::on_unknown(const Command& cmd) {
  return Outcome::fail("a command type this runner knows", "\"" + cmd.type + "\"");
}

void ScriptRunner::note_message(const Command& cmd, const std::string& message,
                                const std::string& shown) {
  ++tally_.rejections;
  // Informational only: engines word their messages differently, and the
  // category is what the spec defines. The reference interpreter's messages
  // begin with the suite's text, so count how often ours do too.
  if (message.compare(0, cmd.text.size(), cmd.text) == 0) {
    ++tally_.text_matches;
  } else if (options_.show_text_mismatches) {
    std::printf("  text  %s\n        expected \"%s\", got %s\n", describe_command(name_, cmd).c_str(),
                cmd.text.c_str(), shown.c_str());
  }
}

Outcome ScriptRunner::expect_rejection(const Command& cmd, ErrorCode code) {
  const std::string expected = std::string(error_code_name(code)) + " (\"" + cmd.text + "\")";
  Verdict v = load(cmd);
  if (!v.problem.empty()) return Outcome::fail(expected, v.problem);
  if (v.valid) return Outcome::fail(expected, "the module was accepted");
  if (v.error.code != code) {
    Outcome o = Outcome::fail(expected, describe_error(v.error));
    o.wrong_category = true;
    return o;
  }
  note_message(cmd, v.error.message, describe_error(v.error));
  return Outcome::pass();
}

Outcome ScriptRunner::on_known_conflict(const Command& cmd, const KnownConflict& conflict) {
  const std::string expected =
      "a valid module (known conflict, Wasm 2.0 accepts it: " + conflict.reason + ")";
  if ((cmd.kind != CommandKind::AssertInvalid && cmd.kind != CommandKind::AssertMalformed) ||
      cmd.is_text_module())
    return Outcome::fail(expected, "the listed command is a " + kind_label(cmd) +
                                       ", not a binary assert_invalid/assert_malformed");
  Verdict v = load(cmd);
  if (!v.problem.empty()) return Outcome::fail(expected, v.problem);
  if (!v.valid) return Outcome::fail(expected, describe_error(v.error));
  tally_.conflicts.push_back(name_ + ":" + std::to_string(cmd.line));
  Outcome o;
  o.status = Status::Conflict;
  return o;
}

void ScriptRunner::report(const Command& cmd, const Outcome& o) {
  if (o.status != Status::Failed) return;
  // Category swaps are always printed: they may be a decoder bug or a
  // judgement call about where a check belongs, and someone has to decide.
  if (!options_.verbose && !o.wrong_category) return;
  std::printf("  %s %s\n", o.wrong_category ? "WRONG CATEGORY" : "FAIL",
              describe_command(name_, cmd).c_str());
  std::printf("      expected: %s\n      actual:   %s\n", o.expected.c_str(), o.actual.c_str());
}

}  // namespace wgi::spec
