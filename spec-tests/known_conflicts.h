// Known conflicts: suite commands that contradict wgi's Wasm 2.0 baseline.
//
// The proposal suites were forked from the spec before Wasm 2.0 and still
// carry expectations 2.0 dropped (proposals/threads predates reference types,
// so it asserts that a second table is invalid). Each entry names a command by
// file and line; the runner checks that the command behaves per Wasm 2.0 (its
// module validates) and counts it on its own line, never as passed or skipped.
// An entry whose command is missing, or which does not behave so, fails.
//
// File format (spec-tests/known-conflicts.txt): one entry per line,
//   <group>/<file>.wast <line> <reason...>
// '#' starts a comment; blank lines are ignored.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace wgi::spec {

struct KnownConflict {
  std::string file;    // "threads/imports.wast"
  int line = 0;        // the command's line, as wast2json reports it
  std::string reason;
  bool seen = false;   // a command matched it during the run
};

class KnownConflicts {
 public:
  // Loads the list; on failure returns false and sets *error.
  bool load(const std::filesystem::path& path, std::string* error);

  // The entry for (file, line), or nullptr. Marks it seen.
  KnownConflict* match(const std::string& file, int line);

  std::vector<KnownConflict>& entries() { return entries_; }

 private:
  std::vector<KnownConflict> entries_;
};

}  // namespace wgi::spec
