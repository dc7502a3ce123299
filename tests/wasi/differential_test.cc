// The WASI differential tests (tests/wasi/programs/README.md): C programs
// built with wasi-libc (cmake/wgi_wasi_c.cmake, option WGI_WASI_TESTS),
// each run under node's node:wasi (tests/wasi/node_wasi.mjs) and under
//
//   wgi run --dir COPY/sandbox::/sandbox [--env NAME=VALUE]... PROGRAM.wasm ARGS...
//
// with the same arguments, environment and stdin, each in a fresh copy of
// the same input tree. WasiDifferential/WasiDiff.Run/<case> then compares
// the exit status, stdout, stderr and the trees the runs leave behind
// (names, types, contents, symlink targets; not timestamps or modes).
//
// Where node is wrong, the reference is written by hand from the spec:
//   - <program>.overrides: lines that replace node's line for the same
//     check (the text before the first ": ") before the comparison. Each
//     must match one line of node's output, or the test fails (a stale
//     override).
//   - <case>.expected: the whole stdout, for programs node cannot run at
//     all (it hangs or crashes); node is not run, the exit status must be
//     0, stderr empty and the tree unchanged.
// The README lists each deviation and why.
//
// Every run has a timeout (kTimeoutSeconds): a hang fails the test.
//
// The environment variables WGI_WASI_DIFF_WGI and WGI_WASI_DIFF_NODE name
// another wgi (or anything taking `run` and wgi's options, such as a
// script that runs node_wasi.mjs, to try the harness) and another node.
// WGI_WASI_DIFF_KEEP=1 keeps the temporary trees (they are kept anyway
// when a test fails, and the failure says where).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "decoder/decoder.h"
#include "subprocess.h"
#include "support/corpus_support.h"
#include "wasi_differential_config.h"  // generated: WGI_WASI_DIFF_*

