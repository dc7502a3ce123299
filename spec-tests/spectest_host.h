// The `spectest` host module that the suite's scripts import from.
//
// What the reference interpreter provides, and the suite relies on:
//   print, print_i32, print_i64, print_f32, print_f64, print_i32_f32,
//   print_f64_f64      functions returning nothing
//   global_i32 = 666, global_i64 = 666, global_f32 = 666.6, global_f64 = 666.6
//                      immutable globals
//   table              funcref, 10..20 elements
//   memory             1..2 pages
//   shared_memory      1..2 pages, shared (threads proposal only)
// The print functions stay silent unless `verbose` is set (the suite's
// expected output is not checked, and thousands of lines would bury the
// tally).
#pragma once

#include "interp/instantiate.h"
#include "interp/runtime.h"
#include "util/result.h"

namespace wgi::spec {

struct SpectestOptions {
  bool threads = false;  // also define shared_memory
  bool verbose = false;  // the print functions write to stdout
};

// Creates the host objects in `store` and defines them in `linker` under
// the module name "spectest".
Result<void> define_spectest(interp::Store& store, interp::Linker& linker,
                             const SpectestOptions& options);

}  // namespace wgi::spec
