// Compiling validated Wasm into register-style threaded code.
//
// ---- Operand model -----------------------------------------------------------
// The compiler mirrors the Wasm operand stack with `Opnd`s. Each stack
// position has a *canonical* frame slot (locals come first, then one slot per
// stack position, two for v128), so a value computed by an instruction is
// written straight to the slot of the position it will occupy. But an operand
// need not be *in* its canonical slot yet:
//   Stack  it is in its canonical slot;
//   Local  it is the current value of a local (from local.get): consumers
//          read the local's slot directly, no copy is made;
//   Const  it is a constant (from *.const / ref.null): consumers with an
//          immediate form take it as an immediate; 0 is read from the
//          function's hidden zero slot (a local nobody writes); other
//          constants are written to the canonical slot when needed.
// A lazy (Local/Const) operand is *materialized* (copied to its canonical
// slot) when its value could change or its position matters:
//   - before local.set/tee of the local it refers to;
//   - at block/loop/if entry (all of them), so code inside a block never sees
//     a lazy operand that another path into the block would not have set up;
//   - when it is a call argument, or a value carried by a branch.
//
// ---- Fusion -------------------------------------------------------------------
//   - `op ...; local.set x` / `local.tee x`: the producing instruction's
//     destination is patched to x's slot (no copy), unless another lazy
//     operand still refers to x.
//   - scalar binary ops with a constant second operand use their `.imm`
//     variant; with a constant first operand too when the op is commutative
//     or a comparison (its relation swapped: `5 < x` is `x > 5`).
//   - an integer comparison (or eqz, as `== 0`) followed by br_if / if is
//     rewritten into one compare-and-branch instruction (`if` branches on
//     the negated relation, which is why float comparisons are not fused).
//   - an i32.add emitted right before a load or store becomes part of its
//     address (`.addimm`, `.add`), except when compiling for tracing; a
//     constant address is folded into the static offset.
// tests/interp/compiler_test.cc asserts each rule's instruction sequence;
// `wgi dump --compiled` prints the code (interp/code_dump.h).
//
// ---- Control flow ---------------------------------------------------------------
// Blocks leave their results in the canonical slots of the block's base; a
// branch copies the carried values there (copies go upward in the frame and
// never clobber a source: every source sits at or above its destination).
// Forward branches are patched at `end`. A br_if that must move values is
// compiled as "branch around: move, br". Backward branches (to a loop) use
// the loop handler variants (`.loop`), which check for interrupts.
#include "interp/compiler.h"

#include <algorithm>
#include <cassert>

#include "interp/runtime.h"

namespace wgi::interp {

namespace {

// ---- Fusion rules over opcodes.def's facts ----------------------------------
// An integer comparison fuses with the conditional branch that consumes it.
// Floats do not: with a NaN operand `a < b` and `a >= b` are both false, so
// `if` (which branches on the negation) could not use the negated form.
constexpr bool is_relation(OpKind k) { return k >= OpKind::Eq && k <= OpKind::Ge; }
constexpr bool is_scalar(Op op) { return !(op_info(op).flags & (Simd | Atomic)); }
constexpr bool is_int_compare(Op op) {
  const OpInfo& i = op_info(op);
  return is_scalar(op) && is_relation(i.kind) && (i.sig == Sig::ii_i || i.sig == Sig::ll_i);
}

constexpr OpKind negated(OpKind k) {
  switch (k) {
    case OpKind::Eq: return OpKind::Ne;
    case OpKind::Ne: return OpKind::Eq;
    case OpKind::LtS: return OpKind::GeS;
    case OpKind::LtU: return OpKind::GeU;
    case OpKind::GtS: return OpKind::LeS;
    case OpKind::GtU: return OpKind::LeU;
    case OpKind::LeS: return OpKind::GtS;
    case OpKind::LeU: return OpKind::GtU;
    case OpKind::GeS: return OpKind::LtS;
    case OpKind::GeU: return OpKind::LtU;
    default: return OpKind::None;  // floats: no negation (above)
  }
}
// The relation with its operands exchanged: a < b is b > a.
constexpr OpKind swapped(OpKind k) {
  switch (k) {
    case OpKind::LtS: return OpKind::GtS;
    case OpKind::LtU: return OpKind::GtU;
    case OpKind::GtS: return OpKind::LtS;
    case OpKind::GtU: return OpKind::LtU;
    case OpKind::LeS: return OpKind::GeS;
    case OpKind::LeU: return OpKind::GeU;
    case OpKind::GeS: return OpKind::LeS;
    case OpKind::GeU: return OpKind::LeU;
    case OpKind::Lt: return OpKind::Gt;
    case OpKind::Gt: return OpKind::Lt;
    case OpKind::Le: return OpKind::Ge;
    case OpKind::Ge: return OpKind::Le;
    default: return k;  // Eq, Ne
  }
}

// For every comparison, the comparison of the same operand type with the
// negated / the swapped relation; Op::Nop where there is none.
struct Relations {
  Op neg[kOpCount];
  Op swap[kOpCount];
};
constexpr Op with_relation(Op op, OpKind k) {
  const OpInfo& a = op_info(op);
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& b = kOpInfo[i];
    if (b.kind == k && b.prefix == a.prefix && b.sig == a.sig) return static_cast<Op>(i);
  }
  return Op::Nop;
}
constexpr Relations build_relations() {
  Relations r{};
  for (unsigned i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const OpKind k = op_info(op).kind;
    r.neg[i] = r.swap[i] = Op::Nop;
    if (!is_scalar(op) || !is_relation(k)) continue;
    if (is_int_compare(op)) r.neg[i] = with_relation(op, negated(k));
    r.swap[i] = with_relation(op, swapped(k));
  }
  return r;
}
constexpr Relations kRelations = build_relations();
static_assert(kRelations.neg[static_cast<unsigned>(Op::I32LtS)] == Op::I32GeS &&
              kRelations.swap[static_cast<unsigned>(Op::I64LeU)] == Op::I64GeU &&
              kRelations.swap[static_cast<unsigned>(Op::F64Lt)] == Op::F64Gt &&
              kRelations.neg[static_cast<unsigned>(Op::F32Eq)] == Op::Nop);

inline unsigned ix(Op op) { return static_cast<unsigned>(op); }

// Fuses with br_if / if.
bool fuses_with_branch(Op op) { return is_int_compare(op); }
// The op computing the same as `op` with its operands exchanged (op itself
// when commutative), or Op::Nop.
Op operands_swapped(Op op) { return (op_info(op).flags & Comm) ? op : kRelations.swap[ix(op)]; }

uint32_t slots_of(std::span<const ValType> ts) {
  uint32_t n = 0;
  for (ValType t : ts) n += slot_count(t);
  return n;
}

}  // namespace