namespace wgi::wasi_diff_test {
namespace {

namespace fs = std::filesystem;
using test::output_of;
using test::read_file;

// Long enough for a loaded machine (sanitizer builds, ctest -j): the
// programs take well under a second each.
constexpr double kTimeoutSeconds = 30;

// The guest name of the one preopened directory (programs/wasi_test.h).
constexpr const char* kGuestDir = "/sandbox";

// ---- the cases ----------------------------------------------------------------

enum class Reference {
  kNode,      // node's output, with <program>.overrides applied
  kExpected,  // <case>.expected (node not run)
};

struct Case {
  std::string name;     // the test's name
  std::string program;  // programs/<program>.c, <data>/<program>.wasm
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string stdin_text;  // the program's stdin: a regular file holding this
  Reference reference = Reference::kNode;
  std::string stdin_device = {};  // instead, this device (e.g. /dev/null)
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// stdin_echo's input: text lines, then every byte value.
std::string echo_input() {
  std::string s;
  for (int i = 0; i < 3000; ++i) {
    char line[64];
    std::snprintf(line, sizeof line, "line %05d: the quick brown fox jumps over the lazy dog\n", i);
    s += line;
  }
  for (int b = 0; b < 256; ++b) s.push_back(static_cast<char>(b));
  return s;
}

std::vector<Case> cases() {
  std::vector<Case> v;
  v.push_back({"args_env", "args_env", {"one", "two words", "", "\xc3\xbc" "n" "\xc3\xaf" "code", "x=y"},
               {{"GREETING", "hello world"}, {"EMPTY", ""}, {"WITH_EQUALS", "a=b=c"}, {"UNICODE", "h\xc3\xa9llo"}},
               "", Reference::kNode});
  v.push_back({"args_env_none", "args_env", {}, {}, "", Reference::kNode});
  v.push_back({"clocks_random", "clocks_random", {}, {}, "", Reference::kNode});
  v.push_back({"files_rw", "files_rw", {}, {}, "", Reference::kNode});
  v.push_back({"dirs", "dirs", {}, {}, "", Reference::kNode});
  v.push_back({"links", "links", {}, {}, "", Reference::kNode});
  v.push_back({"stat_times", "stat_times", {}, {}, "", Reference::kNode});
  v.push_back({"times_flags", "times_flags", {}, {}, "", Reference::kExpected});
  v.push_back({"poll", "poll", {}, {}, "", Reference::kNode});
  v.push_back({"poll_abstime", "poll_abstime", {}, {}, "", Reference::kExpected});
  v.push_back({"exit_exit", "exit_status", {"exit"}, {}, "", Reference::kNode});
  v.push_back({"exit_proc_exit", "exit_status", {"proc_exit"}, {}, "", Reference::kNode});
  v.push_back({"exit_return", "exit_status", {"return"}, {}, "", Reference::kNode});
  v.push_back({"exit_zero", "exit_status", {"zero"}, {}, "", Reference::kNode});
  v.push_back({"stdin_echo", "stdin_echo", {}, {}, echo_input(), Reference::kNode});
  v.push_back({"stdin_echo_empty", "stdin_echo", {}, {}, "", Reference::kNode});
  v.push_back({"escape", "escape", {}, {}, "", Reference::kNode});
  v.push_back({"sockets", "sockets", {}, {}, "", Reference::kNode});
  v.push_back({"sockets_stdio", "sockets_stdio", {}, {}, "socket input\n", Reference::kExpected});
  v.push_back({"fd_misc", "fd_misc", {}, {}, "fd_misc input\n", Reference::kNode});
  v.push_back({"isatty_file", "isatty", {}, {}, "", Reference::kNode});
  v.push_back({"isatty_dev_null", "isatty", {}, {}, "", Reference::kNode, "/dev/null"});
  return v;
}

std::vector<std::string> built_programs() {
  std::vector<std::string> v;
#define WGI_WASI_DIFF_ENTRY(name) v.push_back(name);
  WGI_WASI_DIFF_PROGRAMS(WGI_WASI_DIFF_ENTRY)
#undef WGI_WASI_DIFF_ENTRY
  return v;
}

std::string wasm_path(const std::string& program) { return std::string(WGI_WASI_DIFF_DATA) + "/" + program + ".wasm"; }
std::string source_file(const std::string& file) { return std::string(WGI_WASI_DIFF_SOURCE_DIR) + "/" + file; }

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
std::string wgi_binary() { return env_or("WGI_WASI_DIFF_WGI", WGI_CLI_PATH); }
std::string node_binary() { return env_or("WGI_WASI_DIFF_NODE", WGI_WASI_DIFF_NODE); }

// ---- the input tree -----------------------------------------------------------

bool write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  return static_cast<bool>(f);
}

// The tree every program starts from (README.md): ROOT/sandbox is
// pre-opened as /sandbox, ROOT/outside is next to it, for the escapes.
::testing::AssertionResult make_fixture(const fs::path& root) {
  std::error_code ec;
  fs::remove_all(root, ec);
  const fs::path sb = root / "sandbox";
  for (const fs::path& d : {sb / "data" / "sub", sb / "data" / "list" / "dir_entry", root / "outside"}) {
    fs::create_directories(d, ec);
    if (ec) return ::testing::AssertionFailure() << "cannot make " << d << ": " << ec.message();
  }
  bool ok = write_file(sb / "data" / "in.txt", "hello, wasi\nsecond line\n") &&
            write_file(sb / "data" / "empty.txt", "") && write_file(sb / "data" / "sub" / "nested.txt", "nested\n") &&
            write_file(root / "outside" / "secret.txt", "secret\n");
  for (int i = 0; i < 25; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "file_%02d.txt", i);
    ok = ok && write_file(sb / "data" / "list" / name, std::string(name + 5, 2));
  }
  if (!ok) return ::testing::AssertionFailure() << "cannot write the fixture's files under " << root;
  const std::pair<const char*, fs::path> links[] = {
      {"link_in", "data/in.txt"},
      {"link_dir", "data"},
      {"link_out", "../outside/secret.txt"},
      {"link_abs", fs::absolute(root / "outside" / "secret.txt")},
      {"link_dangling", "nowhere"},
  };
  for (const auto& [name, target] : links) {
    fs::create_symlink(target, sb / name, ec);
    if (ec) return ::testing::AssertionFailure() << "cannot make the symlink " << (sb / name) << ": " << ec.message();
  }
  return ::testing::AssertionSuccess();
}

// A tree: relative path -> "dir", "file [contents]", "symlink -> target"
// (the root's own path in a target replaced by $ROOT), or "other".
using Tree = std::map<std::string, std::string>;

Tree snapshot(const fs::path& root) {
  Tree t;
  std::error_code ec;
  const std::string root_text = fs::absolute(root).string();
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string rel = p.lexically_relative(root).generic_string();  // fs::relative would follow symlinks
    const fs::file_status st = fs::symlink_status(p);
    if (fs::is_symlink(st)) {
      std::string target = fs::read_symlink(p, ec).string();
      if (target.rfind(root_text, 0) == 0) target = "$ROOT" + target.substr(root_text.size());
      t[rel] = "symlink -> " + target;
    } else if (fs::is_directory(st)) {
      t[rel] = "dir";
    } else if (fs::is_regular_file(st)) {
      t[rel] = "file [" + read_file(p.string()).value_or("<unreadable>") + "]";
    } else {
      t[rel] = "other";
    }
  }
  if (ec) t["<error>"] = ec.message();
  return t;
}

