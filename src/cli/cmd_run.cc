// wgi run: instantiate a module and call one of its exported functions.
//
//   wgi run [OPTIONS] FILE.wasm [--invoke NAME] [--] [ARGS...]
//
// Steps, each with its own exit status (cli.h):
//   parse the command line                   -> 2 (with the usage)
//   read, decode, validate, compile          -> 1
//   find the export, parse ARGS by its type  -> 2 (before anything runs)
//   link (the CLI provides no imports yet)   -> 1 (names module, field, type)
//   instantiate: segments, start function    -> 1 unsupported, 3 trap
//   invoke, print each result on its line    -> 3 trap, else 0
//   with --trace: write the trace            -> 1 if that fails (and all else
//                                               went well); 130 on SIGINT
//
// Options are rows of kRunOptions: the parser, `wgi run --help` and the
// run section of `wgi --help` all read that one table, so a new option
// (--max-threads, --trace, ...) is one row plus a field in RunSettings.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/cli.h"
#include "decoder/format.h"
#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "interp/trap.h"
#include "interp/trap_report.h"
#include "interp/value_text.h"
#include "threads/threadlink.h"
#include "trace/recorder.h"
#include "trace/writer.h"

namespace wgi::cli {

namespace {

using interp::ThreadConfig;

// Everything the command line can set.
struct RunSettings {
  std::vector<std::string> positional;  // FILE, then ARGS
  std::optional<std::string> invoke;
  ThreadConfig thread;  // starts at the interpreter's defaults
  Features features;    // threads proposal on unless --no-threads
  threads::ThreadlinkConfig threadlink;  // for modules built against wasm_threadlink
  bool trace = false;                    // --trace
  std::optional<std::string> trace_out;  // --trace-out DIR
  std::optional<uint64_t> trace_limit;   // --trace-limit N
  bool help = false;
};

using OptionError = std::optional<std::string>;

struct RunOption {
  std::string_view name;   // "--max-call-depth"
  std::string_view value;  // the value's name in the usage ("N"); empty for a flag
  std::string_view help;   // lines after the first are indented by the printer
  // The default, printed as a last help line "default: ..."; may be null.
  std::string (*default_text)();
  // Stores the option; returns a message when the value is not acceptable.
  OptionError (*apply)(RunSettings& s, std::string_view value);
};

// A decimal count, digits only (no sign, no suffix).
std::optional<uint64_t> parse_count(std::string_view v) {
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n, 10);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return n;
}

// A size in bytes: decimal digits, optionally followed by K, M or G (powers
// of 1024; "KiB", "MiB", "GiB" are accepted too).
std::optional<uint64_t> parse_byte_size(std::string_view v) {
  size_t digits = 0;
  while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) ++digits;
  std::optional<uint64_t> n = parse_count(v.substr(0, digits));
  if (!n) return std::nullopt;
  std::string_view suffix = v.substr(digits);
  unsigned shift = 0;
  if (!suffix.empty()) {
    switch (suffix[0]) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      default: return std::nullopt;
    }
    suffix.remove_prefix(1);
    if (!suffix.empty() && suffix != "iB" && suffix != "B") return std::nullopt;
  }
  if (shift && *n > (~uint64_t{0} >> shift)) return std::nullopt;
  return *n << shift;
}

// "67108864 (64 MiB)" for whole MiB/KiB amounts, else just the bytes.
std::string byte_size_text(uint64_t n) {
  std::string s = std::to_string(n);
  if (n >= (1u << 20) && n % (1u << 20) == 0) s += " (" + std::to_string(n >> 20) + " MiB)";
  else if (n >= 1024 && n % 1024 == 0) s += " (" + std::to_string(n >> 10) + " KiB)";
  return s;
}

