// Dispatch: tight loops of arithmetic on locals (bench/wat/dispatch.wat).
// Time is per loop iteration; s/instr divides by the Wasm instructions in
// the loop as written (wgi fuses some, e.g. a constant operand into its
// arithmetic instruction and a compare into the branch).
#include "microbench.h"

namespace {

using wgi::bench::register_loop;

[[maybe_unused]] const bool registered = [] {
  register_loop("dispatch", "dispatch", "empty_loop", 5);
  register_loop("dispatch", "dispatch", "i32_arith", 29);
  register_loop("dispatch", "dispatch", "i64_arith", 30);
  register_loop("dispatch", "dispatch", "f64_arith", 19);
  return true;
}();

}  // namespace