// The differences between two trees, one per line ("" if none).
std::string tree_diff(const Tree& want, const Tree& got, const std::string& want_name, const std::string& got_name) {
  auto cut = [](const std::string& s) { return s.size() > 300 ? s.substr(0, 300) + "[...]" : s; };
  std::ostringstream out;
  std::set<std::string> keys;
  for (const auto& [k, v] : want) keys.insert(k);
  for (const auto& [k, v] : got) keys.insert(k);
  for (const std::string& k : keys) {
    auto w = want.find(k), g = got.find(k);
    if (w == want.end()) out << "  " << k << ": only after " << got_name << " (" << cut(g->second) << ")\n";
    else if (g == got.end()) out << "  " << k << ": only after " << want_name << " (" << cut(w->second) << ")\n";
    else if (w->second != g->second)
      out << "  " << k << ": " << want_name << " " << cut(w->second) << ", " << got_name << " " << cut(g->second) << "\n";
  }
  return out.str();
}

// ---- outputs -------------------------------------------------------------------

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::string::size_type start = 0;
  while (start < s.size()) {
    auto nl = s.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// The check a line reports: the text before its first ": " (the whole
// line if none).
std::string check_of(const std::string& line) { return line.substr(0, line.find(": ")); }

// <program>.overrides: the lines (not comments, not blank) by check.
struct Overrides {
  std::map<std::string, std::string> by_check;
  std::vector<std::string> errors;  // malformed or repeated lines
};

Overrides parse_overrides(const std::string& text) {
  Overrides o;
  for (const std::string& line : split_lines(text)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.find(": ") == std::string::npos) {
      o.errors.push_back("no \": \" in override line `" + line + "`");
      continue;
    }
    if (!o.by_check.emplace(check_of(line), line).second)
      o.errors.push_back("check `" + check_of(line) + "` overridden twice");
  }
  return o;
}

// node's stdout with the overrides applied. *problems gets an override
// that matches no line of node's, or more than one (stale or ambiguous);
// *already_right the overrides node's own line already equals (node fixed).
std::string apply_overrides(const std::string& node_out, const Overrides& o, std::vector<std::string>* problems,
                            std::vector<std::string>* already_right) {
  std::map<std::string, int> used;
  std::string out;
  for (const std::string& line : split_lines(node_out)) {
    auto it = o.by_check.find(check_of(line));
    if (it == o.by_check.end()) {
      out += line + "\n";
      continue;
    }
    ++used[it->first];
    if (line == it->second) already_right->push_back(line);
    out += it->second + "\n";
  }
  if (!node_out.empty() && node_out.back() != '\n' && !out.empty()) out.pop_back();
  for (const auto& [check, line] : o.by_check) {
    const int n = used[check];
    if (n == 0) problems->push_back("override for `" + check + "` matches no line of node's output (stale?)");
    else if (n > 1) problems->push_back("override for `" + check + "` matches " + std::to_string(n) + " lines");
  }
  return out;
}