struct Compiler::Impl {
  struct Opnd {
    enum Kind : uint8_t { Stack, Local, Const };
    Kind kind = Stack;
    ValType type = ValType::I32;
    uint32_t canon = 0;  // canonical slot
    uint32_t src = 0;    // Local: the local's slot
    uint64_t lo = 0, hi = 0;  // Const
  };

  struct Fixup {
    uint32_t instr;  // word index of the branch instruction
    uint32_t field;  // int32 field index (word * 2 + half) holding the offset
  };

  struct Ctrl {
    Op op = Op::Block;         // Block, Loop, If, or Nop for the function body
    bool dead = false;         // entered in unreachable code: nothing emitted
    uint32_t stack_size = 0;   // operand count below the block's params
    uint32_t slot_base = 0;    // canonical slot of the first param/result
    std::span<const ValType> params, results;
    uint32_t loop_start = 0;   // Loop: word index of the head
    std::vector<Fixup> fixups; // forward branches to the end
    bool has_else_fixup = false;
    Fixup else_fixup{};        // If: the "condition false" branch
  };

  // A condition for a conditional branch: a compare of two slots, of a slot
  // and an immediate, or a plain i32 slot tested against zero.
  struct Cond {
    enum Kind : uint8_t { Nez, Cmp, CmpImm } kind = Nez;
    Op cmp = Op::Nop;
    uint32_t a = 0, b = 0;
    uint64_t imm = 0;
  };

  const CompiledModule& cm;
  CodeBuffer& out;
  const Module& m;
  const void* const* handlers;

  // per function
  CodeBuffer::Func* fn = nullptr;
  std::vector<uint32_t> local_slot;
  std::vector<ValType> local_type;
  uint32_t zero_slot = 0;
  // Memory 0 is shared: plain accesses use the race-safe handler variants.
  bool shared_memory = false;
  // Compiling for tracing (CompiledModule::traced).
  bool tracing = false;
  uint32_t instr_index = 0;  // of the instruction being compiled, within the body
  uint32_t next_instr_index = 0;
  uint32_t slot_top = 0, max_slots = 0;
  std::vector<Opnd> stack;
  std::vector<Ctrl> ctrls;
  bool dead = false;
  uint32_t cur_offset = 0;  // wasm offset of the instruction being compiled
  Op cur_op = Op::Unreachable;  // and its operation
  uint32_t last_start = UINT32_MAX;
  unsigned nargs32 = 0;

  // What the last emitted instruction offers the next one for fusion. Valid
  // only while that instruction is the last one emitted: begin() and every
  // label reset it (reset_fusion), so no rule has to remember to.
  struct Fusion {
    // It produced the stack top (at stack index producer_pos) through its
    // destination field: local.set / local.tee retarget it.
    int64_t producer_field = -1;
    size_t producer_pos = 0;
    // It is a comparison producing the stack top: br_if / if take it over.
    bool has_cmp = false;
    Cond cmp;
    uint32_t cmp_start = 0;
    size_t cmp_pos = 0;
    // It is an i32.add producing the stack top (an address candidate): a
    // load or store folds it into its address.
    bool has_add = false;
    Cond add;  // kind Cmp: a + b slots; CmpImm: a + imm
    uint32_t add_start = 0;
    size_t add_pos = 0;
  };
  Fusion fusion;
  void reset_fusion() { fusion = Fusion{}; }

  Impl(const CompiledModule& c, CodeBuffer& o) : cm(c), out(o), m(*c.module), handlers(handler_table()) {
    shared_memory = !m.memories.empty() && m.memories[0].limits.shared;
    tracing = c.traced;
  }

  // A new trace site for the instruction being compiled.
  uint32_t site() {
    out.trace_sites.emplace_back(fn->func_index, instr_index);
    const OpInfo& info = op_info(cur_op);
    const bool access = info.imm == ImmKind::Memarg || info.imm == ImmKind::MemargLane;
    out.trace_site_info.push_back({cur_offset, access ? info.bytes : 0u});
    return static_cast<uint32_t>(out.trace_sites.size() - 1);
  }

  // ------------------------------------------------------------ emission
  std::vector<Word>& code() { return out.code; }
  uint32_t here() const { return static_cast<uint32_t>(out.code.size()); }

