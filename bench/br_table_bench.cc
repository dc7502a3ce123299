// br_table (bench/wat/br_table.wat): a loop whose body is an eight-way
// br_table, one arithmetic case and a br out, with the selector cycling
// (predictable) or pseudo-random (random adds an LCG step, 6 instructions).
// Time is per iteration.
#include "microbench.h"

namespace {

using wgi::bench::register_loop;

[[maybe_unused]] const bool registered = [] {
  register_loop("br_table", "br_table", "br_table_cycle");
  register_loop("br_table", "br_table", "br_table_random");
  return true;
}();

}  // namespace
