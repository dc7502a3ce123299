// ScriptRunner: executes the commands of one wast2json script.
//
// One handler per command kind (on_module, on_assert_invalid, ...), each
// returning an Outcome; run() counts every command exactly once. Module files
// come from a ModuleSource (the library, or the `wgi` CLI in --cli mode).
//
// Foundation milestone: modules are decoded and validated; commands that need
// execution are skipped with the reason "needs interpreter". The interpreter
// milestone plugs in at the two places marked TODO(interp) in runner.cc:
// on_module (instantiate the validated module, store the instance in the
// Registry) and on_action (invoke/get, compare results and traps).
#pragma once

#include <filesystem>
#include <string>

#include "decoder/decoder.h"
#include "known_conflicts.h"
#include "module_source.h"
#include "registry.h"
#include "script.h"
#include "tally.h"

namespace wgi::spec {

struct RunOptions {
  bool verbose = false;               // print every failure in full
  bool show_text_mismatches = false;  // print rejections whose message differs from the suite's
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
inline constexpr const char* kNeedsInterpreter = "needs interpreter";
inline constexpr const char* kTextModule = "text-format module (out of scope: wgi reads binaries)";

class ScriptRunner {
 public:
  ScriptRunner(const RunOptions& options, ModuleSource& source, KnownConflicts& conflicts,
               Tally& tally)
      : options_(options), source_(source), conflicts_(conflicts), tally_(tally) {}

  // Runs one script. `name` identifies it in reports ("core/binary.wast"),
  // `dir` holds its module files. Returns the script's counts (also added to
  // the tally).
  Counts run(const Script& script, const std::string& name, const std::filesystem::path& dir,
             const Features& features);

 private:
  Outcome dispatch(const Command& cmd);

  // ---- one handler per command kind ----
  Outcome on_module(const Command& cmd);
  Outcome on_register(const Command& cmd);
  Outcome on_action(const Command& cmd);  // action, assert_return, assert_trap, assert_exhaustion
  Outcome on_assert_invalid(const Command& cmd);
  Outcome on_assert_malformed(const Command& cmd);
  Outcome on_assert_link_failure(const Command& cmd);  // assert_unlinkable, assert_uninstantiable
  Outcome on_unknown(const Command& cmd);
  Outcome on_known_conflict(const Command& cmd, const KnownConflict& conflict);

  // assert_invalid / assert_malformed: the module must be rejected with `code`.
  Outcome expect_rejection(const Command& cmd, ErrorCode code);
  Verdict load(const Command& cmd);
  void report(const Command& cmd, const Outcome& outcome);

  const RunOptions& options_;
  ModuleSource& source_;
  KnownConflicts& conflicts_;
  Tally& tally_;

  // Per script:
  std::string name_;
  std::filesystem::path dir_;
  Features features_;
  Registry registry_;
};

// "core/binary.wast:12: assert_malformed binary.4.wasm" style label.
std::string describe_command(const std::string& script, const Command& cmd);
// "malformed at 0x1f: unexpected end" / "invalid at 0x2a in func 3: type mismatch".
std::string describe_error(const Error& e);
// The label a command is counted under in the per-kind summary.
std::string kind_label(const Command& cmd);

}  // namespace wgi::spec