// Where two outputs first differ, line by line, for a failure message.
std::string first_difference(const std::string& want, const std::string& got) {
  if (want == got) return "";
  const auto w = split_lines(want), g = split_lines(got);
  size_t i = 0;
  while (i < w.size() && i < g.size() && w[i] == g[i]) ++i;
  std::ostringstream out;
  out << "first difference at line " << (i + 1) << ":\n  want: "
      << (i < w.size() ? "[" + w[i] + "]" : std::string("<end of output>")) << "\n  got:  "
      << (i < g.size() ? "[" + g[i] + "]" : std::string("<end of output>")) << "\n";
  if (i == w.size() && i == g.size()) out << "  (the outputs differ only in a final newline)\n";
  // The other lines that differ, position by position (most differences
  // are a changed line, not an inserted one), so one run shows them all.
  int more = 0;
  for (size_t j = i + 1; j < std::max(w.size(), g.size()) && more < 20; ++j) {
    const std::string a = j < w.size() ? w[j] : "<end>", b = j < g.size() ? g[j] : "<end>";
    if (a == b) continue;
    out << "  line " << (j + 1) << ": want [" << a << "]\n          got  [" << b << "]\n";
    ++more;
  }
  return out.str();
}

// ---- running ---------------------------------------------------------------------

// Runs argv with stdin read from the file stdin_path (through /bin/sh,
// which execs the command, so the timeout's SIGKILL reaches it).
spec::ProcessResult run_with_stdin(const std::vector<std::string>& argv, const fs::path& stdin_path) {
  std::vector<std::string> full = {"/bin/sh", "-c", "exec \"$@\" < \"$0\"", stdin_path.string()};
  full.insert(full.end(), argv.begin(), argv.end());
  return spec::run_process(full, kTimeoutSeconds);
}

std::vector<std::string> runtime_options(const Case& c, const fs::path& copy) {
  std::vector<std::string> v = {"--dir", fs::absolute(copy / "sandbox").string() + "::" + kGuestDir};
  for (const auto& [name, value] : c.env) {
    v.push_back("--env");
    v.push_back(name + "=" + value);
  }
  return v;
}

std::vector<std::string> node_argv(const Case& c, const fs::path& copy) {
  std::vector<std::string> v = {node_binary(), "--no-warnings", WGI_WASI_DIFF_NODE_RUNNER};
  for (std::string& o : runtime_options(c, copy)) v.push_back(std::move(o));
  v.push_back(wasm_path(c.program));
  v.insert(v.end(), c.args.begin(), c.args.end());
  return v;
}

std::vector<std::string> wgi_argv(const Case& c, const fs::path& copy) {
  std::vector<std::string> v = {wgi_binary(), "run"};
  for (std::string& o : runtime_options(c, copy)) v.push_back(std::move(o));
  v.push_back(wasm_path(c.program));
  v.insert(v.end(), c.args.begin(), c.args.end());
  return v;
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()[]{}") == std::string::npos;
    if (plain) {
      s += a;
    } else {
      s += '\'';
      for (char ch : a) s += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
      s += '\'';
    }
  }
  return s;
}

// ---- the tests -------------------------------------------------------------------

class WasiDiff : public ::testing::TestWithParam<Case> {};

