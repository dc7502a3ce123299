// ScriptRunner: executes the commands of one wast2json script.
//
// One handler per command kind (on_module, on_action, ...), each returning an
// Outcome; run() counts every command exactly once. Module files come from a
// ModuleSource (the library, or the `wgi` CLI in --cli mode).
//
// Execution (library mode): each script gets a fresh interp::Store, one
// interp::Thread and an interp::Linker holding the `spectest` host module
// (spectest_host.h) plus every `register`ed instance, so scripts stay
// independent. A `module` command compiles and instantiates the validated
// module against the linker; actions invoke exports or read exported
// globals on the current or a `$named` module and compare results by bits
// (values.h). Instantiation and invocation run under a Watchdog, and the
// interpreter's C++ exceptions are caught, so an interpreter bug fails one
// command rather than the run.
//
// Skips, each counted per reason in the summary:
//  - text-format modules (wgi reads binaries only), and the commands that
//    need such a module: actions on it, registering it, and modules that
//    import from it under its registered name;
//  - execution in --cli mode (RunOptions::execute off): modules are checked
//    by `wgi validate` only.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "decoder/decoder.h"
#include "interp/instantiate.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "known_conflicts.h"
#include "module_source.h"
#include "registry.h"
#include "script.h"
#include "tally.h"
#include "watchdog.h"

namespace wgi::spec {

struct RunOptions {
  bool verbose = false;               // print every failure in full
  bool show_text_mismatches = false;  // print rejections whose message differs from the suite's
  bool execute = true;                // instantiate and run (off in --cli mode)
  double timeout_seconds = 120;       // per instantiation or invocation; <= 0: none
  interp::ThreadConfig thread;        // stack limits of each script's thread
};

// What became of one command.
struct Outcome {
  Status status = Status::Passed;
  std::string skip_reason;  // Skipped: why (counted per reason in the summary)
  std::string expected;     // Failed: what the suite expects
  std::string actual;       // Failed: what happened instead
  bool wrong_category = false;  // Failed: rejected as malformed instead of invalid, or vice versa

  static Outcome pass() { return {}; }
  static Outcome skip(std::string reason) {
    Outcome o;
    o.status = Status::Skipped;
    o.skip_reason = std::move(reason);
    return o;
  }
  static Outcome fail(std::string expected, std::string actual) {
    Outcome o;
    o.status = Status::Failed;
    o.expected = std::move(expected);
    o.actual = std::move(actual);
    return o;
  }
};

// Skip reasons, as printed in the summary.
inline constexpr const char* kTextModule = "text-format module (out of scope: wgi reads binaries)";
inline constexpr const char* kCliNoExecution =
    "execution in --cli mode (`wgi validate` checks modules only)";

class ScriptRunner {
 public:
  ScriptRunner(const RunOptions& options, ModuleSource& source, KnownConflicts& conflicts,
               Tally& tally);
  ~ScriptRunner();

  // Runs one script. `name` identifies it in reports ("core/binary.wast"),
  // `dir` holds its module files. Returns the script's counts (also added to
  // the tally).
  Counts run(const Script& script, const std::string& name, const std::filesystem::path& dir,
             const Features& features);

 private:
  // The result of linking and instantiating one module.
  struct Instantiated {
    enum Kind { Ok, Skip, LinkError, Trap, Failure } kind = Failure;
    interp::Instance* instance = nullptr;  // Ok, and Trap (unusable then)
    interp::TrapKind trap = interp::TrapKind::None;
    Error error;        // LinkError
    std::string text;   // Skip: the reason; Failure: what went wrong
  };
  // The result of an invoke or get.
  struct ActionResult {
    std::string problem;  // the action could not be performed (no such export, bad args)
    interp::TrapKind trap = interp::TrapKind::None;
    bool timed_out = false;
    std::vector<ValType> types;
    std::vector<interp::Slot> slots;  // results, v128 taking two slots
  };

  Outcome dispatch(const Command& cmd);

  // ---- one handler per command kind ----
  Outcome on_module(const Command& cmd);
  Outcome on_register(const Command& cmd);
  Outcome on_action(const Command& cmd);  // action, assert_return, assert_trap, assert_exhaustion
  Outcome on_assert_invalid(const Command& cmd);
  Outcome on_assert_malformed(const Command& cmd);
  Outcome on_assert_unlinkable(const Command& cmd);
  Outcome on_assert_uninstantiable(const Command& cmd);
  Outcome on_unknown(const Command& cmd);
  Outcome on_known_conflict(const Command& cmd, const KnownConflict& conflict);

  // assert_invalid / assert_malformed: the module must be rejected with `code`.
  Outcome expect_rejection(const Command& cmd, ErrorCode code);
  // assert_unlinkable / assert_uninstantiable: load the module, which must
  // be valid. Returns the module, or sets *failure.
  std::shared_ptr<const Module> load_valid(const Command& cmd, const std::string& expected,
                                           Outcome* failure);
  Verdict load(const Command& cmd);
  Instantiated instantiate(const std::shared_ptr<const Module>& module);
  ActionResult perform(const Action& action, const interp::Instance& inst);
  // Counts a message against the suite's text (informational).
  void note_message(const Command& cmd, const std::string& message, const std::string& shown);
  void start_script(const Features& features);
  void report(const Command& cmd, const Outcome& outcome);

  const RunOptions& options_;
  ModuleSource& source_;
  KnownConflicts& conflicts_;
  Tally& tally_;
  Watchdog watchdog_;

  // Per script:
  std::string name_;
  std::filesystem::path dir_;
  Features features_;
  Registry registry_;
  std::unique_ptr<interp::Store> store_;
  std::unique_ptr<interp::Thread> thread_;
  std::unique_ptr<interp::Linker> linker_;
  // Names registered for skipped modules (text format): importing from
  // them skips for the same reason.
  std::map<std::string, std::string> skipped_registrations_;
  std::string setup_problem_;  // the spectest module could not be made
};

// "core/binary.wast:12: assert_malformed binary.4.wasm" style label.
std::string describe_command(const std::string& script, const Command& cmd);
// "malformed at 0x1f: unexpected end" / "invalid at 0x2a in func 3: type mismatch".
std::string describe_error(const Error& e);
// The label a command is counted under in the per-kind summary.
std::string kind_label(const Command& cmd);

}  // namespace wgi::spec
