// Helpers for the interpreter microbenchmarks (*_bench.cc).
//
// Each microbenchmark module (bench/wat/*.wat, compiled at build time)
// exports loop functions `(param $n i32) (result i32)` that run their body n
// times. A benchmark calls one of them with n = kBatch per Google Benchmark
// batch (State::KeepRunningBatch), so the reported time is per *loop
// iteration* and the cost of entering the interpreter is spread over
// kBatch iterations (BM_calls/entry measures that cost on its own).
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

#include "bench_support.h"

namespace wgi::bench {

inline constexpr uint32_t kBatch = 10'000;

// The instance of bench/wat/<name>.wasm, created on first use and shared by
// every benchmark of that module for the life of the process.
BenchInstance& module_instance(const std::string& name);

// Registers `<group>/<fn>`: calls export `fn` of module `module` with
// n = kBatch per batch. instrs_per_iter > 0 adds the counter ns/instr (Wasm
// instructions as written in the .wat, not wgi's fused instructions).
void register_loop(const std::string& group, const std::string& module, const std::string& fn,
                   int instrs_per_iter = 0);

// Same, for a module whose instance the caller supplies (e.g. with imports).
void register_loop(const std::string& group, BenchInstance& (*instance)(), const std::string& fn,
                   int instrs_per_iter = 0);

}  // namespace wgi::bench
