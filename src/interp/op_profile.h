// A developer aid, not built by default: compile with -DWGI_OP_PROFILE and
// the interpreter counts every executed instruction and every pair of
// consecutive instructions, and prints the most frequent at exit: a guide
// to which fusions would pay.
#pragma once

#ifdef WGI_OP_PROFILE

namespace wgi::interp {

// Counts one executed instruction: its handler address (exec.cc calls this
// before every dispatch). Not thread-safe: profile single-threaded runs.
void op_profile_hit(const void* handler);

}  // namespace wgi::interp

#endif
