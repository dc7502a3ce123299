// Start-up of a big module (big_module.h, 20 MB by default, or
// $WGI_BENCH_STARTUP_MB): each phase between having the bytes and running
// the first instruction, on its own, and the whole path as `wgi run` takes
// it (decode, validate and lazily compile, instantiate, call _start).
//
//   startup/decode         the module's sections and function bodies' extents
//   startup/validate       every function body (the spec's validation)
//   startup/compile_lazy   validate + set up lazy compilation (CompileOptions::lazy)
//   startup/compile_eager  validate + compile every function
//   startup/instantiate    instantiate the compiled module
//   startup/first_call     all of the above, then call _start (lazy: its
//                          compilation is part of the call)
//
// The module is built once per process, outside the timings; run with
// --benchmark_min_time=... as usual (each iteration takes 0.1-2 s).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>

#include "big_module.h"
#include "decoder/validator.h"
#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/runtime.h"
#include "interp/thread.h"

namespace {

using namespace wgi;

const std::vector<uint8_t>& module_bytes() {
  static const std::vector<uint8_t> bytes = [] {
    long mb = 20;
    if (const char* env = std::getenv("WGI_BENCH_STARTUP_MB")) mb = std::strtol(env, nullptr, 10);
    return bench::big_module(static_cast<size_t>(mb > 0 ? mb : 20) << 20);
  }();
  return bytes;
}

std::shared_ptr<const Module> decoded() {
  Result<Module> m = decode_module(module_bytes(), Features{});
  if (!m.ok()) std::abort();
  return std::make_shared<const Module>(std::move(m).value());
}

std::shared_ptr<const interp::CompiledModule> compiled(bool lazy) {
  auto cm = interp::compile_module(decoded(), Features{}, {.lazy = lazy});
  if (!cm.ok()) std::abort();
  return *cm;
}

void set_bytes(benchmark::State& state) {
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(module_bytes().size()));
  state.counters["MB"] = double(module_bytes().size()) / (1 << 20);
}

void BM_Decode(benchmark::State& state) {
  module_bytes();  // built before the clock starts
  for (auto _ : state) {
    Result<Module> m = decode_module(module_bytes(), Features{});
    benchmark::DoNotOptimize(m.ok());
  }
  set_bytes(state);
}

void BM_Validate(benchmark::State& state) {
  const std::shared_ptr<const Module> m = decoded();
  for (auto _ : state) {
    Result<void> r = validate_module(*m, Features{});
    benchmark::DoNotOptimize(r.ok());
  }
  set_bytes(state);
}

void BM_Compile(benchmark::State& state, bool lazy) {
  const std::shared_ptr<const Module> m = decoded();
  for (auto _ : state) {
    auto cm = interp::compile_module(m, Features{}, {.lazy = lazy});
    benchmark::DoNotOptimize(cm.ok());
  }
  set_bytes(state);
}

void BM_Instantiate(benchmark::State& state) {
  const auto cm = compiled(true);
  for (auto _ : state) {
    interp::Store store;
    interp::Thread thread;
    auto inst = interp::instantiate(store, cm, {}, thread);
    benchmark::DoNotOptimize(inst.ok());
  }
}

// The whole path from bytes to the first call's return.
void BM_FirstCall(benchmark::State& state) {
  module_bytes();
  for (auto _ : state) {
    Result<Module> m = decode_module(module_bytes(), Features{});
    auto cm = interp::compile_module(std::make_shared<const Module>(std::move(m).value()), Features{},
                                     {.lazy = true});
    interp::Store store;
    interp::Thread thread;
    auto inst = interp::instantiate(store, *cm, {}, thread);
    if (!inst.ok()) std::abort();
    const interp::TrapKind k =
        thread.invoke(*inst->instance->get_export_func("_start"), nullptr, nullptr);
    benchmark::DoNotOptimize(k);
  }
  set_bytes(state);
}

[[maybe_unused]] const bool registered = [] {
  using benchmark::kMillisecond;
  benchmark::RegisterBenchmark("startup/decode", BM_Decode)->Unit(kMillisecond);
  benchmark::RegisterBenchmark("startup/validate", BM_Validate)->Unit(kMillisecond);
  benchmark::RegisterBenchmark("startup/compile_lazy", BM_Compile, true)->Unit(kMillisecond);
  benchmark::RegisterBenchmark("startup/compile_eager", BM_Compile, false)->Unit(kMillisecond);
  benchmark::RegisterBenchmark("startup/instantiate", BM_Instantiate)->Unit(kMillisecond);
  benchmark::RegisterBenchmark("startup/first_call", BM_FirstCall)->Unit(kMillisecond);
  return true;
}();

}  // namespace
