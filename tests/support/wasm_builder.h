// WasmBuilder: writes WebAssembly module bytes for tests.
//
// Three layers, use whichever is most convenient:
//
//  1. Byte helpers: leb_u32/leb_s32/leb_s64/leb_u64, name_bytes, cat(...),
//     section(id, content) and module_bytes({sections...}). Exact control of
//     every byte, for decoder tests that point at offsets.
//
//  2. Code: a chainable instruction writer that takes opcodes from the
//     opcode table (`Code().local_get(0).i32_const(1).op(Op::I32Add)`).
//
//  3. WasmBuilder: add types, imports, functions, tables, memories, globals,
//     exports, segments; build() emits the sections in canonical order.
//     raw_section() replaces (or adds) one section's content verbatim and
//     custom() places a custom section, so a structured module can carry
//     one deliberately broken part. code_offset(i) says where a body's
//     instructions start, for tests that state error offsets.
//
//       auto bytes = WasmBuilder()
//                        .func({ValType::I32}, {ValType::I32},
//                              Code().local_get(0).i32_const(1).op(Op::I32Add), "inc")
//                        .build();
//
// Offsets: the header is 8 bytes, so the first section id is at offset 8,
// its size at 9 and (for sizes < 128) its content at 10.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decoder/opcodes.h"
#include "decoder/types.h"

namespace wgi::test {

using Bytes = std::vector<uint8_t>;

// ---- byte helpers ------------------------------------------------------------

inline void put_u64(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}
inline void put_u32(Bytes& out, uint32_t v) { put_u64(out, v); }

inline void put_s64(Bytes& out, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7F;
    v >>= 7;  // arithmetic shift
    const bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return;
  }
}
inline void put_s32(Bytes& out, int32_t v) { put_s64(out, v); }

inline Bytes leb_u32(uint32_t v) { Bytes b; put_u32(b, v); return b; }
inline Bytes leb_u64(uint64_t v) { Bytes b; put_u64(b, v); return b; }
inline Bytes leb_s32(int32_t v) { Bytes b; put_s32(b, v); return b; }
inline Bytes leb_s64(int64_t v) { Bytes b; put_s64(b, v); return b; }

// Concatenates byte vectors: cat(Bytes{0x01}, leb_u32(300), name_bytes("x")).
inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }
template <class... Parts>
Bytes cat(const Parts&... parts) {
  Bytes out;
  (append(out, Bytes(parts)), ...);
  return out;
}
// The same for one braced list, whose inner lists need no type:
// cat({leb_u32(300), {0x6A, 0x1A}}).
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) append(out, p);
  return out;
}

