// Wasm types as they appear in the binary format.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wgi {

// Value types use their binary encodings, so decoding is a range check.
// Void is wgi's "no type" (unused signature slots); Unknown is the
// validator's bottom type on a polymorphic stack.
enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
  Void = 0x40,
  Unknown = 0x00,
};

inline bool is_ref(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
inline bool is_num(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
const char* valtype_name(ValType t);  // "i32", "funcref", ...
// The one-element list [t] (the results of a block type like (result i32)),
// in static storage so that it may be kept; empty when t is not a value type.
std::span<const ValType> single_type(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType&) const = default;
};

struct Limits {
  uint64_t min = 0;
  uint64_t max = 0;
  bool has_max = false;
  bool shared = false;  // threads proposal (memories only)
  bool operator==(const Limits&) const = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };
const char* extern_kind_name(ExternKind k);  // "func", "table", ...

inline constexpr uint32_t kPageSize = 65536;
inline constexpr uint32_t kMaxPages = 65536;  // 4 GiB for 32-bit memories

}  // namespace wgi
