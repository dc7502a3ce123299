// Runs the built `wgi` binary and checks exit statuses and output.
//
// Inputs: tests/cli/*.wat, compiled by tests/CMakeLists.txt into
// WGI_CLI_TEST_DATA; malformed inputs are written by the tests themselves.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace {

using wgi::spec::ProcessResult;
using wgi::spec::run_process;
namespace fs = std::filesystem;

const std::string kData = WGI_CLI_TEST_DATA;

ProcessResult wgi(std::vector<std::string> args) {
  args.insert(args.begin(), WGI_CLI_PATH);
  ProcessResult r = run_process(args);
  EXPECT_TRUE(r.started) << r.spawn_error;
  EXPECT_TRUE(r.exited) << r.describe();
  return r;
}

// A scratch file under the build tree holding `bytes`.
std::string write_temp(const std::string& name, const std::string& bytes) {
  fs::path dir = fs::path(WGI_TEST_BINARY_DIR) / "cli-scratch";
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The one-line error form "wgi: FILE:0xOFFSET: CATEGORY: MESSAGE\n": checks
// it, requires MESSAGE to start with message_prefix, and returns OFFSET
// (or -1 when the line does not have the form).
long expect_error_line(const ProcessResult& r, const std::string& file,
                       const std::string& category, const std::string& message_prefix = "") {
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  const std::string& e = r.err;
  const std::string head = "wgi: " + file + ":0x";
  size_t p = head.size();
  size_t hex_end = p;
  while (hex_end < e.size() && std::isxdigit(static_cast<unsigned char>(e[hex_end]))) ++hex_end;
  const std::string middle = ": " + category + ": ";
  const bool form = e.compare(0, head.size(), head) == 0 && hex_end > p &&
                    e.compare(hex_end, middle.size(), middle) == 0 && !e.empty() &&
                    e.back() == '\n' && std::count(e.begin(), e.end(), '\n') == 1 &&
                    e.size() > hex_end + middle.size() + 1;
  EXPECT_TRUE(form) << "stderr: " << e;
  if (!form) return -1;
  EXPECT_EQ(e.compare(hex_end + middle.size(), message_prefix.size(), message_prefix), 0)
      << "expected the message to start with \"" << message_prefix << "\": " << e;
  return std::stol(e.substr(p, hex_end - p), nullptr, 16);
}

TEST(Cli, ValidateAcceptsValidModuleSilently) {
  ProcessResult r = wgi({"validate", kData + "/example.wasm"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, ValidateReportsBodyErrorWithFunctionIndexAndName) {
  const std::string file = kData + "/bad_body.wasm";
  ProcessResult r = wgi({"validate", file});
  expect_error_line(r, file, "invalid", "func 1 \"bad\": ");
}

TEST(Cli, ValidateReportsMalformedWithOffset) {
  // Valid header, then a section id with its size cut off.
  const std::string file =
      write_temp("truncated.wasm", std::string("\0asm\1\0\0\0\1", 9));
  ProcessResult r = wgi({"validate", file});
  // The error is at or after the section id byte (offset 8), inside the file.
  long off = expect_error_line(r, file, "malformed");
  EXPECT_GE(off, 8);
  EXPECT_LE(off, 9);
}

TEST(Cli, ValidateReportsBadMagicAtOffsetZero) {
  const std::string file = write_temp("bad_magic.wasm", std::string("\0asn\1\0\0\0", 8));
  ProcessResult r = wgi({"validate", file});
  EXPECT_EQ(expect_error_line(r, file, "malformed"), 0);
}

TEST(Cli, ValidateEmptyFileIsMalformed) {
  const std::string file = write_temp("empty.wasm", "");
  ProcessResult r = wgi({"validate", file});
  expect_error_line(r, file, "malformed");
}

TEST(Cli, ValidateTruncationsOfAValidModuleAreAllMalformed) {
  // Prefixes that end inside the magic, inside the first section's header,
  // and inside the last section. (A prefix that ends exactly at a section
  // boundary can be a valid module, so the cut points are chosen.)
  const std::string bytes = read_bytes(kData + "/example.wasm");
  ASSERT_GT(bytes.size(), 8u);
  for (size_t n : {size_t(3), size_t(9), bytes.size() - 1}) {
    const std::string file = write_temp("prefix.wasm", bytes.substr(0, n));
    ProcessResult r = wgi({"validate", file});
    EXPECT_EQ(r.exit_code, 1) << "prefix of " << n << " bytes";
    EXPECT_NE(r.err.find(": malformed: "), std::string::npos) << r.err;
  }
}

TEST(Cli, ThreadsAreOnByDefaultAndNoThreadsRejectsThem) {
  const std::string file = kData + "/shared.wasm";
  EXPECT_EQ(wgi({"validate", file}).exit_code, 0);
  ProcessResult r = wgi({"validate", "--no-threads", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wgi: " + file + ":0x"), std::string::npos) << r.err;
}

TEST(Cli, ValidateSeveralFilesFailsIfAnyFails) {
  ProcessResult r = wgi({"validate", kData + "/example.wasm", kData + "/bad_body.wasm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Cli, MissingFile) {
  const std::string file = kData + "/no-such-file.wasm";
  ProcessResult r = wgi({"validate", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + file + ": cannot open: No such file or directory\n");
}

TEST(Cli, DirectoryInsteadOfFile) {
  ProcessResult r = wgi({"validate", kData});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + kData + ": is a directory, not a module file\n");
}

TEST(Cli, PathThroughARegularFile) {
  const std::string file = kData + "/example.wasm/inner.wasm";
  ProcessResult r = wgi({"validate", file});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + file + ": cannot open: Not a directory\n");
}

TEST(Cli, PermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root can read any file";
  const std::string file = write_temp("unreadable.wasm", read_bytes(kData + "/example.wasm"));
  ASSERT_EQ(chmod(file.c_str(), 0), 0);
  ProcessResult r = wgi({"validate", file});
  chmod(file.c_str(), 0644);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "wgi: " + file + ": cannot open: Permission denied\n");
}

TEST(Cli, DumpPrintsStructure) {
  ProcessResult r = wgi({"dump", kData + "/example.wasm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string& out = r.out;
  for (const char* expected : {
           "sections (",
           "  type ",
           "  code ",
           "\"name\"",                              // the custom name section
           "types (",
           "(i32, i32) -> i32",
           "  func   \"env\" \"log\" (i32) -> ()",   // the import
           "  0 \"log\": type",
           "imported from \"env\" \"log\"",
           "  1 \"add\": type",
           "  2 \"pick\": type",
           "func \"add\" (i32, i32) -> i32 (func 1)",  // exports with their types
           "memory \"mem\" min 1 max 2 pages",
           "table \"tab\" funcref min 2",
           "global \"counter\" mut i32",
           "  0: mut i32 = i32.const 42",
           "elements (1):",
           "data (1):",
       }) {
    EXPECT_NE(out.find(expected), std::string::npos) << "missing \"" << expected << "\" in:\n"
                                                     << out;
  }
  EXPECT_EQ(out.find("code ("), std::string::npos) << "no disassembly without --code";
}

TEST(Cli, DumpCodeDisassemblesBodies) {
  ProcessResult r = wgi({"dump", "--code", kData + "/example.wasm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& out = r.out;
  for (const char* expected : {
           "code (2):",
           "func 1 \"add\" (i32, i32) -> i32",
           "local.get 0",
           "local.get 1",
           "i32.add",
           "func 2 \"pick\" (i32) -> i64",
           "locals: i64",
           "if (result i64)",
           "    i64.const -7",  // nested one level inside the if
           "  else",
           "i64.load offset=8",
       }) {
    EXPECT_NE(out.find(expected), std::string::npos) << "missing \"" << expected << "\" in:\n"
                                                     << out;
  }
}

// The line of `out` that starts with `prefix` after the word offset column
// (word offsets are right-aligned in 6 columns), or "" if none.
std::string compiled_line(const std::string& out, const std::string& prefix) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(pos, end - pos);
    if (line.size() > 8 && line.compare(8, prefix.size(), prefix) == 0) return line;
    pos = end + 1;
  }
  return "";
}

TEST(Cli, DumpCompiledPrintsThreadedCode) {
  ProcessResult r = wgi({"dump", "--compiled", kData + "/example.wasm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string& out = r.out;
  EXPECT_NE(out.find("types ("), std::string::npos) << "the structure comes first";
  EXPECT_EQ(out.find("\ncode (2):"), std::string::npos) << "no disassembly without --code";
  ASSERT_NE(out.find("\ncompiled code (2):\n"), std::string::npos) << out;
  EXPECT_NE(out.find("func 1 \"add\" (i32, i32) -> i32: 5 words; slots: params 2, locals 3 "
                     "(slot 2 stays zero), frame 5\n"),
            std::string::npos)
      << out;
  // add: i32.add of the two params into the first stack slot (3), then
  // return it; the wasm offsets are those of i32.add and end.
  EXPECT_NE(out.find("     0  i32.add                  3 0 1 0              @0x"), std::string::npos)
      << out;
  EXPECT_NE(out.find("     3  return.1                 3 0                  @0x"), std::string::npos)
      << out;
  // pick: `if` on a param is a br_unless over the then arm; the constant
  // address 0 of the load is folded into its offset (8), the address read
  // from the zero slot (2).
  EXPECT_EQ(compiled_line(out, "br_unless ").find("br_unless                0 7 "), 8u) << out;
  EXPECT_EQ(compiled_line(out, "i64.load ").find("i64.load                 3 2 8 0 "), 8u) << out;
  EXPECT_NE(compiled_line(out, "const.64 ").find("imm=0xfffffffffffffff9"), std::string::npos)
      << out;
  EXPECT_EQ(out.find(".traced"), std::string::npos) << out;
}

TEST(Cli, DumpTracedPrintsTheCodeCompiledForTracing) {
  ProcessResult r = wgi({"dump", "--traced", kData + "/example.wasm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string& out = r.out;
  ASSERT_NE(out.find("compiled code for tracing (2):\n"), std::string::npos) << out;
  // The load records its access: its last field is its trace site (0).
  EXPECT_EQ(compiled_line(out, "i64.load.traced ").find("i64.load.traced          3 2 8 0 "), 8u)
      << out;
}

TEST(Cli, DumpCompiledSharedMemoryAtomic) {
  ProcessResult r = wgi({"dump", "--compiled", kData + "/shared.wasm"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // i32.atomic.rmw.add: a0 result, a1 address (the zero slot), a2 offset,
  // a3 the operand (the constant 1, materialized just before).
  EXPECT_NE(compiled_line(r.out, "const.32 ").find("const.32                 2 1 "),
            std::string::npos)
      << r.out;
  EXPECT_NE(compiled_line(r.out, "i32.atomic.rmw.add ").find("i32.atomic.rmw.add       1 0 0 2 "),
            std::string::npos)
      << r.out;
}

TEST(Cli, DumpOfInvalidBodyReportsTheError) {
  const std::string file = kData + "/bad_body.wasm";
  for (const char* option : {"--code", "--compiled"}) {
    ProcessResult r = wgi({"dump", option, file});
    EXPECT_EQ(r.exit_code, 1) << option;
    EXPECT_NE(r.err.find("wgi: " + file + ":0x"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(": invalid: func 1 \"bad\": "), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("compiled code"), std::string::npos) << r.out;
  }
}

TEST(Cli, DumpOfMissingFile) {
  ProcessResult r = wgi({"dump", kData + "/no-such-file.wasm"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open: No such file or directory"), std::string::npos);
}

TEST(Cli, UsageErrorsAreOneLineThatPointsToTheHelp) {
  // Arguments, and the line expected on stderr.
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "wgi: no command given (see 'wgi --help')\n"},
      {{"frobnicate"}, "wgi: unknown command 'frobnicate' (see 'wgi --help')\n"},
      {{"validate"}, "wgi: validate: no module file given (see 'wgi validate --help')\n"},
      {{"validate", "--bogus", "x.wasm"}, "wgi: validate: unknown option '--bogus' (see 'wgi validate --help')\n"},
      {{"dump"}, "wgi: dump: expected exactly one module file (see 'wgi dump --help')\n"},
      {{"dump", "a.wasm", "b.wasm"}, "wgi: dump: expected exactly one module file (see 'wgi dump --help')\n"},
      {{"trace", "frob"}, "wgi: trace: unknown trace command 'frob' (see 'wgi trace --help')\n"},
  };
  for (const auto& [args, line] : cases) {
    ProcessResult r = wgi(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << "wgi " << joined;
    EXPECT_EQ(r.out, "") << "wgi " << joined;
    EXPECT_EQ(r.err, line) << "wgi " << joined;
  }
}

TEST(Cli, EachCommandHasItsOwnHelp) {
  for (const char* cmd : {"validate", "dump", "run", "trace"}) {
    ProcessResult r = wgi({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_EQ(r.err, "") << cmd;
    EXPECT_EQ(r.out.rfind(std::string("Usage: wgi ") + cmd, 0), 0u) << cmd << ":\n" << r.out;
  }
}

TEST(Cli, HelpDocumentsCommandsAndExitStatuses) {
  ProcessResult r = wgi({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  for (const char* expected :
       {"Usage:", "wgi validate", "wgi dump", "--code", "--compiled", "--traced", "--no-threads",
        "Exit status:",
        "0  success", "1  a module is malformed or invalid, or a file cannot be read",
        "2  usage error"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << "missing \"" << expected << "\"";
  }
  EXPECT_EQ(wgi({"validate", "--help"}).exit_code, 0);
}

TEST(Cli, Version) {
  ProcessResult r = wgi({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  // "wgi MAJOR.MINOR.PATCH\n"
  std::string v = r.out;
  ASSERT_EQ(v.rfind("wgi ", 0), 0u) << v;
  ASSERT_FALSE(v.empty());
  ASSERT_EQ(v.back(), '\n');
  v = v.substr(4, v.size() - 5);
  EXPECT_EQ(std::count(v.begin(), v.end(), '.'), 2) << r.out;
  EXPECT_EQ(v.find_first_not_of("0123456789."), std::string::npos) << r.out;
}

}  // namespace
