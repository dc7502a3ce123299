// `wgi run`: argument parsing, result printing, every exit status and the
// trap report, by running the built binary on modules compiled from
// tests/cli/*.wat (run.wat holds most of the functions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "interp/thread.h"
#include "subprocess.h"

namespace {

using wgi::spec::ProcessResult;
using wgi::spec::run_process;

const std::string kData = WGI_CLI_TEST_DATA;
const std::string kRun = kData + "/run.wasm";
const std::string kRecursion = kData + "/recursion.wasm";

ProcessResult wgi(std::vector<std::string> args) {
  args.insert(args.begin(), WGI_CLI_PATH);
  ProcessResult r = run_process(args);
  EXPECT_TRUE(r.started) << r.spawn_error;
  // Never a signal: every outcome is an exit status.
  EXPECT_TRUE(r.exited) << r.describe() << "\nstderr: " << r.err.substr(0, 2000);
  return r;
}

std::string joined(const std::vector<std::string>& args) {
  std::string s = "wgi";
  for (const auto& a : args) s += " " + a;
  return s;
}

// Runs `wgi run kRun --invoke ARGS...` and expects exit 0 with `out`.
void expect_output(const std::vector<std::string>& invoke_args, const std::string& out) {
  std::vector<std::string> args = {"run", kRun, "--invoke"};
  args.insert(args.end(), invoke_args.begin(), invoke_args.end());
  ProcessResult r = wgi(args);
  EXPECT_EQ(r.exit_code, 0) << joined(args) << "\n" << r.err;
  EXPECT_EQ(r.out, out) << joined(args);
  EXPECT_EQ(r.err, "") << joined(args);
}

// Expects exit status 2 with a single error line containing `message`.
void expect_invocation_error(const std::vector<std::string>& args, const std::string& message) {
  ProcessResult r = wgi(args);
  EXPECT_EQ(r.exit_code, 2) << joined(args) << "\n" << r.err;
  EXPECT_EQ(r.out, "") << joined(args);
  EXPECT_EQ(r.err.rfind("wgi: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos)
      << joined(args) << ": expected \"" << message << "\" in:\n" << r.err;
}

// Expects exit status 2 with one error line that points to the help (not
// the whole help).
void expect_usage_error(const std::vector<std::string>& args, const std::string& message) {
  ProcessResult r = wgi(args);
  EXPECT_EQ(r.exit_code, 2) << joined(args);
  EXPECT_EQ(r.out, "") << joined(args);
  EXPECT_EQ(r.err.rfind("wgi: run: " + message, 0), 0u) << joined(args) << ":\n" << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << joined(args) << ":\n" << r.err;
  EXPECT_NE(r.err.find("(see 'wgi run --help')"), std::string::npos) << joined(args) << ":\n" << r.err;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// One line of the trap report's backtrace.
struct Frame {
  unsigned index = 0;
  unsigned func = 0;
  std::string name;  // empty when the function has no name
  unsigned long offset = 0;
};

// Parses a frame line "  #N func F[ "NAME"| (export "NAME")] at 0xOFF".
std::optional<Frame> parse_frame(const std::string& line) {
  Frame f;
  int n = 0;
  if (std::sscanf(line.c_str(), "  #%u func %u%n", &f.index, &f.func, &n) != 2) return std::nullopt;
  std::string rest = line.substr(size_t(n));
  if (rest.rfind(" \"", 0) == 0) {
    const size_t close = rest.find('"', 2);
    if (close == std::string::npos) return std::nullopt;
    f.name = rest.substr(2, close - 2);
    rest = rest.substr(close + 1);
  } else if (rest.rfind(" (export \"", 0) == 0) {
    const size_t close = rest.find("\")");
    if (close == std::string::npos) return std::nullopt;
    rest = rest.substr(close + 2);
  }
  if (rest.rfind(" at 0x", 0) != 0 || rest.size() == 6 ||
      rest.find_first_not_of("0123456789abcdef", 6) != std::string::npos)
    return std::nullopt;
  f.offset = std::stoul(rest.substr(6), nullptr, 16);
  return f;
}

// Checks "wgi: trap: MESSAGE\n" and parses the frame lines that follow;
// every line must be a frame line.
std::vector<Frame> parse_trap_report(const ProcessResult& r, const std::string& message) {
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::string head = "wgi: trap: " + message + "\n";
  EXPECT_EQ(r.err.rfind(head, 0), 0u) << "stderr:\n" << r.err;
  std::vector<Frame> frames;
  if (r.err.rfind(head, 0) != 0) return frames;
  size_t pos = head.size();
  while (pos < r.err.size()) {
    const size_t nl = r.err.find('\n', pos);
    const std::string line = r.err.substr(pos, nl - pos);
    pos = nl == std::string::npos ? r.err.size() : nl + 1;
    if (std::optional<Frame> f = parse_frame(line)) frames.push_back(*f);
    else ADD_FAILURE() << "not a frame line: '" << line << "' in:\n" << r.err;
  }
  return frames;
}

// ---- arguments and results ----

TEST(Run, I32ArgumentsAndResults) {
  expect_output({"add_i32", "1", "2"}, "3\n");
  expect_output({"add_i32", "-5", "-7"}, "-12\n");
  expect_output({"add_i32", "0xFFFFFFFF", "0"}, "-1\n");  // results are signed
  expect_output({"add_i32", "0x7fffffff", "1"}, "-2147483648\n");
  expect_output({"add_i32", "-2147483648", "-1"}, "2147483647\n");
  expect_output({"add_i32", "4294967295", "+1"}, "0\n");
  expect_output({"add_i32", "-0x10", "0x10"}, "0\n");
}

TEST(Run, I64ArgumentsAndResults) {
  expect_output({"add_i64", "-9223372036854775808", "-1"}, "9223372036854775807\n");
  expect_output({"add_i64", "0xFFFFFFFFFFFFFFFF", "2"}, "1\n");
  expect_output({"add_i64", "9223372036854775807", "0"}, "9223372036854775807\n");
  expect_output({"add_i64", "-1", "-0x7FFFFFFFFFFFFFFF"}, "-9223372036854775808\n");
}

TEST(Run, F32ArgumentsAndShortestResults) {
  expect_output({"add_f32", "0.1", "0.2"}, "0.3\n");  // shortest f32 text, not 0.30000001
  expect_output({"add_f32", "-1.5", "-0.25"}, "-1.75\n");
  expect_output({"id_f32", "-0"}, "-0\n");
  expect_output({"id_f32", "inf"}, "inf\n");
  expect_output({"id_f32", "-inf"}, "-inf\n");
  expect_output({"id_f32", "nan"}, "nan\n");
  expect_output({"id_f32", "-nan"}, "-nan\n");
  expect_output({"id_f32", "nan:0x400000"}, "nan\n");  // the canonical payload
  expect_output({"id_f32", "nan:0x200000"}, "nan:0x200000\n");
  expect_output({"id_f32", "nan:0x1"}, "nan:0x1\n");
  expect_output({"id_f32", "-nan:0x7fffff"}, "-nan:0x7fffff\n");
  expect_output({"id_f32", "0x1p-149"}, "1e-45\n");  // smallest subnormal
  expect_output({"id_f32", "3.4028235e38"}, "3.4028235e+38\n");
  expect_output({"f32_bits", "nan:0x1"}, "2139095041\n");  // 0x7f800001
  expect_output({"f32_bits", "-nan"}, "-4194304\n");       // 0xffc00000
  expect_output({"f32_from_bits", "0x7fa00000"}, "nan:0x200000\n");
  expect_output({"f32_from_bits", "0xff800000"}, "-inf\n");
}

TEST(Run, F64ArgumentsAndShortestResults) {
  expect_output({"add_f64", "0.1", "0.2"}, "0.30000000000000004\n");
  expect_output({"add_f64", "-1e300", "-1e300"}, "-2e+300\n");
  expect_output({"id_f64", "5e-324"}, "5e-324\n");
  expect_output({"id_f64", "0x1.8p1"}, "3\n");
  expect_output({"id_f64", "-inf"}, "-inf\n");
  expect_output({"id_f64", "nan:0x8000000000000"}, "nan\n");
  expect_output({"id_f64", "nan:0x1"}, "nan:0x1\n");
  expect_output({"f64_bits", "nan:0x1"}, "9218868437227405313\n");  // 0x7ff0000000000001
  expect_output({"f64_from_bits", "-1"}, "-nan:0xfffffffffffff\n");
  expect_output({"f64_from_bits", "0x7ff0000000000000"}, "inf\n");
}

TEST(Run, MixedArgumentsSeveralResultsAndNone) {
  expect_output({"mixed", "-1", "-2", "0.5", "-0.25"}, "-2.75\n");
  expect_output({"swap", "1", "-2"}, "-2\n1\n");  // each result on its own line
  expect_output({"nothing"}, "");
}

TEST(Run, DoubleDashEndsOptions) {
  expect_output({"add_i32", "--", "-1", "-2"}, "-3\n");
  expect_output({"id_f64", "--", "-nan:0x1"}, "-nan:0x1\n");
  // After "--" an option-like word is an argument (here, not an i32).
  expect_invocation_error({"run", kRun, "--invoke", "add_i32", "1", "--", "--max-stack"},
                          "argument 2 of \"add_i32\": not an i32: '--max-stack'");
}

TEST(Run, OptionsMayFollowTheArguments) {
  expect_output({"add_i32", "1", "2", "--max-call-depth", "10"}, "3\n");
  ProcessResult r = wgi({"run", "--max-stack=1M", "--max-call-depth=50", kRun, "--invoke=add_i32",
                         "20", "22"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "42\n");
}

// ---- exit status 2: the invocation does not fit the module ----

TEST(Run, WrongArgumentCount) {
  expect_invocation_error({"run", kRun, "--invoke", "add_i32", "1"},
                          "\"add_i32\" takes 2 arguments (i32, i32), got 1");
  expect_invocation_error({"run", kRun, "--invoke", "add_i32", "1", "2", "3"},
                          "\"add_i32\" takes 2 arguments (i32, i32), got 3");
  expect_invocation_error({"run", kRun, "--invoke", "nothing", "1"},
                          "\"nothing\" takes 0 arguments (), got 1");
}

TEST(Run, WrongArgumentType) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"add_i32", "1", "x"}, "argument 2 of \"add_i32\": not an i32: 'x'"},
      {{"add_i32", "1.5", "1"}, "argument 1 of \"add_i32\": not an i32: '1.5'"},
      {{"add_i32", "4294967296", "1"}, "not an i32: '4294967296'"},
      {{"add_i32", "-2147483649", "1"}, "not an i32: '-2147483649'"},
      {{"add_i32", "", "1"}, "not an i32: ''"},
      {{"add_i64", "18446744073709551616", "1"}, "not an i64"},
      {{"add_i64", "0x", "1"}, "not an i64"},
      {{"id_f32", "1e39"}, "not an f32: '1e39'"},  // finite, too large: not inf
      {{"id_f32", "nan:0x0"}, "not an f32"},
      {{"id_f32", "nan:0x800000"}, "not an f32"},  // payload wider than the mantissa
      {{"id_f64", "abc"}, "not an f64: 'abc'"},
      {{"id_f64", "1e400"}, "not an f64"},
  };
  for (const auto& [invoke, message] : cases) {
    std::vector<std::string> args = {"run", kRun, "--invoke"};
    args.insert(args.end(), invoke.begin(), invoke.end());
    expect_invocation_error(args, message);
  }
}

TEST(Run, UnknownExport) {
  // Without --invoke, arguments after FILE are a WASI program's own.
  expect_invocation_error({"run", kRun, "1", "2"}, "arguments given ('1'), but the module is not a WASI program");
  expect_invocation_error({"run", kRun, "--bogus"}, "arguments given ('--bogus')");
  expect_invocation_error({"run", kRun, "--invoke", "nope"}, "no export named \"nope\"");
  ProcessResult r = wgi({"run", kRun, "--invoke", "nope"});
  EXPECT_NE(r.err.find("\"add_i32\""), std::string::npos) << "lists the exported functions";
}

TEST(Run, ExportIsNotAFunction) {
  expect_invocation_error({"run", kRun, "--invoke", "mem"}, "export \"mem\" is a memory, not a function");
  expect_invocation_error({"run", kRun, "--invoke", "answer"},
                          "export \"answer\" is a global, not a function");
}

// ---- exit status 2: command-line usage ----

TEST(Run, UsageErrors) {
  expect_usage_error({"run"}, "no module file given");
  expect_usage_error({"run", "--invoke", "f"}, "no module file given");
  expect_usage_error({"run", "--bogus", kRun}, "unknown option '--bogus'");
  expect_usage_error({"run", "-x", kRun}, "unknown option '-x'");
  // With --invoke, options are ours wherever they are.
  expect_usage_error({"run", kRun, "--invoke", "add_i32", "--bogus"}, "unknown option '--bogus'");
  expect_usage_error({"run", kRun, "--invoke"}, "option '--invoke' needs a value");
  expect_usage_error({"run", kRun, "--no-threads=yes"}, "option '--no-threads' takes no value");
  for (const char* bad : {"0", "-1", "abc", "4294967296", "10k", ""})
    expect_usage_error({"run", kRun, "--max-call-depth", bad}, "--max-call-depth: expected");
  for (const char* bad : {"0", "-1", "abc", "10X", "1MiBs", "99999999999G"})
    expect_usage_error({"run", kRun, "--max-stack", bad}, "--max-stack: expected");
  // Below 4K a thread's stack is too small to be meant ("16" for 16K?).
  for (const char* bad : {"0", "16", "4095", "3K", "3G", "abc"})
    expect_usage_error({"run", kRun, "--thread-stack-size", bad},
                       std::string("--thread-stack-size: expected a size in bytes from 4K to 2G (e.g. 65536, "
                                   "256K, 1M), got '") + bad + "'");
}

TEST(Run, ThreadStackSizeOfTheMinimumIsAccepted) {
  for (const char* ok : {"4096", "4K"}) {
    ProcessResult r = wgi({"run", "--thread-stack-size", ok, kRun, "--invoke", "add_i32", "20", "22"});
    EXPECT_EQ(r.exit_code, 0) << ok << ": " << r.err;
    EXPECT_EQ(r.out, "42\n") << ok;
  }
}

TEST(Run, HelpListsOptionsDefaultsAndExitStatuses) {
  const wgi::interp::ThreadConfig defaults;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", "--help"}, std::vector<std::string>{"run", "-h"},
        std::vector<std::string>{"--help"}}) {
    ProcessResult r = wgi(args);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, "");
    for (const std::string& expected :
         {std::string("--invoke NAME"), std::string("--max-call-depth N"),
          std::string("--max-stack BYTES"), std::string("--no-threads"),
          "default: " + std::to_string(defaults.max_call_depth),
          "default: " + std::to_string(defaults.value_stack_bytes) + " (64 MiB)",
          std::string("Exit status:"), std::string("3  "), std::string("trap")}) {
      EXPECT_NE(r.out.find(expected), std::string::npos)
          << joined(args) << ": missing \"" << expected << "\" in:\n" << r.out;
    }
    // wgi run's help fits in 80 columns.
    if (args[0] != "run") continue;
    size_t start = 0;
    while (start < r.out.size()) {
      const size_t nl = r.out.find('\n', start);
      EXPECT_LE(nl - start, 80u) << r.out.substr(start, nl - start);
      start = nl + 1;
    }
  }
}

