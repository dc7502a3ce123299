#include "decoder/messages.h"

namespace wgi::msg {

namespace {

Error invalid(uint64_t offset, std::string msg) {
  return make_error(ErrorCode::Invalid, offset, std::move(msg));
}
Error malformed(uint64_t offset, std::string msg) {
  return make_error(ErrorCode::Malformed, offset, std::move(msg));
}

// Like valtype_name, but also names the validator's pseudo-types.
std::string type_name(ValType t) {
  switch (t) {
    case ValType::Unknown: return "any";
    case ValType::Void: return "nothing";
    default: return valtype_name(t);
  }
}

const char* space_name(Space s) {
  switch (s) {
    case Space::Type: return "type";
    case Space::Func: return "function";
    case Space::Table: return "table";
    case Space::Memory: return "memory";
    case Space::Global: return "global";
    case Space::Local: return "local";
    case Space::Label: return "label";
    case Space::Elem: return "elem segment";
    case Space::Data: return "data segment";
  }
  return "index";
}

std::string num(uint64_t v) { return std::to_string(v); }

Error elem_type(uint64_t offset, std::string_view what, ValType want, ValType got) {
  return invalid(offset, "type mismatch: " + std::string(what) + " needs " + type_name(want) +
                             " elements but has " + type_name(got));
}

}  // namespace

// ---- the reader ----------------------------------------------------------------

Error unexpected_end(uint64_t offset) { return malformed(offset, "unexpected end"); }

Error unexpected_end_of_section(uint64_t offset) {
  return malformed(offset, "unexpected end of section or function");
}

Error integer_too_long(uint64_t offset) { return malformed(offset, "integer representation too long"); }
Error integer_too_large(uint64_t offset) { return malformed(offset, "integer too large"); }
Error length_out_of_bounds(uint64_t offset) { return malformed(offset, "length out of bounds"); }
Error malformed_utf8(uint64_t offset) { return malformed(offset, "malformed UTF-8 encoding"); }

// ---- instructions and value types ------------------------------------------------

Error malformed_value_type(uint64_t offset) { return malformed(offset, "malformed value type"); }
Error malformed_reference_type(uint64_t offset) { return malformed(offset, "malformed reference type"); }
Error zero_byte_expected(uint64_t offset) { return malformed(offset, "zero byte expected"); }
Error illegal_opcode(uint64_t offset) { return malformed(offset, "illegal opcode"); }

Error atomic_needs_threads(uint64_t offset, Op op) {
  return malformed(offset, std::string("illegal opcode: ") + op_name(op) +
                               " requires the threads proposal, which is disabled");
}

// ---- module structure ------------------------------------------------------------

Error module_too_large(uint64_t offset) { return malformed(offset, "module too large (wgi limit: 4 GiB)"); }
Error magic_header(uint64_t offset) { return malformed(offset, "magic header not detected"); }
Error unknown_version(uint64_t offset) { return malformed(offset, "unknown binary version"); }
Error malformed_section_id(uint64_t offset) { return malformed(offset, "malformed section id"); }

Error content_after_last_section(uint64_t offset) {
  return malformed(offset, "unexpected content after last section");
}

Error section_size_mismatch(uint64_t offset) { return malformed(offset, "section size mismatch"); }
Error malformed_func_type(uint64_t offset) { return malformed(offset, "malformed function type"); }
Error malformed_import_kind(uint64_t offset) { return malformed(offset, "malformed import kind"); }
Error malformed_export_kind(uint64_t offset) { return malformed(offset, "malformed export kind"); }
Error malformed_mutability(uint64_t offset) { return malformed(offset, "malformed mutability"); }
Error malformed_elem_kind(uint64_t offset) { return malformed(offset, "malformed element kind"); }

Error malformed_elem_segment_kind(uint64_t offset) {
  return malformed(offset, "malformed elements segment kind");
}

Error malformed_data_segment_kind(uint64_t offset) {
  return malformed(offset, "malformed data segment kind");
}

Error end_opcode_expected(uint64_t offset) { return malformed(offset, "END opcode expected"); }
Error too_many_locals(uint64_t offset) { return malformed(offset, "too many locals"); }

Error function_locals_limit(uint64_t offset, uint64_t limit) {
  return malformed(offset, "too many locals (wgi limit: " + num(limit) + " per function)");
}

Error module_locals_limit(uint64_t offset, uint64_t per_byte) {
  return malformed(offset, "too many locals (wgi limit: " + num(per_byte) + " per byte of module)");
}

Error func_code_lengths(uint64_t offset) {
  return malformed(offset, "function and code section have inconsistent lengths");
}

Error data_count_lengths(uint64_t offset) {
  return malformed(offset, "data count and data section have inconsistent lengths");
}

Error shared_memory_needs_threads(uint64_t offset) {
  return malformed(offset, "integer too large: shared memory requires the threads proposal, which is disabled");
}

// ---- the validator ---------------------------------------------------------------

Error unknown(uint64_t offset, Space space, uint64_t index) {
  return invalid(offset, std::string("unknown ") + space_name(space) + " " + num(index));
}

Error type_mismatch(uint64_t offset, Op op, ValType expected, ValType got) {
  std::string m = "type mismatch: ";
  m += op_name(op);
  m += " expects ";
  m += expected == ValType::Unknown ? std::string("a value") : type_name(expected);
  m += got == ValType::Void ? " but the stack is empty" : " but found " + type_name(got);
  return invalid(offset, std::move(m));
}

Error values_left(uint64_t offset, Op op, size_t count) {
  return invalid(offset, "type mismatch: " + num(count) + " value" + (count == 1 ? "" : "s") +
                             " left on the stack at " + op_name(op));
}

Error select_operands(uint64_t offset, ValType a, ValType b) {
  return invalid(offset, "type mismatch: select needs two operands of one numeric or vector type, found " +
                             type_name(a) + " and " + type_name(b));
}

Error ref_expected(uint64_t offset, Op op, ValType got) {
  return invalid(offset, std::string("type mismatch: ") + op_name(op) +
                             " expects a reference but found " + type_name(got));
}

Error br_table_arity(uint64_t offset, uint32_t label, size_t arity, size_t default_arity) {
  return invalid(offset, "type mismatch: br_table target " + num(label) + " takes " + num(arity) +
                             " values but the default target takes " + num(default_arity));
}

Error if_without_else(uint64_t offset) {
  return invalid(offset, "type mismatch: if without else must have matching parameter and result types");
}

Error table_elem_type(uint64_t offset, Op op, ValType want, ValType got) {
  return elem_type(offset, op_name(op), want, got);
}

Error elem_segment_type(uint64_t offset, ValType want, ValType got) {
  return elem_type(offset, "elem segment's table", want, got);
}

Error const_expr_type(uint64_t offset, ValType expected, size_t count, ValType got) {
  std::string m = "type mismatch: constant expression must produce one " + type_name(expected);
  if (count == 1)
    m += " but produces " + type_name(got);
  else
    m += " but produces " + num(count) + " values";
  return invalid(offset, std::move(m));
}

Error global_immutable(uint64_t offset, uint32_t index) {
  return invalid(offset, "global is immutable: global.set of global " + num(index));
}

Error alignment_too_large(uint64_t offset, Op op, uint32_t align, uint32_t natural) {
  return invalid(offset, std::string("alignment must not be larger than natural: ") + op_name(op) +
                             " has 2^" + num(align) + ", natural is 2^" + num(natural));
}

Error atomic_alignment(uint64_t offset, Op op, uint32_t align, uint32_t natural) {
  return invalid(offset, std::string("atomic alignment must be natural: ") + op_name(op) +
                             " has 2^" + num(align) + ", natural is 2^" + num(natural));
}

Error invalid_lane(uint64_t offset, Op op, uint32_t lane, uint32_t lanes) {
  return invalid(offset, std::string("invalid lane index: ") + op_name(op) + " lane " + num(lane) +
                             " of " + num(lanes));
}

Error undeclared_func_ref(uint64_t offset, uint32_t func) {
  return invalid(offset, "undeclared function reference: function " + num(func) +
                             " is not referenced outside function bodies");
}

Error invalid_result_arity(uint64_t offset, uint32_t count) {
  return invalid(offset, "invalid result arity: select takes exactly one type, got " + num(count));
}

Error data_count_required(uint64_t offset) { return malformed(offset, "data count section required"); }

Error else_without_if(uint64_t offset) {
  return malformed(offset, "END opcode expected: else without a matching if");
}

Error missing_end(uint64_t offset, EndKind kind) {
  switch (kind) {
    case EndKind::AtFileEnd:
      return malformed(offset, "unexpected end of section or function: the last body has no end");
    case EndKind::AtSectionEnd:
      return malformed(offset, "section size mismatch: the code section ends inside a body");
    case EndKind::InBody:
      break;
  }
  return malformed(offset, "END opcode expected: function body ends without end");
}

Error trailing_bytes(uint64_t offset) {
  return malformed(offset, "section size mismatch: bytes after the function's final end");
}

Error constant_required(uint64_t offset, Op op) {
  return invalid(offset, std::string("constant expression required: ") + op_name(op) +
                             " is not a constant instruction");
}

Error mutable_global_in_const(uint64_t offset, uint32_t index) {
  return invalid(offset, "constant expression required: global " + num(index) + " is mutable");
}

Error multiple_memories(uint64_t offset) { return invalid(offset, "multiple memories"); }

Error duplicate_export(uint64_t offset, std::string_view name) {
  return invalid(offset, "duplicate export name \"" + std::string(name) + "\"");
}

Error memory_too_large(uint64_t offset) {
  return invalid(offset, "memory size must be at most 65536 pages (4GiB)");
}

Error limits_min_gt_max(uint64_t offset, uint64_t min, uint64_t max) {
  return invalid(offset, "size minimum must not be greater than maximum: " + num(min) + " > " + num(max));
}

Error shared_memory_needs_max(uint64_t offset) {
  return invalid(offset, "shared memory must have maximum");
}

Error start_function_type(uint64_t offset, uint32_t func) {
  return invalid(offset, "start function " + num(func) + " must have type [] -> []");
}

Error not_a_defined_function(uint32_t func) {
  Error e = invalid(kNoOffset, "unknown function " + num(func) + ": not a defined function");
  e.func_index = func;
  return e;
}

}  // namespace wgi::msg
