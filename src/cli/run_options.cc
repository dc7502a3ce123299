// wgi run's option table and its parser (run_options.h), and the table
// printed as help (print_run_options, cli.h).
#include <algorithm>
#include "cli/run_options.h"

#include <cctype>
#include <cstdlib>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "cli/cli.h"
#include "trace/writer.h"

namespace wgi::cli {

namespace {

using interp::ThreadConfig;

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

// A count from `min` to UINT32_MAX into *out; otherwise the message,
// "expected a number of WHAT from MIN to 4294967295, got 'V'".
OptionError parse_u32(std::string_view v, uint32_t min, const char* what, uint32_t* out) {
  std::optional<uint64_t> n = parse_count(v);
  if (!n || *n < min || *n > UINT32_MAX)
    return "expected a number of " + std::string(what) + " from " + std::to_string(min) + " to " +
           std::to_string(UINT32_MAX) + ", got '" + std::string(v) + "'";
  *out = static_cast<uint32_t>(*n);
  return std::nullopt;
}

// A duration: a decimal number (a fraction allowed) and a unit, ms, s, m
// or h; no unit is seconds. "2.5s", "500ms", "10", "1m".
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.')) ++i;
  const std::string number(v.substr(0, i));
  const std::string_view unit = v.substr(i);
  if (number.empty() || number == "." || std::count(number.begin(), number.end(), '.') > 1) return std::nullopt;
  double scale;  // ns per unit
  if (unit.empty() || unit == "s") scale = 1e9;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "m") scale = 60e9;
  else if (unit == "h") scale = 3600e9;
  else return std::nullopt;
  const double ns = std::strtod(number.c_str(), nullptr) * scale;
  if (!(ns >= 1e6) || ns > 1e18) return std::nullopt;  // 1 ms to 31 years
  return std::chrono::nanoseconds(static_cast<int64_t>(ns));
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

// A size in bytes from `min` (at least 1) to `max` into *out; otherwise the
// message, "expected EXPECTED, got 'V'".
template <typename T>
OptionError parse_size(std::string_view v, uint64_t min, uint64_t max, const char* expected, T* out) {
  std::optional<uint64_t> n = parse_byte_size(v);
  if (!n || *n == 0 || *n < min || *n > max)
    return "expected " + std::string(expected) + ", got '" + std::string(v) + "'";
  *out = static_cast<T>(*n);
  return std::nullopt;
}

// The smallest --thread-stack-size. The block is the guest's own stack in
// linear memory (C's locals that live in memory, spilled frames), and
// nothing checks the guest's stack pointer against it: a stack too small
// silently overflows into the heap blocks below it, such as other threads'
// stacks. 4 KiB (one host page) holds a few small frames; anything smaller
// is more likely a unit mistake ("16" for 16K) than a choice.
constexpr uint64_t kMinThreadStackSize = 4096;

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
    {"--dir", "HOST[::GUEST]",
     "WASI: give the program the host directory HOST,\n"
     "named GUEST inside (default: HOST as written);\n"
     "repeatable. Nothing outside it can be reached",
     nullptr,
     [](RunSettings& s, std::string_view v) -> OptionError {
       const size_t sep = v.find("::");
       wasi::Preopen p{std::string(v.substr(0, sep)), std::string(sep == v.npos ? v : v.substr(sep + 2))};
       if (p.host.empty() || p.guest.empty()) return "expected HOST or HOST::GUEST, got '" + std::string(v) + "'";
       s.wasi.preopens.push_back(std::move(p));
       return std::nullopt;
     }},
    {"--env", "NAME[=VALUE]",
     "WASI: set the variable NAME to VALUE for the\n"
     "program, or pass on wgi's own NAME (if set);\n"
     "repeatable. The program sees no other variables",
     nullptr,
     [](RunSettings& s, std::string_view v) -> OptionError {
       const size_t eq = v.find('=');
       const std::string name(v.substr(0, eq));
       if (name.empty()) return "expected NAME or NAME=VALUE, got '" + std::string(v) + "'";
       std::string entry;
       if (eq != v.npos) {
         entry = std::string(v);
       } else if (const char* host = std::getenv(name.c_str())) {
         entry = name + "=" + host;
       } else {
         return std::nullopt;  // not set here: not set there
       }
       // A later setting of the same name replaces an earlier one.
       std::erase_if(s.wasi.env, [&](const std::string& e) { return e.compare(0, name.size() + 1, name + "=") == 0; });
       s.wasi.env.push_back(std::move(entry));
       return std::nullopt;
     }},
    {"--max-call-depth", "N",
     "nested calls allowed; one more traps with\n"
     "\"call stack exhausted\"",
     [] { return std::to_string(ThreadConfig{}.max_call_depth); },
     [](RunSettings& s, std::string_view v) {
       return parse_u32(v, 1, "calls", &s.thread.max_call_depth);
     }},
    {"--max-stack", "BYTES",
     "value stack size: the locals and operands of all\n"
     "active calls, 8 bytes each; running out traps with\n"
     "\"call stack exhausted\". BYTES may end in K, M or G",
     [] { return byte_size_text(ThreadConfig{}.value_stack_bytes); },
     [](RunSettings& s, std::string_view v) {
       return parse_size(v, 1, SIZE_MAX, "a size in bytes (e.g. 1048576, 512K, 64M, 1G)",
                         &s.thread.value_stack_bytes);
     }},
    {"--max-memory", "BYTES",
     "linear memory all of the program's memories may hold\n"
     "together: a memory.grow past it returns -1, a module\n"
     "whose memories need more does not start (status 1).\n"
     "BYTES may end in K, M or G",
     [] { return std::string("no limit (each memory's own maximum)"); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       uint64_t bytes = 0;
       if (OptionError e = parse_size(v, 0, UINT64_MAX, "a size in bytes (e.g. 1048576, 512K, 64M, 1G)", &bytes))
         return e;
       s.threadlink.store_limits.memory_budget = std::make_shared<interp::MemoryBudget>(bytes);
       return std::nullopt;
     }},
    {"--max-table-elements", "N",
     "elements a table may hold: instantiating a bigger\n"
     "table fails (status 1), table.grow beyond it\n"
     "returns -1",
     [] { return std::to_string(interp::kDefaultMaxTableElements); },
     [](RunSettings& s, std::string_view v) {
       return parse_u32(v, 0, "elements", &s.threadlink.store_limits.max_table_elements);
     }},
    {"--max-threads", "N",
     "threadlink modules: threads besides the main thread\n"
     "that may run at once; beyond it thread_create\n"
     "returns 3",
     [] { return std::to_string(threads::ThreadlinkConfig{}.max_threads); },
     [](RunSettings& s, std::string_view v) {
       return parse_u32(v, 0, "threads", &s.threadlink.max_threads);
     }},
    {"--thread-stack-size", "BYTES",
     "threadlink modules: linear memory allocated (with\n"
     "__wasmgrind_malloc) as each new thread's stack, at\n"
     "least 4K (nothing stops a thread overflowing it).\n"
     "BYTES may end in K, M or G",
     [] { return byte_size_text(threads::ThreadlinkConfig{}.thread_stack_size); },
     [](RunSettings& s, std::string_view v) {
       return parse_size(v, kMinThreadStackSize, 0x7FFFFFF0u,
                         "a size in bytes from 4K to 2G (e.g. 65536, 256K, 1M)",
                         &s.threadlink.thread_stack_size);
     }},
    {"--timeout", "DURATION",
     "stop the program after DURATION of wall-clock time\n"
     "(500ms, 2.5s, 10, 1m, 1h; no unit: seconds): every\n"
     "thread is interrupted, wgi prints where each was and\n"
     "exits with 124 (with --trace, the trace is written)",
     [] { return std::string("none"); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       s.timeout = parse_duration(v);
       if (!s.timeout) return "expected a duration of at least 1ms (e.g. 500ms, 2.5s, 10, 1m), got '" + std::string(v) + "'";
       return std::nullopt;
     }},
    {"--trace", "",
     "record a trace of the run: memory accesses, atomics,\n"
     "locks (threadlink's lock hooks), fork and join, for\n"
     "every thread; written to DIR/trace.bin (RapidBin) and\n"
     "DIR/trace.json (what its ids stand for) when the run\n"
     "ends, however it ends (under temporary names, renamed\n"
     "when complete). SIGINT stops a traced program, writes\n"
     "the trace recorded so far and exits with 130",
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
     "with --trace: the most events recorded (an access, an\n"
     "atomic, a lock hook, a fork or a join is one; trace.bin\n"
     "writes an atomic as a lock section of 2 to 4 events);\n"
     "once N are recorded, recording stops with a warning and\n"
     "the trace is cut consistently, which may leave fewer. In\n"
     "memory: 16 bytes an event, and as much for the mark\n"
     "after each synchronisation",
     [] { return std::to_string(trace::kDefaultEventLimit) + " (800 MB of events)"; },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_count(v);
       if (!n || *n == 0) return "expected a number of events, at least 1, got '" + std::string(v) + "'";
       s.trace_limit = *n;
       return std::nullopt;
     }},
    {"--race", "",
     "detect data races: check every access to a shared\n"
     "memory against the happens-before order of the\n"
     "threads (atomics, wait/notify, lock hooks, thread\n"
     "create and join) and report each racing pair of\n"
     "code locations on stderr; exit status 66 when races\n"
     "were found and the program otherwise ended normally",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.race = true;
       return std::nullopt;
     }},
    {"--race-limit", "N",
     "with --race: race reports printed at most (all are\n"
     "counted, and all go to the --report file)",
     [] { return std::to_string(kDefaultRaceLimit); },
     [](RunSettings& s, std::string_view v) -> OptionError {
       std::optional<uint64_t> n = parse_count(v);
       if (!n) return "expected a number of reports, got '" + std::string(v) + "'";
       s.race_limit = *n;
       return std::nullopt;
     }},
    {"--race-stats", "",
     "with --race: print what checking cost at the end: the\n"
     "shadow memory's size per byte of shared memory\n"
     "touched, threads, synchronisation objects",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.race_stats = true;
       return std::nullopt;
     }},
    {"--deadlock", "",
     "predict lock-order deadlocks (needs the lock hooks):\n"
     "report, at the end, each cycle of locks taken in\n"
     "opposite orders by threads that could run together,\n"
     "even when this run did not deadlock; exit status 66\n"
     "when any was found and the program otherwise ended\n"
     "normally. (Live deadlocks are always detected: exit 5)",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.deadlock = true;
       return std::nullopt;
     }},
    {"--deadlock-exit", "",
     "end the run (exit 5) as soon as threads wait for each\n"
     "other's locks (found with the lock hooks), rather than\n"
     "report the cycle and go on",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.threadlink.deadlock_exit = true;
       return std::nullopt;
     }},
    {"--trap-unknown-imports", "",
     "link each function import that nothing provides as a\n"
     "function that traps, naming the import, when called\n"
     "(instead of refusing to run the module)",
     nullptr,
     [](RunSettings& s, std::string_view) -> OptionError {
       s.trap_unknown_imports = true;
       return std::nullopt;
     }},
    {"--report", "FILE",
     "write the findings to FILE as JSON: the live deadlock\n"
     "and lock cycles of a threadlink program, races with\n"
     "--race, potential deadlocks with --deadlock (the\n"
     "README describes the layout)",
     nullptr,
     [](RunSettings& s, std::string_view v) -> OptionError {
       if (v.empty()) return std::string("expected a file name");
       s.report = std::string(v);
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

}  // namespace

int run_usage_error(const std::string& message) {
  std::fprintf(stderr, "wgi: run: %s (see 'wgi run --help')\n", message.c_str());
  return kExitUsage;
}

std::optional<int> parse_run_args(std::span<char* const> args, RunSettings& s) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    // After FILE, without --invoke, the first argument that is not one of
    // ours begins the program's own arguments, which are passed on as they
    // are (wgi run app.wasm -n 5 --verbose).
    if (!options_done && !s.positional.empty() && !s.invoke) {
      const bool ours = a == "--" || a == "-h" || a == "--help" ||
                        (a.substr(0, 2) == "--" && find_option(a.substr(0, a.find('='))) != nullptr);
      if (!ours) options_done = true;
    }
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

}  // namespace wgi::cli
