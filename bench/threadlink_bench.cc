// Benchmarks of the wasm_threadlink runtime (threads/threadlink.h), on the
// module compiled from bench/threadlink_bench.c.
//
//  BM_ThreadlinkCreateJoin   1,000 thread_create + thread_join pairs, one
//                            after another, per iteration (a new Runtime
//                            each time, whose setup is included but small).
//                            Counter us_per_pair: wall time per pair.
//  BM_ThreadlinkPrimes/T     an embarrassingly parallel kernel (primes below
//                            3,000,000 by trial division, in chunks claimed
//                            with an atomic counter) on T = 1 or 2 worker
//                            threads. Wall time (UseRealTime); counters:
//                            user_s, user CPU seconds per iteration (all
//                            threads), cpu_par = user / wall (how many cores
//                            were busy), and on T = 2 speedup = the T = 1
//                            wall time / this one (run T = 1 first, as
//                            registered). On a loaded machine cpu_par < T
//                            shows the other load, not the runtime.
//
// The module's path comes from WGI_BENCH_THREADLINK_WASM (a compile
// definition set by bench/CMakeLists.txt) or $WGI_BENCH_THREADLINK_WASM.
#include "threads/threadlink.h"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "interp/code.h"

namespace {

using wgi::interp::Slot;
using wgi::threads::RunOutcome;
using wgi::threads::Runtime;

#ifndef WGI_BENCH_THREADLINK_WASM
#define WGI_BENCH_THREADLINK_WASM ""
#endif

// The compiled module, loaded once; null (with the reason in *error) if it
// cannot be.
std::shared_ptr<const wgi::interp::CompiledModule> module(std::string* error) {
  static std::string why;
  static std::shared_ptr<const wgi::interp::CompiledModule> cm = [] {
    std::string path = WGI_BENCH_THREADLINK_WASM;
    if (const char* env = std::getenv("WGI_BENCH_THREADLINK_WASM")) path = env;
    if (path.empty()) {
      why = "threadlink_bench.wasm: path not configured (WGI_BENCH_THREADLINK_WASM)";
      return std::shared_ptr<const wgi::interp::CompiledModule>();
    }
    std::ifstream f(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
    if (!f && bytes.empty()) {
      why = "cannot read " + path;
      return std::shared_ptr<const wgi::interp::CompiledModule>();
    }
    auto r = wgi::interp::load_module(std::move(bytes));
    if (!r.ok()) {
      why = path + ": " + r.error().message;
      return std::shared_ptr<const wgi::interp::CompiledModule>();
    }
    return *r;
  }();
  *error = why;
  return cm;
}

// Runs func(args) in a fresh Runtime; false (and the benchmark skipped with
// the report) if the program did not end normally.
bool run(benchmark::State& state, const char* func, std::vector<Slot> args, uint32_t* result) {
  std::string error;
  auto cm = module(&error);
  if (!cm) {
    state.SkipWithError(error.c_str());
    return false;
  }
  auto rt = Runtime::create(cm, {});
  if (!rt.ok()) {
    state.SkipWithError(rt.error().message.c_str());
    return false;
  }
  RunOutcome o = (*rt)->run(func, args);
  if (o.kind != RunOutcome::Kind::Ok || o.results.empty()) {
    state.SkipWithError(o.report.c_str());
    return false;
  }
  *result = static_cast<uint32_t>(o.results[0]);
  return true;
}

double user_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec) + double(ru.ru_utime.tv_usec) * 1e-6;
}

constexpr uint32_t kPairs = 1000;

void BM_ThreadlinkCreateJoin(benchmark::State& state) {
  double wall = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    uint32_t n = 0;
    if (!run(state, "create_join", {kPairs}, &n)) return;
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (n != kPairs) {
      state.SkipWithError("create_join: wrong result");
      return;
    }
  }
  state.counters["us_per_pair"] = wall / (double(state.iterations()) * kPairs) * 1e6;
}
BENCHMARK(BM_ThreadlinkCreateJoin)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

constexpr uint32_t kPrimesLimit = 3'000'000;
constexpr uint32_t kPrimesBelowLimit = 216'816;
double g_one_thread_wall = 0;  // seconds per iteration of BM_ThreadlinkPrimes/1

void BM_ThreadlinkPrimes(benchmark::State& state) {
  const auto threads = static_cast<uint32_t>(state.range(0));
  double wall = 0, user = 0;
  for (auto _ : state) {
    const double u0 = user_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    uint32_t count = 0;
    if (!run(state, "primes", {kPrimesLimit, threads}, &count)) return;
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    user += user_seconds() - u0;
    if (count != kPrimesBelowLimit) {
      state.SkipWithError("primes: wrong count");
      return;
    }
  }
  const double n = double(state.iterations());
  state.counters["user_s"] = user / n;
  state.counters["cpu_par"] = user / wall;
  if (threads == 1) g_one_thread_wall = wall / n;
  if (threads > 1 && g_one_thread_wall > 0) state.counters["speedup"] = g_one_thread_wall / (wall / n);
}
BENCHMARK(BM_ThreadlinkPrimes)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
