// wgi trace: read the RapidBin traces `wgi run --trace` writes.
//
//   wgi trace convert [--to std|csv] [--no-request] TRACE.bin   events as text
//   wgi trace stats TRACE.bin                                    counts
//   wgi trace races [--metadata FILE] [--race-limit N] [--report FILE] TRACE.bin
//                                                                data races (trace_races.h)
//   wgi trace deadlocks [--metadata FILE] [--report FILE] TRACE.bin
//                                                                potential deadlocks
//                                                                (trace_deadlocks.h)
//
// Exit status as for the other commands: 0 success, 1 the file cannot be
// read or is not a consistent RapidBin trace (reported as
// "wgi: FILE:0xOFFSET: malformed: MESSAGE", OFFSET the byte of the bad
// field), 2 usage error; races also 66 when it found races, deadlocks
// when it predicted deadlocks. Formats:
// trace/rapidbin.h, trace/convert.h, trace/metadata.h.
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.h"
#include "cli/run_options.h"
#include "cli/trace_deadlocks.h"
#include "cli/trace_races.h"
#include "trace/convert.h"
#include "trace/rapidbin.h"

namespace wgi::cli {

namespace {

int trace_usage_error(const std::string& message) { return usage_error(message, "trace"); }

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
               "       wgi trace races [--metadata FILE] [--race-limit N] [--report FILE] TRACE.bin\n"
               "       wgi trace deadlocks [--metadata FILE] [--report FILE] TRACE.bin\n"
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
               "An atomic instruction is a section of a lock that trace.json lists with\n"
               "\"kind\": \"atomic\", reserved for its address: acq, its r and/or w, rel.\n"
               "\n"
               "stats prints the header's counts and a table of events per thread and\n"
               "operation.\n"
               "\n"
               "races runs the race detector of `wgi run --race` over the trace, offline,\n"
               "and reports each racing pair of code locations on stderr in the same form\n"
               "(without backtraces: a trace has none). trace.json says what the ids stand\n"
               "for: the bytes a variable covers (so accesses of different sizes to the\n"
               "same bytes are compared), which locks stand for atomic instructions, the\n"
               "code locations. Options:\n"
               "  --metadata FILE   the trace's metadata (default: trace.json beside\n"
               "                    TRACE.bin; without one, each variable id is taken as\n"
               "                    its own byte and every lock as a plain lock)\n"
               "  --race-limit N    race reports printed at most (default %llu; all are\n"
               "                    counted, and all go to the --report file)\n"
               "  --report FILE     write every race to FILE as JSON, as `wgi run --race\n"
               "                    --report` does\n"
               "\n"
               "deadlocks runs the lock-order deadlock prediction of `wgi run --deadlock`\n"
               "over the trace, offline: the cycles of locks that two or more threads take\n"
               "in opposite orders, each while holding none of the others' locks, and not\n"
               "kept apart by thread creation and joining, so that another schedule could\n"
               "deadlock. It reports them on stderr in the same form (each acquisition\n"
               "with its location alone). trace.json says what the ids stand for: lock\n"
               "addresses, which locks stand for atomic instructions (ignored), the wgi\n"
               "threads, the code locations (without one, each lock id and thread id\n"
               "stands for itself, and reports name trace locations). --metadata as for\n"
               "races; --report FILE writes the cycles to FILE as JSON\n"
               "(\"potential_deadlocks\"), as `wgi run --deadlock --report` does.\n"
               "\n"
               "Exit status:\n"
               "  0  success (races: no race found; deadlocks: no potential deadlock)\n"
               "  1  the file cannot be read, or is not a consistent RapidBin trace\n"
               "     (\"wgi: FILE:0xOFFSET: malformed: MESSAGE\", OFFSET the bad field's byte);\n"
               "     races, deadlocks: also metadata that cannot be read or does not fit\n"
               "     the trace, and a report that cannot be written\n"
               "  2  usage error\n"
               "  66 races: data races were found; deadlocks: potential deadlocks were found\n",
               static_cast<unsigned long long>(kDefaultRaceLimit));
}

int cmd_trace(std::span<char* const> args) {
  if (args.empty()) return trace_usage_error("no trace command given (convert, stats, races or deadlocks)");
  const std::string_view sub = args[0];
  if (sub == "-h" || sub == "--help" || sub == "help") {
    print_trace_help(stdout);
    return kExitOk;
  }
  if (sub != "convert" && sub != "stats" && sub != "races" && sub != "deadlocks")
    return trace_usage_error("unknown trace command '" + std::string(sub) + "'");
  const bool convert = sub == "convert";
  const bool races = sub == "races";
  const bool deadlocks = sub == "deadlocks";
  // The options that take a value (OPTION VALUE or OPTION=VALUE), by command.
  auto takes_value = [&](std::string_view name) {
    if (name == "--metadata" || name == "--report") return races || deadlocks;
    return races && name == "--race-limit";
  };

  trace::ConvertOptions opts;
  TraceRacesOptions race_opts;  // also what deadlocks takes: --metadata, --report
  race_opts.race_limit = kDefaultRaceLimit;
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
    } else if (takes_value(a.substr(0, a.find('=')))) {
      const size_t eq = a.find('=');
      const std::string_view name = a.substr(0, eq);
      std::string_view v;
      if (eq != std::string_view::npos) {
        v = a.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        v = args[++i];
      } else {
        return trace_usage_error("option '" + std::string(name) + "' needs a value");
      }
      if (name == "--race-limit") {
        uint64_t n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n, 10);
        if (v.empty() || ec != std::errc() || p != v.data() + v.size())
          return trace_usage_error("--race-limit: expected a number of reports, got '" + std::string(v) + "'");
        race_opts.race_limit = n;
      } else if (v.empty()) {
        return trace_usage_error(std::string(name) + ": expected a file name");
      } else if (name == "--metadata") {
        race_opts.metadata = std::string(v);
      } else {
        race_opts.report = std::string(v);
      }
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

  if (races) {
    race_opts.trace = files[0];
    return trace_races(race_opts);
  }
  if (deadlocks) return trace_deadlocks({files[0], race_opts.metadata, race_opts.report});
  std::optional<Loaded> t = load(files[0]);
  if (!t) return kExitError;
  const bool ok = convert ? trace::write_text(t->bytes, t->header, opts, stdout)
                          : trace::write_stats(t->bytes, t->header, stdout);
  return ok ? kExitOk : output_error();
}

}  // namespace wgi::cli
