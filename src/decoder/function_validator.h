// The one-pass function-body validator (included at the end of validator.h).
//
// FunctionValidator is the non-template core: the spec's operand stack and
// control stack, and the typing rule of every instruction. It lives in
// validator.cc. The template validate_function only drives it:
//
//     read_instr(_fast)  ->  FunctionValidator::validate  ->  sink.instr
//
// so each sink gets its own tiny loop and nothing of the typing rules is
// instantiated per sink. The validator's stacks are the spec's, and nothing
// else: a compiler keeps its own slot bookkeeping in its sink. A compiler's
// slots follow its own choices (registers, fused ops) rather than the
// operand stack, and a typing check that leaned on them would drift from the
// spec whenever the compiler changed; every sink sees the same validation.
//
// A FunctionValidator can be reused for many functions of one module; its
// stacks keep their capacity, so after the first few functions validation
// does not allocate at all.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "decoder/instr.h"
#include "decoder/instr_reader.h"
#include "decoder/module.h"
#include "decoder/reader.h"
#include "decoder/validator.h"
#include "util/result.h"

namespace wgi {

class FunctionValidator {
 public:
  FunctionValidator(const Module& m, const Features& features);

  // Starts validating func_index (a defined function): checks its type,
  // collects its locals (params, then declared locals) and opens the
  // function's control frame.
  Result<void> begin(uint32_t func_index);

  const FuncType& func_type() const { return *type_; }
  std::span<const ValType> locals() const { return locals_; }
  const Features& features() const { return features_; }
  // The body's instruction bytes: [code_offset, end_offset).
  Reader body_reader() const;
  // Storage for br_table targets, handed to read_instr.
  std::vector<uint32_t>& scratch() { return scratch_; }

  // Validates one decoded instruction against the stacks and fills the
  // fields the validator owns. Returns false on the first error;
  // take_error() then hands it out.
  //  - Instr::type: for drop and untyped select, the operand's type (Unknown
  //    when it came off a polymorphic stack); typed select keeps its
  //    immediate type.
  //  - Instr::unreachable: the instruction can never run: it follows
  //    br/br_table/return/unreachable in its block, or sits in a block that
  //    was itself opened in dead code. `else` and `end` are marked only in
  //    the latter case, since they end a dead region rather than extend it.
  bool validate(Instr& ins);

  // True once the function's final `end` has been validated.
  bool done() const { return ctrls_.empty(); }

  Error take_error() { return std::move(error_); }
  // Errors found by the driver, tagged with the current function.
  Error missing_end(size_t at) const;
  Error trailing_bytes(size_t at) const;
  Error in_function(Error e) const {
    e.func_index = func_index_;
    return e;
  }

  // The spec decodes a whole module before validating it, so a malformed
  // body wins over an invalid instruction that precedes it. Decoding and
  // validation are fused here; on a validation error these finish the
  // decoding (binary-format checks only, no typing) and return the first
  // Malformed error they meet, else `e` unchanged. Error paths only.
  //
  // prefer_malformed: the rest of the current body, after `failed` (the
  // instruction that did not validate), read from `rest`.
  Error prefer_malformed(Error e, const Instr& failed, Reader rest);
  // prefer_malformed_bodies: every defined function's body (validate_module
  // uses it for module-level errors too; a loader that drives its own sinks
  // should do the same).
  Error prefer_malformed_bodies(Error e);

 private:
  // One entry of the control stack. The type spans point into the module's
  // type section or into static storage, never into this object, so they
  // stay valid while the stacks grow and after a frame is popped.
  struct Frame {
    Op op;                    // Block, Loop, If, Else; Nop for the function
    bool unreachable;         // the rest of this block is stack-polymorphic
    bool dead;                // opened inside dead code: never executes
    uint32_t height;          // operand stack height at entry
    std::span<const ValType> params;
    std::span<const ValType> results;
    std::span<const ValType> labels() const { return op == Op::Loop ? params : results; }
  };

  bool fail(Error e);

  void push(ValType t) { vals_.push_back(t); }
  void push(std::span<const ValType> ts) { vals_.insert(vals_.end(), ts.begin(), ts.end()); }
  // Pops one operand of type `expect` (Unknown on an empty polymorphic stack).
  bool pop(const Instr& ins, ValType expect);
  // Pops one operand of any type into `out` (Unknown when there is none).
  bool pop_any(const Instr& ins, ValType& out);
  bool pop(const Instr& ins, std::span<const ValType> ts);
  // Checks that the stack ends with `ts` without popping (br_table).
  bool check_top(const Instr& ins, std::span<const ValType> ts);
  void push_frame(Op op, std::span<const ValType> params, std::span<const ValType> results);
  // Pops the current frame's results and requires nothing else above it.
  bool pop_frame(const Instr& ins, Frame& out);
  void set_unreachable();

  bool block_type(const Instr& ins, std::span<const ValType>& params,
                  std::span<const ValType>& results);
  // The frame branch depth `depth` targets, or nullptr once the error is reported.
  const Frame* label(const Instr& ins, uint32_t depth);
  bool immediates(const Instr& ins, const OpInfo& info);
  bool memarg(const Instr& ins, const OpInfo& info);
  bool special(Instr& ins);
  // Decodes the rest of a body, tracking only block structure in kinds_.
  Result<void> scan(Reader& r);
  bool data_count_missing() const { return !m_.data_count && !m_.datas.empty(); }

  const Module& m_;
  Features features_;
  uint32_t func_index_ = kNoFunc;
  const FuncType* type_ = nullptr;
  std::vector<ValType> locals_;
  std::vector<ValType> vals_;
  std::vector<Frame> ctrls_;
  std::vector<uint32_t> scratch_;
  std::vector<Op> kinds_;  // scan(): the open blocks' opcodes
  Error error_;
};

// Validates one body with a FunctionValidator the caller keeps, so its stacks
// are reused across functions (validate_module does this).
template <FuncSink S>
Result<void> validate_function(FunctionValidator& v, uint32_t func_index, S& sink) {
  WGI_TRY(v.begin(func_index));
  sink.begin_function(func_index, v.func_type(), v.locals());
  Reader r = v.body_reader();
  Instr ins;
  while (!v.done()) {
    if (r.at_end()) return v.missing_end(r.pos());
    if (!read_instr_fast(r, ins)) {
      Result<void> read = read_instr(r, ins, v.scratch(), v.features());
      if (!read.ok()) return v.in_function(std::move(read).error());
    }
    if (!v.validate(ins)) return v.prefer_malformed(v.take_error(), ins, r);
    sink.instr(ins);
  }
  if (!r.at_end()) return v.trailing_bytes(r.pos());
  sink.end_function();
  return {};
}

template <FuncSink S>
Result<void> validate_function(const Module& m, uint32_t func_index, S& sink,
                               const Features& features) {
  FunctionValidator v(m, features);
  return validate_function(v, func_index, sink);
}

}  // namespace wgi
