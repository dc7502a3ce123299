#include "spectest_host.h"

#include <bit>
#include <cstdio>
#include <string>
#include <vector>

#include "interp/value_text.h"

namespace wgi::spec {

using interp::ExternVal;
using interp::Slot;

namespace {

struct PrintFunc {
  const char* name;
  std::vector<ValType> params;
};

}  // namespace

Result<void> define_spectest(interp::Store& store, interp::Linker& linker,
                             const SpectestOptions& options) {
  static const PrintFunc kPrints[] = {
      {"print", {}},
      {"print_i32", {ValType::I32}},
      {"print_i64", {ValType::I64}},
      {"print_f32", {ValType::F32}},
      {"print_f64", {ValType::F64}},
      {"print_i32_f32", {ValType::I32, ValType::F32}},
      {"print_f64_f64", {ValType::F64, ValType::F64}},
  };
  for (const PrintFunc& p : kPrints) {
    FuncType type{p.params, {}};
    interp::HostFn fn;
    if (options.verbose) {
      fn = [params = p.params, name = std::string(p.name)](interp::Thread&, Slot* slots) {
        std::string line = "  spectest." + name + "(";
        for (size_t i = 0; i < params.size(); ++i)
          line += (i ? ", " : "") + interp::format_value(params[i], &slots[i]);
        std::printf("%s)\n", line.c_str());
        return interp::TrapKind::None;
      };
    } else {
      fn = [](interp::Thread&, Slot*) { return interp::TrapKind::None; };
    }
    linker.define("spectest", p.name,
                  ExternVal::of(store.add_host_func(type, std::move(fn),
                                                    std::string("spectest.") + p.name)));
  }

  auto global = [&](const char* name, ValType t, Slot bits) {
    linker.define("spectest", name,
                  ExternVal::of(store.add_global(GlobalType{t, /*mut=*/false}, bits)));
  };
  global("global_i32", ValType::I32, 666);
  global("global_i64", ValType::I64, 666);
  global("global_f32", ValType::F32, std::bit_cast<uint32_t>(666.6f));
  global("global_f64", ValType::F64, std::bit_cast<uint64_t>(666.6));

  TableType table;
  table.elem = ValType::FuncRef;
  table.limits = Limits{.min = 10, .max = 20, .has_max = true};
  linker.define("spectest", "table", ExternVal::of(store.add_table(table)));

  auto memory = [&](const char* name, bool shared) -> Result<void> {
    MemoryType type;
    type.limits = Limits{.min = 1, .max = 2, .has_max = true, .shared = shared};
    WGI_TRY_ASSIGN(auto mem, interp::Memory::create(type));
    linker.define("spectest", name, ExternVal::of(store.add_memory(std::move(mem))));
    return {};
  };
  WGI_TRY(memory("memory", false));
  if (options.threads) WGI_TRY(memory("shared_memory", true));
  return {};
}

}  // namespace wgi::spec
