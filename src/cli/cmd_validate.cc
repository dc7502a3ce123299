// wgi validate: decode and validate each module file.
#include "cli/cli.h"
#include "decoder/validator.h"

namespace wgi::cli {

int cmd_validate(std::span<char* const> args) {
  std::optional<Options> options = parse_options(args, {"--no-threads"});
  if (!options) return kExitUsage;
  if (options->help) {
    print_usage(stdout);
    return kExitOk;
  }
  if (options->files.empty()) return usage_error("validate: no module file given");
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