constexpr RunOption kRunOptions[] = {
    {"--invoke", "NAME",
     "call the exported function NAME with ARGS and print\n"
     "its results, one per line; without --invoke, just\n"
     "instantiate (running the start function) and call\n"
     "_start if it is exported",
     nullptr,
     [](RunSettings& s, std::string_view v) -> OptionError {
       s.invoke = std::string(v);
       return std::nullopt;
     }},
    {"--max-call-depth", "N",
     "nested calls allowed; one more traps with\n"
     "\"call stack exhausted\"",
     [] { return std::to_string(ThreadConfig{}.max_call_depth); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_count(v);
       if (!n || *n == 0 || *n > UINT32_MAX)
         return "expected a number of calls from 1 to " + std::to_string(UINT32_MAX) + ", got '" +
                std::string(v) + "'";
       s.thread.max_call_depth = static_cast<uint32_t>(*n);
       return std::nullopt;
     }},
    {"--max-stack", "BYTES",
     "value stack size: the locals and operands of all\n"
     "active calls, 8 bytes each; running out traps with\n"
     "\"call stack exhausted\". BYTES may end in K, M or G",
     [] { return byte_size_text(ThreadConfig{}.value_stack_bytes); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_byte_size(v);
       if (!n || *n == 0 || *n > SIZE_MAX)
         return "expected a size in bytes (e.g. 1048576, 512K, 64M, 1G), got '" + std::string(v) + "'";
       s.thread.value_stack_bytes = static_cast<size_t>(*n);
       return std::nullopt;
     }},
    {"--max-threads", "N",
     "threadlink modules: threads besides the main thread\n"
     "that may run at once; beyond it thread_create\n"
     "returns 3",
     [] { return std::to_string(threads::ThreadlinkConfig{}.max_threads); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_count(v);
       if (!n || *n > UINT32_MAX)
         return "expected a number of threads from 0 to " + std::to_string(UINT32_MAX) + ", got '" +
                std::string(v) + "'";
       s.threadlink.max_threads = static_cast<uint32_t>(*n);
       return std::nullopt;
     }},
    {"--thread-stack-size", "BYTES",
     "threadlink modules: linear memory allocated (with\n"
     "__wasmgrind_malloc) as each new thread's stack.\n"
     "BYTES may end in K, M or G",
     [] { return byte_size_text(threads::ThreadlinkConfig{}.thread_stack_size); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_byte_size(v);
       if (!n || *n == 0 || *n > 0x7FFFFFF0u)
         return "expected a size in bytes up to 2G (e.g. 65536, 256K, 1M), got '" + std::string(v) + "'";
       s.threadlink.thread_stack_size = static_cast<uint32_t>(*n);
       return std::nullopt;
     }},
    {"--trace", "",
     "record a trace of the run: memory accesses, atomics,\n"
     "locks (threadlink's lock hooks), fork and join, for\n"
     "every thread; written to DIR/trace.bin (RapidBin) and\n"
     "DIR/trace.json (what its ids stand for) when the run\n"
     "ends, however it ends. SIGINT stops a traced program,\n"
     "writes the trace recorded so far and exits with 130",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.trace = true;
       return std::nullopt;
     }},
    {"--trace-out", "DIR",
     "with --trace: the directory for trace.bin and\n"
     "trace.json (created if missing)",
     [] { return std::string("the current directory"); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       if (v.empty()) return std::string("expected a directory");
       s.trace_out = std::string(v);
       return std::nullopt;
     }},
    {"--trace-limit", "N",
     "with --trace: events recorded at most (16 bytes each\n"
     "in memory); when reached, recording stops with a\n"
     "warning and the trace is cut consistently there",
     [] { return std::to_string(trace::kDefaultEventLimit) + " (800 MB)"; },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_count(v);
       if (!n || *n == 0) return "expected a number of events, at least 1, got '" + std::string(v) + "'";
       s.trace_limit = *n;
       return std::nullopt;
     }},
    {"--no-threads", "",
     "check against plain Wasm 2.0: reject shared memories\n"
     "and atomic instructions (the threads proposal is on\n"
     "by default)",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.features.threads = false;
       return std::nullopt;
     }},
};

