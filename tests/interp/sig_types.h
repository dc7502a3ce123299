// The C++ types of opcodes.def's signature rows, for the semantics tests
// (numeric_test.cc, simd_test.cc): SigT<Sig::X> names the row's parameter
// and result types, with the letters I, L, F, D, V read as uint32_t,
// uint64_t, float, double and simd::V128 (X: none). Each test checks every
// semantics function's type against its row through it.
#pragma once

#include <cstdint>

#include "decoder/opcodes.h"
#include "interp/simd.h"

namespace wgi::interp::sig_types {

namespace sigt {
using I = uint32_t;
using L = uint64_t;
using F = float;
using D = double;
using V = simd::V128;
using X = void;
}  // namespace sigt

template <Sig s>
struct SigT;
#define WGI_SIG(Name, np, p0, p1, p2, nr, r0) \
  template <>                                 \
  struct SigT<Sig::Name> {                    \
    static constexpr int n = np;              \
    using P0 = sigt::p0;                      \
    using P1 = sigt::p1;                      \
    using P2 = sigt::p2;                      \
    using R = sigt::r0;                       \
  };
#include "decoder/opcodes.def"

}  // namespace wgi::interp::sig_types
