#include "module_source.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "decoder/validator.h"
#include "subprocess.h"

namespace wgi::spec {

bool read_file(const std::filesystem::path& file, std::string& out, std::string* error) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) {
    *error = file.string() + ": " + std::strerror(errno);
    return false;
  }
  out.clear();
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool failed = std::ferror(f);
  int saved = errno;
  std::fclose(f);
  if (failed) {
    *error = file.string() + ": " + std::strerror(saved);
    return false;
  }
  return true;
}

Verdict LibrarySource::load(const std::filesystem::path& file, const Features& features) {
  Verdict v;
  std::string bytes;
  if (!read_file(file, bytes, &v.problem)) return v;
  Result<Module> m = decode_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), features);
  if (!m.ok()) {
    v.error = m.error();
    return v;
  }
  Result<void> ok = validate_module(*m, features);
  if (!ok.ok()) {
    v.error = ok.error();
    return v;
  }
  v.valid = true;
  v.module = std::make_shared<const Module>(std::move(m).value());
  return v;
}

namespace {

// The category words of `wgi validate`'s error line (error_code_name, as
// src/cli/common.cc prints them).
bool parse_category(std::string_view word, ErrorCode& code) {
  if (word == "malformed") code = ErrorCode::Malformed;
  else if (word == "invalid") code = ErrorCode::Invalid;
  else return false;
  return true;
}

// Parses `wgi: FILE:0xOFFSET: CATEGORY: MESSAGE\n` (exactly one line).
bool parse_error_line(const std::string& err, const std::string& file, Error& out,
                      std::string* problem) {
  const std::string prefix = "wgi: " + file + ":0x";
  if (err.empty() || err.back() != '\n' || err.find('\n') != err.size() - 1) {
    *problem = "expected exactly one line on stderr, got: \"" + err + "\"";
    return false;
  }
  std::string_view line(err.data(), err.size() - 1);
  if (line.substr(0, prefix.size()) != prefix) {
    *problem = "stderr does not start with \"" + prefix + "\": \"" + std::string(line) + "\"";
    return false;
  }
  line.remove_prefix(prefix.size());
  size_t hex_len = 0;
  uint64_t offset = 0;
  while (hex_len < line.size() && std::isxdigit(static_cast<unsigned char>(line[hex_len]))) {
    char c = line[hex_len];
    offset = offset * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    ++hex_len;
  }
  if (hex_len == 0 || hex_len > 16 || line.substr(hex_len, 2) != ": ") {
    *problem = "no hex offset followed by \": \" in \"" + err.substr(0, err.size() - 1) + "\"";
    return false;
  }
  line.remove_prefix(hex_len + 2);
  size_t colon = line.find(": ");
  if (colon == std::string_view::npos || !parse_category(line.substr(0, colon), out.code)) {
    *problem = "no \"malformed: \" or \"invalid: \" category in \"" +
               err.substr(0, err.size() - 1) + "\"";
    return false;
  }
  out.offset = offset;
  line.remove_prefix(colon + 2);
  // Body errors name the function: `func N: ` or `func N "name": `.
  if (line.substr(0, 5) == "func ") {
    size_t i = 5;
    uint64_t index = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9' && index <= kNoFunc)
      index = index * 10 + uint64_t(line[i++] - '0');
    if (i == 5 || index >= kNoFunc) {
      *problem = "bad function index in \"" + err.substr(0, err.size() - 1) + "\"";
      return false;
    }
    if (line.substr(i, 2) == " \"") {  // the name, with '"' and '\\' escaped
      for (i += 2; i < line.size() && line[i] != '"'; ++i)
        if (line[i] == '\\') ++i;
      ++i;
    }
    if (i > line.size() || line.substr(i, 2) != ": ") {
      *problem = "malformed function prefix in \"" + err.substr(0, err.size() - 1) + "\"";
      return false;
    }
    out.func_index = uint32_t(index);
    line.remove_prefix(i + 2);
  }
  out.message = std::string(line);
  if (out.message.empty()) {
    *problem = "empty error message";
    return false;
  }
  return true;
}

std::string describe(const Error& e) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s at 0x%llx", error_code_name(e.code),
                static_cast<unsigned long long>(e.offset));
  std::string s = buf;
  if (e.func_index != kNoFunc) s += " in func " + std::to_string(e.func_index);
  return s + ": " + e.message;
}

}  // namespace

Verdict CliSource::load(const std::filesystem::path& file, const Features& features) {
  Verdict v;
  std::vector<std::string> argv = {wgi_path_, "validate"};
  if (!features.threads) argv.push_back("--no-threads");
  argv.push_back(file.string());
  ProcessResult p = run_process(argv);
  const std::string cmdline = "wgi validate" + std::string(features.threads ? "" : " --no-threads");
  if (!p.started || !p.exited || (p.exit_code != 0 && p.exit_code != 1)) {
    v.problem = cmdline + ": " + p.describe() + (p.err.empty() ? "" : ": " + p.err);
    return v;
  }
  if (!p.out.empty()) {
    v.problem = cmdline + " wrote to stdout: \"" + p.out + "\"";
    return v;
  }
  if (p.exit_code == 0) {
    if (!p.err.empty()) {
      v.problem = cmdline + " exited 0 but wrote to stderr: \"" + p.err + "\"";
      return v;
    }
    v.valid = true;
  } else if (!parse_error_line(p.err, file.string(), v.error, &v.problem)) {
    v.problem = cmdline + ": " + v.problem;
    return v;
  }

  // The CLI must agree with the library on the verdict, the category and the
  // offset; the message text may add context (the function's name).
  Verdict ref = library_.load(file, features);
  if (!ref.problem.empty()) {
    v.problem = ref.problem;
  } else if (ref.valid != v.valid) {
    v.problem = cmdline + (v.valid ? " accepted" : " rejected") + " a module the library " +
                (ref.valid ? "accepts" : "rejects");
  } else if (!v.valid &&
             (ref.error.code != v.error.code || ref.error.offset != v.error.offset ||
              ref.error.func_index != v.error.func_index || ref.error.message != v.error.message)) {
    v.problem = cmdline + " reported \"" + describe(v.error) + "\" but the library \"" +
                describe(ref.error) + "\"";
  }
  return v;
}

}  // namespace wgi::spec
