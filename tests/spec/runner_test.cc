// The spec runner end to end (spec-tests/runner.cc): a small script in
// wast2json's format over modules written with WasmBuilder, run through
// ScriptRunner with the library as module source. Covers every command kind,
// the spectest host module, registration, SIMD skips, failures and the
// watchdog.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "runner.h"
#include "support/wasm_builder.h"

namespace wgi::spec {
namespace {

namespace fs = std::filesystem;
using test::Code;
using test::WasmBuilder;

constexpr ValType I32 = ValType::I32;

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("wgi_runner_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_modules();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream f(dir_ / name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  }

  void write_modules() {
    {  // t.0.wasm: the main module
      WasmBuilder b;
      const uint32_t print = b.import_func("spectest", "print_i32", b.type({I32}, {}));
      b.func({I32, I32}, {I32}, Code().local_get(0).local_get(1).op(Op::I32Add), "add");
      b.func({I32, I32}, {I32}, Code().local_get(0).local_get(1).op(Op::I32DivS), "div");
      b.func({}, {ValType::F32}, Code().f32_const(std::numeric_limits<float>::quiet_NaN()), "nan");
      const uint32_t rec = b.add_func(b.type({}, {}), Code().call(4));  // calls itself
      EXPECT_EQ(rec, 4u);
      b.export_("rec", ExternKind::Func, rec);
      b.func({I32}, {}, Code().local_get(0).call(print), "print");
      b.func({ValType::ExternRef}, {ValType::ExternRef}, Code().local_get(0), "id_ext");
      b.func({ValType::V128}, {ValType::V128}, Code().local_get(0), "id_v128");
      b.func({}, {}, Code().loop().br(0).end(), "spin");
      b.export_("g", ExternKind::Global, b.add_global(I32, false, Code().i32_const(42)));
      write("t.0.wasm", b.build());
    }
    {  // t.1.wasm: imports "M" "add"
      WasmBuilder b;
      const uint32_t add = b.import_func("M", "add", b.type({I32, I32}, {I32}));
      b.func({I32}, {I32}, Code().local_get(0).local_get(0).call(add), "add2");
      write("t.1.wasm", b.build());
    }
    {  // t.2.wasm: an unknown import
      WasmBuilder b;
      b.import_func("M", "missing", b.type({}, {}));
      write("t.2.wasm", b.build());
    }
    {  // t.3.wasm: a data segment out of bounds
      WasmBuilder b;
      b.add_memory(Limits{.min = 1});
      b.data_active(0, Code().i32_const(65536), {1});
      write("t.3.wasm", b.build());
    }
    {  // t.4.wasm: SIMD instructions
      WasmBuilder b;
      b.func({}, {}, Code().i32_const(1).op(Op::I32x4Splat).op(Op::Drop), "simd");
      write("t.4.wasm", b.build());
    }
    {  // t.5.wasm: imports from the SIMD module
      WasmBuilder b;
      b.import_func("S", "simd", b.type({}, {}));
      write("t.5.wasm", b.build());
    }
    {  // t.6.wasm: a start function that traps
      WasmBuilder b;
      b.start(b.add_func(b.type({}, {}), Code().op(Op::Unreachable)));
      write("t.6.wasm", b.build());
    }
  }

  Counts run(const std::string& commands, const RunOptions& options) {
    std::string error;
    auto script = parse_script(R"({"source_filename": "t.wast", "commands": [)" + commands + "]}",
                               &error);
    EXPECT_TRUE(script) << error;
    if (!script) return {};
    ScriptRunner runner(options, source_, conflicts_, tally_);
    return runner.run(*script, "test/t.wast", dir_, Features{.threads = false});
  }

  const Counts& kind(const std::string& label) { return tally_.by_kind[label]; }

  fs::path dir_;
  LibrarySource source_;
  KnownConflicts conflicts_;
  Tally tally_;
};

std::string i32(const char* v) { return std::string(R"({"type": "i32", "value": ")") + v + "\"}"; }
std::string invoke(const char* field, const std::string& args, const char* module = "") {
  std::string m = *module ? std::string(R"("module": ")") + module + "\", " : "";
  return R"("action": {"type": "invoke", )" + m + R"("field": ")" + field + R"(", "args": [)" +
         args + "]}";
}

TEST_F(RunnerTest, EveryCommandKind) {
  const std::string commands = std::string() +
      R"({"type": "module", "line": 1, "name": "$M0", "filename": "t.0.wasm"},)" +
      R"({"type": "assert_return", "line": 2, )" + invoke("add", i32("1") + "," + i32("4294967295")) +
      R"(, "expected": [)" + i32("0") + "]}," +
      R"({"type": "assert_trap", "line": 3, )" + invoke("div", i32("1") + "," + i32("0")) +
      R"(, "text": "integer divide by zero", "expected": [{"type": "i32"}]},)" +
      R"({"type": "assert_return", "line": 4, )" + invoke("nan", "") +
      R"(, "expected": [{"type": "f32", "value": "nan:canonical"}]},)" +
      R"({"type": "assert_exhaustion", "line": 5, )" + invoke("rec", "") +
      R"(, "text": "call stack exhausted", "expected": []},)" +
      R"({"type": "action", "line": 6, )" + invoke("print", i32("7")) + R"(, "expected": []},)" +
      R"({"type": "assert_return", "line": 7, )" +
      invoke("id_ext", R"({"type": "externref", "value": "0"})") +
      R"(, "expected": [{"type": "externref", "value": "0"}]},)" +
      R"({"type": "assert_return", "line": 8, )" +
      invoke("id_ext", R"({"type": "externref", "value": "null"})") +
      R"(, "expected": [{"type": "externref", "value": "null"}]},)" +
      R"({"type": "assert_return", "line": 9, )" +
      invoke("id_v128", R"({"type": "v128", "lane_type": "i32", "value": ["1", "2", "3", "4"]})") +
      R"(, "expected": [{"type": "v128", "lane_type": "i64", "value": ["8589934593", "17179869187"]}]},)" +
      R"({"type": "assert_return", "line": 10, "action": {"type": "get", "field": "g"}, "expected": [)" +
      i32("42") + "]}," +
      R"({"type": "register", "line": 11, "name": "$M0", "as": "M"},)" +
      R"({"type": "module", "line": 12, "filename": "t.1.wasm"},)" +
      R"({"type": "assert_return", "line": 13, )" + invoke("add2", i32("21")) +
      R"(, "expected": [)" + i32("42") + "]}," +
      R"({"type": "assert_return", "line": 14, )" + invoke("add", i32("2") + "," + i32("3"), "$M0") +
      R"(, "expected": [)" + i32("5") + "]}," +
      R"({"type": "assert_unlinkable", "line": 15, "filename": "t.2.wasm", "text": "unknown import", "module_type": "binary"},)" +
      R"({"type": "assert_uninstantiable", "line": 16, "filename": "t.3.wasm", "text": "out of bounds memory access", "module_type": "binary"},)" +
      R"({"type": "assert_uninstantiable", "line": 17, "filename": "t.6.wasm", "text": "unreachable", "module_type": "binary"},)" +
      // SIMD: the module runs, can be registered and imported from.
      R"({"type": "module", "line": 18, "name": "$S", "filename": "t.4.wasm"},)" +
      R"({"type": "assert_return", "line": 19, )" + invoke("simd", "") + R"(, "expected": []},)" +
      R"({"type": "register", "line": 20, "as": "S"},)" +
      R"({"type": "module", "line": 21, "filename": "t.5.wasm"},)" +
      // Failures: a wrong result, a wrong trap, a missing export.
      R"({"type": "assert_return", "line": 22, )" + invoke("add", i32("2") + "," + i32("3"), "$M0") +
      R"(, "expected": [)" + i32("6") + "]}," +
      R"({"type": "assert_trap", "line": 23, )" + invoke("div", i32("1") + "," + i32("0"), "$M0") +
      R"(, "text": "integer overflow", "expected": [{"type": "i32"}]},)" +
      R"({"type": "assert_return", "line": 24, )" + invoke("nope", "", "$M0") + R"(, "expected": []})";

  Counts c = run(commands, RunOptions{});
  EXPECT_EQ(c.passed, 21u);
  EXPECT_EQ(c.skipped, 0u);
  EXPECT_EQ(c.failed, 3u);
  EXPECT_EQ(kind("module").passed, 4u);
  EXPECT_EQ(kind("module").skipped, 0u);
  EXPECT_EQ(kind("assert_return").passed, 9u);
  EXPECT_EQ(kind("assert_return").failed, 2u);
  EXPECT_EQ(kind("assert_trap").passed, 1u);
  EXPECT_EQ(kind("assert_trap").failed, 1u);
  EXPECT_EQ(kind("assert_exhaustion").passed, 1u);
  EXPECT_EQ(kind("action").passed, 1u);
  EXPECT_EQ(kind("register").passed, 2u);
  EXPECT_EQ(kind("register").skipped, 0u);
  EXPECT_EQ(kind("assert_unlinkable (binary)").passed, 1u);
  EXPECT_EQ(kind("assert_uninstantiable (binary)").passed, 2u);
}

TEST_F(RunnerTest, ActionsOnAFailedModuleFailToo) {
  Counts c = run(std::string() +
                     R"({"type": "module", "line": 1, "filename": "t.2.wasm"},)" +
                     R"({"type": "assert_return", "line": 2, )" + invoke("f", "") +
                     R"(, "expected": []})",
                 RunOptions{});
  EXPECT_EQ(c.failed, 2u);
}

TEST_F(RunnerTest, TheWatchdogInterruptsEndlessLoops) {
  RunOptions options;
  options.timeout_seconds = 0.2;
  Counts c = run(std::string() +
                     R"({"type": "module", "line": 1, "filename": "t.0.wasm"},)" +
                     R"({"type": "action", "line": 2, )" + invoke("spin", "") +
                     R"(, "expected": []},)" +
                     // The thread stays usable.
                     R"({"type": "assert_return", "line": 3, )" +
                     invoke("add", i32("2") + "," + i32("3")) + R"(, "expected": [)" + i32("5") +
                     "]}",
                 options);
  EXPECT_EQ(c.passed, 2u);
  EXPECT_EQ(c.failed, 1u);
  EXPECT_EQ(kind("action").failed, 1u);
}

TEST_F(RunnerTest, WithoutExecutionModulesAreCheckedAndTheRestSkipped) {
  RunOptions options;
  options.execute = false;  // what --cli mode does
  Counts c = run(std::string() +
                     R"({"type": "module", "line": 1, "filename": "t.0.wasm"},)" +
                     R"({"type": "assert_return", "line": 2, )" + invoke("nan", "") +
                     R"(, "expected": [{"type": "f32", "value": "nan:canonical"}]},)" +
                     R"({"type": "register", "line": 3, "as": "M"},)" +
                     R"({"type": "assert_unlinkable", "line": 4, "filename": "t.2.wasm", "text": "unknown import", "module_type": "binary"})",
                 options);
  EXPECT_EQ(c.passed, 1u);
  EXPECT_EQ(c.skipped, 3u);
  EXPECT_EQ(tally_.skip_reasons[kCliNoExecution], 3u);
}

}  // namespace
}  // namespace wgi::spec
