// wgi validate: decode and validate each module file.
#include "cli/cli.h"
#include "decoder/validator.h"

namespace wgi::cli {

void print_validate_help(std::FILE* out) {
  std::fprintf(out,
               "Usage: wgi validate [--no-threads] FILE.wasm...\n"
               "\n"
               "Decodes and validates each module, as instantiation would, without running\n"
               "anything. Prints nothing for a valid module; for an invalid one, one line\n"
               "on stderr: the file, the byte offset (hex), the function when the error is\n"
               "in a body, and what is wrong.\n"
               "\n"
               "Options:\n"
               "  --no-threads  validate without the threads proposal (atomics and shared\n"
               "                memories are then invalid)\n"
               "  -h, --help    print this help\n"
               "\n"
               "Exit status: 0 every module is valid, 1 any is malformed, invalid or\n"
               "unreadable (the others are still checked), 2 usage error.\n");
}

int cmd_validate(std::span<char* const> args) {
  std::optional<Options> options = parse_options(args, {"--no-threads"}, "validate");
  if (!options) return kExitUsage;
  if (options->help) {
    print_validate_help(stdout);
    return kExitOk;
  }
  if (options->files.empty()) return usage_error("no module file given", "validate");
  const Features features = features_from(*options);

  int status = kExitOk;
  for (const std::string& path : options->files) {
    Result<std::vector<uint8_t>> bytes = read_file(path);
    if (!bytes.ok()) {
      report_error(path, bytes.error(), nullptr);
      status = kExitError;
      continue;
    }
    Result<Module> module = decode_module(std::move(bytes).value(), features);
    if (!module.ok()) {
      report_error(path, module.error(), nullptr);
      status = kExitError;
      continue;
    }
    if (Result<void> ok = validate_module(*module, features); !ok.ok()) {
      report_error(path, ok.error(), &*module);
      status = kExitError;
    }
  }
  return status;
}

}  // namespace wgi::cli
