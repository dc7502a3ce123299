// Counting outcomes: every command of every script lands in exactly one of
// passed / failed / skipped / conflict, per command kind and per file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wgi::spec {

enum class Status : uint8_t {
  Passed,
  Failed,
  Skipped,
  Conflict,  // a known conflict with the Wasm 2.0 baseline, behaving per Wasm 2.0
};

struct Counts {
  uint64_t passed = 0, failed = 0, skipped = 0, conflict = 0;
  uint64_t total() const { return passed + failed + skipped + conflict; }
  void add(Status s) {
    switch (s) {
      case Status::Passed: ++passed; break;
      case Status::Failed: ++failed; break;
      case Status::Skipped: ++skipped; break;
      case Status::Conflict: ++conflict; break;
    }
  }
  Counts& operator+=(const Counts& o) {
    passed += o.passed, failed += o.failed, skipped += o.skipped, conflict += o.conflict;
    return *this;
  }
};

struct Tally {
  Counts all;
  // Keyed by a label such as "assert_malformed (binary)"; std::map keeps the
  // summary in a stable order.
  std::map<std::string, Counts> by_kind;
  std::map<std::string, uint64_t> skip_reasons;  // reason -> commands skipped for it
  uint64_t wrong_category = 0;   // failures: rejected, but malformed vs invalid swapped
  uint64_t rejections = 0;       // correct rejections (assert_invalid/assert_malformed)
  uint64_t text_matches = 0;     // ... whose message starts with the suite's text
  uint64_t setup_failures = 0;   // failures outside any command (unreadable JSON, ...)
  std::vector<std::string> conflicts;  // "threads/imports.wast:310", in run order
};

}  // namespace wgi::spec
