// decode_module: bytes -> wgi::Module, the binary format's structure only.
//
// A module is a header and a sequence of sections (integers are LEB128
// unless noted; `vec(x)` is a u32 count then that many x):
//
//   "\0asm"  version:u32-le (= 1)  section*
//   section ::= id:u8  size:u32  content[size]
//
//   id  section     order  content
//   --  ----------  -----  --------------------------------------------------
//    0  custom      any    name  bytes          ("name" is parsed leniently)
//    1  type          1    vec(0x60 vec(valtype) vec(valtype))
//    2  import        2    vec(name name kind:u8 desc)
//    3  function      3    vec(typeidx)
//    4  table         4    vec(reftype limits)
//    5  memory        5    vec(limits)             (flags 2/3: shared, threads)
//    6  global        6    vec(valtype mut:u8 expr)
//    7  export        7    vec(name kind:u8 idx)
//    8  start         8    funcidx
//    9  element       9    vec(elem)               (flags 0..7, read_elem)
//   12  data count   10    u32
//   10  code         11    vec(size:u32 vec(count:u32 valtype) instr* 0x0B)
//   11  data         12    vec(data)               (flags 0..2, read_data)
//
// Every section's content is read through a Reader limited to that content
// (Reader::section), so no read can leave the section: running off its end
// is "unexpected end of section or function", and leftover bytes are
// "section size mismatch".
//
// Only the format is checked here. Index ranges, limits, the number of
// memories, export names, constant-expression rules and function bodies are
// the validator's business (validator.h); function bodies are only located.
#include "decoder/decoder.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

#include "decoder/instr_reader.h"
#include "decoder/messages.h"
#include "decoder/reader.h"

namespace wgi {

namespace {

// Implementation limit on the declared locals of one function (parameters
// not counted). FuncBody::locals holds one ValType per local, which the
// validator indexes directly; the format itself allows up to 2^32-1 locals
// in a handful of bytes, so without a cap a 20-byte body could demand 4 GiB.
// 50000 is the limit the major engines use, and far above what compilers
// emit. Exceeding it is reported as malformed, with the spec's message plus
// a note naming the limit.
constexpr uint64_t kMaxFunctionLocals = 50000;

// The per-function cap still lets a 7-byte code entry expand to 50000
// bytes, so a crafted module of many such entries could turn one megabyte
// of input into gigabytes. The module as a whole therefore may declare at
// most 16 locals per input byte (and always at least 2^20): compilers emit
// far fewer locals than bytes of code, so only crafted inputs come near it.
constexpr uint64_t kLocalsPerInputByte = 16;
constexpr uint64_t kMinModuleLocalsBudget = uint64_t{1} << 20;

constexpr uint8_t kMaxSectionId = 12;
constexpr uint8_t kCustomSection = 0;
constexpr uint8_t kDataCountSection = 12;

// Where each known section id must appear: ids 1..11 in order, with the data
// count section (12) between element (9) and code (10). Custom sections (0)
// may appear anywhere and are not ranked.
constexpr uint8_t section_rank(uint8_t id) {
  constexpr uint8_t kRank[kMaxSectionId + 1] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return kRank[id];
}

// Every element of every vector in the module format takes at least one
// byte, so a vector cannot have more elements than its reader has bytes left.
// Reserving min(count, remaining) keeps a corrupt count from allocating more
// than the input's size; the element loop then fails on the short input with
// the usual "unexpected end".
size_t reserve_hint(uint32_t count, const Reader& r) {
  return std::min<size_t>(count, r.remaining());
}

// Reads `count` items, each by read_item(r) -> Result<T>, appending them to
// `out`; the first error stops the loop.
template <class T, class ReadItem>
Result<void> read_items(Reader& r, uint32_t count, std::vector<T>& out, ReadItem read_item) {
  out.reserve(out.size() + reserve_hint(count, r));
  for (uint32_t i = 0; i < count; ++i) {
    WGI_TRY_ASSIGN(T item, read_item(r));
    out.push_back(std::move(item));
  }
  return {};
}

// vec(item): the count, then read_items.
template <class T, class ReadItem>
Result<void> read_vec(Reader& r, std::vector<T>& out, ReadItem read_item) {
  WGI_TRY_ASSIGN(uint32_t count, r.u32());
  return read_items(r, count, out, read_item);
}

class ModuleDecoder {
 public:
  ModuleDecoder(Module& m, const Features& features) : m_(m), features_(features) {}

