// wgi-spec: runs the WebAssembly spec testsuite (as converted by wast2json at
// build time) against wgi and prints a tally. See runner.h for the design and
// README.md for how to run it.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "crash_guard.h"
#include "known_conflicts.h"
#include "module_source.h"
#include "runner.h"
#include "script.h"
#include "tally.h"

#ifndef WGI_SPEC_JSON_DIR
#define WGI_SPEC_JSON_DIR ""
#endif
#ifndef WGI_KNOWN_CONFLICTS_FILE
#define WGI_KNOWN_CONFLICTS_FILE ""
#endif

namespace fs = std::filesystem;
using namespace wgi;
using namespace wgi::spec;

namespace {

// The suite's parts and the features each runs with. Core files are the Wasm
// 2.0 suite, so the threads proposal is off for them; the threads proposal's
// own files run with it on.
struct Group {
  const char* name;
  Features features;
};
const Group kGroups[] = {
    {"core", Features{.threads = false}},
    {"threads", Features{.threads = true}},
};

void usage(std::FILE* out) {
  std::fprintf(out,
               "Usage: wgi-spec [options]\n"
               "\n"
               "Runs the spec testsuite's commands (wast2json output) against wgi.\n"
               "\n"
               "Options:\n"
               "  -v, --verbose           print every failure (line, command, expected, actual)\n"
               "  --text-mismatches       print correct rejections whose message does not\n"
               "                          start with the suite's text (informational)\n"
               "  --cli PATH              check modules by running `PATH validate FILE` instead\n"
               "                          of calling the library (tests the wgi CLI); commands\n"
               "                          that need execution are skipped in this mode\n"
               "  --timeout SECONDS       limit for each instantiation and invocation, after\n"
               "                          which it is interrupted and fails (default: %g;\n"
               "                          0: no limit)\n"
               "  --group NAME            run only this part: core or threads (repeatable)\n"
               "  --filter TEXT           run only scripts whose name contains TEXT\n"
               "  --exclude TEXT          do not run scripts whose name contains TEXT\n"
               "  --json-dir DIR          wast2json output (default: %s)\n"
               "  --known-conflicts FILE  known conflicts list (default: %s)\n"
               "  -h, --help              print this help\n"
               "\n"
               "Exit status: 0 when nothing failed, 1 on any failure, 2 on a usage error.\n",
               RunOptions().timeout_seconds, WGI_SPEC_JSON_DIR, WGI_KNOWN_CONFLICTS_FILE);
}

// The ordering of the per-kind summary: module checks first, then what needs
// execution. Labels not listed here (unknown commands) come last.
int kind_rank(const std::string& label) {
  static const char* const kOrder[] = {
      "module",
      "assert_invalid (binary)",
      "assert_malformed (binary)",
      "assert_invalid (text)",
      "assert_malformed (text)",
      "assert_unlinkable (binary)",
      "assert_uninstantiable (binary)",
      "register",
      "action",
      "assert_return",
      "assert_trap",
      "assert_exhaustion",
  };
  for (size_t i = 0; i < std::size(kOrder); ++i)
    if (label == kOrder[i]) return int(i);
  return int(std::size(kOrder));
}

void print_summary(const Tally& t) {
  auto row = [](const char* label, const Counts& c) {
    std::printf("spec:   %-32s %7llu %7llu %7llu %7llu %8llu\n", label,
                (unsigned long long)c.total(), (unsigned long long)c.passed,
                (unsigned long long)c.failed, (unsigned long long)c.skipped,
                (unsigned long long)c.conflict);
  };
  std::printf("spec: by command kind                      total  passed  failed skipped conflict\n");
  std::vector<std::pair<std::string, Counts>> kinds(t.by_kind.begin(), t.by_kind.end());
  std::stable_sort(kinds.begin(), kinds.end(), [](const auto& a, const auto& b) {
    return kind_rank(a.first) < kind_rank(b.first);
  });
  for (const auto& [label, c] : kinds) row(label.c_str(), c);
  row("all commands", t.all);

  for (const auto& [reason, n] : t.skip_reasons)
    std::printf("spec: skipped, %s: %llu\n", reason.c_str(), (unsigned long long)n);
  std::printf("spec: correct rejections whose message starts with the suite's text: %llu of %llu"
              " (informational)\n",
              (unsigned long long)t.text_matches, (unsigned long long)t.rejections);
  if (t.wrong_category)
    std::printf("spec: rejected with the wrong category (malformed vs invalid), counted as failed: "
                "%llu\n",
                (unsigned long long)t.wrong_category);
  if (t.setup_failures)
    std::printf("spec: failures outside any command (unreadable files, stale known conflicts), "
                "counted as failed: %llu\n",
                (unsigned long long)t.setup_failures);
  std::string list;
  for (const auto& c : t.conflicts) list += (list.empty() ? "" : ", ") + c;
  std::printf("spec: known conflicts with the Wasm 2.0 baseline: %zu%s\n", t.conflicts.size(),
              list.empty() ? "" : (" (" + list + ")").c_str());
  std::printf("spec: %llu passed, %llu failed, %llu skipped\n", (unsigned long long)t.all.passed,
              (unsigned long long)(t.all.failed + t.setup_failures),
              (unsigned long long)t.all.skipped);
}

}  // namespace