const RunOption* find_option(std::string_view name) {
  for (const RunOption& o : kRunOptions)
    if (o.name == name) return &o;
  return nullptr;
}

// An argument that starts with '-' but is a value, not an option: a negative
// number or a negative float keyword ("-5", "-0x10", "-.5", "-inf", "-nan:0x1").
bool is_negative_value(std::string_view a) {
  if (a.size() < 2 || a[0] != '-') return false;
  const std::string_view rest = a.substr(1);
  return std::isdigit(static_cast<unsigned char>(rest[0])) || rest[0] == '.' ||
         rest.substr(0, 3) == "inf" || rest.substr(0, 3) == "nan";
}

int run_usage_error(const std::string& message) {
  std::fprintf(stderr, "wgi: run: %s\n\n", message.c_str());
  print_run_help(stderr);
  return kExitUsage;
}

// Fills s from the arguments. Options may appear anywhere before "--"; an
// option's value is the next argument or follows '=' (--max-stack=64M).
// Returns an exit status on a usage error.
std::optional<int> parse_run_args(std::span<char* const> args, RunSettings& s) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-' || is_negative_value(a)) {
      s.positional.emplace_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      s.help = true;
      continue;
    }
    const size_t eq = a.find('=');
    const std::string_view name = a.substr(0, eq);
    const RunOption* o = a.substr(0, 2) == "--" ? find_option(name) : nullptr;
    if (o == nullptr) return run_usage_error("unknown option '" + std::string(name) + "'");
    std::string_view value;
    if (o->value.empty()) {
      if (eq != std::string_view::npos)
        return run_usage_error("option '" + std::string(name) + "' takes no value");
    } else if (eq != std::string_view::npos) {
      value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return run_usage_error("option '" + std::string(name) + "' needs a value (" +
                             std::string(o->value) + ")");
    }
    if (OptionError e = o->apply(s, value)) return run_usage_error(std::string(name) + ": " + *e);
  }
  return std::nullopt;
}

// ---- reporting -----------------------------------------------------------

// The trap report on stderr (interp/trap_report.h); `context` explains an
// empty backtrace (a segment initialiser has no frame).
int report_trap(interp::TrapKind kind, const std::vector<interp::BacktraceFrame>& frames,
                const char* context) {
  std::fflush(stdout);
  std::string report = interp::format_trap_report(kind, frames);
  if (frames.empty() && context) report.append("  ").append(context).append("\n");
  std::fputs(report.c_str(), stderr);
  return kExitTrap;
}

const char* extern_kind_article(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "a function";
    case ExternKind::Table: return "a table";
    case ExternKind::Memory: return "a memory";
    case ExternKind::Global: return "a global";
  }
  return "something";
}

std::string type_list(const std::vector<ValType>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ", ";
    s += valtype_name(types[i]);
  }
  return s + ")";
}

// A one-line error about the invocation (exit 2, no usage: the command line
// was well formed, it just does not fit the module).
int invocation_error(const std::string& path, const std::string& message) {
  std::fprintf(stderr, "wgi: %s: %s\n", path.c_str(), message.c_str());
  return kExitUsage;
}

// Prints results, one per line, in the text form of their types.
void print_results(const FuncType& type, const std::vector<interp::Slot>& slots) {
  for (size_t i = 0, slot = 0; i < type.results.size(); ++i) {
    const ValType t = type.results[i];
    std::printf("%s\n", interp::format_value(t, &slots[slot]).c_str());
    slot += interp::slot_count(t);
  }
}

// ---- tracing ----------------------------------------------------------------

// SIGINT during a traced run. The handler only writes a byte to a pipe
// (async-signal-safe); a watcher thread reads it and stops the program
// through the runtime, so every thread unwinds normally and the trace can
// be written. SA_RESETHAND: a second SIGINT kills wgi as usual.
int g_sigint_fd = -1;  // the pipe's write end while a watcher is installed

