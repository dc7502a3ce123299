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

// What the compiler emits: code for one or more functions of a module.
// Word indices and pc map entries count from the start of `code`.
struct CodeBuffer {
  std::vector<Word> code;
  std::vector<PcMapEntry> pc_map;
  struct Func {
    uint32_t func_index = 0;
    uint32_t code_begin = 0, code_end = 0;  // range in code
    uint32_t map_begin = 0, map_end = 0;    // range in pc_map
    uint32_t frame_slots = 0;
  };
  std::vector<Func> funcs;  // in the order compiled
  // Compiled for tracing: the sites, numbered in emission order (see
  // CompiledModule::trace_sites).
  std::vector<std::pair<uint32_t, uint32_t>> trace_sites;
  std::vector<CompiledModule::SiteInfo> trace_site_info;
};

// The slots of a function's frame before its operand stack: params, then
// declared locals, then the hidden zero slot (compiler.cc). Known without
// compiling: a lazily compiled function is called with it.
struct FrameLayout {
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;
};
FrameLayout frame_layout(const FuncType& type, std::span<const ValType> declared_locals);

// Compiles function bodies of one CompiledModule into a CodeBuffer, one
// function at a time. It reads only what the module knows before any code
// exists (types, function layouts, the addresses of its CompiledFuncs), so
// a lazy module can compile in any thread while others run. See
// compiler.cc for the operand model (slots, lazy operands, fusion).
class Compiler {
 public:
  Compiler(const CompiledModule& cm, CodeBuffer& out);
  ~Compiler();

  void begin_function(uint32_t func_index, const FuncType& type, std::span<const ValType> locals);
  void instr(const Instr& ins);
  void end_function();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wgi::interp
