#include "decoder/instr_reader.h"

#include "decoder/messages.h"

namespace wgi {

Result<ValType> read_valtype(Reader& r) {
  const size_t at = r.pos();
  WGI_TRY_ASSIGN(uint8_t b, r.u8());
  switch (b) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
      return static_cast<ValType>(b);
    default:
      return msg::malformed_value_type(at);
  }
}

Result<ValType> read_reftype(Reader& r) {
  const size_t at = r.pos();
  WGI_TRY_ASSIGN(uint8_t b, r.u8());
  if (b == 0x70 || b == 0x6F) return static_cast<ValType>(b);
  return msg::malformed_reference_type(at);
}

namespace {

Result<void> zero_byte(Reader& r) {
  const size_t at = r.pos();
  WGI_TRY_ASSIGN(uint8_t b, r.u8());
  if (b != 0) return msg::zero_byte_expected(at);
  return {};
}

Result<void> read_memarg(Reader& r, Instr& out) {
  WGI_TRY_ASSIGN(out.a, r.u32());
  WGI_TRY_ASSIGN(uint32_t off, r.u32());
  out.imm = off;
  return {};
}

}  // namespace

Result<void> read_instr(Reader& r, Instr& out, std::vector<uint32_t>& scratch,
                        const Features& features) {
  // Copied from a constant: `out = Instr{}` made g++ build the blank value
  // on the stack with narrow stores and copy it with wide loads, which the
  // CPU cannot forward (a stall per instruction: most of validation's time).
  static constexpr Instr kBlank{};
  out = kBlank;
  out.offset = static_cast<uint32_t>(r.pos());
  WGI_TRY_ASSIGN(uint8_t first, r.u8());
  uint8_t prefix = 0;
  uint32_t code = first;
  if (first == 0xFC || first == 0xFD || first == 0xFE) {
    prefix = first;
    WGI_TRY_ASSIGN(code, r.u32());
  }
  auto op = lookup_op(prefix, code);
  if (!op) return msg::illegal_opcode(out.offset);
  if ((op_info(*op).flags & OpFlag::Atomic) && !features.threads)
    return msg::atomic_needs_threads(out.offset, *op);
  out.op = *op;

  switch (op_info(*op).imm) {
    case ImmKind::None: {
      break;
    }
    case ImmKind::BlockType: {
      const size_t at = r.pos();
      Reader type_index = r;  // a copy at the first byte, to reread an index as an s33
      WGI_TRY_ASSIGN(uint8_t b, r.u8());
      if (b == 0x40) {
        out.block.kind = BlockType::Empty;
      } else if (b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x7B || b == 0x70 ||
                 b == 0x6F) {
        out.block.kind = BlockType::Value;
        out.block.value = static_cast<ValType>(b);
      } else {
        // A type index, encoded as a non-negative s33.
        WGI_TRY_ASSIGN(int64_t idx, type_index.s33());
        if (idx < 0) return msg::malformed_value_type(at);
        r = type_index;
        out.block.kind = BlockType::Index;
        out.block.index = static_cast<uint32_t>(idx);
      }
      break;
    }
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Elem:
    case ImmKind::Data: {
      WGI_TRY_ASSIGN(out.a, r.u32());
      break;
    }
    case ImmKind::BrTable: {
      WGI_TRY_ASSIGN(uint32_t n, r.u32());
      // Each target needs at least one byte: reject absurd counts before
      // allocating, so a corrupt count cannot exhaust memory.
      if (n > r.remaining()) return r.fail_end();
      scratch.resize(size_t(n) + 1);
      for (uint32_t i = 0; i <= n; ++i) {
        WGI_TRY_ASSIGN(scratch[i], r.u32());
      }
      out.targets = scratch.data();
      out.num_targets = n;
      break;
    }
    case ImmKind::CallIndirect:
    case ImmKind::TableInit:
    case ImmKind::TableCopy: {
      WGI_TRY_ASSIGN(out.a, r.u32());
      WGI_TRY_ASSIGN(out.b, r.u32());
      break;
    }
    case ImmKind::Memarg: {
      WGI_TRY(read_memarg(r, out));
      break;
    }
    case ImmKind::MemargLane: {
      WGI_TRY(read_memarg(r, out));
      WGI_TRY_ASSIGN(uint8_t lane, r.u8());
      out.b = lane;
      break;
    }
    case ImmKind::MemIdx:
    case ImmKind::Fence: {
      WGI_TRY(zero_byte(r));
      break;
    }
    case ImmKind::I32: {
      WGI_TRY_ASSIGN(int32_t v, r.s32());
      out.imm = static_cast<uint32_t>(v);
      break;
    }
    case ImmKind::I64: {
      WGI_TRY_ASSIGN(int64_t v, r.s64());
      out.imm = static_cast<uint64_t>(v);
      break;
    }
    case ImmKind::F32: {
      WGI_TRY_ASSIGN(uint32_t bits, r.u32_fixed());
      out.imm = bits;
      break;
    }
    case ImmKind::F64: {
      WGI_TRY_ASSIGN(out.imm, r.u64_fixed());
      break;
    }
    case ImmKind::V128:
    case ImmKind::Shuffle: {
      WGI_TRY_ASSIGN(out.imm, r.u64_fixed());
      WGI_TRY_ASSIGN(out.imm_hi, r.u64_fixed());
      break;
    }
    case ImmKind::SelectT: {
      WGI_TRY_ASSIGN(uint32_t n, r.u32());
      // Wasm 2.0 allows exactly one type; the count is checked by the
      // validator ("invalid result arity"), but the types must decode.
      if (n > r.remaining()) return r.fail_end();
      for (uint32_t i = 0; i < n; ++i) {
        WGI_TRY_ASSIGN(ValType t, read_valtype(r));
        if (i == 0) out.type = t;
      }
      out.num_targets = n;  // the arity, for the validator's check
      break;
    }
    case ImmKind::RefType: {
      WGI_TRY_ASSIGN(out.type, read_reftype(r));
      break;
    }
    case ImmKind::Lane: {
      WGI_TRY_ASSIGN(uint8_t lane, r.u8());
      out.b = lane;
      break;
    }
    case ImmKind::MemInit: {
      WGI_TRY_ASSIGN(out.a, r.u32());
      WGI_TRY(zero_byte(r));
      break;
    }
    case ImmKind::MemCopy: {
      WGI_TRY(zero_byte(r));
      WGI_TRY(zero_byte(r));
      break;
    }
  }
  return {};
}

}  // namespace wgi
