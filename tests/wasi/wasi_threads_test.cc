// wasi-threads through the wgi binary (tests/wasi/threads/*.c): threads
// spawned with wasi.thread-spawn compute in parallel, and the race checker,
// the live-deadlock detector, proc_exit and traps see them as any other
// thread of a program.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "subprocess.h"
#include "support/corpus_support.h"

namespace wgi::wasi {
namespace {

#ifdef WGI_WASI_THREADS_PROGRAMS

std::string program(const char* name) { return std::string(WGI_WASI_TEST_DATA) + "/" + name + ".wasm"; }

spec::ProcessResult wgi(std::vector<std::string> args) {
  args.insert(args.begin(), {WGI_CLI_PATH, "run"});
  return spec::run_process(args, 60);
}

TEST(WasiThreads, FourThreadsSumInParallel) {
  spec::ProcessResult r = wgi({program("parallel_sum")});
  EXPECT_EQ(r.exit_code, 0) << test::output_of(r);
  EXPECT_EQ(r.out, "sum 1999589998246 ids ok\n") << test::output_of(r);
  // Race-free: --race agrees.
  r = wgi({"--race", program("parallel_sum")});
  EXPECT_EQ(r.exit_code, 0) << test::output_of(r);
  EXPECT_EQ(r.err, "") << test::output_of(r);
}

TEST(WasiThreads, TheRaceCheckerSeesSpawnedThreads) {
  spec::ProcessResult r = wgi({"--race", program("race")});
  EXPECT_EQ(r.exit_code, 66) << test::output_of(r);
  EXPECT_EQ(r.out, "done\n");
  EXPECT_NE(r.err.find("wgi: data race on 4 bytes"), std::string::npos) << test::output_of(r);
  EXPECT_NE(r.err.find("racy_increment"), std::string::npos) << test::output_of(r);
  // The spawn is a fork: the report says who created the thread.
  EXPECT_NE(r.err.find("was created by thread 0 in "), std::string::npos) << test::output_of(r);
}

TEST(WasiThreads, AHostCallsAccessesAreTheCallingThreads) {
  spec::ProcessResult r = wgi({"--race", program("host_race")});
  EXPECT_EQ(r.exit_code, 66) << test::output_of(r);
  EXPECT_EQ(r.out.size(), 64u) << test::output_of(r);
  // fd_write's read of the buffer, by thread 0 at its call, against the
  // spawned thread's stores in fill.
  EXPECT_NE(r.err.find("wgi: data race on "), std::string::npos) << test::output_of(r);
  EXPECT_NE(r.err.find("by thread 0:\n    #0 _start"), std::string::npos) << test::output_of(r);
  EXPECT_NE(r.err.find("fill"), std::string::npos) << test::output_of(r);
}

TEST(WasiThreads, AHostCallsStoreThroughAResultPointerIsTheCallingThreads) {
  spec::ProcessResult r = wgi({"--race", program("result_race")});
  EXPECT_EQ(r.exit_code, 66) << test::output_of(r);
  // clock_time_get's store of the 8-byte result, by thread 0 at the call,
  // against the spawned thread's stores in scribble (either may come
  // second and be the one reported first).
  EXPECT_NE(r.err.find("wgi: data race on 8 bytes"), std::string::npos) << test::output_of(r);
  auto has = [&](const char* s) { return r.err.find(s) != std::string::npos; };
  EXPECT_TRUE(has("write of 8 bytes by thread 0:\n    #0 _start") || has("previous write by thread 0:\n    #0 _start"))
      << test::output_of(r);
  EXPECT_TRUE(has("write of 8 bytes by thread 1:\n    #0 scribble") ||
              has("previous write by thread 1:\n    #0 scribble"))
      << test::output_of(r);
}

TEST(WasiThreads, ReadsAndWritesOnASharedMemoryMoveEveryByte) {
  // 3 MiB + 7 bytes of a pattern, through fd_read and fd_write in pieces.
  char tmpl[] = "/tmp/wgi-wasi-echo-XXXXXX";
  const int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  std::string input;
  for (size_t i = 0; i < (3u << 20) + 7; ++i) input.push_back(static_cast<char>('a' + (i * 7 + i / 4099) % 26));
  ASSERT_EQ(::write(fd, input.data(), input.size()), static_cast<ssize_t>(input.size()));
  ::close(fd);
  spec::ProcessResult r = spec::run_process(
      {"/bin/sh", "-c", "exec \"$0\" run \"$1\" < \"$2\"", WGI_CLI_PATH, program("echo_shared"), tmpl}, 60);
  ::unlink(tmpl);
  EXPECT_EQ(r.exit_code, 0) << r.describe() << "\n" << r.err;
  EXPECT_EQ(r.out.size(), input.size());
  EXPECT_TRUE(r.out == input) << "the output differs from the input";
}

TEST(WasiThreads, ALiveDeadlockOfSpawnedThreadsEndsTheRun) {
  spec::ProcessResult r = wgi({program("deadlock")});
  EXPECT_EQ(r.exit_code, 5) << test::output_of(r);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("wgi: deadlock: all 3 threads are blocked"), std::string::npos) << test::output_of(r);
  for (const char* t : {"thread 0: waiting on 0x", "thread 1: waiting on 0x", "thread 2: waiting on 0x"})
    EXPECT_NE(r.err.find(t), std::string::npos) << t << "\n" << test::output_of(r);
}

TEST(WasiThreads, ProcExitInAnyThreadEndsTheProgramWithItsStatus) {
  spec::ProcessResult r = wgi({program("exit_in_thread")});
  EXPECT_EQ(r.exit_code, 7) << test::output_of(r);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(WasiThreads, ATrapInAnyThreadEndsEveryThread) {
  spec::ProcessResult r = wgi({program("trap_in_thread")});
  EXPECT_EQ(r.exit_code, 3) << test::output_of(r);
  EXPECT_EQ(r.err.rfind("wgi: trap: unreachable (in thread 1)\n", 0), 0u) << test::output_of(r);
  EXPECT_NE(r.err.find("crash"), std::string::npos) << test::output_of(r);
}

#else
TEST(WasiThreads, NeedTheThreadlinkToolchain) { GTEST_SKIP() << "built without clang/wasm-ld for wasm32"; }
#endif

}  // namespace
}  // namespace wgi::wasi
