// Tests of the wasm_threadlink runtime (src/threads/threadlink.h) through the
// library API: threads::Runtime::create(module, config)->run(func, args), in
// process, so that ThreadSanitizer sees the runtime's own synchronisation.
//
// The guest programs are C (tests/threads/*.c, built by
// threadlink_modules.cmake with the examples' wgi_threads.h). tl_program.c
// is built in four variants (clang's layout, --stack-first, no name section,
// tracing hooks) and the functional tests are parameterised over them. A few
// modules that clang cannot produce (no stack pointer to be found, a memory
// of their own, an export of the wrong type, thread_create from the start
// function) are written with WasmBuilder.
//
// "Within a second": every test that stops a program (panic, trap) also
// checks that run() returned within one second, although other threads were
// blocked in memory.atomic.wait32 or thread_join at the time.
//
// Threadlink.Example* run the examples (examples/threadlink/).
//
// ThreadlinkCli runs the same programs through `wgi run` (exit statuses,
// messages, --max-threads, --thread-stack-size). Until the CLI hosts
// threadlink modules those tests skip themselves (the CLI then reports an
// unknown import).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "interp/code.h"
#include "subprocess.h"
#include "support/wasm_builder.h"
#include "threads/threadlink.h"

namespace wgi::threads {
namespace {

using interp::Slot;
using test::Code;
using test::WasmBuilder;

#ifdef WGI_THREADLINK_TEST_DATA
constexpr const char* kDataDir = WGI_THREADLINK_TEST_DATA;
#else
constexpr const char* kDataDir = nullptr;
#endif

// The modules are decoded and compiled once per process, and shared by every
// Runtime (a CompiledModule is immutable and shared between threads).
std::shared_ptr<const interp::CompiledModule> load_path(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const interp::CompiledModule>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(path); it != cache.end()) return it->second;
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    ADD_FAILURE() << "cannot open " << path << " (built by the target wgi_threadlink_test_data)";
    return nullptr;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
  auto cm = interp::load_module(std::move(bytes));
  if (!cm.ok()) {
    ADD_FAILURE() << path << ": " << cm.error().message;
    return nullptr;
  }
  return cache[path] = *cm;
}

// A test module by name: tl_program -> <data dir>/tl_program.wasm.
std::shared_ptr<const interp::CompiledModule> load(const std::string& name) {
  return load_path(std::string(kDataDir) + "/" + name + ".wasm");
}

struct Ran {
  RunOutcome outcome;
  double seconds = 0;
  // The first result as an i32 / i64.
  int32_t i32() const { return outcome.results.empty() ? -999999 : static_cast<int32_t>(outcome.results[0]); }
  int64_t i64() const { return outcome.results.empty() ? -999999 : static_cast<int64_t>(outcome.results[0]); }
};

const char* kind_name(RunOutcome::Kind k) {
  switch (k) {
    case RunOutcome::Kind::Ok: return "ok";
    case RunOutcome::Kind::Trap: return "trap";
    case RunOutcome::Kind::Panic: return "panic";
    case RunOutcome::Kind::Error: return "error";
    case RunOutcome::Kind::Interrupted: return "interrupted";
    case RunOutcome::Kind::Deadlock: return "deadlock";
    case RunOutcome::Kind::Exit: return "exit";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, const Ran& r) {
  return os << kind_name(r.outcome.kind) << " after " << r.seconds << " s, report:\n" << r.outcome.report;
}

Ran run_module(std::shared_ptr<const interp::CompiledModule> cm, const std::string& func,
               std::vector<Slot> args = {}, const ThreadlinkConfig& config = {}) {
  Ran r;
  if (!cm) {
    r.outcome.kind = RunOutcome::Kind::Error;
    r.outcome.report = "module not loaded";
    return r;
  }
  auto rt = Runtime::create(std::move(cm), config);
  if (!rt.ok()) {
    r.outcome.kind = RunOutcome::Kind::Error;
    r.outcome.report = "Runtime::create: " + rt.error().message;
    return r;
  }
  const auto t0 = std::chrono::steady_clock::now();
  r.outcome = (*rt)->run(func, args);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

Ran run(const std::string& module, const std::string& func, std::vector<Slot> args = {},
        const ThreadlinkConfig& config = {}) {
  return run_module(load(module), func, std::move(args), config);
}

#define EXPECT_OK(r) EXPECT_EQ((r).outcome.kind, RunOutcome::Kind::Ok) << (r)

// ---- the functional tests, on every variant of tl_program.c -------------------------

class ThreadlinkProgram : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (kDataDir == nullptr) GTEST_SKIP() << "threadlink test modules not built (WGI_BUILD_THREADLINK_EXAMPLES=OFF)";
  }
  Ran run(const std::string& func, std::vector<Slot> args = {}, const ThreadlinkConfig& config = {}) {
    return threads::run(GetParam(), func, std::move(args), config);
  }
  // Whether the variant has a name section (backtraces name functions).
  bool has_names() const { return std::string(GetParam()).find("stripped") == std::string::npos; }
};

INSTANTIATE_TEST_SUITE_P(Variants, ThreadlinkProgram,
                         ::testing::Values("tl_program", "tl_program_stack_first", "tl_program_stripped",
                                           "tl_program_traced"),
                         [](const auto& info) { return std::string(info.param); });

TEST_P(ThreadlinkProgram, AtomicCounterIsExact) {
  Ran r = run("atomic_counter", {16, 20000});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 16 * 20000);
}