// A name: u32 length then the bytes (not checked for UTF-8, so tests can
// write malformed ones).
inline Bytes name_bytes(std::string_view s) {
  Bytes b = leb_u32(static_cast<uint32_t>(s.size()));
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

// vec(x): a count then the already-encoded elements.
inline Bytes vec(uint32_t count, const Bytes& elems) { return cat(leb_u32(count), elems); }

inline uint8_t byte(ValType t) { return static_cast<uint8_t>(t); }

inline constexpr uint8_t kMagicAndVersion[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

// id, size, content.
inline Bytes section(uint8_t id, const Bytes& content) {
  return cat(Bytes{id}, leb_u32(static_cast<uint32_t>(content.size())), content);
}

// The header followed by the given (already framed) sections.
inline Bytes module_bytes(std::initializer_list<Bytes> sections = {}) {
  Bytes out(std::begin(kMagicAndVersion), std::end(kMagicAndVersion));
  for (const Bytes& s : sections) append(out, s);
  return out;
}

inline Bytes limits_bytes(const Limits& l) {
  Bytes b{static_cast<uint8_t>((l.has_max ? 1 : 0) | (l.shared ? 2 : 0))};
  put_u64(b, l.min);
  if (l.has_max) put_u64(b, l.max);
  return b;
}
inline Limits limits(uint64_t min) { return Limits{min, 0, false, false}; }
inline Limits limits(uint64_t min, uint64_t max, bool shared = false) {
  return Limits{min, max, true, shared};
}

// ---- instructions --------------------------------------------------------------

// Instruction bytes. op() writes any opcode from the table (prefix and LEB
// code); the immediates are written by the typed helpers or by hand with
// u32()/s32()/byte()/raw(). Converts to Bytes.
class Code {
 public:
  Code() = default;
  Code(std::initializer_list<uint8_t> raw_bytes) : b_(raw_bytes) {}
  // Instruction bytes written by hand (a test that points at offsets, or a
  // deliberately broken sequence).
  Code(Bytes raw_bytes) : b_(std::move(raw_bytes)) {}

  Code& op(Op o) {
    const OpInfo& info = op_info(o);
    if (info.prefix != 0) {
      b_.push_back(info.prefix);
      put_u32(b_, info.code);
    } else {
      b_.push_back(static_cast<uint8_t>(info.code));
    }
    return *this;
  }
  Code& byte(uint8_t v) { b_.push_back(v); return *this; }
  Code& raw(const Bytes& more) { append(b_, more); return *this; }
  Code& u32(uint32_t v) { put_u32(b_, v); return *this; }
  Code& s32(int32_t v) { put_s32(b_, v); return *this; }
  Code& s64(int64_t v) { put_s64(b_, v); return *this; }

  Code& i32_const(int32_t v) { return op(Op::I32Const).s32(v); }
  Code& i64_const(int64_t v) { return op(Op::I64Const).s64(v); }
  Code& f32_const(float v) { return op(Op::F32Const).fixed(std::bit_cast<uint32_t>(v)); }
  Code& f64_const(double v) { return op(Op::F64Const).fixed(std::bit_cast<uint64_t>(v)); }
  Code& ref_null(ValType t) { return op(Op::RefNull).byte(wgi::test::byte(t)); }
  Code& ref_func(uint32_t f) { return op(Op::RefFunc).u32(f); }
  Code& global_get(uint32_t g) { return op(Op::GlobalGet).u32(g); }
  Code& global_set(uint32_t g) { return op(Op::GlobalSet).u32(g); }
  Code& local_get(uint32_t l) { return op(Op::LocalGet).u32(l); }
  Code& local_set(uint32_t l) { return op(Op::LocalSet).u32(l); }
  Code& local_tee(uint32_t l) { return op(Op::LocalTee).u32(l); }
  Code& call(uint32_t f) { return op(Op::Call).u32(f); }
  Code& br(uint32_t depth) { return op(Op::Br).u32(depth); }
  Code& br_if(uint32_t depth) { return op(Op::BrIf).u32(depth); }
  // Block-type helpers: no type (0x40) or one value type.
  Code& block() { return op(Op::Block).byte(0x40); }
  Code& block(ValType t) { return op(Op::Block).byte(wgi::test::byte(t)); }
  Code& loop() { return op(Op::Loop).byte(0x40); }
  Code& loop(ValType t) { return op(Op::Loop).byte(wgi::test::byte(t)); }
  Code& if_() { return op(Op::If).byte(0x40); }
  Code& if_(ValType t) { return op(Op::If).byte(wgi::test::byte(t)); }
  Code& else_() { return op(Op::Else); }
  Code& end() { return op(Op::End); }
  // Memory access with alignment exponent and offset.
  Code& mem(Op o, uint32_t align_log2, uint32_t offset = 0) { return op(o).u32(align_log2).u32(offset); }

  const Bytes& bytes() const { return b_; }
  operator const Bytes&() const { return b_; }
  size_t size() const { return b_.size(); }

 private:
  template <class T>
  Code& fixed(T v) {
    uint8_t buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));  // little-endian hosts only, like wgi
    b_.insert(b_.end(), buf, buf + sizeof(T));
    return *this;
  }
  Bytes b_;
};

// A constant expression: the instructions then `end`.
inline Bytes const_expr(const Code& c) { return cat(c.bytes(), Bytes{0x0B}); }

// ---- the module builder -----------------------------------------------------------

class WasmBuilder {
 public:
  // Runs of declared locals: {count, type}.
  using Locals = std::vector<std::pair<uint32_t, ValType>>;