int main(int argc, char** argv) {
  install_crash_guard();
  RunOptions options;
  std::string cli_path;
  fs::path json_dir = WGI_SPEC_JSON_DIR;
  fs::path conflicts_file = WGI_KNOWN_CONFLICTS_FILE;
  std::set<std::string> groups;
  std::string filter, exclude;

  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* opt) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "wgi-spec: %s needs a value\n", opt);
        usage(stderr);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "-v" || a == "--verbose") options.verbose = true;
    else if (a == "--text-mismatches") options.show_text_mismatches = true;
    else if (a == "--cli") cli_path = value("--cli");
    else if (a == "--timeout") {
      const char* v = value("--timeout");
      char* end = nullptr;
      options.timeout_seconds = std::strtod(v, &end);
      if (end == v || *end != '\0' || options.timeout_seconds < 0) {
        std::fprintf(stderr, "wgi-spec: --timeout needs a number of seconds, got '%s'\n", v);
        return 2;
      }
    }
    else if (a == "--group") groups.insert(value("--group"));
    else if (a == "--filter") filter = value("--filter");
    else if (a == "--exclude") exclude = value("--exclude");
    else if (a == "--json-dir") json_dir = value("--json-dir");
    else if (a == "--known-conflicts") conflicts_file = value("--known-conflicts");
    else if (a == "-h" || a == "--help") {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "wgi-spec: unknown argument '%s'\n", a.c_str());
      usage(stderr);
      return 2;
    }
  }
  for (const auto& g : groups) {
    if (std::none_of(std::begin(kGroups), std::end(kGroups),
                     [&](const Group& k) { return g == k.name; })) {
      std::fprintf(stderr, "wgi-spec: unknown group '%s' (core or threads)\n", g.c_str());
      return 2;
    }
  }
  if (json_dir.empty()) {
    std::fprintf(stderr, "wgi-spec: no --json-dir given and none built in\n");
    return 2;
  }

  KnownConflicts conflicts;
  if (!conflicts_file.empty()) {
    std::string error;
    if (!conflicts.load(conflicts_file, &error)) {
      std::fprintf(stderr, "wgi-spec: cannot load the known conflicts: %s\n", error.c_str());
      return 1;
    }
  }

  std::unique_ptr<ModuleSource> source;
  if (cli_path.empty()) {
    source = std::make_unique<LibrarySource>();
  } else {
    source = std::make_unique<CliSource>(cli_path);
    options.execute = false;
    std::printf("spec: checking modules through the CLI: %s validate FILE\n", cli_path.c_str());
  }

  Tally tally;
  ScriptRunner runner(options, *source, conflicts, tally);
  std::set<std::string> scripts_run;
  for (const Group& group : kGroups) {
    if (!groups.empty() && !groups.count(group.name)) continue;
    // Layout (spec-tests/CMakeLists.txt): <json-dir>/<group>/<name>/<name>.json
    const fs::path dir = json_dir / group.name;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      fs::path json = entry.path() / (entry.path().filename().string() + ".json");
      if (entry.is_directory() && fs::exists(json)) files.push_back(json);
    }
    std::sort(files.begin(), files.end());
    if (ec || files.empty()) {
      std::printf("spec: FAIL no converted scripts in %s (is the spec_json target built?)\n",
                  dir.c_str());
      ++tally.setup_failures;
      continue;
    }
    for (const fs::path& json : files) {
      const std::string name = std::string(group.name) + "/" + json.stem().string() + ".wast";
      if (!filter.empty() && name.find(filter) == std::string::npos) continue;
      if (!exclude.empty() && name.find(exclude) != std::string::npos) continue;
      std::string text, error;
      std::optional<Script> script;
      if (read_file(json, text, &error)) script = parse_script(text, &error);
      if (!script) {
        std::printf("%s: FAIL cannot read %s: %s\n", name.c_str(), json.c_str(), error.c_str());
        ++tally.setup_failures;
        continue;
      }
      scripts_run.insert(name);
      Counts c = runner.run(*script, name, json.parent_path(), group.features);
      std::printf("%s: %llu passed, %llu failed, %llu skipped", name.c_str(),
                  (unsigned long long)c.passed, (unsigned long long)c.failed,
                  (unsigned long long)c.skipped);
      if (c.conflict) std::printf(", %llu known conflicts", (unsigned long long)c.conflict);
      std::printf("\n");
    }
  }

  // Every entry of the list must still match a command: a stale entry means
  // the suite changed and the list needs a look.
  for (const KnownConflict& c : conflicts.entries()) {
    if (c.seen || !scripts_run.count(c.file)) continue;
    std::printf("spec: FAIL known conflict %s:%d matches no command (%s)\n", c.file.c_str(),
                c.line, c.reason.c_str());
    ++tally.setup_failures;
  }
  if (scripts_run.empty()) {
    std::printf("spec: FAIL no scripts ran\n");
    ++tally.setup_failures;
  }
  if ((tally.all.failed || tally.setup_failures) && !options.verbose)
    std::printf("spec: run with --verbose to see every failure\n");

  print_summary(tally);
  return tally.all.failed == 0 && tally.setup_failures == 0 ? 0 : 1;
}
