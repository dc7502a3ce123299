// wgi_kernel_run: a minimal driver for the benchmark kernels, built on the
// library API rather than the CLI.
//
//     wgi_kernel_run [--time] FILE.wasm [EXPORT]
//
// Calls EXPORT (default "run", no parameters) and prints each i32/i64 result
// on its own line, like the natively built kernels do. --time adds one line
// on stderr splitting the process into load (read, decode, validate,
// compile, instantiate) and run. run_kernels.sh times `wgi run` by default;
// this driver is for profiling (perf, callgrind) without the CLI around it,
// and for `run_kernels.sh --runner driver`.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_support.h"

int main(int argc, char** argv) {
  bool timing = false;
  int i = 1;
  if (i < argc && std::strcmp(argv[i], "--time") == 0) {
    timing = true;
    ++i;
  }
  if (i >= argc || argc - i > 2) {
    std::fprintf(stderr, "usage: wgi_kernel_run [--time] FILE.wasm [EXPORT]\n");
    return 2;
  }
  const std::string path = argv[i];
  const std::string name = i + 1 < argc ? argv[i + 1] : "run";

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  wgi::bench::BenchInstance bi(path);
  const wgi::interp::FuncInst& f = bi.func(name);
  if (!f.type->params.empty()) {
    std::fprintf(stderr, "wgi_kernel_run: %s takes parameters; only nullary exports are supported\n",
                 name.c_str());
    return 2;
  }
  std::vector<wgi::interp::Slot> results(f.type->results.size() * 2 + 1);
  const auto t1 = Clock::now();
  bi.call(f, nullptr, results.data());
  const auto t2 = Clock::now();

  size_t slot = 0;
  for (wgi::ValType t : f.type->results) {
    if (t == wgi::ValType::I32)
      std::printf("%d\n", static_cast<int32_t>(results[slot]));
    else if (t == wgi::ValType::I64)
      std::printf("%lld\n", static_cast<long long>(results[slot]));
    else
      std::printf("0x%016llx\n", static_cast<unsigned long long>(results[slot]));
    slot += wgi::interp::slot_count(t);
  }
  if (timing) {
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::fprintf(stderr, "load %.3f ms, run %.3f ms\n", ms(t1 - t0), ms(t2 - t1));
  }
  return 0;
}
