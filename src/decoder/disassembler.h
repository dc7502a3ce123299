// The disassembler: a FuncSink that prints each validated instruction.
//
// Instruction names and the shape of their immediates come from the opcode
// table (op_info(op).name and .imm), never from a list of its own: adding a
// row to opcodes.def is enough for it to disassemble. It runs behind
// validate_function, so it only ever sees validated instructions and indices
// it prints are known to be in range.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "decoder/instr.h"
#include "decoder/module.h"
#include "decoder/validator.h"
#include "util/result.h"

namespace wgi {

class Disassembler {
 public:
  // Appends to *out. The module supplies function names for calls.
  Disassembler(const Module& module, std::string* out) : m_(module), out_(out) {}

  void begin_function(uint32_t func_index, const FuncType& type, std::span<const ValType> locals);
  void instr(const Instr& ins);
  void end_function();

 private:
  const Module& m_;
  std::string* out_;
  uint32_t depth_ = 0;  // open blocks, for indentation
};
static_assert(FuncSink<Disassembler>);

// One instruction's text (name and immediates, no offset): "i32.load offset=8".
std::string format_instr(const Module& m, const Instr& ins);
// A constant expression: "i32.const 42", "global.get 0 i32.const 1 i32.add".
std::string format_const_expr(const Module& m, const ConstExpr& e);

// Validates function func_index (a defined function; the module-level checks
// must have passed) and appends its disassembly to *out. On a validation
// error, *out holds the instructions up to the offending one.
Result<void> disassemble_function(const Module& m, uint32_t func_index, std::string* out,
                                  const Features& features);

}  // namespace wgi