TEST_P(ThreadlinkProgram, MutexCounterIsExact) {
  // 8 threads contend for one lock: the wait32/notify slow path is taken
  // (and, in the traced variant, every operation calls the four hooks).
  Ran r = run("mutex_counter", {8, 5000});
  EXPECT_OK(r);
  EXPECT_EQ(r.i64(), 8 * 5000);
}

TEST_P(ThreadlinkProgram, HierarchyOf84ThreadsAllAliveAtOnce) {
  // Depth 3, fan-out 4: 4 + 16 + 64 threads, each created by its parent
  // thread; the 64 leaves wait at a barrier, so all 84 are alive together.
  // The program checks the ids it got are non-zero and distinct.
  Ran r = run("tree", {3, 4});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 84);
}

TEST_P(ThreadlinkProgram, DetachedThreadsRun) {
  Ran r = run("detached", {50});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 50);
}

TEST_P(ThreadlinkProgram, ThreadsStillRunningAreEndedWhenMainReturns) {
  // 3 threads blocked in wait32 forever, 2 spinning in a loop.
  Ran r = run("leave_running", {3, 2});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 7);
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, ThreadLocalsAreIndependentPerThread) {
  // Each of 16 threads and the main thread sees fresh initial values
  // (.tdata and .tbss), writes its own, and finds them intact after all
  // others wrote theirs; the TLS blocks' addresses are distinct.
  Ran r = run("tls_check", {16});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 0);
}

TEST_P(ThreadlinkProgram, StacksAreIndependentPerThread) {
  // 16 threads and the main thread recurse 200 levels, each level with an
  // address-taken local array; all are at their deepest at once.
  Ran r = run("stack_check", {16, 200});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 0);
}

TEST_P(ThreadlinkProgram, SmallThreadStackSize) {
  // Not a multiple of 16: the runtime rounds it up, keeping the stack
  // pointer aligned.
  ThreadlinkConfig config;
  config.thread_stack_size = 16 * 1024 + 7;
  Ran r = run("stack_check", {8, 50}, config);
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 0);
}

TEST_P(ThreadlinkProgram, StackLargerThanTheMemoryFailsThreadCreate) {
  // __wasmgrind_malloc cannot find 200 MiB in a 128 MiB memory: thread_create
  // returns 3 and wgi_spawn panics with it.
  ThreadlinkConfig config;
  config.thread_stack_size = 200u << 20;
  Ran r = run("churn", {1}, config);
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Panic) << r;
  EXPECT_EQ(r.outcome.report, "wgi: panic: thread failed in runtime context (errno 3) in thread 0\n");
}

TEST_P(ThreadlinkProgram, JoinUnknownIdIsThreadNotFound) {
  Ran r = run("join_id", {12345});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), kThreadNotFound);
}

TEST_P(ThreadlinkProgram, JoinTwiceIsThreadNotFound) {
  Ran r = run("join_twice");
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), kNoError * 16 + kThreadNotFound);
}

TEST_P(ThreadlinkProgram, JoinSelfIsJoinFailed) {
  Ran r = run("join_self");
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), kThreadJoinFailed);
  // The main thread (id 0) joining itself.
  Ran m = run("join_id", {0});
  EXPECT_OK(m);
  EXPECT_EQ(m.i32(), kThreadJoinFailed);
}

