// Validation: the function-body core (FunctionValidator) and the module-level
// rules. See validator.h for the interface and function_validator.h for the
// driver loop.
//
// The body validator is the spec's algorithm (Validation Algorithm appendix)
// in wgi's terms:
//  - vals_ is the operand stack; ValType::Unknown is the bottom type that
//    pops out of an empty stack once the current block is unreachable;
//  - ctrls_ is the control stack; a frame records its block type and the
//    operand height at entry, and becomes `unreachable` after br, br_table,
//    return or unreachable, which drops its operands and makes the stack
//    polymorphic until the frame ends.
// Instructions with a simple signature in opcodes.def are typed from that
// table (pop params, push result); only `Special` ones have code below.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

#include "decoder/validator.h"
#include "decoder/messages.h"

namespace wgi {

namespace {

bool is_operand_of_select(ValType t) {
  return is_num(t) || t == ValType::V128 || t == ValType::Unknown;
}

const SectionInfo* find_section(const Module& m, uint8_t id) {
  for (const auto& s : m.sections)
    if (s.id == id) return &s;
  return nullptr;
}

uint64_t section_offset(const Module& m, uint8_t id) {
  const SectionInfo* s = find_section(m, id);
  return s ? s->offset : kNoOffset;
}

}  // namespace

// ============================================================================
// FunctionValidator
// ============================================================================

FunctionValidator::FunctionValidator(const Module& m, const Features& features)
    : m_(m), features_(features) {}

Result<void> FunctionValidator::begin(uint32_t func_index) {
  func_index_ = func_index;
  vals_.clear();
  ctrls_.clear();
  error_ = Error{};
  if (func_index < m_.num_imported_funcs || func_index >= m_.funcs.size() ||
      func_index - m_.num_imported_funcs >= m_.code.size())
    return msg::not_a_defined_function(func_index);
  const FuncBody& body = m_.body(func_index);
  if (m_.funcs[func_index] >= m_.types.size())
    return in_function(msg::unknown(body.entry_offset, msg::Space::Type, m_.funcs[func_index]));
  if (body.code_offset > body.end_offset || body.end_offset > m_.bytes.size())
    return in_function(msg::unexpected_end(body.entry_offset));
  type_ = &m_.func_type(func_index);
  locals_.assign(type_->params.begin(), type_->params.end());
  locals_.insert(locals_.end(), body.locals.begin(), body.locals.end());
  // The function's own frame: its label is the function's results.
  ctrls_.push_back(Frame{Op::Nop, false, false, 0, {}, type_->results});
  return {};
}

Reader FunctionValidator::body_reader() const {
  const FuncBody& body = m_.body(func_index_);
  return Reader(m_.bytes.data(), body.code_offset, body.end_offset);
}

Error FunctionValidator::missing_end(size_t at) const {
  // The reference decoder reads a body's instructions from the code section
  // without stopping at the body's size, so a missing `end` in the last body
  // shows up as the section ending early, or (when more sections follow) as
  // the section overrunning its size. Match its wording; the category is the
  // same either way.
  const SectionInfo* code = find_section(m_, 10);
  msg::EndKind kind = msg::EndKind::InBody;
  if (code && at == size_t(code->content_offset) + code->size)
    kind = at == m_.bytes.size() ? msg::EndKind::AtFileEnd : msg::EndKind::AtSectionEnd;
  return in_function(msg::missing_end(at, kind));
}

Error FunctionValidator::trailing_bytes(size_t at) const {
  return in_function(msg::trailing_bytes(at));
}

// ---- malformed before invalid --------------------------------------------------

Result<void> FunctionValidator::scan(Reader& r) {
  Instr ins;
  while (!kinds_.empty()) {
    if (r.at_end()) return missing_end(r.pos());
    if (auto read = read_instr(r, ins, scratch_, features_); !read.ok())
      return in_function(std::move(read).error());
    switch (ins.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
        kinds_.push_back(ins.op);
        break;
      case Op::Else:
        if (kinds_.back() != Op::If) return in_function(msg::else_without_if(ins.offset));
        kinds_.back() = Op::Else;
        break;
      case Op::End:
        kinds_.pop_back();
        break;
      case Op::MemoryInit:
      case Op::DataDrop:
        if (data_count_missing()) return in_function(msg::data_count_required(ins.offset));
        break;
      default:
        break;
    }
  }
  if (!r.at_end()) return trailing_bytes(r.pos());
  return {};
}

Error FunctionValidator::prefer_malformed(Error e, const Instr& failed, Reader rest) {
  if (e.code != ErrorCode::Invalid) return e;
  // The block structure as if `failed` had validated. A failed instruction
  // leaves ctrls_ untouched, so apply its structural effect here.
  kinds_.clear();
  for (const Frame& f : ctrls_) kinds_.push_back(f.op);
  switch (failed.op) {
    case Op::Block:
    case Op::Loop:
    case Op::If: kinds_.push_back(failed.op); break;
    case Op::Else: kinds_.back() = Op::Else; break;
    case Op::End: kinds_.pop_back(); break;
    default: break;
  }
  Result<void> r = scan(rest);
  return r.ok() ? std::move(e) : std::move(r).error();
}

Error FunctionValidator::prefer_malformed_bodies(Error e) {
  if (e.code != ErrorCode::Invalid) return e;
  const uint32_t saved = func_index_;
  const size_t n = std::min<size_t>(m_.code.size(), m_.funcs.size() - std::min<size_t>(m_.funcs.size(), m_.num_imported_funcs));
  for (uint32_t i = 0; i < n; ++i) {
    func_index_ = m_.num_imported_funcs + i;
    const FuncBody& body = m_.code[i];
    if (body.code_offset > body.end_offset || body.end_offset > m_.bytes.size()) continue;
    Reader r(m_.bytes.data(), body.code_offset, body.end_offset);
    kinds_.assign(1, Op::Nop);
    Result<void> res = scan(r);
    if (!res.ok()) {
      func_index_ = saved;
      return std::move(res).error();
    }
  }
  func_index_ = saved;
  return e;
}

bool FunctionValidator::fail(Error e) {
  error_ = in_function(std::move(e));
  return false;
}

// ---- operand stack ---------------------------------------------------------

bool FunctionValidator::pop(const Instr& ins, ValType expect) {
  const Frame& f = ctrls_.back();
  if (vals_.size() == f.height) {
    if (f.unreachable) return true;  // pops Unknown, which matches anything
    return fail(msg::type_mismatch(ins.offset, ins.op, expect, ValType::Void));
  }
  ValType got = vals_.back();
  if (got != expect && got != ValType::Unknown)
    return fail(msg::type_mismatch(ins.offset, ins.op, expect, got));
  vals_.pop_back();
  return true;
}

bool FunctionValidator::pop_any(const Instr& ins, ValType& out) {
  const Frame& f = ctrls_.back();
  if (vals_.size() == f.height) {
    out = ValType::Unknown;  // what a polymorphic stack pops; set on failure too
    if (f.unreachable) return true;
    return fail(msg::type_mismatch(ins.offset, ins.op, ValType::Unknown, ValType::Void));
  }
  out = vals_.back();
  vals_.pop_back();
  return true;
}

bool FunctionValidator::pop(const Instr& ins, std::span<const ValType> ts) {
  for (size_t i = ts.size(); i-- > 0;)
    if (!pop(ins, ts[i])) return false;
  return true;
}

bool FunctionValidator::check_top(const Instr& ins, std::span<const ValType> ts) {
  const Frame& f = ctrls_.back();
  const size_t avail = vals_.size() - f.height;
  for (size_t i = 0; i < ts.size(); ++i) {
    ValType expect = ts[ts.size() - 1 - i];
    if (i >= avail) {
      if (f.unreachable) return true;  // the rest would pop as Unknown
      return fail(msg::type_mismatch(ins.offset, ins.op, expect, ValType::Void));
    }
    ValType got = vals_[vals_.size() - 1 - i];
    if (got != expect && got != ValType::Unknown)
      return fail(msg::type_mismatch(ins.offset, ins.op, expect, got));
  }
  return true;
}

// ---- control stack ---------------------------------------------------------

void FunctionValidator::push_frame(Op op, std::span<const ValType> params,
                                   std::span<const ValType> results) {
  const Frame& cur = ctrls_.back();
  const bool dead = cur.unreachable || cur.dead;
  ctrls_.push_back(Frame{op, false, dead, static_cast<uint32_t>(vals_.size()), params, results});
  push(params);
}

bool FunctionValidator::pop_frame(const Instr& ins, Frame& out) {
  const Frame& f = ctrls_.back();
  if (!pop(ins, f.results)) return false;
  if (vals_.size() != f.height) return fail(msg::values_left(ins.offset, ins.op, vals_.size() - f.height));
  out = f;
  ctrls_.pop_back();
  return true;
}

void FunctionValidator::set_unreachable() {
  Frame& f = ctrls_.back();
  vals_.resize(f.height);
  f.unreachable = true;
}

bool FunctionValidator::block_type(const Instr& ins, std::span<const ValType>& params,
                                   std::span<const ValType>& results) {
  switch (ins.block.kind) {
    case BlockType::Empty:
      params = results = {};
      return true;
    case BlockType::Value:
      params = {};
      results = single_type(ins.block.value);
      return true;
    case BlockType::Index:
      if (ins.block.index >= m_.types.size())
        return fail(msg::unknown(ins.offset, msg::Space::Type, ins.block.index));
      params = m_.types[ins.block.index].params;
      results = m_.types[ins.block.index].results;
      return true;
  }
  return true;
}

const FunctionValidator::Frame* FunctionValidator::label(const Instr& ins, uint32_t depth) {
  if (depth >= ctrls_.size()) {
    fail(msg::unknown(ins.offset, msg::Space::Label, depth));
    return nullptr;
  }
  return &ctrls_[ctrls_.size() - 1 - depth];
}

// ---- immediates --------------------------------------------------------------

bool FunctionValidator::memarg(const Instr& ins, const OpInfo& info) {
  if (m_.memories.empty()) return fail(msg::unknown(ins.offset, msg::Space::Memory, 0));
  const uint32_t natural = natural_align_log2(ins.op);
  if (info.flags & OpFlag::Atomic) {
    // Threads proposal: atomic accesses must state exactly their natural
    // alignment (misaligned addresses trap at run time instead).
    if (ins.a != natural) return fail(msg::atomic_alignment(ins.offset, ins.op, ins.a, natural));
  } else if (ins.a > natural) {
    return fail(msg::alignment_too_large(ins.offset, ins.op, ins.a, natural));
  }
  return true;
}

// Index and lane checks that depend only on the immediate kind, so that ops
// with a simple signature (loads, stores, bulk memory, table.size, ...) need
// no code of their own.
bool FunctionValidator::immediates(const Instr& ins, const OpInfo& info) {
  using msg::Space;
  switch (info.imm) {
    case ImmKind::Memarg:
      return memarg(ins, info);
    case ImmKind::MemargLane: {
      if (!memarg(ins, info)) return false;
      const uint32_t lanes = 16u / info.bytes;
      if (ins.b >= lanes) return fail(msg::invalid_lane(ins.offset, ins.op, ins.b, lanes));
      return true;
    }
    case ImmKind::Lane:
      // For lane ops the table's `bytes` column is the lane count.
      if (ins.b >= info.bytes) return fail(msg::invalid_lane(ins.offset, ins.op, ins.b, info.bytes));
      return true;
    case ImmKind::Shuffle:
      for (unsigned i = 0; i < 16; ++i) {
        const uint32_t lane = uint32_t(((i < 8 ? ins.imm : ins.imm_hi) >> (8 * (i % 8))) & 0xFF);
        if (lane >= 32) return fail(msg::invalid_lane(ins.offset, ins.op, lane, 32));
      }
      return true;
    case ImmKind::MemIdx:
    case ImmKind::MemCopy:
      if (m_.memories.empty()) return fail(msg::unknown(ins.offset, Space::Memory, 0));
      return true;
    case ImmKind::Table:
      if (ins.a >= m_.tables.size()) return fail(msg::unknown(ins.offset, Space::Table, ins.a));
      return true;
    case ImmKind::TableInit: {
      if (ins.b >= m_.tables.size()) return fail(msg::unknown(ins.offset, Space::Table, ins.b));
      if (ins.a >= m_.elems.size()) return fail(msg::unknown(ins.offset, Space::Elem, ins.a));
      const ValType table = m_.tables[ins.b].elem, seg = m_.elems[ins.a].type;
      if (table != seg) return fail(msg::table_elem_type(ins.offset, ins.op, table, seg));
      return true;
    }
    case ImmKind::TableCopy: {
      if (ins.a >= m_.tables.size()) return fail(msg::unknown(ins.offset, Space::Table, ins.a));
      if (ins.b >= m_.tables.size()) return fail(msg::unknown(ins.offset, Space::Table, ins.b));
      const ValType dst = m_.tables[ins.a].elem, src = m_.tables[ins.b].elem;
      if (dst != src) return fail(msg::table_elem_type(ins.offset, ins.op, dst, src));
      return true;
    }
    case ImmKind::Elem:
      if (ins.a >= m_.elems.size()) return fail(msg::unknown(ins.offset, Space::Elem, ins.a));
      return true;
    case ImmKind::MemInit:
    case ImmKind::Data: {
      // The data count section lets a one-pass validator check data indices
      // before the data section; without it these ops are malformed.
      if (data_count_missing()) return fail(msg::data_count_required(ins.offset));
      if (info.imm == ImmKind::MemInit && m_.memories.empty())
        return fail(msg::unknown(ins.offset, Space::Memory, 0));
      // REVISIT: with no data section either, the number of segments is
      // known to be zero, so we report the index as unknown (Invalid) rather
      // than the missing section (Malformed). wat2wasm omits the data count
      // section in that case, and the suite (memory_init.wast) expects
      // "unknown data segment" / "unknown memory" from such modules.
      const uint32_t count = m_.data_count.value_or(0);
      if (ins.a >= count) return fail(msg::unknown(ins.offset, Space::Data, ins.a));
      return true;
    }
    default:
      return true;
  }
}

// ---- instructions ------------------------------------------------------------

bool FunctionValidator::validate(Instr& ins) {
  const OpInfo& info = op_info(ins.op);
  {
    const Frame& f = ctrls_.back();
    // else/end close a region rather than belong to it: they are dead only
    // when their whole block is.
    ins.unreachable = (ins.op == Op::Else || ins.op == Op::End) ? f.dead : (f.unreachable || f.dead);
  }
  if (!immediates(ins, info)) return false;
  if (info.sig == Sig::Special) return special(ins);
  const SigInfo& sig = sig_info(info.sig);
  for (unsigned i = sig.nparams; i-- > 0;)
    if (!pop(ins, sig.params[i])) return false;
  if (sig.nresults) push(sig.result);
  return true;
}

bool FunctionValidator::special(Instr& ins) {
  using msg::Space;
  switch (ins.op) {
    // -- control --
    case Op::Unreachable:
      set_unreachable();
      return true;
    case Op::Block:
    case Op::Loop:
    case Op::If: {
      std::span<const ValType> params, results;
      if (!block_type(ins, params, results)) return false;
      if (ins.op == Op::If && !pop(ins, ValType::I32)) return false;
      if (!pop(ins, params)) return false;
      push_frame(ins.op, params, results);
      return true;
    }
    case Op::Else: {
      if (ctrls_.back().op != Op::If) return fail(msg::else_without_if(ins.offset));
      Frame f;
      if (!pop_frame(ins, f)) return false;
      push_frame(Op::Else, f.params, f.results);  // same parent, so same `dead`
      return true;
    }
    case Op::End: {
      // Without an else, the false branch passes the params through.
      // (Checked before popping: a failed instruction leaves ctrls_ as it
      // was, which prefer_malformed relies on.)
      const Frame& top = ctrls_.back();
      if (top.op == Op::If &&
          !std::equal(top.params.begin(), top.params.end(), top.results.begin(), top.results.end()))
        return fail(msg::if_without_else(ins.offset));
      Frame f;
      if (!pop_frame(ins, f)) return false;
      if (!ctrls_.empty()) push(f.results);
      return true;
    }
    case Op::Br: {
      const Frame* target = label(ins, ins.a);
      if (!target) return false;
      if (!pop(ins, target->labels())) return false;
      set_unreachable();
      return true;
    }
    case Op::BrIf: {
      const Frame* target = label(ins, ins.a);
      if (!target) return false;
      if (!pop(ins, ValType::I32)) return false;
      const auto types = target->labels();
      if (!pop(ins, types)) return false;
      push(types);
      return true;
    }
    case Op::BrTable: {
      if (!pop(ins, ValType::I32)) return false;
      const Frame* def = label(ins, ins.targets[ins.num_targets]);
      if (!def) return false;
      const auto def_types = def->labels();
      for (uint32_t i = 0; i < ins.num_targets; ++i) {
        const Frame* target = label(ins, ins.targets[i]);
        if (!target) return false;
        const auto types = target->labels();
        if (types.size() != def_types.size())
          return fail(msg::br_table_arity(ins.offset, ins.targets[i], types.size(), def_types.size()));
        if (!check_top(ins, types)) return false;
      }
      if (!pop(ins, def_types)) return false;
      set_unreachable();
      return true;
    }
    case Op::Return:
      if (!pop(ins, ctrls_.front().results)) return false;
      set_unreachable();
      return true;
    case Op::Call: {
      if (ins.a >= m_.funcs.size()) return fail(msg::unknown(ins.offset, Space::Func, ins.a));
      if (m_.funcs[ins.a] >= m_.types.size())
        return fail(msg::unknown(ins.offset, Space::Type, m_.funcs[ins.a]));
      const FuncType& t = m_.func_type(ins.a);
      if (!pop(ins, t.params)) return false;
      push(t.results);
      return true;
    }
    case Op::CallIndirect: {
      if (ins.b >= m_.tables.size()) return fail(msg::unknown(ins.offset, Space::Table, ins.b));
      if (ins.a >= m_.types.size()) return fail(msg::unknown(ins.offset, Space::Type, ins.a));
      if (m_.tables[ins.b].elem != ValType::FuncRef)
        return fail(msg::table_elem_type(ins.offset, ins.op, ValType::FuncRef, m_.tables[ins.b].elem));
      const FuncType& t = m_.types[ins.a];
      if (!pop(ins, ValType::I32)) return false;
      if (!pop(ins, t.params)) return false;
      push(t.results);
      return true;
    }

    // -- parametric --
    case Op::Drop:
      return pop_any(ins, ins.type);
    case Op::Select: {
      if (!pop(ins, ValType::I32)) return false;
      ValType a, b;
      if (!pop_any(ins, a) || !pop_any(ins, b)) return false;
      // Untyped select is for numeric and vector operands only.
      if (!is_operand_of_select(a) || !is_operand_of_select(b) ||
          (a != b && a != ValType::Unknown && b != ValType::Unknown))
        return fail(msg::select_operands(ins.offset, b, a));
      ins.type = a == ValType::Unknown ? b : a;
      push(ins.type);
      return true;
    }
    case Op::SelectT: {
      if (ins.num_targets != 1) return fail(msg::invalid_result_arity(ins.offset, ins.num_targets));
      const ValType t = ins.type;
      if (!pop(ins, ValType::I32) || !pop(ins, t) || !pop(ins, t)) return false;
      push(t);
      return true;
    }

    // -- variables --
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee: {
      if (ins.a >= locals_.size()) return fail(msg::unknown(ins.offset, Space::Local, ins.a));
      const ValType t = locals_[ins.a];
      if (ins.op != Op::LocalGet && !pop(ins, t)) return false;
      if (ins.op != Op::LocalSet) push(t);
      return true;
    }
    case Op::GlobalGet:
    case Op::GlobalSet: {
      if (ins.a >= m_.globals.size()) return fail(msg::unknown(ins.offset, Space::Global, ins.a));
      const GlobalType& g = m_.globals[ins.a].type;
      if (ins.op == Op::GlobalGet) {
        push(g.type);
        return true;
      }
      if (!g.mut) return fail(msg::global_immutable(ins.offset, ins.a));
      return pop(ins, g.type);
    }

    // -- tables (index checked in immediates()) --
    case Op::TableGet:
      if (!pop(ins, ValType::I32)) return false;
      push(m_.tables[ins.a].elem);
      return true;
    case Op::TableSet:
      return pop(ins, m_.tables[ins.a].elem) && pop(ins, ValType::I32);
    case Op::TableGrow:
      if (!pop(ins, ValType::I32) || !pop(ins, m_.tables[ins.a].elem)) return false;
      push(ValType::I32);
      return true;
    case Op::TableFill:
      return pop(ins, ValType::I32) && pop(ins, m_.tables[ins.a].elem) && pop(ins, ValType::I32);

    // -- references --
    case Op::RefNull:
      push(ins.type);
      return true;
    case Op::RefIsNull: {
      ValType t;
      if (!pop_any(ins, t)) return false;
      if (!is_ref(t) && t != ValType::Unknown) return fail(msg::ref_expected(ins.offset, ins.op, t));
      push(ValType::I32);
      return true;
    }
    case Op::RefFunc:
      if (ins.a >= m_.funcs.size()) return fail(msg::unknown(ins.offset, Space::Func, ins.a));
      // C.refs: only functions named outside bodies may be taken by ref.func.
      if (ins.a >= m_.declared_func_refs.size() || !m_.declared_func_refs[ins.a])
        return fail(msg::undeclared_func_ref(ins.offset, ins.a));
      push(ValType::FuncRef);
      return true;

    default:
      // An op marked Special in opcodes.def without a rule here.
      return fail(msg::illegal_opcode(ins.offset));
  }
}

// ============================================================================
// Module level
// ============================================================================

namespace {

using msg::Space;

Result<void> check_table_limits(const Limits& l, uint64_t offset) {
  if (l.has_max && l.min > l.max) return msg::limits_min_gt_max(offset, l.min, l.max);
  return {};
}

Result<void> check_memory_limits(const Limits& l, uint64_t offset) {
  if (l.min > kMaxPages || (l.has_max && l.max > kMaxPages)) return msg::memory_too_large(offset);
  if (l.has_max && l.min > l.max) return msg::limits_min_gt_max(offset, l.min, l.max);
  if (l.shared && !l.has_max) return msg::shared_memory_needs_max(offset);
  return {};
}

// Constant expressions (Wasm 2.0): t.const, ref.null, ref.func, and
// global.get of an imported immutable global. Instructions are typed like
// body instructions, so an extended-const op flagged Const would just work.
class ConstExprChecker {
 public:
  explicit ConstExprChecker(const Module& m) : m_(m) {}