// ---- exit status 1: the module cannot be run ----

TEST(Run, InvalidModule) {
  const std::string file = kData + "/bad_body.wasm";
  ProcessResult r = wgi({"run", file, "--invoke", "bad"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("wgi: " + file + ":0x", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(": invalid: func 1 \"bad\": "), std::string::npos) << r.err;
}

TEST(Run, MalformedAndMissingFiles) {
  ProcessResult r = wgi({"run", kData + "/no-such-file.wasm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + kData + "/no-such-file.wasm: cannot open: No such file or directory\n");
  r = wgi({"run", kData});
  EXPECT_EQ(r.exit_code, 1);
  r = wgi({"run", std::string(WGI_SOURCE_DIR) + "/tests/cli/run.wat"});  // text, not binary
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(": malformed: "), std::string::npos) << r.err;
}

TEST(Run, NoThreadsRejectsSharedMemory) {
  EXPECT_EQ(wgi({"run", kData + "/shared.wasm"}).exit_code, 0) << "threads are on by default";
  ProcessResult r = wgi({"run", "--no-threads", kData + "/shared.wasm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wgi: " + kData + "/shared.wasm:0x"), std::string::npos) << r.err;
}

TEST(Run, TrapUnknownImportsLinksStubsThatTrapWhenCalled) {
  const std::string file = kData + "/trap_imports.wasm";
  ProcessResult r = wgi({"run", file, "--invoke", "ok"});
  EXPECT_EQ(r.exit_code, 1) << "without the option the imports are missing";
  r = wgi({"run", "--trap-unknown-imports", file, "--invoke", "ok"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "7\n");
  r = wgi({"run", "--trap-unknown-imports", file, "--invoke", "call_log"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.err.rfind("wgi: trap: call to an unresolved import\n", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("#0 host function \"env.log\"\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("#1 func 3 \"inner\""), std::string::npos) << r.err;
}

TEST(Run, MaxTableElementsCapsTablesAndTheirGrowth) {
  const std::string file = kData + "/table_grow.wasm";
  // The default cap: 2^31 elements are refused at once, nothing allocated.
  ProcessResult r = wgi({"run", file, "--invoke", "grow", "2147483648"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "-1\n");
  r = wgi({"run", "--max-table-elements", "10", file, "--invoke", "grow", "9"});
  EXPECT_EQ(r.out, "1\n") << r.err;
  r = wgi({"run", "--max-table-elements", "10", file, "--invoke", "grow", "10"});
  EXPECT_EQ(r.out, "-1\n") << r.err;
  r = wgi({"run", "--max-table-elements", "0", file, "--invoke", "grow", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + file + ": runtime: table 0 needs 1 elements, over the limit of 0 (--max-table-elements)\n");
  r = wgi({"run", "--max-table-elements", "many", file, "--invoke", "grow", "0"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Run, MaxMemoryCapsLinearMemory) {
  const std::string file = kData + "/memory_grow.wasm";
  ProcessResult r = wgi({"run", "--max-memory", "128K", file, "--invoke", "grow", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
  r = wgi({"run", "--max-memory", "128K", file, "--invoke", "grow", "2"});
  EXPECT_EQ(r.out, "-1\n") << r.err;
  r = wgi({"run", "--max-memory", "32K", file, "--invoke", "grow", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + file +
                       ": runtime: a memory of 65536 bytes is over the limit of 32768 bytes of linear memory "
                       "(--max-memory; 0 in use)\n");
  r = wgi({"run", file, "--invoke", "grow", "2"});
  EXPECT_EQ(r.out, "1\n") << r.err;
  r = wgi({"run", "--max-memory", "lots", file, "--invoke", "grow", "0"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(Run, MissingImportNamesModuleFieldAndType) {
  const std::string file = kData + "/imports.wasm";
  ProcessResult r = wgi({"run", file, "--invoke", "f"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("wgi: " + file + ":0x", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(": unlinkable: unknown import: \"env\" \"log\" (expected func (i32, f64) -> i64)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  r = wgi({"run", kData + "/import_global.wasm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("unknown import: \"spectest\" \"global_i32\" (expected global mut i32)"),
            std::string::npos)
      << r.err;
}

TEST(Run, SimdModule) {
  const std::string file = kData + "/simd.wasm";
  ProcessResult r = wgi({"run", file, "--invoke", "f"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "6\n");
}

// ---- exit status 3: traps ----

TEST(Run, TrapReportNamesEveryFrame) {
  ProcessResult r = wgi({"run", kRun, "--invoke", "outer", "5"});
  EXPECT_EQ(r.out, "");
  std::vector<Frame> frames = parse_trap_report(r, "integer divide by zero");
  ASSERT_EQ(frames.size(), 3u) << r.err;
  EXPECT_EQ(frames[0].name, "div");
  EXPECT_EQ(frames[1].name, "middle");
  EXPECT_EQ(frames[2].name, "outer");
  for (unsigned i = 0; i < frames.size(); ++i) EXPECT_EQ(frames[i].index, i);
  EXPECT_EQ(frames[2].func, frames[1].func + 1);
  EXPECT_EQ(frames[1].func, frames[0].func + 1);
  // The offsets are positions in the file: the trapping instruction, then
  // the call instructions.
  const std::vector<uint8_t> bytes = read_bytes(kRun);
  ASSERT_LT(frames[0].offset, bytes.size());
  EXPECT_EQ(bytes[frames[0].offset], 0x6D) << "i32.div_s";
  EXPECT_EQ(bytes[frames[1].offset], 0x10) << "call";
  EXPECT_EQ(bytes[frames[2].offset], 0x10) << "call";
}

TEST(Run, EveryTrapKindOfTheCli) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"div", "1", "0"}, "integer divide by zero"},
      {{"overflow", "-2147483648"}, "integer overflow"},
      {{"trunc", "nan"}, "invalid conversion to integer"},
      {{"trunc", "1e10"}, "integer overflow"},
      {{"load", "65533"}, "out of bounds memory access"},
      {{"load", "-1"}, "out of bounds memory access"},
      {{"unreachable"}, "unreachable"},
      {{"call_indirect", "1", "1"}, "indirect call type mismatch"},
      {{"call_indirect", "1", "2"}, "uninitialized element"},
      {{"call_indirect", "1", "4"}, "undefined element"},
  };
  for (const auto& [invoke, message] : cases) {
    std::vector<std::string> args = {"run", kRun, "--invoke"};
    args.insert(args.end(), invoke.begin(), invoke.end());
    ProcessResult r = wgi(args);
    EXPECT_EQ(r.out, "") << joined(args);
    std::vector<Frame> frames = parse_trap_report(r, message);
    EXPECT_EQ(frames.size(), 1u) << joined(args) << "\n" << r.err;
  }
  expect_output({"call_indirect", "21", "0"}, "42\n");
}

TEST(Run, UnnamedFunctionsAreLabelledByTheirExport) {
  ProcessResult r = wgi({"run", kRun, "--invoke", "unreachable"});
  parse_trap_report(r, "unreachable");
  EXPECT_NE(r.err.find("(export \"unreachable\") at 0x"), std::string::npos) << r.err;
}

TEST(Run, StartFunctionTrap) {
  ProcessResult r = wgi({"run", kData + "/start_trap.wasm", "--invoke", "never"});
  EXPECT_EQ(r.out, "") << "nothing is called after a failed instantiation";
  std::vector<Frame> frames = parse_trap_report(r, "unreachable");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].name, "helper");
  EXPECT_EQ(frames[1].name, "init");
  EXPECT_EQ(wgi({"run", kData + "/start_trap.wasm"}).exit_code, 3);
  // The export and ARGS are checked first: a usage error does not run the
  // start function.
  expect_invocation_error({"run", kData + "/start_trap.wasm", "--invoke", "nope"},
                          "no export named \"nope\"");
  expect_invocation_error({"run", kData + "/start_trap.wasm", "--invoke", "never", "1"},
                          "\"never\" takes 0 arguments (), got 1");
}

TEST(Run, SegmentInitialisationTrap) {
  ProcessResult r = wgi({"run", kData + "/segment_trap.wasm", "--invoke", "f"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err.rfind("wgi: trap: out of bounds memory access\n", 0), 0u) << r.err;
}

TEST(Run, WithoutInvokeRunsStartThenUnderscoreStart) {
  // _start traps unless the start function ran before it.
  ProcessResult r = wgi({"run", kData + "/start_order.wasm"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  expect_invocation_error({"run", kData + "/start_order.wasm", "--invoke", "missing"},
                          "no export named \"missing\"");
  r = wgi({"run", kData + "/start_order.wasm", "--invoke", "ready"});
  EXPECT_EQ(r.out, "1\n");
}

TEST(Run, UnderscoreStartTrap) {
  ProcessResult r = wgi({"run", kData + "/start_export_traps.wasm"});
  std::vector<Frame> frames = parse_trap_report(r, "integer divide by zero");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].name, "work");
  EXPECT_EQ(frames[1].name, "_start");
}

TEST(Run, WithoutStartOrUnderscoreStartOnlyInstantiates) {
  ProcessResult r = wgi({"run", kData + "/no_start.wasm"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

// ---- recursion: always "call stack exhausted" and exit 3, never a signal ----

TEST(Run, InfiniteRecursionTraps) {
  for (const char* f : {"forever", "forever_indirect"}) {
    ProcessResult r = wgi({"run", kRecursion, "--invoke", f});
    EXPECT_EQ(r.exit_code, 3) << f;
    EXPECT_EQ(r.err.rfind("wgi: trap: call stack exhausted\n", 0), 0u) << f;
    // 200,001 identical frames are summarised, not printed one by one.
    EXPECT_LT(std::count(r.err.begin(), r.err.end(), '\n'), 50) << f;
    EXPECT_NE(r.err.find(std::string("#0 func ")), std::string::npos);
    EXPECT_NE(r.err.find(std::string("\"") + f + "\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("the same as #0 (200000 frames)"), std::string::npos) << r.err;
  }
}

TEST(Run, MillionDeepRecursionTrapsWithTheDefaultLimit) {
  for (const char* f : {"depth", "depth_indirect"}) {
    ProcessResult r = wgi({"run", kRecursion, "--invoke", f, "1000000"});
    EXPECT_EQ(r.exit_code, 3) << f;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("wgi: trap: call stack exhausted\n", 0), 0u) << f << r.err;
  }
}

TEST(Run, MillionDeepRecursionCompletesWithARaisedLimit) {
  for (const char* f : {"depth", "depth_indirect"}) {
    ProcessResult r = wgi({"run", "--max-call-depth", "1100000", "--max-stack", "256M", kRecursion,
                           "--invoke", f, "1000000"});
    EXPECT_EQ(r.exit_code, 0) << f << "\n" << r.err;
    EXPECT_EQ(r.out, "1000000\n") << f;
  }
}

TEST(Run, MaxCallDepthAndMaxStackAreApplied) {
  ProcessResult r = wgi({"run", "--max-call-depth", "100", kRecursion, "--invoke", "depth", "100"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "100\n");
  r = wgi({"run", "--max-call-depth", "100", kRecursion, "--invoke", "depth", "101"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("the same as #0 (100 frames)"), std::string::npos) << r.err;
  // 16 KiB of value stack is far too small for 100,000 frames.
  r = wgi({"run", "--max-stack", "16K", "--max-call-depth", "1000000", kRecursion, "--invoke",
           "depth", "100000"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err.rfind("wgi: trap: call stack exhausted\n", 0), 0u) << r.err;
}

}  // namespace
