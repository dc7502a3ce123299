// Lazy compilation (CompileOptions::lazy): every function is validated when
// the module loads, compiled at its first call, and then runs and reports
// exactly as eagerly compiled code does: results, traps and their
// backtraces, stack exhaustion, calls from many threads at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "decoder/validator.h"
#include "interp/code.h"
#include "interp/code_dump.h"
#include "interp_support.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

using interp::CompiledModule;
using interp::TrapKind;
constexpr ValType I = ValType::I32;

std::shared_ptr<const CompiledModule> compile(const Bytes& bytes, bool lazy) {
  auto r = interp::load_module(bytes, Features{}, {.lazy = lazy});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

// func 0 "leaf" (i32) -> i32: x * 3 + 1
// func 1 "mid"  (i32) -> i32: leaf(x) + leaf(x + 1)
// func 2 "top"  (i32) -> i32: mid(x) - 1
// func 3 "boom" (i32) -> i32: 100 / x (traps on 0), called by "calls_boom"
// func 4 "calls_boom" (i32) -> i32
// func 5 "never" () -> (): never called
Bytes sample() {
  WasmBuilder b;
  const uint32_t ii = b.type({I}, {I});
  b.add_func(ii, Code().local_get(0).i32_const(3).op(Op::I32Mul).i32_const(1).op(Op::I32Add));
  b.add_func(ii, Code().local_get(0).call(0).local_get(0).i32_const(1).op(Op::I32Add).call(0).op(Op::I32Add));
  b.add_func(ii, Code().local_get(0).call(1).i32_const(1).op(Op::I32Sub));
  b.add_func(ii, Code().i32_const(100).local_get(0).op(Op::I32DivS));
  b.add_func(ii, Code().local_get(0).call(3));
  b.add_func(b.type({}, {}), Code().op(Op::Nop));
  b.export_("top", ExternKind::Func, 2).export_("calls_boom", ExternKind::Func, 4);
  b.names(std::nullopt, {{0, "leaf"}, {1, "mid"}, {2, "top"}, {3, "boom"}, {4, "calls_boom"}, {5, "never"}});
  return b.build();
}

TEST(LazyCompile, FunctionsAreCompiledAtTheirFirstCallOnly) {
  auto cm = compile(sample(), true);
  ASSERT_NE(cm, nullptr);
  ASSERT_TRUE(cm->lazy);
  for (const interp::CompiledFunc& f : cm->funcs) EXPECT_FALSE(f.compiled()) << f.func_index;
  Runner r;
  interp::Instance* inst = r.instantiate(cm);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(as_i32(r.value(inst, "top", {i32(5)})), (16 + 19) - 1);
  for (uint32_t f : {0u, 1u, 2u}) EXPECT_TRUE(cm->func(f).compiled()) << f;
  for (uint32_t f : {3u, 4u, 5u}) EXPECT_FALSE(cm->func(f).compiled()) << f;
  // Compiled once: later calls run the same code.
  const interp::Word* entry = cm->func(0).loaded_entry();
  EXPECT_EQ(as_i32(r.value(inst, "top", {i32(6)})), (19 + 22) - 1);
  EXPECT_EQ(cm->func(0).loaded_entry(), entry);
}

TEST(LazyCompile, CodeIsTheSameAsEagerCode) {
  auto lazy = compile(sample(), true);
  auto eager = compile(sample(), false);
  ASSERT_NE(lazy, nullptr);
  ASSERT_NE(eager, nullptr);
  EXPECT_FALSE(eager->lazy);
  for (uint32_t f = 0; f < eager->funcs.size(); ++f) {
    // format_compiled_function compiles a lazy function that is not yet.
    EXPECT_EQ(interp::format_compiled_function(*lazy, lazy->func(f)),
              interp::format_compiled_function(*eager, eager->func(f)));
    EXPECT_TRUE(lazy->func(f).compiled());
  }
}

TEST(LazyCompile, ATrapInLazilyCompiledCodeHasTheEagerBacktrace) {
  std::vector<std::vector<std::pair<std::string, uint32_t>>> traces;
  for (bool lazy : {false, true}) {
    auto cm = compile(sample(), lazy);
    Runner r;
    interp::Instance* inst = r.instantiate(cm);
    ASSERT_NE(inst, nullptr);
    EXPECT_EQ(r.call(inst, "calls_boom", {i32(0)}), TrapKind::IntegerDivideByZero);
    std::vector<std::pair<std::string, uint32_t>> trace;
    for (const interp::BacktraceFrame& f : r.thread.backtrace()) trace.emplace_back(frame_name(f), f.offset);
    traces.push_back(trace);
  }
  ASSERT_EQ(traces[0].size(), 2u);
  EXPECT_EQ(traces[0][0].first, "boom");
  EXPECT_EQ(traces[0][1].first, "calls_boom");
  EXPECT_NE(traces[0][0].second, 0u);
  EXPECT_EQ(traces[1], traces[0]);
}

TEST(LazyCompile, PcLookupsFindLazilyCompiledFunctions) {
  auto cm = compile(sample(), true);
  auto eager = compile(sample(), false);
  Runner r;
  interp::Instance* inst = r.instantiate(cm);
  ASSERT_NE(inst, nullptr);
  r.value(inst, "top", {i32(1)});
  for (uint32_t fi : {0u, 1u, 2u}) {
    const interp::CompiledFunc& f = cm->func(fi);
    ASSERT_TRUE(f.compiled());
    EXPECT_EQ(cm->func_at(f.code), &f);
    EXPECT_EQ(cm->func_at(f.code + f.code_words - 1), &f);
    // Every word maps to the wasm offset it has in eager code.
    const interp::CompiledFunc& e = eager->func(fi);
    ASSERT_EQ(f.code_words, e.code_words);
    for (uint32_t w = 0; w < f.code_words; ++w) {
      EXPECT_EQ(cm->wasm_offset_at(f.code + w), eager->wasm_offset_at(e.code + w)) << fi << " " << w;
      EXPECT_GE(cm->wasm_offset_at(f.code + w), cm->module->body(fi).code_offset);
      EXPECT_LT(cm->wasm_offset_at(f.code + w), cm->module->body(fi).end_offset);
    }
  }
  // Not compiled: its stub is no code.
  EXPECT_EQ(cm->func_at(cm->func(5).loaded_entry()), nullptr);
}

// A function whose frame is far bigger than its locals: until it is
// compiled, callers only know the locals, so the stub checks the frame.
TEST(LazyCompile, AFrameTooBigForTheStackTrapsAtTheFirstCall) {
  WasmBuilder b;
  Code deep;
  for (int i = 0; i < 20000; ++i) deep.i32_const(i);
  for (int i = 0; i < 19999; ++i) deep.op(Op::Drop);
  const uint32_t big = b.add_func(b.type({}, {I}), deep);
  b.names(std::nullopt, {{big, "big"}, {big + 1, "caller"}});
  b.export_("caller", ExternKind::Func, b.add_func(b.type({}, {I}), Code().call(big)));
  const Bytes bytes = b.build();
  for (bool lazy : {false, true}) {
    auto cm = compile(bytes, lazy);
    interp::ThreadConfig small;
    small.value_stack_bytes = 64 << 10;  // 8192 slots: less than big's frame
    Runner r(small);
    interp::Instance* inst = r.instantiate(cm);
    ASSERT_NE(inst, nullptr);
    EXPECT_EQ(r.call(inst, "caller"), TrapKind::CallStackExhausted) << "lazy " << lazy;
    ASSERT_FALSE(r.thread.backtrace().empty());
    EXPECT_EQ(frame_name(r.thread.backtrace().back()), "caller");
    // With room it runs.
    Runner roomy;
    inst = roomy.instantiate(cm);
    EXPECT_EQ(as_i32(roomy.value(inst, "caller")), 0) << "lazy " << lazy;
  }
}

// Many threads, one shared module, each calling functions nobody has
// compiled yet: every call gets the right answer, each function ends up
// with one code block. (Run under ThreadSanitizer in CI.)
TEST(LazyCompile, ConcurrentFirstCallsFromManyThreads) {
  WasmBuilder b;
  const uint32_t ii = b.type({I}, {I});
  constexpr uint32_t kFuncs = 64;
  for (uint32_t i = 0; i < kFuncs; ++i) {
    Code c;
    c.local_get(0).i32_const(static_cast<int32_t>(i)).op(Op::I32Add);
    if (i > 0) c.call(i - 1);  // f_i(x) = f_{i-1}(x + i)
    b.add_func(ii, c);
  }
  b.export_("last", ExternKind::Func, kFuncs - 1);
  auto cm = compile(b.build(), true);
  ASSERT_NE(cm, nullptr);
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::vector<int32_t> results(kThreads, -1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Runner r;
      interp::Instance* inst = r.instantiate(cm);
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      if (inst) results[t] = as_i32(r.value(inst, "last", {i32(t)}));
    });
  }
  for (std::thread& th : threads) th.join();
  const int32_t sum = kFuncs * (kFuncs - 1) / 2;
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(results[t], t + sum) << t;
  for (const interp::CompiledFunc& f : cm->funcs) {
    ASSERT_TRUE(f.compiled());
    EXPECT_EQ(cm->func_at(f.loaded_entry()), &f);
  }
}

