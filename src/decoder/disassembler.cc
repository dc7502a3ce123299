#include "decoder/disassembler.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "decoder/format.h"

namespace wgi {

namespace {

void appendf(std::string& s, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string& s, const char* fmt, ...) {
  char buf[128];
  va_list ap;
  va_start(ap, fmt);
  int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) s.append(buf, std::min<size_t>(size_t(n), sizeof buf - 1));
}

// Floats print as the shortest decimal that reads back to the same bits;
// NaNs keep their payload, as in the text format ("nan:0x200000").
std::string format_f32(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  std::string s = (bits >> 31) ? "-" : "";
  if (std::isnan(f)) {
    appendf(s, "nan:0x%" PRIx32, bits & 0x7FFFFF);
  } else if (std::isinf(f)) {
    s += "inf";
  } else {
    s.clear();
    appendf(s, "%.9g", double(f));
  }
  return s;
}

std::string format_f64(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  std::string s = (bits >> 63) ? "-" : "";
  if (std::isnan(d)) {
    appendf(s, "nan:0x%" PRIx64, bits & uint64_t{0xFFFFFFFFFFFFF});
  } else if (std::isinf(d)) {
    s += "inf";
  } else {
    s.clear();
    appendf(s, "%.17g", d);
  }
  return s;
}

std::string format_v128(uint64_t lo, uint64_t hi) {
  std::string s = "i32x4";
  appendf(s, " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32, uint32_t(lo),
          uint32_t(lo >> 32), uint32_t(hi), uint32_t(hi >> 32));
  return s;
}

// s += " " + text, written so that g++ 12 does not warn (-Wrestrict false
// positive on `const char* + std::string&&`).
void append_word(std::string& s, std::string_view text) {
  s += ' ';
  s += text;
}

const char* ref_heap_name(ValType t) { return t == ValType::ExternRef ? "extern" : "func"; }

void append_func_ref(std::string& s, const Module& m, uint32_t func) {
  appendf(s, " %" PRIu32, func);
  if (const std::string* name = m.func_name(func)) append_word(s, quote_name(*name));
}

}  // namespace

std::string format_instr(const Module& m, const Instr& ins) {
  const OpInfo& info = op_info(ins.op);
  std::string s = info.name;
  switch (info.imm) {
    case ImmKind::None:
    case ImmKind::MemIdx:
    case ImmKind::Fence:
    case ImmKind::MemCopy:
      break;
    case ImmKind::BlockType:
      if (ins.block.kind == BlockType::Value) appendf(s, " (result %s)", valtype_name(ins.block.value));
      else if (ins.block.kind == BlockType::Index) appendf(s, " (type %" PRIu32 ")", ins.block.index);
      break;
    case ImmKind::Func:
      append_func_ref(s, m, ins.a);
      break;
    case ImmKind::Label:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Elem:
    case ImmKind::Data:
    case ImmKind::MemInit:
      appendf(s, " %" PRIu32, ins.a);
      break;
    case ImmKind::BrTable:
      for (uint32_t i = 0; i <= ins.num_targets; ++i) appendf(s, " %" PRIu32, ins.targets[i]);
      break;
    case ImmKind::CallIndirect:
      appendf(s, " (type %" PRIu32 ")", ins.a);
      if (ins.b != 0) appendf(s, " (table %" PRIu32 ")", ins.b);
      break;
    case ImmKind::Memarg:
    case ImmKind::MemargLane: {
      if (ins.imm != 0) appendf(s, " offset=%" PRIu64, ins.imm);
      // The natural alignment is the default and is left out, as in the
      // text format; the exponent is at most log2(16) after validation.
      if (ins.a != natural_align_log2(ins.op) && ins.a < 64)
        appendf(s, " align=%" PRIu64, uint64_t{1} << ins.a);
      if (info.imm == ImmKind::MemargLane) appendf(s, " %" PRIu32, ins.b);
      break;
    }
    case ImmKind::I32:
      appendf(s, " %" PRId32, int32_t(uint32_t(ins.imm)));
      break;
    case ImmKind::I64:
      appendf(s, " %" PRId64, int64_t(ins.imm));
      break;
    case ImmKind::F32:
      append_word(s, format_f32(uint32_t(ins.imm)));
      break;
    case ImmKind::F64:
      append_word(s, format_f64(ins.imm));
      break;
    case ImmKind::V128:
      append_word(s, format_v128(ins.imm, ins.imm_hi));
      break;
    case ImmKind::Shuffle:
      for (int i = 0; i < 16; ++i)
        appendf(s, " %u", unsigned(((i < 8 ? ins.imm : ins.imm_hi) >> (8 * (i % 8))) & 0xFF));
      break;
    case ImmKind::SelectT:
      if (ins.num_targets > 0) appendf(s, " (result %s)", valtype_name(ins.type));
      break;
    case ImmKind::RefType:
      s += std::string(" ") + ref_heap_name(ins.type);
      break;
    case ImmKind::Lane:
      appendf(s, " %" PRIu32, ins.b);
      break;
    case ImmKind::TableInit:  // text order: table, then element segment
      appendf(s, " %" PRIu32 " %" PRIu32, ins.b, ins.a);
      break;
    case ImmKind::TableCopy:  // destination, source
      appendf(s, " %" PRIu32 " %" PRIu32, ins.a, ins.b);
      break;
  }
  return s;
}