  Result<void> run();

 private:
  Result<void> read_header(Reader& r);
  Result<void> read_section(SectionInfo& info, Reader& r);

  Result<void> read_type_section(Reader& r);
  Result<void> read_import_section(Reader& r);
  Result<void> read_function_section(Reader& r);
  Result<void> read_table_section(Reader& r);
  Result<void> read_memory_section(Reader& r);
  Result<void> read_global_section(Reader& r);
  Result<void> read_export_section(Reader& r);
  Result<void> read_start_section(Reader& r);
  Result<void> read_element_section(Reader& r);
  Result<void> read_data_count_section(Reader& r);
  Result<void> read_code_section(Reader& r);
  Result<void> read_data_section(Reader& r);
  Result<void> read_custom_section(SectionInfo& info, Reader& r);

  Result<Import> read_import(Reader& r);
  Result<Global> read_global(Reader& r);
  Result<Export> read_export(Reader& r);

  Result<FuncType> read_func_type(Reader& r);
  Result<std::vector<ValType>> read_result_types(Reader& r);
  Result<Limits> read_limits(Reader& r, bool is_memory);
  Result<TableType> read_table_type(Reader& r);
  Result<MemoryType> read_memory_type(Reader& r);
  Result<GlobalType> read_global_type(Reader& r);
  Result<ConstExpr> read_const_expr(Reader& r);
  Result<ElemSegment> read_elem(Reader& r);
  Result<DataSegment> read_data(Reader& r);
  Result<FuncBody> read_code_entry(Reader& r);
  Result<void> read_locals(Reader& r, std::vector<ValType>& locals);

  // The "name" custom section never makes a module malformed: anything that
  // does not parse is ignored.
  void read_name_section(Reader r);

  void collect_declared_func_refs();

  Module& m_;
  const Features& features_;
  std::vector<uint32_t> scratch_;  // br_table targets for read_instr

