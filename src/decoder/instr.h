// Instr: one decoded and validated instruction, as the validator hands it to
// a sink (the compiler, the disassembler, or nothing).
#pragma once

#include <cstdint>

#include "decoder/opcodes.h"
#include "decoder/types.h"

namespace wgi {

struct BlockType {
  enum Kind : uint8_t { Empty, Value, Index };
  Kind kind = Empty;
  ValType value = ValType::Void;  // Kind::Value
  uint32_t index = 0;             // Kind::Index: a type index
};

struct Instr {
  Op op = Op::Nop;
  uint32_t offset = 0;  // absolute file offset of the opcode's first byte

  // Immediates, by ImmKind:
  //   Label, Func, Local, Global, Table, Elem, Data:  a = the index
  //   CallIndirect: a = type index, b = table index
  //   TableInit: a = elem index, b = table index
  //   TableCopy: a = destination table, b = source table
  //   MemInit: a = data index
  //   Memarg: a = alignment exponent, imm = offset; MemargLane: also b = lane
  //   Lane: b = lane
  //   I32: imm = the value's 32 bits zero-extended; I64: imm = the bits
  //   F32 / F64: imm = the bits
  //   V128, Shuffle: imm = bytes 0..7, imm_hi = bytes 8..15 (little-endian)
  //   SelectT: type = the first type, num_targets = how many were given
  //   RefType: type
  //   BrTable: targets[0..num_targets) then the default at targets[num_targets]
  uint32_t a = 0;
  uint32_t b = 0;
  uint64_t imm = 0;
  uint64_t imm_hi = 0;
  BlockType block;
  ValType type = ValType::Unknown;
  const uint32_t* targets = nullptr;
  uint32_t num_targets = 0;

  // Filled in by the validator:
  //  - for drop / select (both forms): the type of the dropped/selected
  //    operand (ValType::Unknown when the stack is polymorphic);
  //  - unreachable: the instruction is dead code (after br/return/...
  //    in the current block), so a compiler may skip it.
  bool unreachable = false;
};

}  // namespace wgi