extern "C" void on_sigint(int) {
  const int saved = errno;
  const char c = 'i';
  if (g_sigint_fd >= 0) (void)!write(g_sigint_fd, &c, 1);
  errno = saved;
}

class SigintWatcher {
 public:
  // stop() runs on the watcher thread when SIGINT arrives; tick() about
  // every 100 ms.
  SigintWatcher(std::function<void()> stop, std::function<void()> tick)
      : stop_(std::move(stop)), tick_(std::move(tick)) {
    if (pipe2(fds_, O_CLOEXEC) != 0) {
      fds_[0] = fds_[1] = -1;
      return;  // no watcher: SIGINT keeps its default action
    }
    g_sigint_fd = fds_[1];
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(SIGINT, &sa, &old_);
    thread_ = std::thread([this] { loop(); });
  }
  ~SigintWatcher() {
    if (fds_[0] < 0) return;
    sigaction(SIGINT, &old_, nullptr);
    const char q = 'q';
    (void)!write(fds_[1], &q, 1);
    thread_.join();
    g_sigint_fd = -1;
    close(fds_[0]);
    close(fds_[1]);
  }
  SigintWatcher(const SigintWatcher&) = delete;
  SigintWatcher& operator=(const SigintWatcher&) = delete;

  bool fired() const { return fired_.load(); }

 private:
  void loop() {
    for (;;) {
      pollfd p{fds_[0], POLLIN, 0};
      const int n = poll(&p, 1, 100);
      if (n > 0) {
        char c = 0;
        if (read(fds_[0], &c, 1) != 1) continue;
        if (c == 'q') return;
        if (!fired_.exchange(true)) stop_();
      } else if (n == 0) {
        tick_();
      }
    }
  }

  std::function<void()> stop_, tick_;
  int fds_[2] = {-1, -1};
  struct sigaction old_ {};
  std::thread thread_;
  std::atomic<bool> fired_{false};
};

// A traced run: the recorder, the SIGINT watcher while the program runs,
// and the files at the end.
class TraceSession {
 public:
  explicit TraceSession(const RunSettings& s)
      : recorder_(s.trace_limit.value_or(trace::kDefaultEventLimit)), dir_(s.trace_out.value_or(".")) {}

  trace::Recorder& recorder() { return recorder_; }

  // From now until finish(), SIGINT calls stop().
  void watch(std::function<void()> stop) {
    watcher_ = std::make_unique<SigintWatcher>(std::move(stop), [this] { warn_limit(); });
  }
  bool interrupted() const { return watcher_ && watcher_->fired(); }

  // Once every recording thread has ended: writes the trace and reports on
  // stderr. Returns the exit status: `status` (the run's), or 1 when the
  // trace cannot be written and the run itself succeeded.
  int finish(const std::string& path, const interp::CompiledModule& cm, int status) {
    watcher_.reset();
    std::fflush(stdout);
    warn_limit();
    if (status == kExitInterrupted)
      std::fprintf(stderr, "wgi: interrupted (SIGINT): writing the trace recorded so far\n");
    auto w = trace::write_trace(recorder_, cm, {.dir = dir_, .module_path = path});
    if (!w.ok()) {
      std::fprintf(stderr, "wgi: trace not written: %s\n", w.error().message.c_str());
      return status != kExitOk ? status : kExitError;
    }
    const auto& h = w->header;
    std::fprintf(stderr,
                 "wgi: trace: %" PRId64 " events (%" PRId64 " threads, %" PRId64 " locks, %" PRId64
                 " variables, %" PRIu64 " locations) written to %s, ids explained in %s\n",
                 h.events, h.threads, h.locks, h.variables, w->locations, w->bin_path.c_str(), w->json_path.c_str());
    if (w->truncated)
      std::fprintf(stderr,
                   "wgi: warning: trace: truncated at the event limit (%" PRIu64
                   "): it ends where the first thread stopped recording (--trace-limit sets the limit)\n",
                   recorder_.limit());
    std::fputs(trace::format_overlap_warning(w->overlaps, w->metadata).c_str(), stderr);
    return status;
  }