TEST_P(ThreadlinkProgram, TidPointerOutOfBounds) {
  // Three out-of-bounds tid_ptr values give errno 4; they start no thread
  // and use no id (the threads created before and after have consecutive
  // ids, and exactly two threads ran).
  Ran r = run("create_out_of_bounds");
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 44412);
}

TEST_P(ThreadlinkProgram, MaxThreadsLimitsRunningThreads) {
  ThreadlinkConfig config;
  config.max_threads = 3;
  Ran r = run("create_until_limit", {10}, config);
  EXPECT_OK(r);
  // 3 created, the 4th got errno 3; after joining them, creating works again.
  EXPECT_EQ(r.i32(), 3 * 16 + kThreadFailed);

  config.max_threads = 0;
  Ran none = run("create_until_limit", {10}, config);
  EXPECT_OK(none);
  EXPECT_EQ(none.i32(), -1);  // not even the one after the joins
}

TEST_P(ThreadlinkProgram, StacksAndTlsBlocksAreReused) {
  // 300 threads created and joined one after another, each with a 1 MiB
  // stack: without __wasmgrind_free they would need 300 MiB of a 128 MiB
  // memory. The heap grows by about one stack.
  Ran r = run("churn", {300});
  EXPECT_OK(r);
  EXPECT_LE(r.i32(), 2 * 1024 * 1024);
}

TEST_P(ThreadlinkProgram, AllocatorUnderContention) {
  Ran r = run("alloc_stress", {8});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 0);
}

TEST_P(ThreadlinkProgram, PanicInMainThreadWhileOthersWait) {
  Ran r = run("panic_main", {5});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Panic) << r;
  EXPECT_EQ(r.outcome.report, "wgi: panic: could not convert u32 to pointer-sized type (errno 5) in thread 0\n");
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, PanicWithUnknownErrno) {
  Ran r = run("panic_main", {99});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Panic) << r;
  EXPECT_EQ(r.outcome.report, "wgi: panic: unknown error (errno 99) in thread 0\n");
}

TEST_P(ThreadlinkProgram, PanicInChildWhileMainWaitsInWait32) {
  Ran r = run("panic_child", {0, 6});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Panic) << r;
  EXPECT_EQ(r.outcome.report, "wgi: panic: thread management lock was poisoned (errno 6) in thread 2\n");
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, PanicInChildWhileMainWaitsInJoin) {
  Ran r = run("panic_child", {1, 1});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Panic) << r;
  EXPECT_EQ(r.outcome.report, "wgi: panic: thread not found (errno 1) in thread 2\n");
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, TrapInChildWhileOthersWait) {
  // Thread 1 waits in wait32, thread 2 in thread_join(1), the main thread in
  // thread_join(3); thread 3 executes `unreachable`.
  Ran r = run("trap_child", {0});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Trap) << r;
  EXPECT_EQ(r.outcome.report.rfind("wgi: trap: unreachable (in thread 3)\n  #0 func ", 0), 0u) << r;
  if (has_names()) {
    // Innermost first: tl_crash, its caller, the ABI's entry point.
    const auto crash = r.outcome.report.find(" \"tl_crash\" at 0x");
    const auto caller = r.outcome.report.find(" \"crash_after_others_block\" at 0x");
    const auto start = r.outcome.report.find(" \"wgi_thread_start\" at 0x");
    EXPECT_NE(crash, std::string::npos) << r;
    EXPECT_LT(crash, caller) << r;
    EXPECT_LT(caller, start) << r;
    EXPECT_NE(start, std::string::npos) << r;
  }
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, DivideByZeroInChild) {
  Ran r = run("trap_child", {1});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Trap) << r;
  EXPECT_EQ(r.outcome.report.rfind("wgi: trap: integer divide by zero (in thread 3)\n", 0), 0u) << r;
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, TrapInMainThreadWhileOthersWait) {
  Ran r = run("trap_main");
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Trap) << r;
  EXPECT_EQ(r.outcome.report.rfind("wgi: trap: unreachable (in thread 0)\n", 0), 0u) << r;
  if (has_names()) {
    EXPECT_NE(r.outcome.report.find(" \"trap_main\" at 0x"), std::string::npos) << r;
  }
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, StartRoutineNotInTable) {
  // thread_start's call_indirect finds no function at the closure's index.
  Ran r = run("bad_start_routine", {0});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Trap) << r;
  EXPECT_EQ(r.outcome.report.rfind("wgi: trap: undefined element (in thread 1)\n", 0), 0u) << r;
  if (has_names()) {
    EXPECT_NE(r.outcome.report.find(" \"wgi_thread_start\" at 0x"), std::string::npos) << r;
  }
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_P(ThreadlinkProgram, StartRoutineOfWrongType) {
  Ran r = run("bad_start_routine", {1});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Trap) << r;
  EXPECT_EQ(r.outcome.report.rfind("wgi: trap: indirect call type mismatch (in thread 1)\n", 0), 0u) << r;
}