TEST(LazyCompile, AnInvalidFunctionFailsTheLoadNotTheCall) {
  WasmBuilder b;
  b.func({}, {I}, Code().i32_const(1), "ok");
  b.func({}, {I}, Code().i64_const(1), "bad");  // i64 where i32 is due
  auto r = interp::load_module(b.build(), Features{}, {.lazy = true});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Invalid);
  EXPECT_EQ(r.error().func_index, 1u);
}

// Validation of big modules is split across threads (validate_bodies);
// the error must still be the one a sequential pass reports.
TEST(LazyCompile, ParallelValidationReportsTheSequentialError) {
  auto module_with = [](std::vector<uint32_t> invalid, std::optional<uint32_t> malformed) {
    WasmBuilder b;
    const uint32_t t = b.type({}, {});
    for (uint32_t i = 0; i < 3000; ++i) {  // ~1 KiB each: a dozen chunks
      Code c;
      for (int k = 0; k < 250; ++k) c.i32_const(k).op(Op::Drop);
      if (std::find(invalid.begin(), invalid.end(), i) != invalid.end()) c.op(Op::Drop);  // pops nothing
      if (malformed == i) {
        b.add_func_unterminated(t, Code(c).byte(0xFF));  // no such opcode
      } else {
        b.add_func(t, c);
      }
    }
    Result<Module> m = decode_module(b.build(), Features{});
    EXPECT_TRUE(m.ok());
    return std::make_shared<const Module>(std::move(m).value());
  };
  auto error_of = [](const Module& m, unsigned threads) {
    Result<void> r = validate_bodies(m, Features{}, threads);
    return r.ok() ? std::string("ok") : std::to_string(r.error().func_index) + ": " + r.error().message;
  };
  for (auto m : {module_with({2500, 400}, std::nullopt), module_with({2999}, std::nullopt),
                 module_with({100}, 2700), module_with({}, std::nullopt)}) {
    const std::string sequential = error_of(*m, 1);
    for (unsigned threads : {2u, 4u, 16u}) EXPECT_EQ(error_of(*m, threads), sequential);
  }
  EXPECT_EQ(error_of(*module_with({2500, 400}, std::nullopt), 4).substr(0, 5), "400: ");
  EXPECT_EQ(error_of(*module_with({100}, 2700), 4).substr(0, 6), "2700: ");
  EXPECT_EQ(error_of(*module_with({}, std::nullopt), 4), "ok");
}

TEST(LazyCompile, TracedModulesAreCompiledEagerly) {
  auto r = interp::load_module(sample(), Features{}, {.trace = true, .lazy = true});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->lazy);
  for (const interp::CompiledFunc& f : (*r)->funcs) EXPECT_TRUE(f.compiled());
}

}  // namespace
}  // namespace wgi::test