TEST_P(WasiDiff, Run) {
  const Case& c = GetParam();
  if (!WGI_WASI_DIFF_ENABLED) GTEST_SKIP() << "WASI differential tests off: " << WGI_WASI_DIFF_OFF_REASON;
  const bool use_node = c.reference == Reference::kNode;
  if (use_node && node_binary().empty())
    GTEST_SKIP() << "node was not found when configuring (set WGI_WASI_NODE, or WGI_WASI_DIFF_NODE at run time)";
  const std::string wasm = wasm_path(c.program);
  ASSERT_TRUE(fs::exists(wasm)) << wasm << " is missing (built by the target wgi_wasi_test_programs)";

  const fs::path root = fs::temp_directory_path() / ("wgi-wasi-diff-" + std::to_string(::getpid()) + "-" + c.name);
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root, ec);
  ASSERT_FALSE(ec) << "cannot make " << root << ": " << ec.message();
  const fs::path stdin_path = c.stdin_device.empty() ? root / "stdin" : fs::path(c.stdin_device);
  if (c.stdin_device.empty()) ASSERT_TRUE(write_file(stdin_path, c.stdin_text));
  const fs::path ref_copy = root / (use_node ? "node" : "untouched"), wgi_copy = root / "wgi";
  ASSERT_TRUE(make_fixture(ref_copy));
  ASSERT_TRUE(make_fixture(wgi_copy));

  // The reference: node's run (overrides applied), or the expected file.
  std::string want_out, want_err;
  int want_status = 0;
  std::string ref_name = use_node ? "node" : c.name + ".expected";
  std::string ref_report;
  if (use_node) {
    const std::vector<std::string> argv = node_argv(c, ref_copy);
    const spec::ProcessResult node = run_with_stdin(argv, stdin_path);
    ref_report = "node: " + command_line(argv) + "\n" + output_of(node);
    ASSERT_TRUE(node.exited) << "the reference run did not end normally (node's crash or hang, or a broken "
                             << "harness: the case needs an .expected file, README.md)\n"
                             << ref_report << "trees kept in " << root;
    ASSERT_EQ(node.err.rfind("node_wasi:", 0), std::string::npos)
        << "node_wasi.mjs failed; the harness is broken\n" << ref_report;
    ASSERT_FALSE(node.out.empty()) << "node's run printed nothing\n" << ref_report;
    want_out = node.out;
    want_err = node.err;
    want_status = node.exit_code;
    const std::optional<std::string> text = read_file(source_file(c.program + ".overrides"));
    if (text) {
      const Overrides o = parse_overrides(*text);
      for (const std::string& e : o.errors) ADD_FAILURE() << c.program << ".overrides: " << e;
      std::vector<std::string> problems, already_right;
      want_out = apply_overrides(node.out, o, &problems, &already_right);
      for (const std::string& p : problems) ADD_FAILURE() << c.program << ".overrides: " << p << "\n" << ref_report;
      for (const std::string& line : already_right)
        std::cout << "[ note     ] " << c.program << ".overrides: node already prints `" << line
                  << "`: this node no longer deviates there\n";
      ref_name = "node with " + c.program + ".overrides";
    }
  } else {
    const std::optional<std::string> text = read_file(source_file(c.name + ".expected"));
    ASSERT_TRUE(text) << "cannot read " << source_file(c.name + ".expected");
    want_out = *text;
    ref_report = "reference: " + source_file(c.name + ".expected") + "\n";
  }

  const std::vector<std::string> argv = wgi_argv(c, wgi_copy);
  const spec::ProcessResult w = run_with_stdin(argv, stdin_path);
  const std::string wgi_report = "wgi: " + command_line(argv) + "\n" + output_of(w);
  bool failed = false;
  if (!w.exited) {
    ADD_FAILURE() << "wgi did not end normally (want exit status " << want_status << ")\n" << wgi_report;
    failed = true;
  } else {
    if (w.exit_code != want_status) {
      ADD_FAILURE() << "exit status: " << ref_name << " " << want_status << ", wgi " << w.exit_code << "\n"
                    << wgi_report;
      failed = true;
    }
    if (w.out != want_out) {
      ADD_FAILURE() << "stdout differs from " << ref_name << "'s: " << first_difference(want_out, w.out) << ref_report
                    << (use_node ? "" : "expected stdout:\n" + want_out) << "\n" << wgi_report;
      failed = true;
    }
    if (w.err != want_err) {
      ADD_FAILURE() << "stderr differs from " << ref_name << "'s: " << first_difference(want_err, w.err) << ref_report
                    << wgi_report;
      failed = true;
    }
  }
  const std::string d = tree_diff(snapshot(ref_copy), snapshot(wgi_copy), use_node ? "node" : "the fixture", "wgi");
  if (!d.empty()) {
    ADD_FAILURE() << "the trees differ (" << ref_copy << " and " << wgi_copy << "):\n" << d;
    failed = true;
  }
  if (failed || ::testing::Test::HasFailure() || std::getenv("WGI_WASI_DIFF_KEEP")) {
    std::cout << "[ note     ] " << c.name << ": trees and stdin kept in " << root << "\n";
  } else {
    fs::remove_all(root, ec);
  }
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(WasiDifferential, WasiDiff, ::testing::ValuesIn(cases()), case_name);

