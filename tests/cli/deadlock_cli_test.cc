// Live deadlocks of a plain module's one thread through `wgi run`
// (tests/cli/wait.wat): waiting forever on its own shared memory is a
// deadlock (exit 5, the report, the --report keys); a timed wait is not.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "subprocess.h"

namespace wgi::cli_test {
namespace {

using wgi::spec::run_process;

const std::string kWait = std::string(WGI_CLI_TEST_DATA) + "/wait.wasm";

TEST(DeadlockCli, TheOnlyThreadWaitingForeverIsADeadlock) {
  const auto report = std::filesystem::temp_directory_path() / "wgi-deadlock-cli.json";
  auto r = run_process({WGI_CLI_PATH, "run", "--report", report.string(), kWait, "--invoke", "wait_forever"});
  ASSERT_TRUE(r.exited) << r.describe();
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_EQ(r.err,
            "wgi: deadlock: the only thread is blocked\n"
            "  thread 0: waiting on 0x40\n"
            "    #0 wait_forever (func 0) at 0x50\n")  // the memory.atomic.wait32
      << r.err;
  std::ifstream f(report);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string json = ss.str();
  EXPECT_NE(json.find("\"deadlock\": {\"kind\": \"all_blocked\", \"threads\": ["), std::string::npos) << json;
  EXPECT_NE(json.find("{\"thread\": 0, \"state\": \"wait\", \"addr\": 64, \"target\": null, \"lock_holder\": null"),
            std::string::npos)
      << json;
  std::filesystem::remove(report);
}

TEST(DeadlockCli, ATimedWaitThatExpiresIsNone) {
  auto r = run_process({WGI_CLI_PATH, "run", kWait, "--invoke", "wait_timed"});
  ASSERT_TRUE(r.exited) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2\n");  // timed out
  EXPECT_EQ(r.err, "");
}

TEST(DeadlockCli, ReportWithoutFindingsHasTheKeys) {
  const auto report = std::filesystem::temp_directory_path() / "wgi-deadlock-cli-none.json";
  auto r = run_process({WGI_CLI_PATH, "run", "--report", report.string(), kWait, "--invoke", "wait_timed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream f(report);
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_EQ(ss.str(),
            "{\n  \"format\": \"wgi-report\", \"version\": 1,\n  \"deadlock\": null,\n  \"lock_cycles\": []\n}\n");
  std::filesystem::remove(report);
}

}  // namespace
}  // namespace wgi::cli_test