  void begin(IOp op) {
    assert(op != kNoIOp && "no handler variant for this operand form");
    last_start = here();
    Word w;
    w.h = handlers[static_cast<unsigned>(op)];
    out.code.push_back(w);
    out.pc_map.push_back({last_start, cur_offset});
    nargs32 = 0;
    reset_fusion();
  }
  // Appends a 32-bit operand; returns its field index.
  uint32_t arg(int64_t v) {
    if (nargs32 % 2 == 0) out.code.push_back(Word{.u64 = 0});
    const uint32_t field = (here() - 1) * 2 + (nargs32 % 2);
    out.code.back().i32[nargs32 % 2] = static_cast<int32_t>(v);
    ++nargs32;
    return field;
  }
  void word(uint64_t v) {
    out.code.push_back(Word{.u64 = v});
    nargs32 = 0;
  }
  void word_ptr(const void* p) {
    Word w;
    w.ptr = p;
    out.code.push_back(w);
    nargs32 = 0;
  }
  int32_t& field_ref(uint32_t field) { return out.code[field / 2].i32[field % 2]; }
  void patch(const Fixup& f, uint32_t target) {
    field_ref(f.field) = static_cast<int32_t>(int64_t(target) - int64_t(f.instr));
  }

  // ------------------------------------------------------------ operands
  void push_stack(ValType t) {
    Opnd o;
    o.kind = Opnd::Stack;
    o.type = t;
    o.canon = slot_top;
    o.src = slot_top;
    slot_top += slot_count(t);
    max_slots = std::max(max_slots, slot_top);
    stack.push_back(o);
  }
  void push_lazy(Opnd o) {
    o.canon = slot_top;
    slot_top += slot_count(o.type);
    max_slots = std::max(max_slots, slot_top);
    stack.push_back(o);
  }
  Opnd pop() {
    Opnd o = stack.back();
    stack.pop_back();
    slot_top = o.canon;
    return o;
  }
  void truncate(size_t n) {
    while (stack.size() > n) pop();
  }
  bool is_zero_const(const Opnd& o) const {
    return o.kind == Opnd::Const && o.lo == 0 && o.hi == 0;
  }

  // Emits the copy/constant that puts o's value in slot dst.
  void emit_move(const Opnd& o, uint32_t dst) {
    const bool wide = o.type == ValType::V128;
    if (o.kind == Opnd::Const) {
      if (wide) {
        begin(IOp::Const128);
        arg(dst);
        word(o.lo);
        word(o.hi);
      } else if (o.lo <= 0xFFFFFFFFull) {
        begin(IOp::Const32);
        arg(dst);
        arg(static_cast<int64_t>(o.lo));
      } else {
        begin(IOp::Const64);
        arg(dst);
        word(o.lo);
      }
      return;
    }
    if (o.src == dst) return;
    begin(wide ? IOp::Copy2 : IOp::Copy);
    arg(dst);
    arg(o.src);
  }

  void materialize(Opnd& o) {
    if (o.kind == Opnd::Stack) return;
    emit_move(o, o.canon);
    o.kind = Opnd::Stack;
    o.src = o.canon;
  }
  void materialize_all() {
    for (Opnd& o : stack) materialize(o);
  }
  // Where a consumer reads o from. Constants other than zero are first
  // written to o's canonical slot (o must be popped or about to be).
  uint32_t read_slot(Opnd& o) {
    if (o.kind == Opnd::Const) {
      if (is_zero_const(o) && o.type != ValType::V128) return zero_slot;
      materialize(o);
    }
    return o.src;
  }
  // Before local `slot` is written: materialize operands reading it.
  void protect_local(uint32_t slot) {
    for (Opnd& o : stack)
      if (o.kind == Opnd::Local && o.src == slot) materialize(o);
  }
  bool local_referenced(uint32_t slot) const {
    for (const Opnd& o : stack)
      if (o.kind == Opnd::Local && o.src == slot) return true;
    return false;
  }

  // Records that the instruction just emitted wrote the new stack top, with
  // its destination in `field`.
  void produced(uint32_t field) {
    fusion.producer_field = field;
    fusion.producer_pos = stack.size() - 1;
  }

  // ------------------------------------------------------------ control helpers
  uint32_t num_params_of(const Ctrl& c) const { return static_cast<uint32_t>(c.params.size()); }
  Ctrl& label(uint32_t depth) { return ctrls[ctrls.size() - 1 - depth]; }
  bool is_function_label(const Ctrl& c) const { return &c == &ctrls.front(); }
  std::span<const ValType> label_types(const Ctrl& c) const {
    return c.op == Op::Loop ? c.params : c.results;
  }

  // Do the top values carried to `c` already sit in its slots?
  bool values_in_place(const Ctrl& c) const {
    auto ts = label_types(c);
    size_t first = stack.size() - ts.size();
    uint32_t d = c.slot_base;
    for (size_t i = 0; i < ts.size(); ++i) {
      const Opnd& o = stack[first + i];
      if (o.kind != Opnd::Stack || o.src != d) return false;
      d += slot_count(o.type);
    }
    return true;
  }

  // Copies the top n operands to consecutive slots from dst (see the file
  // comment for why ascending order is safe).
  void move_values(size_t n, uint32_t dst) {
    const size_t first = stack.size() - n;
    for (size_t i = 0; i < n; ++i) {
      Opnd& o = stack[first + i];
      emit_move(o, dst);
      dst += slot_count(o.type);
    }
  }

  void emit_return() {
    const auto& results = fn_type->results;
    const size_t n = results.size();
    if (n == 1 && results[0] != ValType::V128) {
      Opnd& o = stack.back();
      if (o.kind == Opnd::Const) {
        emit_move(o, 0);
        begin(IOp::Ret0);
      } else {
        begin(IOp::Ret1);
        arg(o.src);
      }
      return;
    }
    if (n > 1) {
      // Results go to slots [0, total): a lazy local inside that range could
      // be overwritten before it is read, so copy such locals out first.
      const uint32_t total = slots_of(results);
      for (size_t i = stack.size() - n; i < stack.size(); ++i)
        if (stack[i].kind == Opnd::Local && stack[i].src < total) materialize(stack[i]);
    }
    move_values(n, 0);
    begin(IOp::Ret0);
  }

