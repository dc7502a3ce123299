// ModuleSource: how the runner turns a module file into a verdict.
//
// LibrarySource calls decode_module + validate_module in-process (the normal
// run). CliSource spawns `wgi validate FILE` instead, checks the exit status
// and the `wgi: FILE:0xOFFSET: category: message` line, and cross-checks the
// verdict against the library, so the suite also tests the CLI end to end.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "decoder/decoder.h"
#include "decoder/module.h"
#include "util/result.h"

namespace wgi::spec {

struct Verdict {
  // Set when the check itself went wrong (unreadable file, a CLI that
  // crashed or printed something unexpected). The command then fails
  // whatever it expected.
  std::string problem;
  bool valid = false;
  Error error;  // when !valid: category, offset and message of the rejection
  // The decoded and validated module, when valid and the source has one
  // (LibrarySource). The interpreter milestone instantiates this.
  std::shared_ptr<const Module> module;
};

class ModuleSource {
 public:
  virtual ~ModuleSource() = default;
  virtual Verdict load(const std::filesystem::path& file, const Features& features) = 0;
};

class LibrarySource final : public ModuleSource {
 public:
  Verdict load(const std::filesystem::path& file, const Features& features) override;
};

class CliSource final : public ModuleSource {
 public:
  explicit CliSource(std::string wgi_path) : wgi_path_(std::move(wgi_path)) {}
  Verdict load(const std::filesystem::path& file, const Features& features) override;

 private:
  std::string wgi_path_;
  LibrarySource library_;  // the reference the CLI's verdict must agree with
};

// Reads a whole file; on failure returns false and sets *error.
bool read_file(const std::filesystem::path& file, std::string& out, std::string* error);

}  // namespace wgi::spec
