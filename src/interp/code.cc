#include "interp/code.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "decoder/validator.h"
#include "interp/compiler.h"
#include "interp/runtime.h"

namespace wgi::interp {

namespace {

constexpr IOpInfo kIOpInfo[] = {
#define WGI_IOP(Name, text) {false, Op::Nop, Variant::S},
#include "interp/iops.def"
#define WGI_GEN_VARIANT(Sfx, Name) {true, Op::Name, Variant::Sfx},
#include "interp/gen_ops.h"
};
static_assert(sizeof(kIOpInfo) / sizeof(kIOpInfo[0]) == kIOpCount);

constexpr const char* kHandWrittenNames[] = {
#define WGI_IOP(Name, text) text,
#include "interp/iops.def"
};
constexpr unsigned kHandWritten = sizeof(kHandWrittenNames) / sizeof(kHandWrittenNames[0]);

// Each op's generated instructions are consecutive in the enum (gen_ops.h
// expands a row's family in one go): the first one and how many.
struct OpRange {
  uint16_t first = 0;
  uint8_t count = 0;
};
struct OpRanges {
  OpRange r[kOpCount];
};
constexpr OpRanges build_ranges() {
  OpRanges t{};
  for (unsigned i = kHandWritten; i < kIOpCount; ++i) {
    OpRange& r = t.r[static_cast<unsigned>(kIOpInfo[i].op)];
    if (r.count == 0) r.first = static_cast<uint16_t>(i);
    ++r.count;
  }
  return t;
}
constexpr OpRanges kRanges = build_ranges();

// Consecutive, and no two variants of one op alike: select_iop's answer is
// unique.
constexpr bool ranges_are_sound() {
  for (unsigned op = 0; op < kOpCount; ++op) {
    const OpRange& r = kRanges.r[op];
    for (unsigned i = r.first; i < r.first + r.count; ++i) {
      if (static_cast<unsigned>(kIOpInfo[i].op) != op) return false;
      const VariantInfo& a = variant_info(kIOpInfo[i].variant);
      for (unsigned j = i + 1; j < r.first + r.count; ++j) {
        const VariantInfo& b = variant_info(kIOpInfo[j].variant);
        if (a.form == b.form && a.traced == b.traced &&
            (a.mem == b.mem || a.mem == MemKind::Any || b.mem == MemKind::Any))
          return false;
      }
    }
  }
  return true;
}
static_assert(ranges_are_sound(), "an op's variants are not consecutive or not distinguishable");

}  // namespace

const IOpInfo& iop_info(IOp op) { return kIOpInfo[static_cast<unsigned>(op)]; }

const char* iop_name(IOp op) {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v(kIOpCount);
    for (unsigned i = 0; i < kIOpCount; ++i) {
      const IOpInfo& info = kIOpInfo[i];
      v[i] = info.generated ? std::string(op_name(info.op)) + variant_info(info.variant).suffix
                            : kHandWrittenNames[i];
    }
    return v;
  }();
  return names[static_cast<unsigned>(op)].c_str();
}

IOp select_iop(Op op, Form form, bool shared, bool traced) {
  const OpRange& r = kRanges.r[static_cast<unsigned>(op)];
  for (unsigned i = r.first; i < r.first + r.count; ++i) {
    const VariantInfo& v = variant_info(kIOpInfo[i].variant);
    if (v.form == form && v.traced == traced && v.serves(shared)) return static_cast<IOp>(i);
  }
  return kNoIOp;
}

namespace {

// The function whose code [code, code + code_words) holds pc, among
// functions sorted by their code address; null if none.
template <class It, class Get>
const CompiledFunc* find_by_code(It begin, It end, const Word* pc, Get get) {
  It it = std::upper_bound(begin, end, pc, [&](const Word* p, const auto& e) { return p < get(e)->code; });
  if (it == begin) return nullptr;
  const CompiledFunc* f = get(*std::prev(it));
  return pc < f->code + f->code_words ? f : nullptr;
}

}  // namespace

const CompiledFunc* CompiledModule::func_at(const Word* pc) const {
  if (!lazy) {
    // Eager code is one block in function order.
    if (code.empty() || pc < code.data() || pc >= code.data() + code.size()) return nullptr;
    return find_by_code(funcs.begin(), funcs.end(), pc, [](const CompiledFunc& f) { return &f; });
  }
  std::lock_guard<std::mutex> lock(lazy_mutex_);
  return find_by_code(lazy_index_.begin(), lazy_index_.end(), pc,
                      [](const auto& e) { return e.second; });
}

uint32_t CompiledModule::wasm_offset_at(const Word* pc) const {
  const CompiledFunc* f = func_at(pc);
  if (f == nullptr) return 0;
  // The fields were set before the function became findable (under the
  // lock for lazy code), so reading them now is safe.
  const uint32_t w = static_cast<uint32_t>(pc - f->code);
  const PcMapEntry* end = f->pc_map + f->pc_map_size;
  const PcMapEntry* it = std::upper_bound(f->pc_map, end, w,
                                          [](uint32_t v, const PcMapEntry& e) { return v < e.word; });
  return it == f->pc_map ? 0 : std::prev(it)->wasm_offset;
}