  // Emits a branch on `c` (or its negation) to a target to be patched;
  // returns the fixup.
  Fixup emit_cond_branch(const Cond& c, bool negate, bool loop) {
    Fixup f;
    if (c.kind == Cond::Nez) {
      const bool nez = !negate;
      begin(loop ? (nez ? IOp::BrIfNezLoop : IOp::BrIfEqzLoop) : (nez ? IOp::BrIfNez : IOp::BrIfEqz));
      f.instr = last_start;
      arg(c.a);
      f.field = arg(0);
      return f;
    }
    const Op op = negate ? kRelations.neg[ix(c.cmp)] : c.cmp;
    const bool imm = c.kind == Cond::CmpImm;
    const Form form = loop ? (imm ? Form::LoopBranchImm : Form::LoopBranch)
                           : (imm ? Form::BranchImm : Form::Branch);
    begin(select_iop(op, form, shared_memory, false));
    f.instr = last_start;
    arg(c.a);
    if (imm) {
      f.field = arg(0);
      word(c.imm);
    } else {
      arg(c.b);
      f.field = arg(0);
    }
    return f;
  }

  Fixup emit_br(bool loop) {
    begin(loop ? IOp::BrLoop : IOp::Br);
    Fixup f{last_start, 0};
    f.field = arg(0);
    return f;
  }

  // Turns a popped i32 condition operand into a Cond, taking over the
  // compare that produced it when that compare is the last instruction.
  Cond take_cond(Opnd& cond) {
    Cond c;
    if (fusion.has_cmp && cond.kind == Opnd::Stack && fusion.cmp_pos == stack.size() &&
        last_start == fusion.cmp_start) {
      c = fusion.cmp;
      // Drop the compare: the branch will do it.
      out.code.resize(fusion.cmp_start);
      out.pc_map.pop_back();
      last_start = UINT32_MAX;
      reset_fusion();
      return c;
    }
    c.kind = Cond::Nez;
    c.a = read_slot(cond);
    return c;
  }

  // A branch to label `depth`, taken unconditionally.
  void branch_to(uint32_t depth) {
    Ctrl& c = label(depth);
    if (is_function_label(c)) {
      emit_return();
      return;
    }
    const auto ts = label_types(c);
    move_values(ts.size(), c.slot_base);
    if (c.op == Op::Loop) {
      Fixup f = emit_br(true);
      patch(f, c.loop_start);
    } else {
      c.fixups.push_back(emit_br(false));
    }
  }

  // ------------------------------------------------------------ blocks
  void block_sig(const Instr& ins, std::span<const ValType>& params,
                 std::span<const ValType>& results) {
    params = {};
    results = {};
    if (ins.block.kind == BlockType::Value) {
      results = single_type(ins.block.value);
    } else if (ins.block.kind == BlockType::Index) {
      const FuncType& ft = m.types[ins.block.index];
      params = ft.params;
      results = ft.results;
    }
  }

  void open_block(const Instr& ins) {
    Ctrl c;
    c.op = ins.op;
    if (dead) {
      c.dead = true;
      ctrls.push_back(std::move(c));
      return;
    }
    block_sig(ins, c.params, c.results);
    c.stack_size = static_cast<uint32_t>(stack.size() - c.params.size());
    c.slot_base = c.params.empty() ? slot_top : stack[c.stack_size].canon;
    ctrls.push_back(std::move(c));
  }

  // Resets the operand stack to a block's base plus `types` in their
  // canonical slots.
  void reset_stack(const Ctrl& c, std::span<const ValType> types) {
    truncate(c.stack_size);
    for (ValType t : types) push_stack(t);
  }

  // ------------------------------------------------------------ per function
  const FuncType* fn_type = nullptr;

  void begin_function(uint32_t func_index, const FuncType& type, std::span<const ValType> locals) {
    out.funcs.push_back(CodeBuffer::Func{});
    fn = &out.funcs.back();
    fn->func_index = func_index;
    fn_type = &type;
    fn->code_begin = here();
    fn->map_begin = static_cast<uint32_t>(out.pc_map.size());
    local_slot.clear();
    local_type.clear();
    uint32_t s = 0;
    for (size_t i = 0; i < locals.size(); ++i) {
      local_slot.push_back(s);
      local_type.push_back(locals[i]);
      s += slot_count(locals[i]);
    }
    zero_slot = s++;  // the hidden local that stays zero
    // The layout callers use (frame_layout) must be this one.
    assert(s == cm.func(func_index).local_slots);
    slot_top = max_slots = s;
    stack.clear();
    ctrls.clear();
    dead = false;
    reset_fusion();
    last_start = UINT32_MAX;
    next_instr_index = 0;
    Ctrl body;
    body.op = Op::Nop;
    body.results = type.results;
    body.slot_base = 0;
    ctrls.push_back(std::move(body));
  }

  void end_function() {
    fn->frame_slots = max_slots;
    fn->code_end = here();
    fn->map_end = static_cast<uint32_t>(out.pc_map.size());
  }

