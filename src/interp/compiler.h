// The compiler from validated Wasm to threaded code: a FuncSink (validator.h)
// that sees each instruction once, right after the validator accepted it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "decoder/instr.h"
#include "decoder/module.h"
#include "interp/code.h"

namespace wgi::interp {

// Compiles the bodies of one CompiledModule, one function at a time. See
// compiler.cc for the operand model (slots, lazy operands, fusion).
class Compiler {
 public:
  explicit Compiler(CompiledModule& cm);
  ~Compiler();

  void begin_function(uint32_t func_index, const FuncType& type, std::span<const ValType> locals);
  void instr(const Instr& ins);
  void end_function();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wgi::interp