  // -- types: identical signatures share one index.
  uint32_t type(std::vector<ValType> params, std::vector<ValType> results) {
    FuncType ft{std::move(params), std::move(results)};
    for (uint32_t i = 0; i < types_.size(); ++i)
      if (types_[i] == ft) return i;
    types_.push_back(std::move(ft));
    return static_cast<uint32_t>(types_.size() - 1);
  }
  // Always appends, even if an identical type exists.
  uint32_t add_type(std::vector<ValType> params, std::vector<ValType> results) {
    types_.push_back(FuncType{std::move(params), std::move(results)});
    return static_cast<uint32_t>(types_.size() - 1);
  }

  // -- imports: each returns the index in its index space. Imports must be
  // added before definitions of the same kind for the indices to be right.
  uint32_t import_func(std::string_view module, std::string_view field, uint32_t type_index) {
    add_import(module, field, cat(Bytes{0x00}, leb_u32(type_index)));
    return num_funcs_++;
  }
  uint32_t import_table(std::string_view module, std::string_view field, ValType elem, Limits l) {
    add_import(module, field, cat(Bytes{0x01, byte(elem)}, limits_bytes(l)));
    return num_tables_++;
  }
  uint32_t import_memory(std::string_view module, std::string_view field, Limits l) {
    add_import(module, field, cat(Bytes{0x02}, limits_bytes(l)));
    return num_memories_++;
  }
  uint32_t import_global(std::string_view module, std::string_view field, ValType t, bool mut) {
    add_import(module, field, Bytes{0x03, byte(t), static_cast<uint8_t>(mut ? 1 : 0)});
    return num_globals_++;
  }

  // -- functions. `body` is the instruction sequence without the final
  // `end`, which is appended. Returns the function index.
  uint32_t add_func(uint32_t type_index, const Code& body, const Locals& locals = {}) {
    return add_func_unterminated(type_index, cat(body.bytes(), Bytes{0x0B}), locals);
  }
  // Like add_func, but no `end` is appended: for bodies that lack it or have
  // bytes after it.
  uint32_t add_func_unterminated(uint32_t type_index, const Code& body, const Locals& locals = {}) {
    Bytes entry = leb_u32(static_cast<uint32_t>(locals.size()));
    for (const auto& [count, t] : locals) {
      put_u32(entry, count);
      entry.push_back(byte(t));
    }
    const size_t code_start = entry.size();
    append(entry, body.bytes());
    return add_body(type_index, std::move(entry), code_start);
  }
  // The code entry's content verbatim (locals and instructions, no `end`
  // added): for malformed bodies.
  uint32_t add_func_raw(uint32_t type_index, const Bytes& entry) {
    return add_body(type_index, entry, /*code_start=*/0);
  }
  // The "one function with this body" path: adds the signature, the
  // function and (if export_name is not empty) a function export.
  WasmBuilder& func(std::vector<ValType> params, std::vector<ValType> results, const Code& body,
                    std::string_view export_name = {}, const Locals& locals = {}) {
    const uint32_t f = add_func(type(std::move(params), std::move(results)), body, locals);
    if (!export_name.empty()) export_(export_name, ExternKind::Func, f);
    return *this;
  }

  uint32_t add_table(ValType elem, Limits l) {
    append(tables_, cat(Bytes{byte(elem)}, limits_bytes(l)));
    ++num_table_defs_;
    return num_tables_++;
  }
  uint32_t add_memory(Limits l) {
    append(memories_, limits_bytes(l));
    ++num_memory_defs_;
    return num_memories_++;
  }
  // `init` without the final `end`.
  uint32_t add_global(ValType t, bool mut, const Code& init) {
    append(globals_, cat(Bytes{byte(t), static_cast<uint8_t>(mut ? 1 : 0)}, const_expr(init)));
    ++num_global_defs_;
    return num_globals_++;
  }

  WasmBuilder& export_(std::string_view name, ExternKind kind, uint32_t index) {
    append(exports_, cat(name_bytes(name), Bytes{static_cast<uint8_t>(kind)}, leb_u32(index)));
    ++num_exports_;
    return *this;
  }
  WasmBuilder& start(uint32_t func_index) {
    start_ = func_index;
    return *this;
  }