  // ------------------------------------------------------------ instructions
  void numeric(const Instr& ins, const OpInfo& info) {
    const SigInfo& sig = sig_info(info.sig);
    const Op op = ins.op;
    if (sig.nparams == 1) {
      // eqz fuses with br_if / if as "== 0".
      Opnd a = pop();
      const uint32_t as = read_slot(a);
      begin(select_iop(op, Form::Slots, shared_memory, false));
      const uint32_t f = arg(a.canon);
      arg(as);
      push_stack(sig.result);
      produced(f);
      if (op == Op::I32Eqz || op == Op::I64Eqz) {
        fusion.has_cmp = true;
        fusion.cmp_start = last_start;
        fusion.cmp_pos = stack.size() - 1;
        fusion.cmp = Cond{Cond::CmpImm, op == Op::I32Eqz ? Op::I32Eq : Op::I64Eq, as, 0, 0};
      }
      return;
    }
    Opnd b = pop();
    Opnd a = pop();
    const uint32_t dst = a.canon;
    Op eff = op;
    bool use_imm = false;
    uint64_t imm = 0;
    uint32_t as = 0, bs = 0;
    if (select_iop(op, Form::Imm, shared_memory, false) != kNoIOp) {
      if (b.kind == Opnd::Const) {
        use_imm = true;
        imm = b.lo;
        as = read_slot(a);
      } else if (a.kind == Opnd::Const && operands_swapped(op) != Op::Nop) {
        use_imm = true;
        imm = a.lo;
        eff = operands_swapped(op);
        as = read_slot(b);
      }
    }
    if (!use_imm) {
      // Materialize into the canonical slots: b's is above a's, and both
      // are free now that the operands are popped.
      as = read_slot(a);
      bs = read_slot(b);
    }
    begin(select_iop(eff, use_imm ? Form::Imm : Form::Slots, shared_memory, false));
    const uint32_t f = arg(dst);
    arg(as);
    if (use_imm) {
      word(imm);
    } else {
      arg(bs);
    }
    push_stack(sig.result);
    produced(f);
    if (eff == Op::I32Add) {
      fusion.has_add = true;
      fusion.add_start = last_start;
      fusion.add_pos = stack.size() - 1;
      fusion.add = use_imm ? Cond{Cond::CmpImm, eff, as, 0, imm} : Cond{Cond::Cmp, eff, as, bs, 0};
    }
    if (fuses_with_branch(eff)) {
      fusion.has_cmp = true;
      fusion.cmp_start = last_start;
      fusion.cmp_pos = stack.size() - 1;
      fusion.cmp = use_imm ? Cond{Cond::CmpImm, eff, as, 0, imm} : Cond{Cond::Cmp, eff, as, bs, 0};
    }
  }

  // If the address operand (just popped) was computed by an i32.add that
  // is the last instruction emitted, removes that add and returns its
  // operands: the access then does the (32-bit wrapping) add itself.
  bool take_add(const Opnd& addr, Cond& add) {
    // Traced code keeps one access per instruction, each with its site.
    if (tracing) return false;
    if (!fusion.has_add || addr.kind != Opnd::Stack || fusion.add_pos != stack.size() ||
        last_start != fusion.add_start)
      return false;
    add = fusion.add;
    out.code.resize(fusion.add_start);
    out.pc_map.pop_back();
    last_start = UINT32_MAX;
    reset_fusion();
    return true;
  }

  // Emits a load/store with address operand `addr` (already popped) and
  // static offset. `data` is the load's destination or the store's value
  // slot. Returns the field of the load's destination.
  uint32_t emit_access(const Instr& ins, Opnd& addr, bool is_load, uint32_t data) {
    uint64_t offset = ins.imm;
    Form form = Form::Addr;
    uint32_t as;
    bool has_extra = false;
    int64_t extra = 0;
    Cond add;
    if (addr.kind == Opnd::Const && addr.lo + offset <= 0xFFFFFFFFull) {
      offset += addr.lo;  // constant address: fold into the offset
      as = zero_slot;
    } else if (take_add(addr, add)) {
      as = add.a;
      has_extra = true;
      if (add.kind == Cond::CmpImm) {
        form = Form::AddrImm;
        extra = static_cast<int64_t>(static_cast<uint32_t>(add.imm));
      } else {
        form = Form::AddrAdd;
        extra = add.b;
      }
    } else {
      as = read_slot(addr);
    }
    begin(select_iop(ins.op, form, shared_memory, tracing));
    const uint32_t f = arg(is_load ? data : as);
    arg(is_load ? as : data);
    arg(static_cast<int64_t>(offset));
    if (has_extra) arg(extra);
    if (tracing) arg(site());
    return f;
  }

  // SIMD: compute ops take their operands' slots (v128 constants are
  // materialized: no immediate forms), lane and shuffle immediates follow;
  // memory ops follow the layouts in exec.cc.
  void simd_op(const Instr& ins, const OpInfo& info) {
    const SigInfo& sig = sig_info(info.sig);
    if (info.imm == ImmKind::Memarg || info.imm == ImmKind::MemargLane) {
      const IOp iop = select_iop(ins.op, Form::Addr, shared_memory, tracing);
      const bool lane = info.imm == ImmKind::MemargLane;
      if (sig.nresults == 1) {  // [addr (v128)] -> [v128]
        Opnd vec;
        if (lane) vec = pop();
        Opnd addr = pop();
        const uint32_t as = read_slot(addr);
        const uint32_t vs = lane ? read_slot(vec) : 0;
        begin(iop);
        const uint32_t f = arg(addr.canon);
        arg(as);
        arg(static_cast<int64_t>(ins.imm));
        if (lane) {
          arg(vs);
          arg(ins.b);
        }
        if (tracing) arg(site());
        push_stack(ValType::V128);
        produced(f);
      } else {  // [addr v128] -> []
        Opnd val = pop();
        Opnd addr = pop();
        const uint32_t vs = read_slot(val);
        const uint32_t as = read_slot(addr);
        begin(iop);
        arg(as);
        arg(vs);
        arg(static_cast<int64_t>(ins.imm));
        if (lane) arg(ins.b);
        if (tracing) arg(site());
      }
      return;
    }
    Opnd ops[3];
    for (int k = sig.nparams - 1; k >= 0; --k) ops[k] = pop();
    uint32_t slots[3] = {};
    for (int k = 0; k < sig.nparams; ++k) slots[k] = read_slot(ops[k]);
    const uint32_t dst = sig.nparams ? ops[0].canon : slot_top;
    begin(select_iop(ins.op, Form::Slots, shared_memory, false));
    const uint32_t f = arg(dst);
    for (int k = 0; k < sig.nparams; ++k) arg(slots[k]);
    if (info.imm == ImmKind::Lane) {
      arg(ins.b);
    } else if (info.imm == ImmKind::Shuffle) {
      word(ins.imm);
      word(ins.imm_hi);
    }
    push_stack(sig.result);
    produced(f);
  }

