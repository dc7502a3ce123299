#include "interp/code.h"

#include <algorithm>

#include "decoder/validator.h"
#include "interp/compiler.h"
#include "interp/runtime.h"

namespace wgi::interp {

const char* iop_name(IOp op) {
  static const char* const kNames[] = {
#define WGI_IOP(Name, text) text,
#include "interp/iops.def"
#define WGI_CMP(Name, Neg, Swap) "br_if." #Name, "br_if." #Name ".imm", "br_if." #Name ".loop", \
                                 "br_if." #Name ".imm.loop",
#include "interp/iops.def"
#define WGI_GEN_UNARY(Name, TA, TR) #Name,
#define WGI_GEN_BINARY(Name, TA, TR) #Name,
#define WGI_GEN_BINARY_IMM(Name, TA, TR) #Name ".imm",
#define WGI_GEN_LOAD(Name, TR, bytes) #Name, #Name ".addimm", #Name ".add", \
  #Name ".shared", #Name ".addimm.shared", #Name ".add.shared", #Name ".traced", #Name ".shared.traced",
#define WGI_GEN_STORE(Name, TV, bytes) WGI_GEN_LOAD(Name, TV, bytes)
#define WGI_GEN_ATOMIC(Name, sig, bytes) #Name, #Name ".traced",
#define WGI_GEN_VUNARY(Name, TA, TR) #Name,
#define WGI_GEN_VBINARY(Name, TA, TB) #Name,
#define WGI_GEN_VTERNARY(Name) #Name,
#define WGI_GEN_VEXTRACT(Name, T) #Name,
#define WGI_GEN_VREPLACE(Name, T) #Name,
#define WGI_GEN_VSHUFFLE(Name) #Name,
#define WGI_V_MEM_NAMES(Name) #Name, #Name ".shared", #Name ".traced", #Name ".shared.traced",
#define WGI_GEN_VLOAD(Name, bytes) WGI_V_MEM_NAMES(Name)
#define WGI_GEN_VSTORE(Name, bytes) WGI_V_MEM_NAMES(Name)
#define WGI_GEN_VLOADLANE(Name, bytes) WGI_V_MEM_NAMES(Name)
#define WGI_GEN_VSTORELANE(Name, bytes) WGI_V_MEM_NAMES(Name)
#include "interp/gen_ops.h"
#undef WGI_V_MEM_NAMES
  };
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == kIOpCount);
  return kNames[static_cast<unsigned>(op)];
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
