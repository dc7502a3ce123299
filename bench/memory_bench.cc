// Loads, stores, bulk memory and atomics (bench/wat/memory.wat.in), on an
// ordinary memory (memory/...) and on a shared one (memory_shared/...),
// where wgi uses race-safe variants of the plain load and store handlers.
// Time is per iteration; memory/walk is the loop without the access, so
// the cost of an access is roughly the difference.
#include "microbench.h"

namespace {

using wgi::bench::register_loop;

[[maybe_unused]] const bool registered = [] {
  for (const char* module : {"memory", "memory_shared"}) {
    for (const char* fn : {"walk", "load_i32", "load_i32_indexed", "store_i32", "rmw_i64",
                           "copy_u8", "memory_copy_16", "memory_fill_16", "atomic_load_i32",
                           "atomic_rmw_add_i32", "atomic_cmpxchg_i32"}) {
      register_loop(module, module, fn);
    }
  }
  return true;
}();

}  // namespace
