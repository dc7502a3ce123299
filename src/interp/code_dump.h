// Reading threaded code back: the instructions of a compiled function as
// the compiler emitted them (IOp, operands, wasm offset), and a text form of
// them, for `wgi dump --compiled` and for tests that assert what the
// compiler's fusions produced (tests/interp/compiler_test.cc).
//
// Nothing here is a second list of instructions: an instruction's IOp comes
// from its handler address (handler_table() read backwards), its name from
// iop_name(), and its extent from the function's pc map, which has an entry
// for every emitted instruction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interp/code.h"

namespace wgi::interp {

// One emitted instruction (layout in code.h).
struct CodeInstr {
  IOp op = kNoIOp;
  uint32_t word = 0;         // its handler word, counted from the function's entry
  uint32_t size = 0;         // in words, handler word included
  uint32_t wasm_offset = 0;  // absolute byte offset of the Wasm instruction it came from
  // The 32-bit operand fields a0, a1, ... in order. The compiler does not
  // record how many an instruction uses, so an odd count ends with the
  // unused (zero) half of its last word.
  std::vector<int32_t> fields;
  // The whole-word immediates after the fields (w2, w3 in iops.def).
  std::vector<uint64_t> imms;
  // `call` only: the callee's function index (word 1 holds its
  // CompiledFunc*; the fields follow it, starting at a2).
  std::optional<uint32_t> callee;
};

// The instruction whose handler is at `handler`; kNoIOp for an address that
// is no handler.
IOp iop_at_handler(const void* handler);

// The instructions of `f`, a function of `cm`, in order (compiling it
// first if it is a lazy module's function not compiled yet).
std::vector<CodeInstr> decode_function(const CompiledModule& cm, const CompiledFunc& f);

// One line, without the newline:
//     "     4  i32.lt_s.br_if.imm  1 -4 imm=10  @0x4a"
// word offset from the function's first word (branch offsets are relative to
// the branch's own word, so its target is word + offset), name, fields as
// signed integers, immediates (integers for i32/i64 operands, else hex),
// absolute wasm offset.
std::string format_code_instr(const CodeInstr& ins);

// A header line naming the function and its frame, then one line per
// instruction (format_code_instr).
std::string format_compiled_function(const CompiledModule& cm, const CompiledFunc& f);

}  // namespace wgi::interp
