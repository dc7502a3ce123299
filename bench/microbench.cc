#include "microbench.h"

namespace wgi::bench {

BenchInstance& module_instance(const std::string& name) {
  static std::map<std::string, std::unique_ptr<BenchInstance>> instances;
  auto& slot = instances[name];
  if (!slot) slot = std::make_unique<BenchInstance>(wasm_dir() + "/" + name + ".wasm");
  return *slot;
}

namespace {

void run_loop(benchmark::State& state, BenchInstance& bi, const std::string& fn,
              int instrs_per_iter) {
  const interp::FuncInst& f = bi.func(fn);
  const interp::Slot arg = kBatch;
  interp::Slot result = 0;
  while (state.KeepRunningBatch(kBatch)) {
    bi.call(f, &arg, &result);
    benchmark::DoNotOptimize(result);
  }
  if (instrs_per_iter > 0) {
    // Time per instruction, in seconds (printed as e.g. "1.2n").
    state.counters["s/instr"] = benchmark::Counter(
        double(state.iterations()) * instrs_per_iter,
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  }
}

}  // namespace

void register_loop(const std::string& group, const std::string& module, const std::string& fn,
                   int instrs_per_iter) {
  benchmark::RegisterBenchmark((group + "/" + fn).c_str(),
                               [module, fn, instrs_per_iter](benchmark::State& state) {
                                 run_loop(state, module_instance(module), fn, instrs_per_iter);
                               });
}

void register_loop(const std::string& group, BenchInstance& (*instance)(), const std::string& fn,
                   int instrs_per_iter) {
  benchmark::RegisterBenchmark((group + "/" + fn).c_str(),
                               [instance, fn, instrs_per_iter](benchmark::State& state) {
                                 run_loop(state, instance(), fn, instrs_per_iter);
                               });
}

}  // namespace wgi::bench