  uint32_t num_declared_funcs_ = 0;  // the function section's count
  uint64_t locals_budget_ = 0;       // declared locals the module may still add
  bool seen_code_ = false;
  bool seen_data_ = false;
  bool seen_name_section_ = false;
};

// ---- module and sections ------------------------------------------------

Result<void> ModuleDecoder::run() {
  // Offsets are stored as uint32_t throughout Module.
  if (m_.bytes.size() > std::numeric_limits<uint32_t>::max())
    return msg::module_too_large(0);

  Reader r(m_.bytes.data(), 0, m_.bytes.size());
  WGI_TRY(read_header(r));
  locals_budget_ = std::max(kMinModuleLocalsBudget, kLocalsPerInputByte * m_.bytes.size());

  uint8_t last_rank = 0;
  while (!r.at_end()) {
    SectionInfo info;
    info.offset = static_cast<uint32_t>(r.pos());
    WGI_TRY_ASSIGN(info.id, r.u8());
    if (info.id > kMaxSectionId) return msg::malformed_section_id(info.offset);
    if (info.id != kCustomSection) {
      // A repeated or out-of-order section: the module should have ended.
      const uint8_t rank = section_rank(info.id);
      if (rank <= last_rank) return msg::content_after_last_section(info.offset);
      last_rank = rank;
    }
    const size_t size_at = r.pos();
    WGI_TRY_ASSIGN(info.size, r.u32());
    if (info.size > r.remaining()) return msg::length_out_of_bounds(size_at);
    info.content_offset = static_cast<uint32_t>(r.pos());
    WGI_TRY_ASSIGN(Reader content, r.section(info.size));

    m_.sections.push_back(std::move(info));
    WGI_TRY(read_section(m_.sections.back(), content));
    if (!content.at_end()) return msg::section_size_mismatch(content.pos());
  }

  // An absent function, code or data section counts as an empty one.
  if (!seen_code_ && num_declared_funcs_ != 0) return msg::func_code_lengths(r.pos());
  if (m_.data_count && !seen_data_ && *m_.data_count != 0)
    return msg::data_count_lengths(r.pos());

  collect_declared_func_refs();
  return {};
}

Result<void> ModuleDecoder::read_header(Reader& r) {
  // Fewer than four bytes cannot be judged: "unexpected end", not "magic".
  WGI_TRY_ASSIGN(uint32_t magic, r.u32_fixed());
  if (magic != 0x6D736100) return msg::magic_header(0);  // "\0asm", little-endian
  WGI_TRY_ASSIGN(uint32_t version, r.u32_fixed());
  if (version != 1) return msg::unknown_version(4);
  return {};
}

Result<void> ModuleDecoder::read_section(SectionInfo& info, Reader& r) {
  switch (info.id) {
    case 0: return read_custom_section(info, r);
    case 1: return read_type_section(r);
    case 2: return read_import_section(r);
    case 3: return read_function_section(r);
    case 4: return read_table_section(r);
    case 5: return read_memory_section(r);
    case 6: return read_global_section(r);
    case 7: return read_export_section(r);
    case 8: return read_start_section(r);
    case 9: return read_element_section(r);
    case 10: return read_code_section(r);
    case 11: return read_data_section(r);
    case kDataCountSection: return read_data_count_section(r);
  }
  return msg::malformed_section_id(info.offset);  // unreachable: ids checked by run()
}

Result<void> ModuleDecoder::read_type_section(Reader& r) {
  return read_vec(r, m_.types, [this](Reader& r) { return read_func_type(r); });
}

Result<FuncType> ModuleDecoder::read_func_type(Reader& r) {
  const size_t at = r.pos();
  WGI_TRY_ASSIGN(uint8_t form, r.u8());
  if (form != 0x60) {
    // The reference interpreter reads the form as a signed LEB128 (-0x20),
    // so a byte with the continuation bit set is an over-long integer there.
    return (form & 0x80) ? msg::integer_too_long(at) : msg::malformed_func_type(at);
  }
  FuncType type;
  WGI_TRY_ASSIGN(type.params, read_result_types(r));
  WGI_TRY_ASSIGN(type.results, read_result_types(r));
  return type;
}

Result<std::vector<ValType>> ModuleDecoder::read_result_types(Reader& r) {
  std::vector<ValType> types;
  WGI_TRY(read_vec(r, types, read_valtype));
  return types;
}

Result<void> ModuleDecoder::read_import_section(Reader& r) {
  return read_vec(r, m_.imports, [this](Reader& r) { return read_import(r); });
}

Result<Import> ModuleDecoder::read_import(Reader& r) {
  Import imp;
  imp.offset = static_cast<uint32_t>(r.pos());
  WGI_TRY_ASSIGN(imp.module, r.name());
  WGI_TRY_ASSIGN(imp.field, r.name());
  const size_t kind_at = r.pos();
  WGI_TRY_ASSIGN(uint8_t kind, r.u8());
  // Imports come first in each index space.
  switch (kind) {
    case 0: {
      imp.kind = ExternKind::Func;
      WGI_TRY_ASSIGN(imp.func_type, r.u32());
      m_.funcs.push_back(imp.func_type);
      ++m_.num_imported_funcs;
      break;
    }
    case 1: {
      imp.kind = ExternKind::Table;
      WGI_TRY_ASSIGN(imp.table, read_table_type(r));
      m_.tables.push_back(imp.table);
      ++m_.num_imported_tables;
      break;
    }
    case 2: {
      imp.kind = ExternKind::Memory;
      WGI_TRY_ASSIGN(imp.memory, read_memory_type(r));
      m_.memories.push_back(imp.memory);
      ++m_.num_imported_memories;
      break;
    }
    case 3: {
      imp.kind = ExternKind::Global;
      WGI_TRY_ASSIGN(imp.global, read_global_type(r));
      m_.globals.push_back(Global{imp.global, /*imported=*/true, {}});
      ++m_.num_imported_globals;
      break;
    }
    default:
      return msg::malformed_import_kind(kind_at);
  }
  return imp;
}

Result<void> ModuleDecoder::read_function_section(Reader& r) {
  WGI_TRY_ASSIGN(num_declared_funcs_, r.u32());
  return read_items(r, num_declared_funcs_, m_.funcs, [](Reader& r) { return r.u32(); });
}

Result<void> ModuleDecoder::read_table_section(Reader& r) {
  return read_vec(r, m_.tables, [this](Reader& r) { return read_table_type(r); });
}

Result<void> ModuleDecoder::read_memory_section(Reader& r) {
  return read_vec(r, m_.memories, [this](Reader& r) { return read_memory_type(r); });
}

Result<void> ModuleDecoder::read_global_section(Reader& r) {
  return read_vec(r, m_.globals, [this](Reader& r) { return read_global(r); });
}

Result<Global> ModuleDecoder::read_global(Reader& r) {
  Global g;
  WGI_TRY_ASSIGN(g.type, read_global_type(r));
  WGI_TRY_ASSIGN(g.init, read_const_expr(r));
  return g;
}

Result<void> ModuleDecoder::read_export_section(Reader& r) {
  return read_vec(r, m_.exports, [this](Reader& r) { return read_export(r); });
}

Result<Export> ModuleDecoder::read_export(Reader& r) {
  Export e;
  e.offset = static_cast<uint32_t>(r.pos());
  WGI_TRY_ASSIGN(e.name, r.name());
  const size_t kind_at = r.pos();
  WGI_TRY_ASSIGN(uint8_t kind, r.u8());
  if (kind > static_cast<uint8_t>(ExternKind::Global)) return msg::malformed_export_kind(kind_at);
  e.kind = static_cast<ExternKind>(kind);
  WGI_TRY_ASSIGN(e.index, r.u32());
  return e;
}

Result<void> ModuleDecoder::read_start_section(Reader& r) {
  WGI_TRY_ASSIGN(uint32_t func, r.u32());
  m_.start = func;
  return {};
}

Result<void> ModuleDecoder::read_element_section(Reader& r) {
  return read_vec(r, m_.elems, [this](Reader& r) { return read_elem(r); });
}

Result<void> ModuleDecoder::read_data_count_section(Reader& r) {
  WGI_TRY_ASSIGN(uint32_t count, r.u32());
  m_.data_count = count;
  return {};
}

Result<void> ModuleDecoder::read_code_section(Reader& r) {
  seen_code_ = true;
  const size_t count_at = r.pos();
  WGI_TRY_ASSIGN(uint32_t n, r.u32());
  if (n != num_declared_funcs_) return msg::func_code_lengths(count_at);
  return read_items(r, n, m_.code, [this](Reader& r) { return read_code_entry(r); });
}

Result<void> ModuleDecoder::read_data_section(Reader& r) {
  seen_data_ = true;
  const size_t count_at = r.pos();
  WGI_TRY_ASSIGN(uint32_t n, r.u32());
  if (m_.data_count && *m_.data_count != n) return msg::data_count_lengths(count_at);
  return read_items(r, n, m_.datas, [this](Reader& r) { return read_data(r); });
}

Result<void> ModuleDecoder::read_custom_section(SectionInfo& info, Reader& r) {
  WGI_TRY_ASSIGN(info.name, r.name());
  // Only the first "name" section counts; the spec allows just one.
  if (info.name == "name" && !seen_name_section_) {
    seen_name_section_ = true;
    read_name_section(r);
  }
  return r.skip(r.remaining());  // the payload is opaque
}

// ---- types ---------------------------------------------------------------

Result<Limits> ModuleDecoder::read_limits(Reader& r, bool is_memory) {
  // The flags byte: bit 0 = has maximum; bit 1 = shared (threads proposal,
  // memories only). The reference interpreter reads it as a one-bit LEB128,
  // hence its messages for a continuation bit or a value out of range.
  const size_t at = r.pos();
  WGI_TRY_ASSIGN(uint8_t flags, r.u8());
  if (flags & 0x80) return msg::integer_too_long(at);
  if (flags > (is_memory ? 0x03 : 0x01)) return msg::integer_too_large(at);
  Limits lim;
  lim.has_max = flags & 0x01;
  lim.shared = flags & 0x02;
  if (lim.shared && !features_.threads) return msg::shared_memory_needs_threads(at);
  WGI_TRY_ASSIGN(uint32_t min, r.u32());
  lim.min = min;
  if (lim.has_max) {
    WGI_TRY_ASSIGN(uint32_t max, r.u32());
    lim.max = max;
  }
  return lim;
}

Result<TableType> ModuleDecoder::read_table_type(Reader& r) {
  TableType t;
  WGI_TRY_ASSIGN(t.elem, read_reftype(r));
  WGI_TRY_ASSIGN(t.limits, read_limits(r, /*is_memory=*/false));
  return t;
}

Result<MemoryType> ModuleDecoder::read_memory_type(Reader& r) {
  MemoryType mem;
  WGI_TRY_ASSIGN(mem.limits, read_limits(r, /*is_memory=*/true));
  return mem;
}

Result<GlobalType> ModuleDecoder::read_global_type(Reader& r) {
  GlobalType g;
  WGI_TRY_ASSIGN(g.type, read_valtype(r));
  const size_t at = r.pos();
  WGI_TRY_ASSIGN(uint8_t mut, r.u8());
  if (mut > 1) return msg::malformed_mutability(at);
  g.mut = mut == 1;
  return g;
}

// ---- constant expressions and segments -------------------------------------

// Decodes instructions up to the `end` that closes the expression. Which
// instructions a constant expression may contain is a validation rule
// ("constant expression required"), so any decodable instruction is kept.
// Nested block/loop/if are tracked so that their own `end` does not close
// the expression; an `else` outside any block cannot belong to it.
Result<ConstExpr> ModuleDecoder::read_const_expr(Reader& r) {
  ConstExpr expr;
  expr.offset = static_cast<uint32_t>(r.pos());
  uint32_t depth = 0;
  Instr ins;
  for (;;) {
    WGI_TRY(read_instr(r, ins, scratch_, features_));
    if (ins.op == Op::End) {
      if (depth == 0) return expr;
      --depth;
    } else if (ins.op == Op::Block || ins.op == Op::Loop || ins.op == Op::If) {
      ++depth;
    } else if (ins.op == Op::Else && depth == 0) {
      return msg::end_opcode_expected(ins.offset);
    }
    ConstInstr ci;
    ci.op = ins.op;
    ci.value = ins.imm;
    ci.value_hi = ins.imm_hi;
    ci.index = ins.a;
    ci.type = ins.type;
    expr.instrs.push_back(ci);
  }
}

// Element segments. The flags field selects one of eight encodings:
//
//   flags  mode         table      element type   elements
//   0      active       0          funcref        vec(funcidx)
//   1      passive      -          elemkind       vec(funcidx)
//   2      active       tableidx   elemkind       vec(funcidx)
//   3      declarative  -          elemkind       vec(funcidx)
//   4      active       0          funcref        vec(expr)
//   5      passive      -          reftype        vec(expr)
//   6      active       tableidx   reftype        vec(expr)
//   7      declarative  -          reftype        vec(expr)
//
// i.e. bit 0: not active; bit 1: explicit table (active) or declarative;
// bit 2: expressions instead of function indices. Active segments have an
// offset expression after the table index. elemkind is a byte, 0x00 =
// funcref. A function index x is stored as the expression `ref.func x`.
Result<ElemSegment> ModuleDecoder::read_elem(Reader& r) {
  ElemSegment seg;
  seg.file_offset = static_cast<uint32_t>(r.pos());
  WGI_TRY_ASSIGN(uint32_t flags, r.u32());
  if (flags > 7) return msg::malformed_elem_segment_kind(seg.file_offset);
  const bool not_active = flags & 0x01;
  const bool table_or_declarative = flags & 0x02;
  const bool uses_exprs = flags & 0x04;

  if (not_active) {
    seg.mode = table_or_declarative ? SegmentMode::Declarative : SegmentMode::Passive;
  } else {
    seg.mode = SegmentMode::Active;
    if (table_or_declarative) {
      WGI_TRY_ASSIGN(seg.table, r.u32());
    }
    WGI_TRY_ASSIGN(seg.offset, read_const_expr(r));
  }

  seg.type = ValType::FuncRef;  // flags 0 and 4 leave it implicit
  if (flags & 0x03) {
    if (uses_exprs) {
      WGI_TRY_ASSIGN(seg.type, read_reftype(r));
    } else {
      const size_t at = r.pos();
      WGI_TRY_ASSIGN(uint8_t kind, r.u8());
      if (kind != 0x00) return msg::malformed_elem_kind(at);
    }
  }

  auto read_init = [&](Reader& r) -> Result<ConstExpr> {
    if (uses_exprs) return read_const_expr(r);
    ConstExpr e;
    e.offset = static_cast<uint32_t>(r.pos());
    ConstInstr ref;
    ref.op = Op::RefFunc;
    WGI_TRY_ASSIGN(ref.index, r.u32());
    e.instrs.push_back(ref);
    return e;
  };
  WGI_TRY(read_vec(r, seg.inits, read_init));
  return seg;
}

// Data segments: flags 0 = active in memory 0, 1 = passive, 2 = active with
// an explicit memory index. Active segments have an offset expression. The
// bytes stay in Module::bytes; the segment records where.
Result<DataSegment> ModuleDecoder::read_data(Reader& r) {
  DataSegment seg;
  seg.file_offset = static_cast<uint32_t>(r.pos());
  WGI_TRY_ASSIGN(uint32_t flags, r.u32());
  if (flags > 2) return msg::malformed_data_segment_kind(seg.file_offset);
  if (flags == 1) {
    seg.mode = SegmentMode::Passive;
  } else {
    seg.mode = SegmentMode::Active;
    if (flags == 2) {
      WGI_TRY_ASSIGN(seg.memory, r.u32());
    }
    WGI_TRY_ASSIGN(seg.offset, read_const_expr(r));
  }
  WGI_TRY_ASSIGN(uint32_t size, r.u32());
  seg.data_offset = static_cast<uint32_t>(r.pos());
  seg.data_size = size;
  WGI_TRY(r.skip(size));
  return seg;
}

// ---- code ------------------------------------------------------------------

Result<FuncBody> ModuleDecoder::read_code_entry(Reader& r) {
  FuncBody body;
  body.entry_offset = static_cast<uint32_t>(r.pos());
  WGI_TRY_ASSIGN(uint32_t size, r.u32());
  WGI_TRY_ASSIGN(Reader code, r.sub(size));
  WGI_TRY(read_locals(code, body.locals));
  // The instructions (including the final `end`) are decoded and validated
  // in one pass by the validator; here they are only located.
  body.code_offset = static_cast<uint32_t>(code.pos());
  body.end_offset = static_cast<uint32_t>(code.end());
  return body;
}

Result<void> ModuleDecoder::read_locals(Reader& r, std::vector<ValType>& locals) {
  const size_t at = r.pos();
  // The declarations are run-length encoded: read them all (each takes at
  // least two bytes) before expanding, so the totals are checked first.
  struct Run {
    uint32_t count;
    ValType type;
  };
  std::vector<Run> runs;
  uint64_t total = 0;
  auto read_run = [&](Reader& r) -> Result<Run> {
    const size_t run_at = r.pos();
    WGI_TRY_ASSIGN(uint32_t count, r.u32());
    WGI_TRY_ASSIGN(ValType type, read_valtype(r));
    total += count;  // at most 2^32 runs of < 2^32 each: no uint64 overflow
    if (total > std::numeric_limits<uint32_t>::max()) return msg::too_many_locals(run_at);
    return Run{count, type};
  };
  WGI_TRY(read_vec(r, runs, read_run));
  if (total > kMaxFunctionLocals) return msg::function_locals_limit(at, kMaxFunctionLocals);
  if (total > locals_budget_) return msg::module_locals_limit(at, kLocalsPerInputByte);
  locals_budget_ -= total;
  locals.reserve(total);
  for (const Run& run : runs) locals.insert(locals.end(), run.count, run.type);
  return {};
}

// ---- the "name" custom section -------------------------------------------

using NameMap = std::unordered_map<uint32_t, std::string>;

// namemap ::= vec(idx name). A repeated index keeps its first name.
bool read_name_map(Reader& r, NameMap& out) {
  auto n = r.u32();
  if (!n) return false;
  out.reserve(reserve_hint(*n, r));
  for (uint32_t i = 0; i < *n; ++i) {
    auto index = r.u32();
    if (!index) return false;
    auto name = r.name();
    if (!name) return false;
    out.emplace(*index, std::move(*name));
  }
  return true;
}

// The name section is a sequence of subsections, id:u8 size:u32 content,
// in increasing id order: 0 module name, 1 function names (namemap),
// 2 local names (vec(funcidx namemap)), 7 global names (extended name
// section). Other subsections are skipped. A subsection that does not parse
// completely is dropped as a whole; a broken frame (id, size) or an order
// violation ends the parse, keeping what came before.
void ModuleDecoder::read_name_section(Reader r) {
  int last_id = -1;
  while (!r.at_end()) {
    auto id = r.u8();
    if (!id) return;
    auto size = r.u32();
    if (!size) return;
    auto sub = r.sub(*size);
    if (!sub) return;
    if (int(*id) <= last_id) return;
    last_id = *id;
    Reader& s = *sub;
    switch (*id) {
      case 0: {
        auto name = s.name();
        if (name && s.at_end()) m_.names.module = std::move(*name);
        break;
      }
      case 1: {
        NameMap map;
        if (read_name_map(s, map) && s.at_end()) m_.names.funcs = std::move(map);
        break;
      }
      case 2: {
        std::unordered_map<uint32_t, NameMap> locals;
        auto n = s.u32();
        if (!n) break;
        bool ok = true;
        for (uint32_t i = 0; ok && i < *n; ++i) {
          auto func = s.u32();
          NameMap map;
          ok = func && read_name_map(s, map);
          if (ok) locals.emplace(*func, std::move(map));
        }
        if (ok && s.at_end()) m_.names.locals = std::move(locals);
        break;
      }
      case 7: {
        NameMap map;
        if (read_name_map(s, map) && s.at_end()) m_.names.globals = std::move(map);
        break;
      }
      default:
        break;
    }
  }
}

// ---- C.refs ----------------------------------------------------------------

// The functions that `ref.func` inside a body may name: every function index
// that occurs outside function bodies and the start section (spec 3.4.10,
// "C.refs"), i.e. in global initialisers, element segments (offsets and
// elements), data segment offsets and function exports. Out-of-range indices
// are skipped here; the validator reports them where they occur.
void ModuleDecoder::collect_declared_func_refs() {
  auto& refs = m_.declared_func_refs;
  refs.assign(m_.funcs.size(), false);
  auto mark = [&](uint32_t f) {
    if (f < refs.size()) refs[f] = true;
  };
  auto scan = [&](const ConstExpr& e) {
    for (const ConstInstr& ci : e.instrs)
      if (ci.op == Op::RefFunc) mark(ci.index);
  };
  for (const Global& g : m_.globals) scan(g.init);
  for (const ElemSegment& seg : m_.elems) {
    scan(seg.offset);
    for (const ConstExpr& e : seg.inits) scan(e);
  }
  for (const DataSegment& seg : m_.datas) scan(seg.offset);
  for (const Export& e : m_.exports)
    if (e.kind == ExternKind::Func) mark(e.index);
}

}  // namespace

Result<Module> decode_module(std::vector<uint8_t> bytes, const Features& features) {
  Module m;
  m.bytes = std::move(bytes);
  ModuleDecoder decoder(m, features);
  WGI_TRY(decoder.run());
  return m;
}

}  // namespace wgi