  Result<void> check(const ConstExpr& e, ValType expected) {
    const uint64_t at = e.offset;
    stack_.clear();
    for (const ConstInstr& ci : e.instrs) {
      const OpInfo& info = op_info(ci.op);
      if (!(info.flags & OpFlag::Const) || ci.op == Op::End) return msg::constant_required(at, ci.op);
      switch (ci.op) {
        case Op::GlobalGet: {
          // Only imported globals are visible to constant expressions.
          if (ci.index >= m_.num_imported_globals || ci.index >= m_.globals.size())
            return msg::unknown(at, Space::Global, ci.index);
          const GlobalType& g = m_.globals[ci.index].type;
          if (g.mut) return msg::mutable_global_in_const(at, ci.index);
          stack_.push_back(g.type);
          break;
        }
        case Op::RefNull:
          stack_.push_back(ci.type);
          break;
        case Op::RefFunc:
          if (ci.index >= m_.funcs.size()) return msg::unknown(at, Space::Func, ci.index);
          stack_.push_back(ValType::FuncRef);
          break;
        default: {
          if (info.sig == Sig::Special) return msg::constant_required(at, ci.op);
          const SigInfo& sig = sig_info(info.sig);
          for (unsigned i = sig.nparams; i-- > 0;) {
            const ValType got = stack_.empty() ? ValType::Void : stack_.back();
            if (got != sig.params[i]) return msg::type_mismatch(at, ci.op, sig.params[i], got);
            stack_.pop_back();
          }
          if (sig.nresults) stack_.push_back(sig.result);
          break;
        }
      }
    }
    if (stack_.size() != 1 || stack_[0] != expected)
      return msg::const_expr_type(at, expected, stack_.size(), stack_.empty() ? ValType::Void : stack_[0]);
    return {};
  }

