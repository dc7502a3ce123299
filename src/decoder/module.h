// wgi::Module: a decoded (and, after validate_module, validated) module.
//
// A Module is immutable once decoding and validation finish. It owns a copy
// of the input bytes; function bodies and data segments are byte ranges into
// them, so offsets stay absolute file offsets everywhere (error messages,
// trap reports, trace locations). Instances, threads and the compiled code
// only ever read it, so one Module can be shared by every thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "decoder/opcodes.h"
#include "decoder/types.h"

namespace wgi {

// One instruction of a constant expression (Wasm 2.0: i32/i64/f32/f64/v128
// const, ref.null, ref.func, global.get; extended-const adds arithmetic).
struct ConstInstr {
  Op op = Op::Nop;
  uint64_t value = 0;     // integer value / float bits / v128 low half
  uint64_t value_hi = 0;  // v128 high half
  uint32_t index = 0;     // global.get / ref.func index
  ValType type = ValType::Unknown;  // ref.null
};

struct ConstExpr {
  std::vector<ConstInstr> instrs;  // without the final `end`
  uint32_t offset = 0;             // file offset of the first byte
};

struct Import {
  std::string module;
  std::string field;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // kind == Func: type index
  TableType table;         // kind == Table
  MemoryType memory;       // kind == Memory
  GlobalType global;       // kind == Global
  uint32_t offset = 0;     // file offset of the import entry
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
  uint32_t offset = 0;
};

struct Global {
  GlobalType type;
  bool imported = false;
  ConstExpr init;  // empty for imports
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  ValType type = ValType::FuncRef;
  uint32_t table = 0;              // Active only
  ConstExpr offset;                // Active only
  std::vector<ConstExpr> inits;    // each ref.func x / ref.null t / global.get
  uint32_t file_offset = 0;        // where the segment starts
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  // Active or Passive
  uint32_t memory = 0;
  ConstExpr offset;                // Active only
  uint32_t data_offset = 0;        // the bytes: Module::bytes[data_offset, +data_size)
  uint32_t data_size = 0;
  uint32_t file_offset = 0;
};

// A defined function's code entry.
struct FuncBody {
  std::vector<ValType> locals;     // declared locals only (params excluded)
  uint32_t entry_offset = 0;       // offset of the entry's size field
  uint32_t code_offset = 0;        // first instruction byte
  uint32_t end_offset = 0;         // one past the final `end`
};

struct Names {
  std::optional<std::string> module;
  std::unordered_map<uint32_t, std::string> funcs;
  std::unordered_map<uint32_t, std::unordered_map<uint32_t, std::string>> locals;
  std::unordered_map<uint32_t, std::string> globals;  // extended name section, subsection 7
};

struct SectionInfo {
  uint8_t id = 0;
  uint32_t offset = 0;   // offset of the section id byte
  uint32_t content_offset = 0;
  uint32_t size = 0;     // content size
  std::string name;      // custom sections only
};

struct Module {
  std::vector<uint8_t> bytes;

  std::vector<FuncType> types;
  std::vector<Import> imports;

  // Index spaces; imports come first in each.
  std::vector<uint32_t> funcs;        // type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<Global> globals;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<FuncBody> code;         // one per defined function
  Names names;
  std::vector<SectionInfo> sections;  // in file order, custom sections included

  // C.refs of the spec: functions named by ref.func/func indices outside
  // function bodies (element segments, global initialisers, exports). A
  // `ref.func x` inside a body is valid only for these. Filled by the decoder.
  std::vector<bool> declared_func_refs;

  const FuncType& func_type(uint32_t func_index) const { return types[funcs[func_index]]; }
  bool func_is_imported(uint32_t func_index) const { return func_index < num_imported_funcs; }
  const FuncBody& body(uint32_t func_index) const { return code[func_index - num_imported_funcs]; }
  std::span<const uint8_t> data_bytes(const DataSegment& d) const {
    return {bytes.data() + d.data_offset, d.data_size};
  }
  // The name-section name of a function, else nullptr.
  const std::string* func_name(uint32_t func_index) const {
    auto it = names.funcs.find(func_index);
    return it == names.funcs.end() ? nullptr : &it->second;
  }
  const Export* find_export(std::string_view name) const {
    for (const auto& e : exports)
      if (e.name == name) return &e;
    return nullptr;
  }
};

}  // namespace wgi