const Word* CompiledModule::ensure_compiled(const CompiledFunc& f) const {
  if (const Word* e = f.loaded_entry(); e != f.stub) return e;
  // Compile outside the lock (functions compile in parallel; a loser's
  // work is dropped), publish under it.
  CodeBuffer out;
  Compiler compiler(*this, out);
  if (Result<void> r = validate_function(*module, f.func_index, compiler, features); !r.ok()) {
    // The whole module was validated before it could run.
    std::fprintf(stderr, "wgi: internal error: func %u failed to compile lazily: %s\n",
                 f.func_index, r.error().message.c_str());
    std::abort();
  }
  const CodeBuffer::Func& c = out.funcs.at(0);
  std::lock_guard<std::mutex> lock(lazy_mutex_);
  if (const Word* e = f.entry.load(std::memory_order_relaxed); e != f.stub) return e;
  LazyBlock block;
  block.code = std::make_unique<Word[]>(out.code.size());
  std::copy(out.code.begin(), out.code.end(), block.code.get());
  block.pc_map = std::make_unique<PcMapEntry[]>(out.pc_map.size());
  std::copy(out.pc_map.begin(), out.pc_map.end(), block.pc_map.get());
  f.code = block.code.get();
  f.code_words = static_cast<uint32_t>(out.code.size());
  f.pc_map = block.pc_map.get();
  f.pc_map_size = static_cast<uint32_t>(out.pc_map.size());
  f.frame_slots.store(c.frame_slots, std::memory_order_relaxed);
  lazy_index_.emplace(f.code, &f);
  lazy_blocks_.push_back(std::move(block));
  f.entry.store(f.code, std::memory_order_release);
  return f.code;
}

Result<std::shared_ptr<const CompiledModule>> compile_module(std::shared_ptr<const Module> module,
                                                             const Features& features,
                                                             const CompileOptions& options) {
  const Module& m = *module;
  {
    Result<void> r = validate_module_level(m, features);
    if (!r.ok()) return FunctionValidator(m, features).prefer_malformed_bodies(std::move(r).error());
  }
  auto cm = std::make_shared<CompiledModule>();
  cm->module = module;
  cm->features = features;
  cm->traced = options.trace;
  cm->lazy = options.lazy && !options.trace;
  for (const FuncType& t : m.types) cm->type_ids.push_back(intern_func_type(t));
  cm->funcs = std::vector<CompiledFunc>(m.code.size());
  for (size_t i = 0; i < m.code.size(); ++i) {
    CompiledFunc& f = cm->funcs[i];
    f.func_index = static_cast<uint32_t>(i + m.num_imported_funcs);
    f.type_id = cm->type_ids[m.funcs[f.func_index]];
    const FuncType& type = m.func_type(f.func_index);
    f.result_slots = 0;
    for (ValType v : type.results) f.result_slots += slot_count(v);
    const FrameLayout layout = frame_layout(type, m.code[i].locals);
    f.param_slots = layout.param_slots;
    f.local_slots = layout.local_slots;
  }
  if (cm->lazy) {
    // Validate everything now (an invalid module must not load), compile
    // nothing: each function starts at its LazyCompile stub.
    WGI_TRY(validate_bodies(m, features));
    const void* const lazy_compile = handler_table()[static_cast<unsigned>(IOp::LazyCompile)];
    for (CompiledFunc& f : cm->funcs) {
      f.stub[0].h = lazy_compile;
      f.stub[1].ptr = &f;
      f.frame_slots.store(f.local_slots, std::memory_order_relaxed);
      f.entry.store(f.stub, std::memory_order_relaxed);
    }
    return std::shared_ptr<const CompiledModule>(std::move(cm));
  }
  CodeBuffer out;
  {
    FunctionValidator v(m, features);
    Compiler compiler(*cm, out);
    for (const CompiledFunc& f : cm->funcs) {
      Result<void> r = validate_function(v, f.func_index, compiler);
      if (!r.ok()) return v.prefer_malformed_bodies(std::move(r).error());
    }
  }
  cm->code = std::move(out.code);
  cm->code.shrink_to_fit();
  cm->trace_sites = std::move(out.trace_sites);
  cm->trace_site_info = std::move(out.trace_site_info);
  // Each function's pc map counts words from its own entry.
  cm->pc_map = std::move(out.pc_map);
  for (const CodeBuffer::Func& c : out.funcs) {
    const CompiledFunc& f = cm->func(c.func_index);
    for (uint32_t i = c.map_begin; i < c.map_end; ++i) cm->pc_map[i].word -= c.code_begin;
    f.code = cm->code.data() + c.code_begin;
    f.code_words = c.code_end - c.code_begin;
    f.pc_map = cm->pc_map.data() + c.map_begin;
    f.pc_map_size = c.map_end - c.map_begin;
    f.frame_slots.store(c.frame_slots, std::memory_order_relaxed);
    f.entry.store(f.code, std::memory_order_relaxed);
  }
  return std::shared_ptr<const CompiledModule>(std::move(cm));
}

Result<std::shared_ptr<const CompiledModule>> load_module(std::vector<uint8_t> bytes,
                                                          const Features& features,
                                                          const CompileOptions& options) {
  WGI_TRY_ASSIGN(Module m, decode_module(std::move(bytes), features));
  return compile_module(std::make_shared<const Module>(std::move(m)), features, options);
}

}  // namespace wgi::interp
