// Threaded code: the instruction stream the interpreter executes, and the
// compiled module that owns it.
//
// ---- Instruction layout ----------------------------------------------------
// An instruction is a run of 8-byte Words:
//
//     word 0   handler address (direct threading: dispatch is `goto *pc->h`)
//     word 1   32-bit operands a0 (low half) and a1 (high half)
//     word 2   a2, a3            ... as many as the instruction needs
//     then     64-bit immediates, each in a whole word (w2, w3 in iops.def
//              mean "the word after the 32-bit operands")
//
// Operands are mostly frame slot indices: the compiler assigns every local
// and every operand-stack position a fixed slot of the current frame, so a
// handler reads `fp[a1]`, `fp[a2]` and writes `fp[a0]` (register style);
// nothing is pushed or popped at run time. Branch targets are word offsets
// relative to the branch instruction's first word, so code is position
// independent while it is being built.
//
// ---- Frames ----------------------------------------------------------------
//     fp[0 .. params)            arguments (written by the caller)
//     fp[params .. locals)       declared locals (zeroed by the call)
//     fp[locals .. frame_slots)  operand-stack slots
// A call passes its arguments in the caller's topmost operand slots, which
// become the callee's fp[0..]: no copying. Results come back in the same
// place (the callee's fp[0..results)).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "decoder/decoder.h"
#include "decoder/module.h"
#include "interp/value.h"
#include "interp/variants.h"
#include "util/result.h"

namespace wgi::interp {

// Every interpreter instruction: the hand-written ones (iops.def), then each
// operation of opcodes.def in each variant of its family (gen_ops.h,
// variants.def), named Name_Sfx.
enum class IOp : uint16_t {
#define WGI_IOP(Name, text) Name,
#include "interp/iops.def"
#define WGI_GEN_VARIANT(Sfx, Name) Name##_##Sfx,
#include "interp/gen_ops.h"
  Count_
};
inline constexpr unsigned kIOpCount = static_cast<unsigned>(IOp::Count_);
// No instruction (e.g. no variant of an op for the asked form).
inline constexpr IOp kNoIOp = IOp::Count_;

// What an instruction is: hand-written, or an operation in a variant.
struct IOpInfo {
  bool generated;
  Op op;            // generated only
  Variant variant;  // generated only
};
const IOpInfo& iop_info(IOp op);

// "br_if", "i32.load.addimm.shared", "i32.lt_s.br_if.imm".
const char* iop_name(IOp op);

// The instruction for `op` in the variant of its family that has operand
// form `form`, serves a memory 0 that is (or is not) shared, and records
// (or not) for tracing; kNoIOp when its family has no such variant (e.g. no
// address fusion for SIMD loads, no immediate form for a unary op).
IOp select_iop(Op op, Form form, bool shared, bool traced);

union Word {
  const void* h;
  uint64_t u64;
  int32_t i32[2];
  uint32_t u32[2];
  const void* ptr;
};
static_assert(sizeof(Word) == 8);

// The handler address of every IOp, from the interpreter loop (exec.cc).
const void* const* handler_table();

struct CompiledFunc {
  const Word* entry = nullptr;
  uint32_t func_index = 0;
  uint32_t type_id = 0;
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;   // params + declared locals
  uint32_t frame_slots = 0;   // locals + deepest operand stack
  uint32_t result_slots = 0;
  uint32_t code_begin = 0;    // word range in CompiledModule::code
  uint32_t code_end = 0;
  uint32_t map_begin = 0;     // range in CompiledModule::pc_map
  uint32_t map_end = 0;
};

struct CompiledModule {
  std::shared_ptr<const Module> module;
  Features features;
  std::vector<uint32_t> type_ids;  // canonical id of each type index
  std::vector<CompiledFunc> funcs; // defined functions (index - num_imported_funcs)
  std::vector<Word> code;          // all functions' threaded code
  // (word offset in `code`, absolute wasm byte offset) for each emitted
  // instruction, ascending: maps a pc back to the binary for trap reports.
  std::vector<std::pair<uint32_t, uint32_t>> pc_map;

  // Compiled for tracing: memory accesses and host calls record events
  // (trace/recorder.h) and carry a site, an index into trace_sites:
  // (function index, index of the instruction in the function's body,
  // counting every instruction of the binary from 0).
  bool traced = false;
  std::vector<std::pair<uint32_t, uint32_t>> trace_sites;
  // Per site, for reports that point at one (the race checker): the
  // instruction's absolute wasm byte offset, and the width of its memory
  // access (0: none, or a range known only when it runs: bulk operations).
  struct SiteInfo {
    uint32_t offset = 0;
    uint32_t bytes = 0;
  };
  std::vector<SiteInfo> trace_site_info;

  const CompiledFunc& func(uint32_t func_index) const {
    return funcs[func_index - module->num_imported_funcs];
  }
  // The defined function containing pc, or null.
  const CompiledFunc* func_at(const Word* pc) const;
  // The wasm offset of the instruction containing pc (0 if unknown).
  uint32_t wasm_offset_at(const Word* pc) const;
};

struct CompileOptions {
  // Emit the traced variants of memory accesses and host calls.
  // A separate compilation, so untraced code pays nothing for tracing.
  bool trace = false;
};

// Decode, validate and compile: the one way to make a CompiledModule.
Result<std::shared_ptr<const CompiledModule>> load_module(std::vector<uint8_t> bytes,
                                                          const Features& features = {},
                                                          const CompileOptions& options = {});
// Validate and compile an already decoded module.
Result<std::shared_ptr<const CompiledModule>> compile_module(std::shared_ptr<const Module> module,
                                                             const Features& features = {},
                                                             const CompileOptions& options = {});

}  // namespace wgi::interp