TEST_P(ThreadlinkProgram, StartRoutineOutsideMemory) {
  Ran r = run("bad_start_routine", {2});
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Trap) << r;
  EXPECT_EQ(r.outcome.report.rfind("wgi: trap: out of bounds memory access (in thread 1)\n", 0), 0u) << r;
}

TEST_P(ThreadlinkProgram, ARuntimeRunsOnce) {
  auto rt = Runtime::create(load(GetParam()), {});
  ASSERT_TRUE(rt.ok());
  RunOutcome first = (*rt)->run("join_id", std::vector<Slot>{7});
  EXPECT_EQ(first.kind, RunOutcome::Kind::Ok) << first.report;
  RunOutcome second = (*rt)->run("join_id", std::vector<Slot>{7});
  EXPECT_EQ(second.kind, RunOutcome::Kind::Error);
  EXPECT_EQ(second.report, "wgi: a threadlink Runtime runs once\n");
}

TEST_P(ThreadlinkProgram, MissingExportIsAnError) {
  Ran r = run("no_such_function");
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Error) << r;
  EXPECT_EQ(r.outcome.report, "wgi: no exported function \"no_such_function\"\n");
}

// ---- other programs ------------------------------------------------------------------------

class Threadlink : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kDataDir == nullptr) GTEST_SKIP() << "threadlink test modules not built (WGI_BUILD_THREADLINK_EXAMPLES=OFF)";
  }
};

TEST_F(Threadlink, ModuleWithoutThreadLocals) {
  // __tls_size is 0: threads get a stack and no TLS block.
  Ran r = run("tl_no_tls", "sum", {20});
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 210);
  // Linked without the TLS exports: there is nothing to find.
  Ran n = run("tl_no_tls_no_exports", "sum", {20});
  EXPECT_OK(n);
  EXPECT_EQ(n.i32(), 210);
}

TEST_F(Threadlink, ModuleWithoutThreadStartFailsAtFirstThreadCreate) {
  Ran ok = run("tl_no_thread_start", "no_threads");
  EXPECT_OK(ok);
  EXPECT_EQ(ok.i32(), 5);
  Ran r = run("tl_no_thread_start", "one_thread");
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Error) << r;
  EXPECT_EQ(r.outcome.report,
            "wgi: thread_create: the module does not export the function \"thread_start\" that "
            "thread_create needs\n");
}

#ifdef WGI_THREADLINK_EXAMPLES_DIR
TEST_F(Threadlink, ExamplePrimes) {
  for (uint32_t threads : {1u, 2u, 4u, 32u}) {
    Ran r = run_module(load_path(std::string(WGI_THREADLINK_EXAMPLES_DIR) + "/primes.wasm"), "count_primes",
                       {100000, threads});
    EXPECT_OK(r);
    EXPECT_EQ(r.i32(), 9592) << threads << " threads";
  }
  Ran t = run_module(load_path(std::string(WGI_THREADLINK_EXAMPLES_DIR) + "/primes_traced.wasm"), "count_primes",
                     {100000, 4});
  EXPECT_OK(t);
  EXPECT_EQ(t.i32(), 9592);
}

TEST_F(Threadlink, ExamplePipeline) {
  for (uint32_t consumers : {1u, 3u, 16u}) {
    Ran r = run_module(load_path(std::string(WGI_THREADLINK_EXAMPLES_DIR) + "/pipeline.wasm"), "pipeline",
                       {100000, consumers});
    EXPECT_OK(r);
    EXPECT_EQ(r.i64(), int64_t{5000050000}) << consumers << " consumers";
  }
}
#endif

