#include "decoder/types.h"

namespace wgi {

// Names as the text format spells them; Void and Unknown are wgi's own and
// only show up in diagnostics.
const char* valtype_name(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
    case ValType::Void: return "void";
    case ValType::Unknown: return "unknown";
  }
  return "<bad valtype>";
}

std::span<const ValType> single_type(ValType t) {
  static constexpr ValType kTypes[] = {ValType::I32,  ValType::I64,     ValType::F32,      ValType::F64,
                                       ValType::V128, ValType::FuncRef, ValType::ExternRef};
  for (const ValType& k : kTypes)
    if (k == t) return {&k, 1};
  return {};
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "<bad extern kind>";
}

}  // namespace wgi
