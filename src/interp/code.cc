#include "interp/code.h"

#include <algorithm>
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

const CompiledFunc* CompiledModule::func_at(const Word* pc) const {
  if (code.empty() || pc < code.data() || pc >= code.data() + code.size()) return nullptr;
  const uint32_t w = static_cast<uint32_t>(pc - code.data());
  auto it = std::upper_bound(funcs.begin(), funcs.end(), w,
                             [](uint32_t v, const CompiledFunc& f) { return v < f.code_begin; });
  if (it == funcs.begin()) return nullptr;
  --it;
  return w < it->code_end ? &*it : nullptr;
}

uint32_t CompiledModule::wasm_offset_at(const Word* pc) const {
  if (code.empty() || pc < code.data() || pc >= code.data() + code.size()) return 0;
  const uint32_t w = static_cast<uint32_t>(pc - code.data());
  auto it = std::upper_bound(pc_map.begin(), pc_map.end(), w,
                             [](uint32_t v, const std::pair<uint32_t, uint32_t>& e) { return v < e.first; });
  if (it == pc_map.begin()) return 0;
  return std::prev(it)->second;
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
  for (const FuncType& t : m.types) cm->type_ids.push_back(intern_func_type(t));
  cm->funcs.resize(m.code.size());
  for (size_t i = 0; i < m.code.size(); ++i) {
    CompiledFunc& f = cm->funcs[i];
    f.func_index = static_cast<uint32_t>(i + m.num_imported_funcs);
    f.type_id = cm->type_ids[m.funcs[f.func_index]];
    for (ValType v : m.func_type(f.func_index).results) f.result_slots += slot_count(v);
  }
  {
    FunctionValidator v(m, features);
    Compiler compiler(*cm);
    for (size_t i = 0; i < m.code.size(); ++i) {
      Result<void> r = validate_function(v, static_cast<uint32_t>(i + m.num_imported_funcs), compiler);
      if (!r.ok()) return v.prefer_malformed_bodies(std::move(r).error());
    }
  }
  cm->code.shrink_to_fit();
  for (CompiledFunc& f : cm->funcs) f.entry = cm->code.data() + f.code_begin;
  return std::shared_ptr<const CompiledModule>(std::move(cm));
}

Result<std::shared_ptr<const CompiledModule>> load_module(std::vector<uint8_t> bytes,
                                                          const Features& features,
                                                          const CompileOptions& options) {
  WGI_TRY_ASSIGN(Module m, decode_module(std::move(bytes), features));
  return compile_module(std::make_shared<const Module>(std::move(m)), features, options);
}

}  // namespace wgi::interp
