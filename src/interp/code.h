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

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
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

// Where a wasm instruction's threaded code starts: its first word, counted
// from the function's entry, and its absolute wasm byte offset.
struct PcMapEntry {
  uint32_t word = 0;
  uint32_t wasm_offset = 0;
};

// One defined function. Its layout (slots) is known before its code: a
// lazily compiled function (CompileOptions::lazy) starts with `entry`
// pointing at `stub`, one LazyCompile instruction that compiles it at its
// first call (ensure_compiled) and publishes the code by storing `entry`
// (release; readers load it with acquire, then frame_slots). The fields
// that compilation sets are mutable: a CompiledModule is shared, const,
// by every instance and thread, and filling in its code at run time does
// not change what it means.
struct CompiledFunc {
  // Read by every call.
  mutable std::atomic<const Word*> entry{nullptr};
  // locals + deepest operand stack; until compiled, local_slots (enough for
  // the caller's check before it zeroes the locals; the stub checks again).
  mutable std::atomic<uint32_t> frame_slots{0};
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;   // params + declared locals + the hidden zero slot
  uint32_t result_slots = 0;
  uint32_t func_index = 0;
  uint32_t type_id = 0;
  // Set when compiled, before `entry` is published: the code is
  // [code, code + code_words), pc_map its instructions in ascending order.
  mutable const Word* code = nullptr;
  mutable uint32_t code_words = 0;
  mutable uint32_t pc_map_size = 0;
  mutable const PcMapEntry* pc_map = nullptr;
  // The LazyCompile instruction: handler, this function.
  Word stub[2] = {};

  const Word* loaded_entry() const { return entry.load(std::memory_order_acquire); }
  uint32_t loaded_frame_slots() const { return frame_slots.load(std::memory_order_relaxed); }
  bool compiled() const { return loaded_entry() != stub; }
};

struct CompiledModule {
  std::shared_ptr<const Module> module;
  Features features;
  std::vector<uint32_t> type_ids;  // canonical id of each type index
  // Defined functions (index - num_imported_funcs). Sized once; the
  // elements never move (code points at them).
  std::vector<CompiledFunc> funcs;

  // Compiled for tracing: memory accesses and host calls record events
  // (trace/recorder.h) and carry a site, an index into trace_sites:
  // (function index, index of the instruction in the function's body,
  // counting every instruction of the binary from 0). Traced modules are
  // always compiled eagerly, so these tables are complete and fixed.
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

  // Functions are compiled at their first call (CompileOptions::lazy).
  bool lazy = false;

  const CompiledFunc& func(uint32_t func_index) const {
    return funcs[func_index - module->num_imported_funcs];
  }
  // The defined function whose code contains pc, or null (also for code
  // not compiled yet: no pc can point into it).
  const CompiledFunc* func_at(const Word* pc) const;
  // The wasm offset of the instruction containing pc (0 if unknown).
  uint32_t wasm_offset_at(const Word* pc) const;
  // Compiles f now if it is not compiled yet (lazy modules; any thread,
  // concurrently: one compilation wins) and returns its entry.
  const Word* ensure_compiled(const CompiledFunc& f) const;

  // Eager: all functions' code and pc maps, in function order.
  std::vector<Word> code;
  std::vector<PcMapEntry> pc_map;

 private:
  // Lazy: each compiled function's code and pc map in blocks of their own,
  // and an index from a block's first word to its function, for func_at.
  struct LazyBlock {
    std::unique_ptr<Word[]> code;
    std::unique_ptr<PcMapEntry[]> pc_map;
  };
  mutable std::mutex lazy_mutex_;
  mutable std::vector<LazyBlock> lazy_blocks_;
  mutable std::map<const Word*, const CompiledFunc*> lazy_index_;
};

struct CompileOptions {
  // Emit the traced variants of memory accesses and host calls.
  // A separate compilation, so untraced code pays nothing for tracing.
  bool trace = false;
  // Validate every function now but compile each at its first call: a big
  // module starts at once, and code never called is never compiled.
  // Ignored when tracing (trace sites are numbered in one pass).
  bool lazy = false;
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
