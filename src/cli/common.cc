#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstring>

#include "cli/cli.h"
#include "decoder/format.h"

namespace wgi::cli {

int usage_error(const std::string& message, std::string_view command) {
  const std::string cmd(command);
  if (cmd.empty()) std::fprintf(stderr, "wgi: %s (see 'wgi --help')\n", message.c_str());
  else std::fprintf(stderr, "wgi: %s: %s (see 'wgi %s --help')\n", cmd.c_str(), message.c_str(), cmd.c_str());
  return kExitUsage;
}

std::optional<Options> parse_options(std::span<char* const> args,
                                     std::initializer_list<std::string_view> known, std::string_view command) {
  Options o;
  bool options_done = false;
  for (const char* arg : args) {
    std::string_view a = arg;
    if (options_done || a.empty() || a[0] != '-' || a == "-") {
      o.files.emplace_back(a);
    } else if (a == "--") {
      options_done = true;
    } else if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (std::find(known.begin(), known.end(), a) != known.end()) {
      o.flags.emplace(a);
    } else {
      usage_error("unknown option '" + std::string(a) + "'", command);
      return std::nullopt;
    }
  }
  return o;
}

Features features_from(const Options& options) {
  Features f;
  f.threads = !options.has("--no-threads");
  return f;
}

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  auto io_error = [&](const std::string& what, int err) {
    return make_error(ErrorCode::Io, kNoOffset, what + ": " + std::strerror(err));
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return io_error("cannot stat", e);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::Io, kNoOffset, "is a directory, not a module file");
  }
  // Read straight into the vector (a regular file's size is known; other
  // files, and a file that grows meanwhile, extend it as they go).
  std::vector<uint8_t> bytes(S_ISREG(st.st_mode) ? size_t(st.st_size) : 0);
  size_t used = 0;
  for (;;) {
    // When full, read into a small buffer first: usually it finds the end,
    // and the vector (the whole module) is not reallocated for nothing.
    uint8_t probe[4096];
    const bool full = used == bytes.size();
    ssize_t n = full ? ::read(fd, probe, sizeof probe) : ::read(fd, bytes.data() + used, bytes.size() - used);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return io_error("cannot read", e);
    }
    if (full) {
      bytes.resize(std::max(bytes.size() * 2, size_t(1) << 16));
      std::memcpy(bytes.data() + used, probe, size_t(n));
    }
    used += size_t(n);
  }
  bytes.resize(used);
  ::close(fd);
  return bytes;
}

void report_error(const std::string& path, const Error& error, const Module* module) {
  std::string line = "wgi: " + path;
  if (error.code == ErrorCode::Io) {
    line += ": " + error.message;
  } else {
    if (error.offset != kNoOffset) {
      char buf[32];
      std::snprintf(buf, sizeof buf, ":0x%" PRIx64, error.offset);
      line += buf;
    }
    line += std::string(": ") + error_code_name(error.code) + ": ";
    if (error.func_index != kNoFunc) {
      line += "func " + std::to_string(error.func_index);
      if (module)
        if (const std::string* name = module->func_name(error.func_index))
          line.append(" ").append(quote_name(*name));
      line += ": ";
    }
    line += error.message;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace wgi::cli
