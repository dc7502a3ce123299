// The Op enum and per-opcode facts, all generated from opcodes.def.
#pragma once

#include <cstdint>
#include <optional>

#include "decoder/types.h"

namespace wgi {

// What follows an opcode in the binary format.
enum class ImmKind : uint8_t {
  None,
  BlockType,     // block type: 0x40, a value type, or a type index (s33)
  Label,         // label index (u32)
  BrTable,       // vec(label) then default label
  Func,          // function index
  CallIndirect,  // type index, table index
  Local,
  Global,
  Table,         // table index
  Memarg,        // align (u32), offset (u32)
  MemIdx,        // reserved byte that must be 0x00 (memory.size/grow/fill)
  Fence,         // reserved byte that must be 0x00 (atomic.fence)
  I32,           // s32
  I64,           // s64
  F32,           // 4 raw bytes
  F64,           // 8 raw bytes
  V128,          // 16 raw bytes
  SelectT,       // vec(valtype)
  RefType,       // reference type byte (ref.null)
  Lane,          // lane index byte
  MemargLane,    // memarg then lane index byte
  Shuffle,       // 16 lane index bytes
  TableInit,     // elem index, table index
  TableCopy,     // destination table, source table
  Elem,          // elem index
  MemInit,       // data index, reserved 0x00
  Data,          // data index
  MemCopy,       // two reserved 0x00 bytes
};

enum class Sig : uint8_t {
#define WGI_SIG(Name, np, p0, p1, p2, nr, r0) Name,
#include "decoder/opcodes.def"
};

// A signature from the table: params [p0..p(n-1)] and at most one result.
struct SigInfo {
  uint8_t nparams;
  ValType params[3];
  uint8_t nresults;
  ValType result;
};

enum OpFlag : uint8_t {
  Const = 1,    // allowed in constant expressions (Wasm 2.0 set)
  Atomic = 2,   // threads proposal
  Simd = 4,     // fixed-width SIMD
  Comm = 8,     // binary op whose operands may be exchanged (for floats: up
                // to which NaN operand propagates, which the spec leaves open)
  Signed = 16,  // narrow load that sign-extends to its result type
};

// What an op does where its signature does not say it (opcodes.def, column
// `kind`).
enum class OpKind : uint8_t {
  None,
  // Scalar comparisons: the relation (S/U: signed/unsigned integers; the
  // unsuffixed orders are the float ones).
  Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU, Lt, Gt, Le, Ge,
  // Threads-proposal memory operations.
  Load, Store, Add, Sub, And, Or, Xor, Xchg, Cmpxchg, Wait, Notify, Fence,
};

enum class Op : uint16_t {
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) Name,
#include "decoder/opcodes.def"
  Count_
};

inline constexpr unsigned kOpCount = static_cast<unsigned>(Op::Count_);

struct OpInfo {
  uint8_t prefix;     // 0 for single-byte opcodes
  uint32_t code;      // code (after the prefix)
  const char* name;   // text-format name
  ImmKind imm;
  Sig sig;
  uint8_t bytes;      // memory access width (or lane count for lane ops)
  uint8_t flags;      // OpFlag bits
  OpKind kind;
};

// The tables are constexpr so that the interpreter can stamp its handlers
// from them at compile time (interp/exec.cc reads an op's kind, width and
// signature as constants).
namespace opcodes_detail {
inline constexpr ValType I = ValType::I32, L = ValType::I64, F = ValType::F32, D = ValType::F64,
                         V = ValType::V128, X = ValType::Void;
}  // namespace opcodes_detail

inline constexpr SigInfo kSigInfo[] = {
#define WGI_SIG(Name, np, p0, p1, p2, nr, r0)                                              \
  {np, {opcodes_detail::p0, opcodes_detail::p1, opcodes_detail::p2}, nr, opcodes_detail::r0},
#include "decoder/opcodes.def"
};

inline constexpr OpInfo kOpInfo[kOpCount] = {
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) \
  {prefix, code, text, ImmKind::imm, Sig::sig, bytes, flags, OpKind::kind},
#include "decoder/opcodes.def"
};

constexpr const OpInfo& op_info(Op op) { return kOpInfo[static_cast<unsigned>(op)]; }
constexpr const char* op_name(Op op) { return op_info(op).name; }
constexpr const SigInfo& sig_info(Sig s) { return kSigInfo[static_cast<unsigned>(s)]; }

// The reverse of the table: the Op of each (prefix, code), kNoOpIndex where
// there is none. Rows for the prefixes 0 (single-byte opcodes), 0xFC, 0xFD
// and 0xFE; codes after a prefix above 0xFF name nothing.
inline constexpr uint16_t kNoOpIndex = 0xFFFF;
struct OpLookup {
  uint16_t single[256], fc[256], fd[256], fe[256];
};
extern const OpLookup kOpLookup;

// Maps (prefix, code) in a binary to an Op; nullopt for unknown opcodes.
// prefix is 0 for single-byte opcodes. Inline: the decoder calls it for
// every instruction, and g++ returns an out-of-line optional<Op> through
// the stack in a way that stalls the CPU.
inline std::optional<Op> lookup_op(uint8_t prefix, uint32_t code) {
  if (code > 0xFF) return std::nullopt;
  uint16_t v;
  switch (prefix) {
    case 0x00: v = kOpLookup.single[code]; break;
    case 0xFC: v = kOpLookup.fc[code]; break;
    case 0xFD: v = kOpLookup.fd[code]; break;
    case 0xFE: v = kOpLookup.fe[code]; break;
    default: return std::nullopt;
  }
  if (v == kNoOpIndex) return std::nullopt;
  return static_cast<Op>(v);
}

// Natural alignment exponent of a memory op: log2(bytes).
constexpr uint32_t natural_align_log2(Op op) {
  uint32_t b = op_info(op).bytes, l = 0;
  while ((1u << l) < b) ++l;
  return l;
}

}  // namespace wgi
