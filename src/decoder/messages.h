// Every error the decoder layer reports, built in one place: the reader
// (integers, names), the instruction reader, the module decoder and the
// validator. The code that finds a problem names it; the words are here.
//
// Each message starts with the spec testsuite's wording ("unexpected end",
// "type mismatch", "unknown local 3", ...), because the spec runner compares
// message prefixes with the suite's; anything after that is detail for
// humans. Offsets are absolute file offsets. Nothing here runs unless
// decoding or validation fails, so these may allocate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decoder/opcodes.h"
#include "decoder/types.h"
#include "util/result.h"

namespace wgi::msg {

// ---- the reader (Malformed) --------------------------------------------------
// The input ran out. A reader limited to a section (Reader::section) uses
// the spec's words for that end, "unexpected end of section or function";
// the others (the module's framing, a function body as the validator reads
// it) say "unexpected end".
Error unexpected_end(uint64_t offset);
Error unexpected_end_of_section(uint64_t offset);
// A LEB128 integer longer than its type allows, or whose last byte carries
// bits beyond the type's width.
Error integer_too_long(uint64_t offset);
Error integer_too_large(uint64_t offset);
Error length_out_of_bounds(uint64_t offset);
Error malformed_utf8(uint64_t offset);

// ---- instructions and value types (Malformed) ----------------------------------
Error malformed_value_type(uint64_t offset);
Error malformed_reference_type(uint64_t offset);
Error zero_byte_expected(uint64_t offset);
Error illegal_opcode(uint64_t offset);
// An atomic instruction while the threads proposal is off: the spec's
// "illegal opcode", plus the reason.
Error atomic_needs_threads(uint64_t offset, Op op);

// ---- module structure (Malformed) ----------------------------------------------
Error module_too_large(uint64_t offset);
Error magic_header(uint64_t offset);
Error unknown_version(uint64_t offset);
Error malformed_section_id(uint64_t offset);
// A repeated or out-of-order section: the module should have ended.
Error content_after_last_section(uint64_t offset);
Error section_size_mismatch(uint64_t offset);
Error malformed_func_type(uint64_t offset);
Error malformed_import_kind(uint64_t offset);
Error malformed_export_kind(uint64_t offset);
Error malformed_mutability(uint64_t offset);
Error malformed_elem_kind(uint64_t offset);
Error malformed_elem_segment_kind(uint64_t offset);
Error malformed_data_segment_kind(uint64_t offset);
// An `else` outside any block of a constant expression.
Error end_opcode_expected(uint64_t offset);
// The declared locals of one function overflow u32.
Error too_many_locals(uint64_t offset);
// wgi's own limits on declared locals (decoder.cc says why they exist).
Error function_locals_limit(uint64_t offset, uint64_t limit);
Error module_locals_limit(uint64_t offset, uint64_t per_byte);
Error func_code_lengths(uint64_t offset);
Error data_count_lengths(uint64_t offset);
// The shared flag in memory limits while the threads proposal is off: the
// spec's "integer too large" (Wasm 2.0 reads the flags as a one-bit
// integer), plus the reason.
Error shared_memory_needs_threads(uint64_t offset);

// ---- the validator ---------------------------------------------------------------

// What an index refers to, for "unknown <kind> <index>".
enum class Space : uint8_t { Type, Func, Table, Memory, Global, Local, Label, Elem, Data };

Error unknown(uint64_t offset, Space space, uint64_t index);

// -- operand typing ("type mismatch ...")
// `op` expected `expected` on top of the stack; got == Void means the stack
// (of the current block) was empty.
Error type_mismatch(uint64_t offset, Op op, ValType expected, ValType got);
// `op` (an end/else/return/branch) found `count` more values than it consumes.
Error values_left(uint64_t offset, Op op, size_t count);
// select's operands must be numeric or vector types of one type.
Error select_operands(uint64_t offset, ValType a, ValType b);
// ref.is_null needs a reference operand.
Error ref_expected(uint64_t offset, Op op, ValType got);
// br_table targets must all have the default target's arity.
Error br_table_arity(uint64_t offset, uint32_t label, size_t arity, size_t default_arity);
// An `if` without `else` must produce what it consumes.
Error if_without_else(uint64_t offset);
// call_indirect / table.init / table.copy: the tables' (and segment's)
// element types do not fit.
Error table_elem_type(uint64_t offset, Op op, ValType want, ValType got);
// An active element segment of type `want` for a table of `got` elements.
Error elem_segment_type(uint64_t offset, ValType want, ValType got);
// A constant expression leaves the wrong values.
Error const_expr_type(uint64_t offset, ValType expected, size_t count, ValType got);

// -- other instruction rules
Error global_immutable(uint64_t offset, uint32_t index);
Error alignment_too_large(uint64_t offset, Op op, uint32_t align, uint32_t natural);
Error atomic_alignment(uint64_t offset, Op op, uint32_t align, uint32_t natural);
Error invalid_lane(uint64_t offset, Op op, uint32_t lane, uint32_t lanes);
Error undeclared_func_ref(uint64_t offset, uint32_t func);
Error invalid_result_arity(uint64_t offset, uint32_t count);
// Malformed (binary format): memory.init / data.drop without a data count section.
Error data_count_required(uint64_t offset);
// Malformed: `else` that does not belong to an `if`.
Error else_without_if(uint64_t offset);
// Malformed: the body's bytes ran out before its final `end`. The kind picks
// the wording the testsuite uses for where that happened.
enum class EndKind : uint8_t {
  InBody,        // more bodies follow in the code section
  AtSectionEnd,  // the last body; more sections follow
  AtFileEnd,     // the last body of the last section
};
Error missing_end(uint64_t offset, EndKind kind);
// Malformed: bytes after the final `end` of a body.
Error trailing_bytes(uint64_t offset);

// -- module level
Error constant_required(uint64_t offset, Op op);
Error mutable_global_in_const(uint64_t offset, uint32_t index);
Error multiple_memories(uint64_t offset);
Error duplicate_export(uint64_t offset, std::string_view name);
Error memory_too_large(uint64_t offset);
Error limits_min_gt_max(uint64_t offset, uint64_t min, uint64_t max);
Error shared_memory_needs_max(uint64_t offset);
Error start_function_type(uint64_t offset, uint32_t func);
Error not_a_defined_function(uint32_t func);

}  // namespace wgi::msg
