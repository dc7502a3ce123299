// Shared by the microbenchmarks (wgi_bench) and the kernel driver
// (wgi_kernel_run): load a .wasm file, instantiate it, call its exports.
//
// Everything here is setup; none of it runs inside a timed loop except
// BenchInstance::call, which is Thread::invoke plus a trap check.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/runtime.h"
#include "interp/thread.h"

namespace wgi::bench {

// One instantiated module with its own Store and Thread.
class BenchInstance {
 public:
  // Reads, decodes, validates, compiles and instantiates `path`. `linker`
  // (optional) resolves imports; its objects must live in `store()`, so
  // build them with prepare_store() first. Exits the process with a message
  // on any error: benchmarks have no useful way to continue.
  explicit BenchInstance(const std::string& path);
  BenchInstance(const std::string& path, std::unique_ptr<interp::Store> store,
                const interp::Linker& linker);

  interp::Store& store() { return *store_; }
  interp::Instance& instance() { return *instance_; }
  interp::Thread& thread() { return thread_; }

  // The exported function `name`; exits when there is none.
  const interp::FuncInst& func(std::string_view name) const;

  // Calls f; exits with the trap message if it traps.
  void call(const interp::FuncInst& f, const interp::Slot* args, interp::Slot* results);

 private:
  void load(const std::string& path, const interp::Linker& linker);

  std::unique_ptr<interp::Store> store_;
  interp::Thread thread_;
  interp::Instance* instance_ = nullptr;
  std::string path_;
};

// The directory holding the microbenchmarks' .wasm files (compiled from
// bench/wat/*.wat at build time), overridable with $WGI_BENCH_WASM_DIR.
std::string wasm_dir();

}  // namespace wgi::bench