std::string format_const_expr(const Module& m, const ConstExpr& e) {
  std::string s;
  for (const ConstInstr& ci : e.instrs) {
    if (!s.empty()) s += " ";
    const OpInfo& info = op_info(ci.op);
    s += info.name;
    switch (info.imm) {
      case ImmKind::I32: appendf(s, " %" PRId32, int32_t(uint32_t(ci.value))); break;
      case ImmKind::I64: appendf(s, " %" PRId64, int64_t(ci.value)); break;
      case ImmKind::F32: append_word(s, format_f32(uint32_t(ci.value))); break;
      case ImmKind::F64: append_word(s, format_f64(ci.value)); break;
      case ImmKind::V128: append_word(s, format_v128(ci.value, ci.value_hi)); break;
      case ImmKind::RefType: s += std::string(" ") + ref_heap_name(ci.type); break;
      case ImmKind::Func: append_func_ref(s, m, ci.index); break;
      case ImmKind::Global: appendf(s, " %" PRIu32, ci.index); break;
      default: break;  // extended-const arithmetic has no immediates
    }
  }
  return s.empty() ? "(empty)" : s;
}

void Disassembler::begin_function(uint32_t func_index, const FuncType& type,
                                  std::span<const ValType> locals) {
  depth_ = 0;
  appendf(*out_, "func %" PRIu32, func_index);
  if (const std::string* name = m_.func_name(func_index)) append_word(*out_, quote_name(*name));
  append_word(*out_, format_func_type(type));
  *out_ += "\n";
  if (locals.size() > type.params.size()) {
    *out_ += "  locals:";
    for (size_t i = type.params.size(); i < locals.size(); ++i) append_word(*out_, valtype_name(locals[i]));
    *out_ += "\n";
  }
}

void Disassembler::instr(const Instr& ins) {
  // `else` and `end` close what the block opened, so they sit at the
  // block's own level; the function's final `end` is at level 0.
  if ((ins.op == Op::End || ins.op == Op::Else) && depth_ > 0) --depth_;
  appendf(*out_, "  0x%06" PRIx32 "  ", ins.offset);
  out_->append(2 * size_t(depth_), ' ');
  *out_ += format_instr(m_, ins);
  *out_ += "\n";
  if (ins.op == Op::Block || ins.op == Op::Loop || ins.op == Op::If || ins.op == Op::Else) ++depth_;
}

void Disassembler::end_function() {}

Result<void> disassemble_function(const Module& m, uint32_t func_index, std::string* out,
                                  const Features& features) {
  Disassembler sink(m, out);
  return validate_function(m, func_index, sink, features);
}

}  // namespace wgi
