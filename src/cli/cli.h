// The `wgi` command-line tool: shared pieces of the subcommands.
//
// main.cc dispatches to one function per subcommand (cmd_validate.cc,
// cmd_dump.cc, ...). Every subcommand follows the same conventions: it
// exits with the statuses of exit_status.h, and reports module errors on
// stderr as
//   wgi: FILE:0xOFFSET: malformed: MESSAGE
//   wgi: FILE:0xOFFSET: invalid: func N "name": MESSAGE   (function body errors)
// (tests/cli/cli_test.cc and the spec runner's --cli mode check this form).
#pragma once

#include <cstdio>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_status.h"
#include "decoder/decoder.h"
#include "decoder/module.h"
#include "util/result.h"

namespace wgi::cli {

// ---- subcommands (one file each) ----
int cmd_validate(std::span<char* const> args);
int cmd_dump(std::span<char* const> args);
int cmd_run(std::span<char* const> args);
int cmd_trace(std::span<char* const> args);

// wgi run's options, one per line pair (for `wgi --help`), and its full help.
void print_run_options(std::FILE* out);
void print_run_help(std::FILE* out);
// wgi trace's, validate's and dump's help.
void print_trace_help(std::FILE* out);
void print_validate_help(std::FILE* out);
void print_dump_help(std::FILE* out);

void print_usage(std::FILE* out);
// Prints one line, "wgi: [COMMAND: ]MESSAGE (see 'wgi [COMMAND ]--help')",
// to stderr; returns kExitUsage. (The help itself is for --help: a usage
// error should not scroll the mistake off the screen.)
int usage_error(const std::string& message, std::string_view command = {});

// A subcommand's arguments: options it knows, then files. "--" ends options.
struct Options {
  std::set<std::string, std::less<>> flags;
  std::vector<std::string> files;
  bool help = false;
  bool has(std::string_view flag) const { return flags.count(flag) != 0; }
};
// On an unknown option returns nullopt after printing a usage error for
// the subcommand `command`.
std::optional<Options> parse_options(std::span<char* const> args,
                                     std::initializer_list<std::string_view> known, std::string_view command);

// The features a module is checked with: the threads proposal is on unless
// --no-threads was given (wgi is a threads runtime).
Features features_from(const Options& options);

// Reads a whole file. Missing files, directories and unreadable files become
// ErrorCode::Io errors with a readable message (no offset).
Result<std::vector<uint8_t>> read_file(const std::string& path);

// Prints an error in the form above. `module` (may be null) supplies the
// name of the function a body error is in.
void report_error(const std::string& path, const Error& error, const Module* module);

}  // namespace wgi::cli