  // -- element segments (function-index forms). Offsets without `end`.
  WasmBuilder& elem_active(uint32_t table, const Code& offset, const std::vector<uint32_t>& funcs) {
    Bytes seg = table == 0 ? Bytes{0x00} : cat(Bytes{0x02}, leb_u32(table));
    append(seg, const_expr(offset));
    if (table != 0) seg.push_back(0x00);  // elemkind funcref
    append(seg, func_vec(funcs));
    return elem_raw(seg);
  }
  WasmBuilder& elem_passive(const std::vector<uint32_t>& funcs) {
    return elem_raw(cat(Bytes{0x01, 0x00}, func_vec(funcs)));
  }
  WasmBuilder& elem_declarative(const std::vector<uint32_t>& funcs) {
    return elem_raw(cat(Bytes{0x03, 0x00}, func_vec(funcs)));
  }
  // A whole segment (flags included) verbatim, for the expression forms.
  WasmBuilder& elem_raw(const Bytes& segment) {
    append(elems_, segment);
    ++num_elems_;
    return *this;
  }

  // -- data segments. The data count section is emitted when requested
  // (with_data_count) or set explicitly.
  WasmBuilder& data_active(uint32_t memory, const Code& offset, const Bytes& init) {
    Bytes seg = memory == 0 ? Bytes{0x00} : cat(Bytes{0x02}, leb_u32(memory));
    append(seg, const_expr(offset));
    append(seg, vec(static_cast<uint32_t>(init.size()), init));
    return data_raw(seg);
  }
  WasmBuilder& data_passive(const Bytes& init) {
    return data_raw(cat(Bytes{0x01}, vec(static_cast<uint32_t>(init.size()), init)));
  }
  WasmBuilder& data_raw(const Bytes& segment) {
    append(datas_, segment);
    ++num_datas_;
    return *this;
  }
  WasmBuilder& with_data_count() {
    auto_data_count_ = true;
    return *this;
  }
  WasmBuilder& data_count(uint32_t n) {
    data_count_ = n;
    return *this;
  }

  // -- escape hatches.
  // Replaces the content of section `id` (1..12) with `content`, emitted in
  // its canonical place; the structured entries of that kind are ignored.
  WasmBuilder& raw_section(uint8_t id, Bytes content) {
    raw_[id] = std::move(content);
    return *this;
  }
  // A custom section placed after the section with id `after` (0: right
  // after the header; the default: at the end). Ids follow the canonical
  // order, so after = 12 places it between element and code.
  WasmBuilder& custom(std::string_view name, const Bytes& payload, uint8_t after = 11) {
    customs_.push_back({after, cat(name_bytes(name), payload)});
    return *this;
  }
  // A "name" section with a module name and function names.
  WasmBuilder& names(std::optional<std::string_view> module_name,
                     const std::vector<std::pair<uint32_t, std::string_view>>& func_names) {
    Bytes payload;
    if (module_name) append(payload, section(0, name_bytes(*module_name)));
    if (!func_names.empty()) {
      Bytes map = leb_u32(static_cast<uint32_t>(func_names.size()));
      for (const auto& [idx, n] : func_names) append(map, cat(leb_u32(idx), name_bytes(n)));
      append(payload, section(1, map));
    }
    return custom("name", payload);
  }

  uint32_t num_funcs() const { return num_funcs_; }

  Bytes build() const { return emit(nullptr); }

  // Where the instructions of the i-th body (the i-th defined function)
  // start in build()'s bytes, after its locals; for an add_func_raw body,
  // where its entry starts. None exist (std::out_of_range) once
  // raw_section(10) replaced the code section.
  uint32_t code_offset(size_t i) const {
    std::vector<uint32_t> offsets;
    emit(&offsets);
    return offsets.at(i);
  }

 private:
  struct Body {
    Bytes entry;        // the code entry's content: locals, then instructions
    size_t code_start;  // where in `entry` the instructions start
  };

