// WASI preview1 (wasi_snapshot_preview1) as a host module: the functions a
// program built with wasi-libc (clang --target=wasm32-wasi) or Rust's
// wasm32-wasip1 target imports, backed by the host's files, clocks and
// random numbers, inside a sandbox of preopened directories.
//
// It sits on the interpreter's public API only: each function is a host
// function (interp::HostFn) that finds the calling instance's memory
// through the calling thread, so one Wasi serves every thread of a
// program (wasi-threads) and the interpreter knows nothing of WASI. The
// program runtime (threads/threadlink.h) links these functions through
// ThreadlinkConfig::host_imports, runs _start, and ends every thread when
// one calls proc_exit (TrapKind::Exit).
//
// The sandbox: the guest reaches the host's files only through the
// directories preopened for it (WasiConfig::preopens, `wgi run --dir`);
// every path is resolved beneath one of them (sandbox.h), and a descriptor
// does only what its rights allow (fd_table.h).
//
// Where the behaviour is a choice (an errno where the spec is silent), it
// follows wasmtime; the differential tests (tests/wasi/) compare it with
// node's node:wasi and list where the two differ.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "decoder/module.h"
#include "interp/instantiate.h"
#include "util/result.h"

namespace wgi::wasi {

// The import module name of every preview1 function.
inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

struct Preopen {
  std::string host;   // a host directory
  std::string guest;  // the name the guest sees (fd_prestat_dir_name)
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] (the program's name) first
  std::vector<std::string> env;   // "NAME=VALUE"
  std::vector<Preopen> preopens;  // fds 3, 4, ... in this order
  // The host descriptors behind the guest's 0, 1 and 2 (not closed by Wasi).
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
};

// True when the module imports anything from wasi_snapshot_preview1.
bool uses_wasi(const Module& m);

class Wasi {
 public:
  // Opens the preopened directories; an error names the one that failed.
  static Result<std::unique_ptr<Wasi>> create(const WasiConfig& config);
  ~Wasi();
  Wasi(const Wasi&) = delete;
  Wasi& operator=(const Wasi&) = delete;

  // Defines every preview1 function in `linker` under kModuleName. The
  // functions live as long as this Wasi.
  void define(interp::Linker& linker);

  struct Context;

 private:
  explicit Wasi(std::unique_ptr<Context> cx);
  std::unique_ptr<Context> cx_;
};

}  // namespace wgi::wasi