// 2000 threads alive at once, all parked on one word: they must all start,
// run and be joined. Parked waiters used to poll their interrupt flag every
// 10 ms on the bucket's mutex, which made starting 2000 of them take seconds
// of system time (bench/README.md has the figures); no timing is asserted.
TEST_F(Threadlink, TwoThousandLiveThreadsBlockedOnOneWord) {
  ThreadlinkConfig config;
  config.max_threads = 2000;
  config.thread_stack_size = 16 * 1024;
  Ran r = run("tl_many", "blocked", {2000}, config);
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 2000);
}

// A chain of 2000 threads, each joining the next: 1999 threads blocked in
// thread_join at once, each woken only by the end of the thread it joins.
TEST_F(Threadlink, TwoThousandLiveThreadsInAChainOfJoins) {
  ThreadlinkConfig config;
  config.max_threads = 2000;
  config.thread_stack_size = 16 * 1024;
  Ran r = run("tl_many", "chain", {2000}, config);
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), 2000);
}

TEST_F(Threadlink, ErrnoDescriptions) {
  EXPECT_STREQ(errno_description(kNoError), "no error");
  EXPECT_STREQ(errno_description(kOutOfBounds), "thread tried to access shared memory out of bounds");
  EXPECT_STREQ(errno_description(kMultipleRefsAfterJoin), "multiple references to the result after thread join");
  EXPECT_STREQ(errno_description(9), "unknown error");
  EXPECT_STREQ(errno_description(-1), "unknown error");
}

TEST_F(Threadlink, ManyRuntimesShareOneCompiledModule) {
  // Two programs at once in one process, on one CompiledModule.
  Ran a, b;
  std::thread other([&] { b = run("tl_program", "atomic_counter", {4, 10000}); });
  a = run("tl_program", "mutex_counter", {4, 2000});
  other.join();
  EXPECT_OK(a);
  EXPECT_EQ(a.i64(), 8000);
  EXPECT_OK(b);
  EXPECT_EQ(b.i32(), 40000);
}

// ---- hand-written modules ------------------------------------------------------------------

// A minimal threadlink program. Imports thread_create (func 0) and
// thread_join (func 1); the allocator hands out one fixed block at 128 KiB
// (only one thread is ever created); thread_start stores the stack pointer
// it was given at address 16, and `main` creates a thread (tid at address
// 0), joins it and returns that value. Options break one part each.
struct Crafted {
  bool import_memory = true;    // else the module defines its own memory
  bool malloc_wrong_type = false;
  uint32_t decoy_init = 0;      // a second mutable i32 global with this init
  bool name_stack_pointer = false;
  bool create_in_start = false; // the start function creates the thread
};

constexpr uint32_t kCraftedBlock = 128 * 1024;

std::shared_ptr<const interp::CompiledModule> crafted(const Crafted& o) {
  WasmBuilder b;
  const uint32_t create_t = b.type({ValType::I32, ValType::I32}, {ValType::I32});
  const uint32_t join_t = b.type({ValType::I32}, {ValType::I32});
  const uint32_t create = b.import_func("wasm_threadlink", "thread_create", create_t);
  const uint32_t join = b.import_func("wasm_threadlink", "thread_join", join_t);
  if (o.import_memory) {
    b.import_memory("env", "memory", test::limits(4, 16, true));
  } else {
    b.add_memory(test::limits(4, 16, true));
  }
  b.add_global(ValType::I32, true, Code().i32_const(static_cast<int32_t>(o.decoy_init)));
  const uint32_t sp = b.add_global(ValType::I32, true, Code().i32_const(65536));

  const uint32_t start_fn = b.add_func(b.type({ValType::I32}, {}),
                                       Code().i32_const(16).global_get(sp).mem(Op::I32Store, 2));
  b.export_("thread_start", ExternKind::Func, start_fn);
  const uint32_t malloc_fn =
      o.malloc_wrong_type
          ? b.add_func(b.type({ValType::I32}, {ValType::I32}), Code().i32_const(kCraftedBlock))
          : b.add_func(b.type({ValType::I32, ValType::I32}, {ValType::I32}), Code().i32_const(kCraftedBlock));
  b.export_("__wasmgrind_malloc", ExternKind::Func, malloc_fn);
  b.export_("__wasmgrind_free", ExternKind::Func,
            b.add_func(b.type({ValType::I32, ValType::I32, ValType::I32}, {}), Code()));

  const Code create_thread = Code().i32_const(0).i32_const(0).call(create).op(Op::Drop);
  Code main;
  if (!o.create_in_start) main.raw(create_thread.bytes());
  main.i32_const(0).mem(Op::I32Load, 2).call(join).op(Op::Drop);  // join the id stored at 0
  main.i32_const(16).mem(Op::I32Load, 2);
  b.export_("main", ExternKind::Func, b.add_func(b.type({}, {ValType::I32}), main));
  if (o.create_in_start) b.start(b.add_func(b.type({}, {}), create_thread));

  if (o.name_stack_pointer) {
    // Name section, subsection 7 (global names): global `sp` only.
    const test::Bytes names = test::cat(test::leb_u32(1), test::leb_u32(sp), test::name_bytes("__stack_pointer"));
    b.custom("name", test::cat(test::Bytes{7}, test::leb_u32(static_cast<uint32_t>(names.size())), names));
  }
  auto cm = interp::load_module(b.build());
  EXPECT_TRUE(cm.ok()) << cm.error().message;
  return cm.ok() ? *cm : nullptr;
}