 private:
  // Warns once, as soon as the watcher sees it (a long run keeps running).
  void warn_limit() {
    if (recorder_.truncated() && !limit_warned_.exchange(true))
      std::fprintf(stderr,
                   "wgi: warning: trace: the event limit (%" PRIu64
                   ") is reached; recording stops, the program goes on\n",
                   recorder_.limit());
  }

  trace::Recorder recorder_;
  std::string dir_;
  std::unique_ptr<SigintWatcher> watcher_;
  std::atomic<bool> limit_warned_{false};
};

// A threadlink program: the module is thread 0, threads come and go through
// its wasm_threadlink imports (threads/threadlink.h). Exit statuses as for
// plain modules, plus 4 when the program panics.
int run_threadlink(const std::string& path, std::shared_ptr<const interp::CompiledModule> cm,
                   RunSettings& s, const std::string& name, const std::vector<interp::Slot>& args,
                   const FuncType* type) {
  s.threadlink.interp = s.thread;
  std::unique_ptr<TraceSession> tracing;
  if (s.trace) {
    tracing = std::make_unique<TraceSession>(s);
    s.threadlink.recorder = &tracing->recorder();
  }
  auto rt = threads::Runtime::create(cm, s.threadlink);
  if (!rt.ok()) {
    report_error(path, rt.error(), nullptr);
    return kExitError;
  }
  threads::Runtime& runtime = **rt;
  if (tracing) tracing->watch([&runtime] { runtime.interrupt(); });
  threads::RunOutcome o = runtime.run(name, args);
  int status = o.exit_code;
  if (o.kind == threads::RunOutcome::Kind::Ok) {
    if (type) print_results(*type, o.results);
    status = kExitOk;
  } else if (o.kind != threads::RunOutcome::Kind::Interrupted) {
    std::fflush(stdout);
    std::fputs(o.report.c_str(), stderr);
  }
  return tracing ? tracing->finish(path, *cm, status) : status;
}

}  // namespace

