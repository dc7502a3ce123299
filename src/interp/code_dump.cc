#include "interp/code_dump.h"

#include <algorithm>
#include <cassert>
#include <cinttypes>
#include <cstdio>
#include <unordered_map>

#include "decoder/format.h"

namespace wgi::interp {

namespace {

// Where an instruction keeps whole words (code.h): `lead` words between the
// handler word and the 32-bit fields, `trail` words after them. These are
// the only layout facts the fields do not show; everything else is fields.
struct WordLayout {
  unsigned lead = 0;
  unsigned trail = 0;
};

WordLayout word_layout(IOp op) {
  const IOpInfo& info = iop_info(op);
  if (info.generated) {
    if (variant_info(info.variant).immediate()) return {0, 1};  // the operand
    if (op_info(info.op).imm == ImmKind::Shuffle) return {0, 2};  // 16 lane bytes
    return {};
  }
  switch (op) {
    case IOp::Call: return {1, 0};  // w1 = CompiledFunc*
    case IOp::Const64: return {0, 1};
    case IOp::Const128: return {0, 2};
    default: return {};
  }
}

// The value type of an instruction's immediate word, where there is one
// that is an operand of the operation (Void for constants of unknown type,
// v128 halves and shuffle lanes).
ValType imm_type(IOp op) {
  const IOpInfo& info = iop_info(op);
  if (!info.generated || !variant_info(info.variant).immediate()) return ValType::Void;
  return sig_info(op_info(info.op).sig).params[1];  // the second operand is the immediate
}

std::string format_imm(uint64_t v, ValType t) {
  char buf[32];
  if (t == ValType::I32)
    std::snprintf(buf, sizeof buf, "%" PRId32, static_cast<int32_t>(static_cast<uint32_t>(v)));
  else if (t == ValType::I64)
    std::snprintf(buf, sizeof buf, "%" PRId64, static_cast<int64_t>(v));
  else
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

}  // namespace

IOp iop_at_handler(const void* handler) {
  static const std::unordered_map<const void*, IOp> by_address = [] {
    std::unordered_map<const void*, IOp> map;
    const void* const* table = handler_table();
    for (unsigned i = 0; i < kIOpCount; ++i) map.emplace(table[i], static_cast<IOp>(i));
    return map;
  }();
  auto it = by_address.find(handler);
  return it == by_address.end() ? kNoIOp : it->second;
}

std::vector<CodeInstr> decode_function(const CompiledModule& cm, const CompiledFunc& f) {
  const Word* const code = cm.ensure_compiled(f);
  std::vector<CodeInstr> out;
  for (uint32_t i = 0; i < f.pc_map_size; ++i) {
    CodeInstr ins;
    ins.word = f.pc_map[i].word;
    ins.wasm_offset = f.pc_map[i].wasm_offset;
    const uint32_t end = i + 1 < f.pc_map_size ? f.pc_map[i + 1].word : f.code_words;
    ins.size = end - ins.word;
    ins.op = iop_at_handler(code[ins.word].h);
    const WordLayout layout = ins.op == kNoIOp ? WordLayout{} : word_layout(ins.op);
    assert(ins.size >= 1 + layout.lead + layout.trail);
    uint32_t w = ins.word + 1;
    if (layout.lead) {  // only call has one
      const auto* callee = static_cast<const CompiledFunc*>(code[w].ptr);
      ins.callee = callee->func_index;
      w += layout.lead;
    }
    for (; w < end - layout.trail; ++w) {
      ins.fields.push_back(code[w].i32[0]);
      ins.fields.push_back(code[w].i32[1]);
    }
    for (; w < end; ++w) ins.imms.push_back(code[w].u64);
    out.push_back(std::move(ins));
  }
  return out;
}

std::string format_code_instr(const CodeInstr& ins) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%6" PRIu32 "  %-24s", ins.word,
                ins.op == kNoIOp ? "?" : iop_name(ins.op));
  std::string s = buf;
  const size_t operands_at = s.size();
  if (ins.callee) s.append(" func ").append(std::to_string(*ins.callee));
  for (int32_t v : ins.fields) s.append(" ").append(std::to_string(v));
  const ValType t = ins.op == kNoIOp ? ValType::Void : imm_type(ins.op);
  for (uint64_t v : ins.imms) s.append(" imm=").append(format_imm(v, t));
  // The wasm offsets in a column of their own where the operands allow.
  s.resize(std::max(s.size(), operands_at + 20), ' ');
  std::snprintf(buf, sizeof buf, "  @0x%" PRIx32, ins.wasm_offset);
  return s.append(buf);
}

std::string format_compiled_function(const CompiledModule& cm, const CompiledFunc& f) {
  const Module& m = *cm.module;
  std::string s = "func " + std::to_string(f.func_index);
  if (const std::string* name = m.func_name(f.func_index)) s.append(" ").append(quote_name(*name));
  // The hidden zero slot is the last local slot (compiler.cc): constant
  // addresses and zero operands read it.
  s.append(" ").append(format_func_type(m.func_type(f.func_index)));
  const std::vector<CodeInstr> code = decode_function(cm, f);  // compiles f if need be
  char buf[128];
  std::snprintf(buf, sizeof buf,
                ": %" PRIu32 " words; slots: params %" PRIu32 ", locals %" PRIu32
                " (slot %" PRIu32 " stays zero), frame %" PRIu32 "\n",
                f.code_words, f.param_slots, f.local_slots, f.local_slots - 1,
                f.loaded_frame_slots());
  s += buf;
  for (const CodeInstr& ins : code) s.append(format_code_instr(ins)).append("\n");
  return s;
}

}  // namespace wgi::interp