ThreadlinkConfig crafted_config() {
  ThreadlinkConfig c;
  c.thread_stack_size = 64 * 1024;
  return c;
}

TEST(ThreadlinkCrafted, StackPointerFoundAsTheOnlyMutableNonZeroGlobal) {
  Ran r = run_module(crafted({}), "main", {}, crafted_config());
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), static_cast<int32_t>(kCraftedBlock + 64 * 1024));
}

TEST(ThreadlinkCrafted, StackPointerFoundByName) {
  // Two candidates by shape; the name section decides.
  Ran r = run_module(crafted({.decoy_init = 100, .name_stack_pointer = true}), "main", {}, crafted_config());
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), static_cast<int32_t>(kCraftedBlock + 64 * 1024));
}

TEST(ThreadlinkCrafted, StackPointerNotFoundIsAnError) {
  Ran r = run_module(crafted({.decoy_init = 100}), "main", {}, crafted_config());
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Error) << r;
  EXPECT_EQ(r.outcome.report,
            "wgi: thread_create: cannot find the stack pointer: no global named __stack_pointer in the name "
            "section and no single mutable i32 global with a non-zero initialiser\n");
}

TEST(ThreadlinkCrafted, MemoryNotImportedIsAnError) {
  Ran r = run_module(crafted({.import_memory = false}), "main", {}, crafted_config());
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Error) << r;
  EXPECT_EQ(r.outcome.report,
            "wgi: thread_create: the module does not import its memory as \"env\" \"memory\": its threads "
            "could not share it\n");
}

TEST(ThreadlinkCrafted, ExportOfWrongTypeIsAnError) {
  Ran r = run_module(crafted({.malloc_wrong_type = true}), "main", {}, crafted_config());
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::Error) << r;
  EXPECT_EQ(r.outcome.report,
            "wgi: thread_create: the module's export \"__wasmgrind_malloc\" has type (i32) -> i32, but "
            "thread_create needs (i32, i32) -> i32\n");
}

TEST(ThreadlinkCrafted, ThreadCreatedByTheStartFunction) {
  Ran r = run_module(crafted({.create_in_start = true}), "main", {}, crafted_config());
  EXPECT_OK(r);
  EXPECT_EQ(r.i32(), static_cast<int32_t>(kCraftedBlock + 64 * 1024));
}

TEST(ThreadlinkCrafted, UnknownThreadlinkImportIsALinkError) {
  WasmBuilder b;
  b.import_func("wasm_threadlink", "thread_detach", b.type({ValType::I32}, {ValType::I32}));
  auto cm = interp::load_module(b.build());
  ASSERT_TRUE(cm.ok());
  auto rt = Runtime::create(*cm, {});
  ASSERT_FALSE(rt.ok());
  EXPECT_EQ(rt.error().code, ErrorCode::Unlinkable);
  EXPECT_NE(rt.error().message.find("unknown import: \"wasm_threadlink\" \"thread_detach\""), std::string::npos)
      << rt.error().message;
}

