// Direct calls (bench/wat/calls.wat): a loop whose body is one call, so the
// time per iteration is one call and return plus the loop's own 5
// instructions (dispatch/empty_loop). Also: entering the interpreter from
// the host, deep recursion, and calling a host function from Wasm.
#include "microbench.h"

namespace {

using namespace wgi;
using wgi::bench::BenchInstance;
using wgi::bench::register_loop;

// calls.wat imports bench.host_add: (i32, i32) -> i32.
BenchInstance& calls_instance() {
  static BenchInstance* bi = [] {
    auto store = std::make_unique<interp::Store>();
    interp::FuncInst* add = store->add_host_func(
        FuncType{{ValType::I32, ValType::I32}, {ValType::I32}},
        [](interp::Thread&, interp::Slot* s) {
          interp::put<uint32_t>(&s[0], interp::get<uint32_t>(&s[0]) + interp::get<uint32_t>(&s[1]));
          return interp::TrapKind::None;
        },
        "host_add");
    interp::Linker linker;
    linker.define("bench", "host_add", interp::ExternVal::of(add));
    return new BenchInstance(bench::wasm_dir() + "/calls.wasm", std::move(store), linker);
  }();
  return *bi;
}

// One Thread::invoke of `() -> i32`: argument copy, sentinel frame, entry
// and exit of the interpreter loop.
void BM_Entry(benchmark::State& state) {
  BenchInstance& bi = calls_instance();
  const interp::FuncInst& f = bi.func("entry");
  interp::Slot result = 0;
  for (auto _ : state) {
    bi.call(f, nullptr, &result);
    benchmark::DoNotOptimize(result);
  }
}

[[maybe_unused]] const bool registered = [] {
  benchmark::RegisterBenchmark("calls/entry", BM_Entry);
  register_loop("calls", calls_instance, "call_void");
  register_loop("calls", calls_instance, "call_args");
  register_loop("calls", calls_instance, "call_locals");
  register_loop("calls", calls_instance, "recurse");  // depth kBatch: time per level
  register_loop("calls", calls_instance, "call_host");
  return true;
}();

}  // namespace
