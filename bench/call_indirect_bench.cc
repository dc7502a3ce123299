// call_indirect (bench/wat/call_indirect.wat): a loop whose body is one
// call_indirect to a one-instruction function, with one target (mono),
// eight targets in a cycle, or eight chosen pseudo-randomly (random adds
// an LCG step, 6 instructions, per iteration). Time is per iteration.
#include "microbench.h"

namespace {

using wgi::bench::register_loop;

[[maybe_unused]] const bool registered = [] {
  register_loop("call_indirect", "call_indirect", "ci_mono");
  register_loop("call_indirect", "call_indirect", "ci_cycle");
  register_loop("call_indirect", "call_indirect", "ci_random");
  return true;
}();

}  // namespace