// Every program built has a case, every case's program is built, and
// every .overrides and .expected file belongs to something: a program
// added without a case, or a reference file left behind, fails here.
TEST(WasiDifferentialCorpus, CasesMatchPrograms) {
  if (!WGI_WASI_DIFF_ENABLED) GTEST_SKIP() << "WASI differential tests off: " << WGI_WASI_DIFF_OFF_REASON;
  const std::vector<std::string> programs = built_programs();
  ASSERT_FALSE(programs.empty()) << "no programs in " << WGI_WASI_DIFF_SOURCE_DIR;
  std::set<std::string> with_case, names;
  for (const Case& c : cases()) {
    EXPECT_TRUE(std::count(programs.begin(), programs.end(), c.program))
        << "case " << c.name << ": no program " << c.program << ".c";
    EXPECT_TRUE(names.insert(c.name).second) << "case name " << c.name << " twice";
    with_case.insert(c.program);
    const bool has_expected = fs::exists(source_file(c.name + ".expected"));
    EXPECT_EQ(has_expected, c.reference == Reference::kExpected)
        << c.name << ": an .expected file goes with Reference::kExpected, and only with it";
  }
  for (const std::string& p : programs) EXPECT_TRUE(with_case.count(p)) << p << ".c has no case in differential_test.cc";
  for (const auto& entry : fs::directory_iterator(WGI_WASI_DIFF_SOURCE_DIR)) {
    const std::string file = entry.path().filename().string(), stem = entry.path().stem().string();
    if (entry.path().extension() == ".overrides") {
      EXPECT_TRUE(std::count(programs.begin(), programs.end(), stem)) << file << ": no program " << stem << ".c";
    }
    if (entry.path().extension() == ".expected") {
      EXPECT_TRUE(names.count(stem)) << file << ": no case " << stem;
    }
  }
}

// Together the programs import every preview1 function but proc_raise
// (which this wasi-libc does not declare, and which under node would
// raise the signal in node itself): a program edited so that a function
// is no longer called fails here. Read with wgi's decoder.
TEST(WasiDifferentialCorpus, ProgramsImportEveryPreview1Function) {
  if (!WGI_WASI_DIFF_ENABLED) GTEST_SKIP() << "WASI differential tests off: " << WGI_WASI_DIFF_OFF_REASON;
  const std::set<std::string> preview1 = {
      "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
      "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
      "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
      "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
      "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
      "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
      "path_unlink_file", "poll_oneoff", "proc_exit", "random_get", "sched_yield", "sock_accept", "sock_recv",
      "sock_send", "sock_shutdown"};
  std::set<std::string> imported;
  for (const std::string& program : built_programs()) {
    const std::string wasm = wasm_path(program);
    const std::optional<std::string> bytes = read_file(wasm);
    ASSERT_TRUE(bytes) << "cannot read " << wasm << " (built by the target wgi_wasi_test_programs)";
    auto mod = decode_module(std::vector<uint8_t>(bytes->begin(), bytes->end()));
    ASSERT_TRUE(mod.ok()) << wasm << ": " << mod.error().message;
    for (const Import& imp : mod->imports) {
      EXPECT_EQ(imp.module, "wasi_snapshot_preview1") << wasm << " imports " << imp.module << "." << imp.field;
      EXPECT_TRUE(preview1.count(imp.field)) << wasm << " imports " << imp.field << ", not in the list here";
      imported.insert(imp.field);
    }
  }
  for (const std::string& f : preview1) EXPECT_TRUE(imported.count(f)) << "no program calls " << f;
}