 private:
  const Module& m_;
  std::vector<ValType> stack_;
};

}  // namespace

Result<void> validate_module_level(const Module& m, const Features& features) {
  ConstExprChecker consts(m);

  // Imports. Imported tables/memories come first in their index spaces.
  for (const Import& imp : m.imports) {
    switch (imp.kind) {
      case ExternKind::Func:
        if (imp.func_type >= m.types.size()) return msg::unknown(imp.offset, Space::Type, imp.func_type);
        break;
      case ExternKind::Table:
        WGI_TRY(check_table_limits(imp.table.limits, imp.offset));
        break;
      case ExternKind::Memory:
        WGI_TRY(check_memory_limits(imp.memory.limits, imp.offset));
        break;
      case ExternKind::Global:
        break;
    }
  }

  // Defined functions: their type indices.
  const uint64_t func_section = section_offset(m, 3);
  for (size_t i = m.num_imported_funcs; i < m.funcs.size(); ++i)
    if (m.funcs[i] >= m.types.size()) return msg::unknown(func_section, Space::Type, m.funcs[i]);

  const uint64_t table_section = section_offset(m, 4);
  for (size_t i = m.num_imported_tables; i < m.tables.size(); ++i)
    WGI_TRY(check_table_limits(m.tables[i].limits, table_section));

  const uint64_t memory_section = section_offset(m, 5);
  for (size_t i = m.num_imported_memories; i < m.memories.size(); ++i)
    WGI_TRY(check_memory_limits(m.memories[i].limits, memory_section));
  // Wasm 2.0 (and the threads proposal) allow one memory.
  if (m.memories.size() > 1) {
    uint64_t at = memory_section;
    if (m.num_imported_memories > 1) {
      unsigned seen = 0;
      for (const Import& imp : m.imports)
        if (imp.kind == ExternKind::Memory && ++seen == 2) at = imp.offset;
    }
    return msg::multiple_memories(at);
  }

  for (size_t i = m.num_imported_globals; i < m.globals.size(); ++i)
    WGI_TRY(consts.check(m.globals[i].init, m.globals[i].type.type));

  // Exports: known indices, unique names.
  std::unordered_set<std::string_view> names;
  names.reserve(m.exports.size());
  for (const Export& e : m.exports) {
    switch (e.kind) {
      case ExternKind::Func:
        if (e.index >= m.funcs.size()) return msg::unknown(e.offset, Space::Func, e.index);
        break;
      case ExternKind::Table:
        if (e.index >= m.tables.size()) return msg::unknown(e.offset, Space::Table, e.index);
        break;
      case ExternKind::Memory:
        if (e.index >= m.memories.size()) return msg::unknown(e.offset, Space::Memory, e.index);
        break;
      case ExternKind::Global:
        if (e.index >= m.globals.size()) return msg::unknown(e.offset, Space::Global, e.index);
        break;
    }
    if (!names.insert(e.name).second) return msg::duplicate_export(e.offset, e.name);
  }

  if (m.start) {
    const uint64_t at = section_offset(m, 8);
    if (*m.start >= m.funcs.size()) return msg::unknown(at, Space::Func, *m.start);
    const FuncType& t = m.func_type(*m.start);
    if (!t.params.empty() || !t.results.empty()) return msg::start_function_type(at, *m.start);
  }

  for (const ElemSegment& seg : m.elems) {
    if (seg.mode == SegmentMode::Active) {
      if (seg.table >= m.tables.size()) return msg::unknown(seg.file_offset, Space::Table, seg.table);
      WGI_TRY(consts.check(seg.offset, ValType::I32));
      if (m.tables[seg.table].elem != seg.type)
        return msg::elem_segment_type(seg.file_offset, seg.type, m.tables[seg.table].elem);
    }
    for (const ConstExpr& init : seg.inits) WGI_TRY(consts.check(init, seg.type));
  }

  for (const DataSegment& seg : m.datas) {
    if (seg.mode != SegmentMode::Active) continue;
    if (seg.memory >= m.memories.size()) return msg::unknown(seg.file_offset, Space::Memory, seg.memory);
    WGI_TRY(consts.check(seg.offset, ValType::I32));
  }
  // No module-level rule depends on a feature yet: the decoder already
  // rejects the shared-limits flag when threads are off.
  (void)features;
  return {};
}

Result<void> validate_module(const Module& m, const Features& features) {
  if (Result<void> r = validate_module_level(m, features); !r.ok())
    return FunctionValidator(m, features).prefer_malformed_bodies(std::move(r).error());
  return validate_bodies(m, features);
}

Result<void> validate_bodies(const Module& m, const Features& features, unsigned threads) {
  const uint32_t first = m.num_imported_funcs;
  const uint32_t count = static_cast<uint32_t>(m.funcs.size() - first);
  // Chunks of about kChunkBytes of code, taken in turn by the workers.
  constexpr size_t kChunkBytes = 256 << 10;
  std::vector<uint32_t> chunk_start{0};  // function offsets (from `first`)
  size_t bytes = 0;
  for (uint32_t i = 0; i < count && i < m.code.size(); ++i) {
    const FuncBody& b = m.code[i];
    bytes += b.end_offset > b.code_offset ? b.end_offset - b.code_offset : 0;
    if (bytes >= kChunkBytes * chunk_start.size()) chunk_start.push_back(i + 1);
  }
  if (chunk_start.back() != count) chunk_start.push_back(count);
  const size_t chunks = chunk_start.size() - 1;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, chunks));

  // The lowest failing function so far and its error; workers skip chunks
  // after the lowest failing one, but finish those before it.
  std::mutex mutex;
  uint32_t failed = UINT32_MAX;
  Error error;
  std::atomic<size_t> next{0};
  std::atomic<size_t> failed_chunk{SIZE_MAX};
  auto work = [&] {
    FunctionValidator v(m, features);
    NullSink sink;
    for (;;) {
      const size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks || c > failed_chunk.load(std::memory_order_relaxed)) return;
      for (uint32_t i = chunk_start[c]; i < chunk_start[c + 1]; ++i) {
        Result<void> r = validate_function(v, first + i, sink);
        if (r.ok()) continue;
        std::lock_guard<std::mutex> lock(mutex);
        if (first + i < failed) {
          failed = first + i;
          error = std::move(r).error();
        }
        size_t f = failed_chunk.load(std::memory_order_relaxed);
        while (c < f && !failed_chunk.compare_exchange_weak(f, c, std::memory_order_relaxed)) {
        }
        return;
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) {
    try {
      workers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads: the ones we have (at least this one) do it all
    }
  }
  work();
  for (std::thread& w : workers) w.join();
  if (failed == UINT32_MAX) return {};
  return FunctionValidator(m, features).prefer_malformed_bodies(std::move(error));
}

}  // namespace wgi