  // Threads-proposal ops. Uniform layout: a0 = result slot, a1 = address
  // slot, a2 = static offset, a3/a4 = the other operands in order.
  void atomic_op(const Instr& ins, const OpInfo& info) {
    const SigInfo& sig = sig_info(info.sig);
    if (ins.op == Op::AtomicFence) {  // no memory access: nothing to trace
      begin(select_iop(ins.op, Form::Addr, shared_memory, false));
      return;
    }
    const IOp iop = select_iop(ins.op, Form::Addr, shared_memory, tracing);
    Opnd ops[3];
    for (int k = sig.nparams - 1; k >= 0; --k) ops[k] = pop();
    uint32_t slots[3] = {};
    for (int k = 0; k < sig.nparams; ++k) slots[k] = read_slot(ops[k]);
    begin(iop);
    const uint32_t f = arg(ops[0].canon);
    arg(slots[0]);
    arg(static_cast<int64_t>(ins.imm));
    for (int k = 1; k < sig.nparams; ++k) arg(slots[k]);
    if (tracing) {  // the site goes in a5, after the widest operand list
      for (int k = sig.nparams; k < 3; ++k) arg(0);
      arg(site());
    }
    if (sig.nresults) {
      push_stack(sig.result);
      produced(f);
    }
  }

  void memory_access(const Instr& ins, const OpInfo& info) {
    const SigInfo& sig = sig_info(info.sig);
    if (sig.nresults == 1) {  // load: [addr] -> [value]
      Opnd addr = pop();
      const uint32_t f = emit_access(ins, addr, true, addr.canon);
      push_stack(sig.result);
      produced(f);
    } else {  // store: [addr value] -> []
      // A stored value that needs code of its own (a constant to
      // materialize) ends the add fusion: begin() resets it, since that code
      // could overwrite the add's operand slots before the store reads them.
      Opnd val = pop();
      Opnd addr = pop();
      const uint32_t vs = read_slot(val);
      emit_access(ins, addr, false, vs);
    }
  }

  // Materializes the top n operands (call arguments) and returns the slot
  // of the first (or the stack top when n == 0).
  uint32_t prepare_args(size_t n) {
    const size_t first = stack.size() - n;
    for (size_t i = first; i < stack.size(); ++i) materialize(stack[i]);
    return n ? stack[first].canon : slot_top;
  }
  void finish_call(const FuncType& ft) {
    truncate(stack.size() - ft.params.size());
    for (ValType t : ft.results) push_stack(t);
  }

  void local_set(uint32_t idx, bool tee) {
    const uint32_t slot = local_slot[idx];
    Opnd& v = stack.back();
    // Retarget the producer of the top value to write the local directly.
    if (v.kind == Opnd::Stack && fusion.producer_field >= 0 &&
        fusion.producer_pos == stack.size() - 1 && !local_referenced(slot)) {
      field_ref(static_cast<uint32_t>(fusion.producer_field)) = static_cast<int32_t>(slot);
      reset_fusion();
      if (tee) {
        v.kind = Opnd::Local;
        v.src = slot;
      } else {
        pop();
      }
      return;
    }
    if (v.kind == Opnd::Local && v.src == slot) {  // local.get x; local.set x
      if (!tee) pop();
      return;
    }
    // Operands below the top that read this local keep its old value.
    {
      Opnd top = pop();
      protect_local(slot);
      stack.push_back(top);
      slot_top = top.canon + slot_count(top.type);
    }
    Opnd& top = stack.back();
    emit_move(top, slot);
    if (!tee) pop();
  }