// ---- through the CLI ------------------------------------------------------------------------

struct CliRun {
  spec::ProcessResult p;
  double seconds = 0;
};

std::ostream& operator<<(std::ostream& os, const CliRun& r) {
  return os << r.p.describe() << " after " << r.seconds << " s\nstdout:\n" << r.p.out << "stderr:\n" << r.p.err;
}

class ThreadlinkCli : public Threadlink {
 protected:
  // Runs `wgi run ARGS...`; FILE arguments are names in the test data dir
  // ("@tl_program" -> .../tl_program.wasm).
  CliRun wgi_run(std::vector<std::string> args) {
    std::vector<std::string> argv{WGI_CLI_PATH, "run"};
    for (std::string& a : args) {
      if (!a.empty() && a[0] == '@') a = std::string(kDataDir) + "/" + a.substr(1) + ".wasm";
      argv.push_back(std::move(a));
    }
    CliRun r;
    const auto t0 = std::chrono::steady_clock::now();
    r.p = spec::run_process(argv);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }
  void SetUp() override {
    Threadlink::SetUp();
    if (IsSkipped()) return;
    CliRun probe = wgi_run({"@tl_no_thread_start", "--invoke", "no_threads"});
    // Without threadlink support the CLI cannot link the module: it has no
    // "env" "memory" or "wasm_threadlink" imports to offer.
    if (probe.p.exit_code != 0 && probe.p.err.find("unknown import") != std::string::npos)
      GTEST_SKIP() << "wgi run does not host threadlink modules yet: " << probe.p.err;
  }
};

TEST_F(ThreadlinkCli, PrintsTheResult) {
  CliRun r = wgi_run({"@tl_program", "--invoke", "tree", "3", "4"});
  EXPECT_EQ(r.p.exit_code, 0) << r;
  EXPECT_EQ(r.p.out, "84\n") << r;
}

TEST_F(ThreadlinkCli, PanicExitsWithStatus4WithinASecond) {
  CliRun r = wgi_run({"@tl_program", "--invoke", "panic_child", "1", "1"});
  EXPECT_EQ(r.p.exit_code, 4) << r;
  EXPECT_NE(r.p.err.find("wgi: panic: thread not found (errno 1) in thread 2"), std::string::npos) << r;
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_F(ThreadlinkCli, TrapExitsWithStatus3WithinASecond) {
  CliRun r = wgi_run({"@tl_program", "--invoke", "trap_child", "0"});
  EXPECT_EQ(r.p.exit_code, 3) << r;
  EXPECT_NE(r.p.err.find("unreachable"), std::string::npos) << r;
  EXPECT_NE(r.p.err.find("thread 3"), std::string::npos) << r;
  EXPECT_NE(r.p.err.find("tl_crash"), std::string::npos) << r;
  EXPECT_LT(r.seconds, 1.0) << r;
}

TEST_F(ThreadlinkCli, MaxThreads) {
  CliRun r = wgi_run({"--max-threads", "3", "@tl_program", "--invoke", "create_until_limit", "10"});
  EXPECT_EQ(r.p.exit_code, 0) << r;
  EXPECT_EQ(r.p.out, "51\n") << r;
}

TEST_F(ThreadlinkCli, ThreadStackSize) {
  // 300 threads one after another with 4 MiB stacks fit the 128 MiB memory
  // only because stacks are reused; 200 MiB stacks do not fit at all, so
  // thread_create fails and the program panics with errno 3.
  CliRun ok = wgi_run({"--thread-stack-size", "4194304", "@tl_program", "--invoke", "churn", "300"});
  EXPECT_EQ(ok.p.exit_code, 0) << ok;
  CliRun big = wgi_run({"--thread-stack-size", "209715200", "@tl_program", "--invoke", "churn", "1"});
  EXPECT_EQ(big.p.exit_code, 4) << big;
  EXPECT_NE(big.p.err.find("(errno 3)"), std::string::npos) << big;
}

TEST_F(ThreadlinkCli, MissingThreadStartIsAnError) {
  CliRun r = wgi_run({"@tl_no_thread_start", "--invoke", "one_thread"});
  EXPECT_EQ(r.p.exit_code, 1) << r;
  EXPECT_NE(r.p.err.find("\"thread_start\""), std::string::npos) << r;
}

}  // namespace
}  // namespace wgi::threads