  uint32_t add_body(uint32_t type_index, Bytes entry, size_t code_start) {
    func_types_.push_back(type_index);
    bodies_.push_back(Body{std::move(entry), code_start});
    return num_funcs_++;
  }
  // The module's bytes; code_offsets (if not null) receives code_offset(i)
  // for every body.
  Bytes emit(std::vector<uint32_t>* code_offsets) const {
    Bytes out(std::begin(kMagicAndVersion), std::end(kMagicAndVersion));
    emit_customs(out, 0);
    for (uint8_t id : {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11}) {
      if (auto content = section_content(id)) {
        if (id == 10 && code_offsets && !raw_.count(10)) {
          // The content follows the section's id byte and size.
          const size_t content_at =
              out.size() + 1 + leb_u32(static_cast<uint32_t>(content->size())).size();
          std::vector<size_t> starts;
          code_content(&starts);
          for (size_t start : starts) code_offsets->push_back(static_cast<uint32_t>(content_at + start));
        }
        append(out, section(id, *content));
      }
      emit_customs(out, id);
    }
    return out;
  }
  // The code section's content; starts (if not null) receives where each
  // body's instructions start, relative to the content.
  Bytes code_content(std::vector<size_t>* starts) const {
    Bytes b = leb_u32(static_cast<uint32_t>(bodies_.size()));
    for (const Body& body : bodies_) {
      put_u32(b, static_cast<uint32_t>(body.entry.size()));
      if (starts) starts->push_back(b.size() + body.code_start);
      append(b, body.entry);
    }
    return b;
  }
  void add_import(std::string_view module, std::string_view field, const Bytes& desc) {
    append(imports_, cat(name_bytes(module), name_bytes(field), desc));
    ++num_imports_;
  }
  static Bytes func_vec(const std::vector<uint32_t>& funcs) {
    Bytes b = leb_u32(static_cast<uint32_t>(funcs.size()));
    for (uint32_t f : funcs) put_u32(b, f);
    return b;
  }
  void emit_customs(Bytes& out, uint8_t after) const {
    for (const auto& [where, content] : customs_)
      if (where == after) append(out, section(0, content));
  }
  std::optional<Bytes> section_content(uint8_t id) const {
    if (auto it = raw_.find(id); it != raw_.end()) return it->second;
    switch (id) {
      case 1: {
        if (types_.empty()) return std::nullopt;
        Bytes b = leb_u32(static_cast<uint32_t>(types_.size()));
        for (const FuncType& t : types_) {
          b.push_back(0x60);
          put_u32(b, static_cast<uint32_t>(t.params.size()));
          for (ValType p : t.params) b.push_back(byte(p));
          put_u32(b, static_cast<uint32_t>(t.results.size()));
          for (ValType r : t.results) b.push_back(byte(r));
        }
        return b;
      }
      case 2: return counted(num_imports_, imports_);
      case 3: {
        if (func_types_.empty()) return std::nullopt;
        Bytes b = leb_u32(static_cast<uint32_t>(func_types_.size()));
        for (uint32_t t : func_types_) put_u32(b, t);
        return b;
      }
      case 4: return counted(num_table_defs_, tables_);
      case 5: return counted(num_memory_defs_, memories_);
      case 6: return counted(num_global_defs_, globals_);
      case 7: return counted(num_exports_, exports_);
      case 8: return start_ ? std::optional<Bytes>(leb_u32(*start_)) : std::nullopt;
      case 9: return counted(num_elems_, elems_);
      case 12: {
        if (data_count_) return leb_u32(*data_count_);
        if (auto_data_count_) return leb_u32(num_datas_);
        return std::nullopt;
      }
      case 10: return bodies_.empty() ? std::nullopt : std::optional<Bytes>(code_content(nullptr));
      case 11: return counted(num_datas_, datas_);
    }
    return std::nullopt;
  }
  static std::optional<Bytes> counted(uint32_t n, const Bytes& entries) {
    if (n == 0) return std::nullopt;
    return vec(n, entries);
  }

  std::vector<FuncType> types_;
  Bytes imports_, tables_, memories_, globals_, exports_, elems_, datas_;
  uint32_t num_imports_ = 0, num_table_defs_ = 0, num_memory_defs_ = 0, num_global_defs_ = 0;
  uint32_t num_exports_ = 0, num_elems_ = 0, num_datas_ = 0;
  uint32_t num_funcs_ = 0, num_tables_ = 0, num_memories_ = 0, num_globals_ = 0;
  std::vector<uint32_t> func_types_;
  std::vector<Body> bodies_;
  std::optional<uint32_t> start_;
  std::optional<uint32_t> data_count_;
  bool auto_data_count_ = false;
  std::map<uint8_t, Bytes> raw_;
  std::vector<std::pair<uint8_t, Bytes>> customs_;
};

}  // namespace wgi::test