void print_run_options(std::FILE* out) {
  for (const RunOption& o : kRunOptions) {
    std::string head = std::string(o.name);
    if (!o.value.empty()) head.append(" ").append(o.value);
    std::string help = std::string(o.help);
    if (o.default_text) help.append("\ndefault: ").append(o.default_text());
    // First help line beside the option when it fits, the rest indented.
    std::fprintf(out, "  %-19s", head.c_str());
    if (head.size() > 19) std::fprintf(out, "\n  %-19s", "");
    size_t start = 0;
    for (bool first = true;; first = false) {
      const size_t nl = help.find('\n', start);
      const std::string line = help.substr(start, nl == std::string::npos ? nl : nl - start);
      if (first) std::fprintf(out, " %s\n", line.c_str());
      else std::fprintf(out, "  %-19s %s\n", "", line.c_str());
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
}

void print_run_help(std::FILE* out) {
  std::fprintf(out,
               "Usage: wgi run [OPTIONS] FILE.wasm [--invoke NAME] [--] [ARGS...]\n"
               "\n"
               "Instantiates FILE.wasm (running its start function), then calls the export\n"
               "NAME, or _start when there is no --invoke and the module exports it.\n"
               "ARGS are parsed by NAME's parameter types: i32/i64 as decimal (negative\n"
               "numbers are fine) or 0x-hex; f32/f64 as decimal or hex floats, inf, -inf,\n"
               "nan, nan:0xPAYLOAD. Each result is printed on its own line: integers as\n"
               "signed decimal, floats in the shortest form that reads back exactly.\n"
               "Options may come anywhere before \"--\", which ends them.\n"
               "\n"
               "Options:\n");
  print_run_options(out);
  std::fprintf(out,
               "  -h, --help          print this help\n"
               "\n"
               "A trap prints \"wgi: trap: MESSAGE\" and a backtrace on stderr, innermost\n"
               "call first, one line per frame: function index, name (from the name\n"
               "section, else the export) and the byte offset in FILE.wasm, in hex.\n"
               "\n"
               "Exit status:\n"
               "  0  success\n"
               "  1  the module is malformed, invalid or unsupported, an import is missing\n"
               "     or has the wrong type, or the file cannot be read\n"
               "  2  usage error: bad option, unknown export, export not a function,\n"
               "     wrong number or type of ARGS\n"
               "  3  trap (in the start function, a segment initialiser or the call;\n"
               "     threadlink modules: in any thread)\n"
               "  4  a threadlink module called panic\n"
               "  130  --trace: stopped by SIGINT (the trace so far is written)\n"
               "With --trace, failing to write the trace is status 1 when the run itself\n"
               "succeeded; otherwise the run's status stands.\n"
               "\n"
               "Modules that import from \"wasm_threadlink\" run as multithreaded programs:\n"
               "every thread_create starts an OS thread running a new instance of the module\n"
               "on the shared memory \"env\" \"memory\". When the invoked function returns,\n"
               "wgi prints its results and exits; threads still running are ended, as when\n"
               "a C program returns from main. A panic or a trap in any thread stops every\n"
               "thread.\n"
               "\n"
               "--trace records every thread's memory accesses (address and size), atomic\n"
               "operations, threadlink lock hooks (request, acquire, release), thread_create\n"
               "(fork) and thread_join (join), in an order consistent with the execution,\n"
               "and writes them as a RapidBin trace; `wgi trace` converts and summarises it.\n"
               "On stderr it reports the counts, a truncation, and memory accesses of\n"
               "different (address, size) pairs that overlap across threads (RapidBin\n"
               "tools would not compare them).\n");
}

int cmd_run(std::span<char* const> args) {
  RunSettings s;
  if (std::optional<int> status = parse_run_args(args, s)) return *status;
  if (s.help) {
    print_run_help(stdout);
    return kExitOk;
  }
  if (s.positional.empty()) return run_usage_error("no module file given");
  const std::string path = s.positional[0];
  const std::vector<std::string> call_args(s.positional.begin() + 1, s.positional.end());
  if (!s.invoke && !call_args.empty())
    return run_usage_error("arguments given without --invoke ('" + call_args[0] + "')");
  if (!s.trace && (s.trace_out || s.trace_limit))
    return run_usage_error(std::string(s.trace_out ? "--trace-out" : "--trace-limit") + " needs --trace");

  // ---- load: read, decode, validate, compile ----
  Result<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes.ok()) {
    report_error(path, bytes.error(), nullptr);
    return kExitError;
  }
  Result<Module> decoded = decode_module(std::move(bytes).value(), s.features);
  if (!decoded.ok()) {
    report_error(path, decoded.error(), nullptr);
    return kExitError;
  }
  auto module = std::make_shared<const Module>(std::move(decoded).value());
  // Traced runs use the recording variant of the code (interp/code.h);
  // untraced code has no trace instructions at all.
  Result<std::shared_ptr<const interp::CompiledModule>> compiled =
      interp::compile_module(module, s.features, {.trace = s.trace});
  if (!compiled.ok()) {
    report_error(path, compiled.error(), module.get());
    return kExitError;
  }

  // ---- the function to call and its arguments ----
  // Checked against the module before instantiating: a usage error must not
  // run the start function first.
  // (A plain string and a flag: g++ 12 warns falsely about optional<string>.)
  const bool call = s.invoke.has_value() || module->find_export("_start") != nullptr;
  const std::string name = s.invoke.value_or("_start");
  const FuncType* type = nullptr;
  std::vector<interp::Slot> arg_slots, result_slots;
  if (call) {
    const Export* e = module->find_export(name);
    if (e == nullptr) {
      std::string known;
      for (const Export& x : module->exports)
        if (x.kind == ExternKind::Func) known.append(known.empty() ? "" : ", ").append(quote_name(x.name));
      return invocation_error(path, "no export named " + quote_name(name) +
                                        (known.empty() ? " (the module exports no functions)"
                                                       : " (exported functions: " + known + ")"));
    }
    if (e->kind != ExternKind::Func)
      return invocation_error(path, "export " + quote_name(name) + " is " +
                                        extern_kind_article(e->kind) + ", not a function");
    type = &module->func_type(e->index);
    if (call_args.size() != type->params.size())
      return invocation_error(
          path, quote_name(name) + " takes " + std::to_string(type->params.size()) +
                    (type->params.size() == 1 ? " argument " : " arguments ") +
                    type_list(type->params) + ", got " + std::to_string(call_args.size()));
    for (ValType t : type->params) arg_slots.resize(arg_slots.size() + interp::slot_count(t));
    for (ValType t : type->results) result_slots.resize(result_slots.size() + interp::slot_count(t));
    for (size_t i = 0, slot = 0; i < call_args.size(); ++i) {
      const ValType t = type->params[i];
      if (std::optional<std::string> err = interp::parse_value(t, call_args[i], &arg_slots[slot]))
        return invocation_error(path, "argument " + std::to_string(i + 1) + " of " +
                                          quote_name(name) + ": " + *err);
      slot += interp::slot_count(t);
    }
  }

  // ---- modules built against the wasm_threadlink ABI ----
  if (threads::uses_threadlink(*module)) return run_threadlink(path, *compiled, s, call ? name : "",
                                                                arg_slots, type);

  // ---- link and instantiate ----
  // Plain modules get no host imports: a module with imports fails here
  // with "unknown import".
  interp::Store store;
  interp::Linker linker;
  Result<std::vector<interp::ExternVal>> imports = linker.resolve(*module);
  if (!imports.ok()) {
    report_error(path, imports.error(), module.get());
    return kExitError;
  }
  std::unique_ptr<interp::Thread> thread;
  try {
    thread = std::make_unique<interp::Thread>(s.thread);
  } catch (const std::bad_alloc&) {
    return run_usage_error("cannot reserve the stacks for --max-stack " +
                           std::to_string(s.thread.value_stack_bytes) + " and --max-call-depth " +
                           std::to_string(s.thread.max_call_depth));
  }
  // Traced: the one thread records, SIGINT interrupts it, and the trace is
  // written however the run ends (after instantiation began).
  std::unique_ptr<TraceSession> tracing;
  trace::ThreadTrace* thread_trace = nullptr;
  if (s.trace) {
    tracing = std::make_unique<TraceSession>(s);
    thread_trace = tracing->recorder().add_thread(0);
    thread->trace_ = thread_trace;
    interp::Thread* t = thread.get();
    tracing->watch([t] { t->request_interrupt(); });
  }
  auto finish = [&](int status) {
    if (!tracing) return status;
    thread_trace->mark_end();
    return tracing->finish(path, **compiled, status);
  };
  // A trap, or the interruption a SIGINT asked for (exit 130).
  auto stopped = [&](interp::TrapKind k, const char* context) {
    if (k == interp::TrapKind::Interrupted && tracing && tracing->interrupted()) return finish(kExitInterrupted);
    return finish(report_trap(k, thread->backtrace(), context));
  };
  Result<interp::Instantiation> inst = interp::instantiate(store, *compiled, *imports, *thread);
  if (!inst.ok()) {
    report_error(path, inst.error(), module.get());
    return finish(kExitError);
  }
  if (inst->trap != interp::TrapKind::None)
    return stopped(inst->trap, "while initialising the module's table and memory segments");
  if (!call) return finish(kExitOk);  // instantiating (and the start function) was the whole job

  // ---- call and print ----
  const interp::FuncInst& func = *inst->instance->get_export_func(name);
  const interp::TrapKind k = thread->invoke(func, arg_slots.data(), result_slots.data());
  if (k != interp::TrapKind::None) return stopped(k, nullptr);
  print_results(*type, result_slots);
  return finish(kExitOk);
}

}  // namespace wgi::cli
