// read_instr: decodes one instruction (opcode and immediates) from a Reader.
//
// Shared by the validator (function bodies) and the decoder (constant
// expressions), so every immediate is decoded in exactly one place. It checks
// only the binary format (LEB bounds, reserved zero bytes, known opcodes and
// value types); index ranges and types are the validator's business.
#pragma once

#include <vector>

#include "decoder/decoder.h"
#include "decoder/instr.h"
#include "decoder/reader.h"

namespace wgi {

// Decodes a value type byte; "malformed value type" style errors otherwise.
Result<ValType> read_valtype(Reader& r);
// Decodes a reference type byte (funcref/externref).
Result<ValType> read_reftype(Reader& r);

// Reads the instruction at r.pos() into `out`. br_table targets are stored in
// `scratch` (out.targets points into it, valid until the next call).
Result<void> read_instr(Reader& r, Instr& out, std::vector<uint32_t>& scratch,
                        const Features& features);

// The common case of read_instr, inline, for the validator's loop: a
// one-byte opcode with no immediate, or with immediates that are one-byte
// LEBs (an index, a small i32 constant, a memarg). Reads it into `out` and
// returns true; returns false, having consumed nothing, for anything else
// (read_instr then decodes it, errors included). Most instructions of
// compiled code take this path, which is half of validation's time.
inline bool read_instr_fast(Reader& r, Instr& out) {
  if (r.remaining() < 3) return false;  // peeks at up to 3 bytes
  const uint8_t* p = r.data() + r.pos();
  const uint16_t index = kOpLookup.single[p[0]];  // the prefixes map to none
  if (index == kNoOpIndex) return false;
  static constexpr Instr kBlank{};  // copied, not built: see read_instr
  size_t len = 1;
  switch (kOpInfo[index].imm) {
    case ImmKind::None:
      out = kBlank;
      break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
      if (p[1] & 0x80) return false;
      out = kBlank;
      out.a = p[1];
      len = 2;
      break;
    case ImmKind::I32:
      if (p[1] & 0x80) return false;
      out = kBlank;
      // A one-byte s32: bit 6 is the sign.
      out.imm = static_cast<uint32_t>(static_cast<int32_t>(p[1] << 25) >> 25);
      len = 2;
      break;
    case ImmKind::Memarg:
      if ((p[1] | p[2]) & 0x80) return false;
      out = kBlank;
      out.a = p[1];
      out.imm = p[2];
      len = 3;
      break;
    default:
      return false;
  }
  out.offset = static_cast<uint32_t>(r.pos());
  out.op = static_cast<Op>(index);
  r.advance(len);
  return true;
}

}  // namespace wgi
