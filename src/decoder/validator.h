// Validation: module-level rules plus one pass over each function body that
// runs the spec's operand and control stacks and hands every validated
// instruction to a sink (see FuncSink).
#pragma once

#include <concepts>
#include <cstdint>
#include <span>

#include "decoder/decoder.h"
#include "decoder/instr.h"
#include "decoder/module.h"
#include "util/result.h"

namespace wgi {

// What a function-body consumer must provide. The validator calls
// begin_function once, then instr() for every instruction (including
// block/loop/if/else/end and the function's final end) after it has been
// validated, and end_function() once the body validated completely.
template <class S>
concept FuncSink = requires(S& s, const Instr& ins, uint32_t func_index, const FuncType& type,
                            std::span<const ValType> locals) {
  s.begin_function(func_index, type, locals);  // locals: params then declared locals
  s.instr(ins);
  s.end_function();
};

struct NullSink {
  void begin_function(uint32_t, const FuncType&, std::span<const ValType>) {}
  void instr(const Instr&) {}
  void end_function() {}
};

// Module-level checks: index spaces, limits, constant expressions, exports,
// start function, segments. Does not look at function bodies.
Result<void> validate_module_level(const Module& m, const Features& features = {});

// Validates the body of function func_index (a defined function) and feeds
// the sink. Errors are ErrorCode::Invalid (or Malformed for undecodable
// bytes) with func_index set and the offset of the offending instruction.
template <FuncSink S>
Result<void> validate_function(const Module& m, uint32_t func_index, S& sink,
                               const Features& features = {});

// validate_module_level, then validate_bodies.
Result<void> validate_module(const Module& m, const Features& features = {});

// Every defined function's body, with a NullSink. Big modules are split
// across up to `threads` threads (0: one per CPU; small modules always use
// one): real programs have tens of thousands of functions, and validating
// them all is most of a lazily compiled module's start-up. The result is
// the one a sequential pass gives: the first failing function's error, a
// malformed body anywhere preferred over an invalid one.
Result<void> validate_bodies(const Module& m, const Features& features = {}, unsigned threads = 0);

}  // namespace wgi

#include "decoder/function_validator.h"  // the template's definition
