// wgi trace: read the RapidBin traces `wgi run --trace` writes.
//
//   wgi trace convert [--to std|csv] [--no-request] TRACE.bin   events as text
//   wgi trace stats TRACE.bin                                    counts
//
// Exit status as for the other commands: 0 success, 1 the file cannot be
// read or is not a consistent RapidBin trace (reported as
// "wgi: FILE:0xOFFSET: malformed: MESSAGE", OFFSET the byte of the bad
// field), 2 usage error. Formats: trace/rapidbin.h, trace/convert.h.
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.h"
#include "trace/convert.h"
#include "trace/rapidbin.h"

namespace wgi::cli {

namespace {

int trace_usage_error(const std::string& message) {
  std::fprintf(stderr, "wgi: trace: %s\n\n", message.c_str());
  print_trace_help(stderr);
  return kExitUsage;
}

// The file, read and validated; nullopt after reporting why not.
struct Loaded {
  std::vector<uint8_t> bytes;
  trace::rapidbin::Header header;
};
std::optional<Loaded> load(const std::string& path) {
  Result<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes.ok()) {
    report_error(path, bytes.error(), nullptr);
    return std::nullopt;
  }
  Result<trace::rapidbin::Header> h = trace::rapidbin::validate(*bytes);
  if (!h.ok()) {
    report_error(path, h.error(), nullptr);
    return std::nullopt;
  }
  return Loaded{std::move(bytes).value(), *h};
}

int output_error() {
  std::fprintf(stderr, "wgi: trace: cannot write the output: %s\n", std::strerror(errno));
  return kExitError;
}

}  // namespace

void print_trace_help(std::FILE* out) {
  std::fprintf(out,
               "Usage: wgi trace convert [--to std|csv] [--no-request] TRACE.bin\n"
               "       wgi trace stats TRACE.bin\n"
               "\n"
               "Reads a RapidBin trace written by `wgi run --trace` (trace.bin; trace.json\n"
               "beside it says what the ids stand for). The whole file is checked first:\n"
               "its size against the header, every event, and the header's counts against\n"
               "the ids the events use.\n"
               "\n"
               "convert prints one event per line. --to std (the default) is RAPID's text\n"
               "form, THREAD|OP(ARG)|LOCATION:\n"
               "  T0|fork(T1)|42   T1|req(L0)|7   T1|acq(L0)|7   T1|r(V3)|9   T1|rel(L0)|8\n"
               "with ops acq, rel, req (locks L<id>), r, w (variables V<id>), fork, join\n"
               "(threads T<id>); LOCATION is the location id. --no-request leaves out the\n"
               "req lines, which RAPID's STD reader does not accept. --to csv prints the\n"
               "line \"thread,operation,id,location\", then e.g. \"1,acq,0,7\" per event.\n"
               "\n"
               "stats prints the header's counts and a table of events per thread and\n"
               "operation.\n"
               "\n"
               "Exit status:\n"
               "  0  success\n"
               "  1  the file cannot be read, or is not a consistent RapidBin trace\n"
               "     (\"wgi: FILE:0xOFFSET: malformed: MESSAGE\", OFFSET the bad field's byte)\n"
               "  2  usage error\n");
}

int cmd_trace(std::span<char* const> args) {
  if (args.empty()) return trace_usage_error("no trace command given (convert or stats)");
  const std::string_view sub = args[0];
  if (sub == "-h" || sub == "--help" || sub == "help") {
    print_trace_help(stdout);
    return kExitOk;
  }
  if (sub != "convert" && sub != "stats") return trace_usage_error("unknown trace command '" + std::string(sub) + "'");
  const bool convert = sub == "convert";

  trace::ConvertOptions opts;
  std::vector<std::string> files;
  bool options_done = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      files.emplace_back(a);
    } else if (a == "--") {
      options_done = true;
    } else if (a == "-h" || a == "--help") {
      print_trace_help(stdout);
      return kExitOk;
    } else if (convert && a == "--no-request") {
      opts.no_request = true;
    } else if (convert && (a == "--to" || a.substr(0, 5) == "--to=")) {
      std::string_view v;
      if (a.size() > 4) {
        v = a.substr(5);
      } else if (i + 1 < args.size()) {
        v = args[++i];
      } else {
        return trace_usage_error("option '--to' needs a value (std or csv)");
      }
      if (v == "std") opts.format = trace::TextFormat::Std;
      else if (v == "csv") opts.format = trace::TextFormat::Csv;
      else return trace_usage_error("--to: expected std or csv, got '" + std::string(v) + "'");
    } else {
      return trace_usage_error("unknown option '" + std::string(a) + "' for " + std::string(sub));
    }
  }
  if (files.empty()) return trace_usage_error(std::string(sub) + ": no trace file given");
  if (files.size() > 1) return trace_usage_error(std::string(sub) + ": one trace file at a time");

  std::optional<Loaded> t = load(files[0]);
  if (!t) return kExitError;
  const bool ok = convert ? trace::write_text(t->bytes, t->header, opts, stdout)
                          : trace::write_stats(t->bytes, t->header, stdout);
  return ok ? kExitOk : output_error();
}

}  // namespace wgi::cli