// ---- the harness's own pieces: each can fail ------------------------------------------

TEST(WasiDiffHarness, OverridesReplaceTheirChecksLines) {
  const Overrides o = parse_overrides("# a comment\n\nopen x: errno 32 loop\nb: yes\n");
  ASSERT_TRUE(o.errors.empty());
  std::vector<std::string> problems, right;
  EXPECT_EQ(apply_overrides("a: 1\nopen x: OPENED\nb: yes\n", o, &problems, &right), "a: 1\nopen x: errno 32 loop\nb: yes\n");
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(right, std::vector<std::string>{"b: yes"});
}

TEST(WasiDiffHarness, StaleAndRepeatedOverridesAreProblems) {
  std::vector<std::string> problems, right;
  apply_overrides("a: 1\na: 2\n", parse_overrides("a: 3\nz: 4\n"), &problems, &right);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("`a` matches 2 lines"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("`z` matches no line"), std::string::npos) << problems[1];
  const Overrides bad = parse_overrides("no separator\nx: 1\nx: 2\n");
  EXPECT_EQ(bad.errors.size(), 2u);
}

TEST(WasiDiffHarness, FirstDifferenceNamesTheLine) {
  EXPECT_EQ(first_difference("a\nb\n", "a\nb\n"), "");
  EXPECT_NE(first_difference("a\nb\n", "a\nc\n").find("line 2:\n  want: [b]\n  got:  [c]"), std::string::npos);
  EXPECT_NE(first_difference("a\n", "a\nb\n").find("<end of output>"), std::string::npos);
  EXPECT_NE(first_difference("a\n", "a").find("final newline"), std::string::npos);
}

TEST(WasiDiffHarness, TreesDifferInTypeContentsAndLinks) {
  const fs::path root = fs::temp_directory_path() / ("wgi-wasi-diff-harness-" + std::to_string(::getpid()));
  ASSERT_TRUE(make_fixture(root / "a"));
  ASSERT_TRUE(make_fixture(root / "b"));
  const Tree a = snapshot(root / "a");
  EXPECT_EQ(tree_diff(a, snapshot(root / "b"), "a", "b"), "") << "two fixtures differ";
  EXPECT_EQ(a.at("sandbox/link_abs"), "symlink -> $ROOT/outside/secret.txt");
  EXPECT_EQ(a.at("sandbox/data/in.txt"), "file [hello, wasi\nsecond line\n]");
  EXPECT_EQ(a.at("sandbox/data/sub"), "dir");
  EXPECT_EQ(a.count("sandbox/data/list/file_24.txt"), 1u);

  write_file(root / "b" / "outside" / "secret.txt", "changed\n");
  fs::remove(root / "b" / "sandbox" / "link_in");
  fs::create_symlink("data/empty.txt", root / "b" / "sandbox" / "link_in");
  fs::create_directory(root / "b" / "sandbox" / "new_dir");
  fs::remove(root / "b" / "sandbox" / "data" / "empty.txt");
  const std::string d = tree_diff(a, snapshot(root / "b"), "a", "b");
  EXPECT_NE(d.find("outside/secret.txt: a file [secret\n], b file [changed\n]"), std::string::npos) << d;
  EXPECT_NE(d.find("sandbox/link_in: a symlink -> data/in.txt, b symlink -> data/empty.txt"), std::string::npos) << d;
  EXPECT_NE(d.find("sandbox/new_dir: only after b"), std::string::npos) << d;
  EXPECT_NE(d.find("sandbox/data/empty.txt: only after a"), std::string::npos) << d;
  std::error_code ec;
  fs::remove_all(root, ec);
}

}  // namespace
}  // namespace wgi::wasi_diff_test
