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

}  // namespace wgi
