// A hung threadlink program (tests/threads/hang.c) through the wgi binary:
// SIGINT and SIGQUIT print every thread's state and backtrace before wgi
// exits, and threads parked in memory.atomic.wait cost no CPU (nothing
// polls: interp/parking_lot.h).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "subprocess.h"

namespace wgi::threads {
namespace {

namespace fs = std::filesystem;

#ifdef WGI_TRACE_C_PROGRAM
constexpr bool kHaveProgram = true;
#else
constexpr bool kHaveProgram = false;
#endif
const std::string kHang = std::string(WGI_THREADS_TEST_DATA) + "/hang.wasm";

// A running wgi, its stderr going to a file.
struct Wgi {
  pid_t pid = -1;
  fs::path err_path;

  explicit Wgi(const std::vector<std::string>& args) {
    err_path = fs::temp_directory_path() / ("wgi-hang-" + std::to_string(getpid()) + "-" +
                                            std::to_string(reinterpret_cast<uintptr_t>(this)) + ".err");
    std::vector<std::string> argv{WGI_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    pid = fork();
    if (pid == 0) {
      int fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 2);
      std::vector<char*> cargv;
      for (std::string& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      execv(cargv[0], cargv.data());
      _exit(127);
    }
  }
  ~Wgi() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    std::error_code ec;
    fs::remove(err_path, ec);
  }
  // Waits up to `limit` for the exit; the status, or -1 (then killed).
  int wait(std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int st = 0;
      if (waitpid(pid, &st, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      }
      if (std::chrono::steady_clock::now() > end) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  std::string err() const {
    std::ifstream f(err_path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  // User + system CPU time so far, in clock ticks (/proc/PID/stat fields
  // 14 and 15, after the parenthesised command name).
  long cpu_ticks() const {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::istringstream in(s.substr(s.rfind(')') + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
      if (i == 14) utime = std::stol(field);
      if (i == 15) stime = std::stol(field);
    }
    return utime + stime;
  }
};

void expect_has(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\nin:\n" << text;
}

TEST(Hang, SigintPrintsEveryThread) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  Wgi w({"run", kHang, "--invoke", "spin_and_wait"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(w.pid, SIGINT);
  ASSERT_EQ(w.wait(std::chrono::seconds(20)), 130) << w.err();
  const std::string err = w.err();
  expect_has(err, "wgi: interrupted (SIGINT): 3 threads\n");
  expect_has(err, "  thread 0: joining thread 2\n");
  expect_has(err, "  thread 1: waiting on 0x");
  expect_has(err, " (timeout 5 s)\n");
  expect_has(err, "  thread 2: running\n    #0 spinner (func ");
  expect_has(err, "    #0 timed_waiter (func ");
  expect_has(err, "spin_and_wait (func ");
}

TEST(Hang, SigquitPrintsEveryThreadToo) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  Wgi w({"run", kHang, "--invoke", "spin_and_wait"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(w.pid, SIGQUIT);
  ASSERT_EQ(w.wait(std::chrono::seconds(20)), 131) << w.err();
  expect_has(w.err(), "wgi: interrupted (SIGQUIT): 3 threads\n");
  expect_has(w.err(), "  thread 2: running\n");
}

// A thread recursing without loops stops when the program ends: calls
// check for interrupts too. fib(60) would run for hours; 200 ms in, another
// thread traps (status 3) or panics (4), the main thread traps (3) or
// returns (0): wgi exits within seconds.
TEST(Hang, LoopFreeRecursionStopsWhenTheProgramEnds) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  const struct {
    const char* mode;
    int status;
    const char* says;
  } cases[] = {{"0", 3, "unreachable"}, {"1", 4, "panic"}, {"2", 3, "unreachable"}, {"3", 0, ""}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string("mode ") + c.mode);
    const auto t0 = std::chrono::steady_clock::now();
    Wgi w({"run", kHang, "--invoke", "fib_vs", c.mode});
    EXPECT_EQ(w.wait(std::chrono::seconds(30)), c.status) << w.err();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(secs, 10.0);
    if (*c.says) expect_has(w.err(), c.says);
  }
}

// SIGINT stops a loop-free recursion on the main thread, and with --trace
// the trace is written.
TEST(Hang, SigintStopsLoopFreeRecursionAndKeepsTheTrace) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  const fs::path out = fs::temp_directory_path() / ("wgi-hang-trace-" + std::to_string(getpid()));
  fs::remove_all(out);
  Wgi w({"run", "--trace", "--trace-out", out.string(), kHang, "--invoke", "fib_main", "50"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(w.pid, SIGINT);
  EXPECT_EQ(w.wait(std::chrono::seconds(30)), 130) << w.err();
  expect_has(w.err(), "wgi: interrupted (SIGINT)");
  EXPECT_TRUE(fs::exists(out / "trace.bin")) << w.err();
  EXPECT_TRUE(fs::exists(out / "trace.json")) << w.err();
  fs::remove_all(out);
}

// --timeout: wall-clock, every thread stopped, status 124, where each was.
TEST(Hang, TimeoutStopsEveryThread) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  {
    // Three threads: running, in a timed wait, joining.
    const auto t0 = std::chrono::steady_clock::now();
    Wgi w({"run", "--timeout", "500ms", kHang, "--invoke", "spin_and_wait"});
    EXPECT_EQ(w.wait(std::chrono::seconds(30)), 124) << w.err();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_GE(secs, 0.45);
    EXPECT_LT(secs, 10.0);
    expect_has(w.err(), "wgi: interrupted (--timeout): 3 threads\n");
    expect_has(w.err(), "  thread 2: running\n    #0 spinner (func ");
    expect_has(w.err(), "  thread 1: waiting on 0x");
  }
  {
    // One thread recursing without loops.
    Wgi w({"run", "--timeout", "0.3", kHang, "--invoke", "fib_main", "60"});
    EXPECT_EQ(w.wait(std::chrono::seconds(30)), 124) << w.err();
    expect_has(w.err(), "wgi: interrupted (--timeout): 1 thread\n  thread 0: running\n    #0 fib (func ");
  }
  {
    // Traced: the trace is written.
    const fs::path out = fs::temp_directory_path() / ("wgi-hang-timeout-" + std::to_string(getpid()));
    fs::remove_all(out);
    Wgi w({"run", "--timeout", "300ms", "--trace", "--trace-out", out.string(), kHang, "--invoke", "fib_main", "60"});
    EXPECT_EQ(w.wait(std::chrono::seconds(30)), 124) << w.err();
    expect_has(w.err(), "wgi: interrupted (--timeout): writing the trace recorded so far\n");
    EXPECT_TRUE(fs::exists(out / "trace.bin")) << w.err();
    fs::remove_all(out);
  }
  {
    // A run that ends in time is not touched.
    Wgi w({"run", "--timeout", "1m", kHang, "--invoke", "fib_main", "15"});
    EXPECT_EQ(w.wait(std::chrono::seconds(30)), 0) << w.err();
    EXPECT_EQ(w.err(), "");
  }
  {
    Wgi w({"run", "--timeout", "5x", kHang, "--invoke", "fib_main", "15"});
    EXPECT_EQ(w.wait(std::chrono::seconds(30)), 2) << w.err();
    expect_has(w.err(), "--timeout: expected a duration");
  }
}

// --max-memory in a spawned thread: its memory.grow past the cap gets -1
// (the program goes on), one within it the old size.
TEST(Hang, MaxMemoryHoldsInSpawnedThreads) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  // The program has about 1 MiB when the thread starts; 64 more pages
  // (4 MiB) do not fit in 4 MiB, 4 pages do.
  spec::ProcessResult big =
      spec::run_process({WGI_CLI_PATH, "run", "--max-memory", "4M", kHang, "--invoke", "grow_in_thread", "64"}, 60);
  EXPECT_EQ(big.exit_code, 0) << big.describe() << big.err;
  EXPECT_EQ(big.out, "-1\n");
  spec::ProcessResult small =
      spec::run_process({WGI_CLI_PATH, "run", "--max-memory", "4M", kHang, "--invoke", "grow_in_thread", "4"}, 60);
  EXPECT_EQ(small.exit_code, 0) << small.describe() << small.err;
  EXPECT_NE(small.out, "-1\n");
  EXPECT_GT(std::stoi(small.out), 0);
  // Without the cap the big growth works.
  spec::ProcessResult free =
      spec::run_process({WGI_CLI_PATH, "run", kHang, "--invoke", "grow_in_thread", "64"}, 60);
  EXPECT_GT(std::stoi(free.out), 0) << free.describe() << free.err;
}

// The figure: 1000 parked threads use under 5% of a core, measured
// over 2 s once they are parked (the main thread sleeps in 100 ms timed
// waits meanwhile: about 20 wake-ups). Starting 1000 threads takes a
// while on a loaded machine, so the CPU time is sampled in consecutive
// 2 s windows and the quietest one counts (up to 12 of them: sanitized
// builds start threads slowly).
TEST(Hang, ParkedThreadsCostNoCpu) {
  if (!kHaveProgram) GTEST_SKIP() << "no threadlink toolchain";
  Wgi w({"run", "--thread-stack-size", "65536", kHang, "--invoke", "many_parked", "60000"});
  const long hz = sysconf(_SC_CLK_TCK);
  long quietest = -1;
  long t0 = w.cpu_ticks();
  for (int window = 0; window < 12; ++window) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const long t1 = w.cpu_ticks();
    if (quietest < 0 || t1 - t0 < quietest) quietest = t1 - t0;
    t0 = t1;
    if (double(quietest) / double(hz) < 0.05 * 2) break;
  }
  std::printf("  1000 parked threads: %ld ticks of CPU in the quietest 2 s (%ld ticks/s)\n", quietest, hz);
  EXPECT_LT(double(quietest) / double(hz), 0.05 * 2) << "CPU seconds over 2 s";
  // Done: SIGINT ends it (and prints all 1001 threads).
  kill(w.pid, SIGINT);
  EXPECT_EQ(w.wait(std::chrono::seconds(60)), 130) << w.err().substr(0, 2000);
  EXPECT_NE(w.err().find("wgi: interrupted (SIGINT): 1001 threads\n"), std::string::npos) << w.err().substr(0, 2000);
}

}  // namespace
}  // namespace wgi::threads