  void instr(const Instr& ins) {
    cur_offset = ins.offset;
    cur_op = ins.op;
    instr_index = next_instr_index++;
    const Op op = ins.op;
    const OpInfo& info = op_info(op);

    // Structure is tracked even in dead code; everything else there is skipped.
    switch (op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
        if (dead) {
          open_block(ins);
          return;
        }
        break;
      case Op::Else: {
        Ctrl& c = ctrls.back();
        if (c.dead) return;
        if (!dead) {
          move_values(c.results.size(), c.slot_base);
          c.fixups.push_back(emit_br(false));
        }
        if (c.has_else_fixup) patch(c.else_fixup, here());
        c.has_else_fixup = false;
        reset_stack(c, c.params);
        dead = false;
        c.op = Op::Else;
        reset_fusion();
        return;
      }
      case Op::End: {
        Ctrl c = std::move(ctrls.back());
        ctrls.pop_back();
        if (c.dead) return;
        if (ctrls.empty()) {  // the function's end
          if (!dead) emit_return();
          return;
        }
        if (!dead) move_values(c.results.size(), c.slot_base);
        if (c.has_else_fixup) patch(c.else_fixup, here());
        for (const Fixup& f : c.fixups) patch(f, here());
        reset_stack(c, c.results);
        dead = false;
        reset_fusion();
        last_start = UINT32_MAX;  // a label: nothing before it may be fused with what follows
        return;
      }
      default:
        if (dead) return;
        break;
    }

    if (info.flags & Simd) {
      if (op == Op::V128Const) {
        Opnd o;
        o.kind = Opnd::Const;
        o.type = ValType::V128;
        o.lo = ins.imm;
        o.hi = ins.imm_hi;
        push_lazy(o);
        return;
      }
      simd_op(ins, info);
      return;
    }
    if (info.flags & Atomic) {
      atomic_op(ins, info);
      return;
    }

    switch (op) {
      case Op::Unreachable:
        begin(IOp::Unreachable);
        dead = true;
        return;
      case Op::Nop:
        return;
      case Op::Block:
        materialize_all();
        open_block(ins);
        return;
      case Op::Loop:
        materialize_all();
        open_block(ins);
        ctrls.back().loop_start = here();
        last_start = UINT32_MAX;
        reset_fusion();
        return;
      case Op::If: {
        Opnd cond = pop();
        Cond cnd = take_cond(cond);
        materialize_all();
        Fixup f = emit_cond_branch(cnd, /*negate=*/true, false);
        open_block(ins);
        ctrls.back().has_else_fixup = true;
        ctrls.back().else_fixup = f;
        return;
      }
      case Op::Br:
        branch_to(ins.a);
        dead = true;
        return;
      case Op::BrIf: {
        Opnd cond = pop();
        Cond cnd = take_cond(cond);
        Ctrl& c = label(ins.a);
        const bool fn_label = is_function_label(c);
        if (fn_label || !values_in_place(c)) {
          // Branch around the moves: if (!cond) skip; move; br; skip:
          Fixup skip = emit_cond_branch(cnd, /*negate=*/true, false);
          branch_to(ins.a);
          patch(skip, here());
          last_start = UINT32_MAX;
          reset_fusion();
        } else if (c.op == Op::Loop) {
          Fixup f = emit_cond_branch(cnd, false, true);
          patch(f, c.loop_start);
        } else {
          c.fixups.push_back(emit_cond_branch(cnd, false, false));
        }
        return;
      }
      case Op::BrTable: {
        Opnd idx = pop();
        const uint32_t is = read_slot(idx);
        const uint32_t n = ins.num_targets;
        begin(IOp::BrTable);
        const uint32_t start = last_start;
        arg(is);
        arg(n);
        std::vector<uint32_t> fields(n + 1);
        for (uint32_t i = 0; i <= n; ++i) fields[i] = arg(0);
        // Targets that need moved values or a return get a stub after the
        // table; plain targets are patched directly.
        for (uint32_t i = 0; i <= n; ++i) {
          Ctrl& c = label(ins.targets[i]);
          if (!is_function_label(c) && values_in_place(c)) {
            if (c.op == Op::Loop)
              patch(Fixup{start, fields[i]}, c.loop_start);
            else
              c.fixups.push_back(Fixup{start, fields[i]});
          }
        }
        for (uint32_t i = 0; i <= n; ++i) {
          Ctrl& c = label(ins.targets[i]);
          if (!is_function_label(c) && values_in_place(c)) continue;
          patch(Fixup{start, fields[i]}, here());
          branch_to(ins.targets[i]);
        }
        dead = true;
        return;
      }
      case Op::Return:
        emit_return();
        dead = true;
        return;
      case Op::Call: {
        const FuncType& ft = m.func_type(ins.a);
        const uint32_t base = prepare_args(ft.params.size());
        if (m.func_is_imported(ins.a)) {
          begin(tracing ? IOp::CallImportT : IOp::CallImport);
          arg(ins.a);
          arg(base);
          if (tracing) arg(site());
        } else {
          begin(IOp::Call);
          word_ptr(&cm.funcs[ins.a - m.num_imported_funcs]);
          arg(base);
        }
        finish_call(ft);
        max_slots = std::max(max_slots, base + std::max(slots_of(ft.params), slots_of(ft.results)));
        return;
      }
      case Op::CallIndirect: {
        const FuncType& ft = m.types[ins.a];
        Opnd idx = pop();
        const uint32_t is = read_slot(idx);
        const uint32_t base = prepare_args(ft.params.size());
        begin(tracing ? IOp::CallIndirectT : IOp::CallIndirect);
        arg(cm.type_ids[ins.a]);
        arg(ins.b);
        arg(is);
        arg(base);
        if (tracing) arg(site());
        finish_call(ft);
        max_slots = std::max(max_slots, base + std::max(slots_of(ft.params), slots_of(ft.results)));
        return;
      }
      case Op::Drop:
        pop();
        return;
      case Op::Select:
      case Op::SelectT: {
        Opnd cond = pop();
        Opnd b = pop();
        Opnd a = pop();
        const uint32_t cs = read_slot(cond);
        const uint32_t as = read_slot(a);
        const uint32_t bs = read_slot(b);
        const bool wide = a.type == ValType::V128 || b.type == ValType::V128 ||
                          (op == Op::SelectT && ins.type == ValType::V128);
        begin(wide ? IOp::Select2 : IOp::Select);
        const uint32_t f = arg(a.canon);
        arg(as);
        arg(bs);
        arg(cs);
        ValType t = ins.type;
        if (t == ValType::Unknown) t = a.type;
        push_stack(t);
        produced(f);
        return;
      }
      case Op::LocalGet: {
        Opnd o;
        o.kind = Opnd::Local;
        o.type = local_type[ins.a];
        o.src = local_slot[ins.a];
        push_lazy(o);
        return;
      }
      case Op::LocalSet:
        local_set(ins.a, false);
        return;
      case Op::LocalTee:
        local_set(ins.a, true);
        return;
      case Op::GlobalGet: {
        const bool wide = m.globals[ins.a].type.type == ValType::V128;
        begin(wide ? IOp::GlobalGet2 : IOp::GlobalGet);
        const uint32_t f = arg(slot_top);
        arg(ins.a);
        push_stack(m.globals[ins.a].type.type);
        produced(f);
        return;
      }
      case Op::GlobalSet: {
        Opnd v = pop();
        const uint32_t vs = read_slot(v);
        const bool wide = v.type == ValType::V128;
        begin(wide ? IOp::GlobalSet2 : IOp::GlobalSet);
        arg(ins.a);
        arg(vs);
        return;
      }
      case Op::I32Const:
      case Op::I64Const:
      case Op::F32Const:
      case Op::F64Const: {
        Opnd o;
        o.kind = Opnd::Const;
        o.type = sig_info(info.sig).result;
        o.lo = ins.imm;
        push_lazy(o);
        return;
      }
      case Op::RefNull: {
        Opnd o;
        o.kind = Opnd::Const;
        o.type = ins.type;
        o.lo = kNullRef;
        push_lazy(o);
        return;
      }
      case Op::RefIsNull: {
        Opnd a = pop();
        const uint32_t as = read_slot(a);
        begin(IOp::RefIsNull);
        const uint32_t f = arg(a.canon);
        arg(as);
        push_stack(ValType::I32);
        produced(f);
        return;
      }
      case Op::RefFunc: {
        begin(IOp::RefFunc);
        const uint32_t f = arg(slot_top);
        arg(ins.a);
        push_stack(ValType::FuncRef);
        produced(f);
        return;
      }
      case Op::MemorySize: {
        begin(IOp::MemorySize);
        const uint32_t f = arg(slot_top);
        push_stack(ValType::I32);
        produced(f);
        return;
      }
      case Op::MemoryGrow: {
        Opnd d = pop();
        const uint32_t ds = read_slot(d);
        begin(IOp::MemoryGrow);
        const uint32_t f = arg(d.canon);
        arg(ds);
        push_stack(ValType::I32);
        produced(f);
        return;
      }
      case Op::MemoryCopy:
      case Op::MemoryFill: {
        Opnd n = pop(), v = pop(), d = pop();
        const uint32_t ds = read_slot(d), vs = read_slot(v), ns = read_slot(n);
        begin(select_iop(op, Form::Addr, shared_memory, tracing));
        arg(ds);
        arg(vs);
        arg(ns);
        if (tracing) arg(site());
        return;
      }
      case Op::MemoryInit: {
        Opnd n = pop(), s = pop(), d = pop();
        const uint32_t ds = read_slot(d), ss = read_slot(s), ns = read_slot(n);
        begin(select_iop(op, Form::Addr, shared_memory, tracing));
        arg(ins.a);
        arg(ds);
        arg(ss);
        arg(ns);
        if (tracing) arg(site());
        return;
      }
      case Op::DataDrop:
        begin(IOp::DataDrop);
        arg(ins.a);
        return;
      case Op::TableGet: {
        Opnd i = pop();
        const uint32_t is = read_slot(i);
        begin(IOp::TableGet);
        const uint32_t f = arg(i.canon);
        arg(ins.a);
        arg(is);
        push_stack(m.tables[ins.a].elem);
        produced(f);
        return;
      }
      case Op::TableSet: {
        Opnd v = pop(), i = pop();
        const uint32_t is = read_slot(i), vs = read_slot(v);
        begin(IOp::TableSet);
        arg(ins.a);
        arg(is);
        arg(vs);
        return;
      }
      case Op::TableSize: {
        begin(IOp::TableSize);
        const uint32_t f = arg(slot_top);
        arg(ins.a);
        push_stack(ValType::I32);
        produced(f);
        return;
      }
      case Op::TableGrow: {
        Opnd n = pop(), init = pop();
        const uint32_t is = read_slot(init), ns = read_slot(n);
        begin(IOp::TableGrow);
        const uint32_t f = arg(init.canon);
        arg(ins.a);
        arg(is);
        arg(ns);
        push_stack(ValType::I32);
        produced(f);
        return;
      }
      case Op::TableFill: {
        Opnd n = pop(), v = pop(), i = pop();
        const uint32_t is = read_slot(i), vs = read_slot(v), ns = read_slot(n);
        begin(IOp::TableFill);
        arg(ins.a);
        arg(is);
        arg(vs);
        arg(ns);
        return;
      }
      case Op::TableCopy:
      case Op::TableInit: {
        Opnd n = pop(), s = pop(), d = pop();
        const uint32_t ds = read_slot(d), ss = read_slot(s), ns = read_slot(n);
        begin(op == Op::TableCopy ? IOp::TableCopy : IOp::TableInit);
        if (op == Op::TableCopy) {
          arg(ins.a);  // destination table
          arg(ins.b);  // source table
        } else {
          arg(ins.b);  // table
          arg(ins.a);  // segment
        }
        arg(ds);
        arg(ss);
        arg(ns);
        return;
      }
      case Op::ElemDrop:
        begin(IOp::ElemDrop);
        arg(ins.a);
        return;
      default:
        break;
    }

    if (info.imm == ImmKind::Memarg) {
      memory_access(ins, info);
      return;
    }
    // Every other row of opcodes.def is a numeric op with a simple signature
    // (CompilerTest.EveryOpcodeCompiles checks that none is left out).
    assert(info.sig != Sig::Special && info.sig != Sig::none && info.imm == ImmKind::None);
    numeric(ins, info);
  }
};

FrameLayout frame_layout(const FuncType& type, std::span<const ValType> declared_locals) {
  FrameLayout l;
  l.param_slots = slots_of(type.params);
  // The hidden zero slot follows the locals (begin_function).
  l.local_slots = l.param_slots + slots_of(declared_locals) + 1;
  return l;
}

Compiler::Compiler(const CompiledModule& cm, CodeBuffer& out)
    : impl_(std::make_unique<Impl>(cm, out)) {}
Compiler::~Compiler() = default;
void Compiler::begin_function(uint32_t func_index, const FuncType& type,
                              std::span<const ValType> locals) {
  impl_->begin_function(func_index, type, locals);
}
void Compiler::instr(const Instr& ins) { impl_->instr(ins); }
void Compiler::end_function() { impl_->end_function(); }

}  // namespace wgi::interp
