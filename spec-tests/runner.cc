#include "runner.h"

#include <cstdio>

namespace wgi::spec {

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
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
  if (cmd.action) s += " " + cmd.action->type + " \"" + cmd.action->field + "\"";
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

Counts ScriptRunner::run(const Script& script, const std::string& name,
                         const std::filesystem::path& dir, const Features& features) {
  name_ = name;
  dir_ = dir;
  features_ = features;
  registry_ = Registry();  // every script starts from nothing

  Counts counts;
  for (const Command& cmd : script.commands) {
    Outcome o;
    if (const KnownConflict* c = conflicts_.match(name_, cmd.line)) {
      o = on_known_conflict(cmd, *c);
    } else {
      o = dispatch(cmd);
    }
    counts.add(o.status);
    tally_.all.add(o.status);
    tally_.by_kind[kind_label(cmd)].add(o.status);
    if (o.status == Status::Skipped) ++tally_.skip_reasons[o.skip_reason];
    if (o.wrong_category) ++tally_.wrong_category;
    report(cmd, o);
  }
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
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertUninstantiable: return on_assert_link_failure(cmd);
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

Outcome ScriptRunner::on_module(const Command& cmd) {
  if (cmd.is_text_module()) {
    registry_.clear_current();
    return Outcome::skip(kTextModule);
  }
  Verdict v = load(cmd);
  if (!v.problem.empty() || !v.valid) {
    registry_.clear_current();
    return Outcome::fail("a valid module", v.problem.empty() ? describe_error(v.error) : v.problem);
  }
  // TODO(interp): instantiate v.module here, importing from registry_ and the
  // `spectest` host module; an instantiation failure fails the command.
  auto entry = std::make_shared<ModuleEntry>();
  entry->module = std::move(v.module);
  entry->line = cmd.line;
  registry_.define(cmd.name, std::move(entry));
  return Outcome::pass();
}

Outcome ScriptRunner::on_register(const Command& cmd) {
  // Recorded now so later imports can be resolved once instances exist.
  registry_.register_as(cmd.as, cmd.name);
  return Outcome::skip(kNeedsInterpreter);
}

Outcome ScriptRunner::on_action(const Command& cmd) {
  // TODO(interp): look up the action's module (registry_.find(action.module)),
  // invoke the export or read the global, then compare with cmd.expected
  // (assert_return), the trap message cmd.text (assert_trap) or exhaustion.
  return Outcome::skip(kNeedsInterpreter);
}

Outcome ScriptRunner::on_assert_invalid(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  return expect_rejection(cmd, ErrorCode::Invalid);
}

Outcome ScriptRunner::on_assert_malformed(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  return expect_rejection(cmd, ErrorCode::Malformed);
}

Outcome ScriptRunner::on_assert_link_failure(const Command& cmd) {
  if (cmd.is_text_module()) return Outcome::skip(kTextModule);
  // Linking and instantiation come after validation, so the module itself
  // must be valid: that part is checked now, the rest needs the interpreter.
  Verdict v = load(cmd);
  if (!v.problem.empty() || !v.valid) {
    return Outcome::fail("a valid module (that then fails to " +
                             std::string(cmd.kind == CommandKind::AssertUnlinkable
                                              ? "link"
                                              : "instantiate") +
                             ": \"" + cmd.text + "\")",
                         v.problem.empty() ? describe_error(v.error) : v.problem);
  }
  // TODO(interp): instantiate and expect the link error / trap in cmd.text.
  return Outcome::skip(kNeedsInterpreter);
}

Outcome ScriptRunner::on_unknown(const Command& cmd) {
  return Outcome::fail("a command type this runner knows", "\"" + cmd.type + "\"");
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
  ++tally_.rejections;
  // Informational only: engines word their messages differently, and the
  // category is what the spec defines. The reference interpreter's messages
  // begin with the suite's text, so count how often ours do too.
  if (v.error.message.compare(0, cmd.text.size(), cmd.text) == 0) {
    ++tally_.text_matches;
  } else if (options_.show_text_mismatches) {
    std::printf("  text  %s\n        expected \"%s\", got %s\n", describe_command(name_, cmd).c_str(),
                cmd.text.c_str(), describe_error(v.error).c_str());
  }
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
