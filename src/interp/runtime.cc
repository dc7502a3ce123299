#include "interp/runtime.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "decoder/format.h"
#include "interp/code.h"

namespace wgi::interp {

namespace {

struct TypeRegistry {
  std::mutex mu;
  std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> ids;
  std::deque<FuncType> types;  // by id; deque: references stay valid
};

TypeRegistry& registry() {
  static TypeRegistry* r = new TypeRegistry();  // never destroyed: ids outlive everything
  return *r;
}

std::string limits_text(const Limits& l) {
  std::string s = std::to_string(l.min);
  if (l.has_max) s += ".." + std::to_string(l.max);
  if (l.shared) s += " shared";
  return s;
}

}  // namespace

uint32_t intern_func_type(const FuncType& type) {
  TypeRegistry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto [it, inserted] = r.ids.try_emplace({type.params, type.results}, 0);
  if (inserted) {
    it->second = static_cast<uint32_t>(r.types.size());
    r.types.push_back(type);
  }
  return it->second;
}

const FuncType& func_type_by_id(uint32_t id) {
  TypeRegistry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.types[id];
}

int64_t TableInst::grow(uint32_t delta, Ref init) {
  const uint64_t old = elems.size();
  const uint64_t max = std::min<uint64_t>(type.limits.has_max ? type.limits.max : 0xFFFFFFFFull, max_elements);
  if (old + delta > max) return -1;
  // Keep growth bounded by what we can actually allocate.
  try {
    elems.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    return -1;
  }
  type.limits.min = elems.size();
  return static_cast<int64_t>(old);
}

const Module& Instance::mod() const { return *module->module; }

std::optional<ExternVal> Instance::get_export(std::string_view name) const {
  const Export* e = mod().find_export(name);
  if (e == nullptr) return std::nullopt;
  switch (e->kind) {
    case ExternKind::Func: return ExternVal::of(func_ptrs[e->index]);
    case ExternKind::Table: return ExternVal::of(table_ptrs[e->index]);
    case ExternKind::Memory: return ExternVal::of(memory_ptrs[e->index]);
    case ExternKind::Global: return ExternVal::of(global_ptrs[e->index]);
  }
  return std::nullopt;
}

FuncInst* Instance::get_export_func(std::string_view name) const {
  auto v = get_export(name);
  return v && v->kind == ExternKind::Func ? v->func : nullptr;
}

std::string describe_import_type(const Module& m, const Import& imp) {
  switch (imp.kind) {
    case ExternKind::Func: return "func " + format_func_type(m.types[imp.func_type]);
    case ExternKind::Table:
      return std::string("table ") + limits_text(imp.table.limits) + " " + valtype_name(imp.table.elem);
    case ExternKind::Memory: return "memory " + limits_text(imp.memory.limits);
    case ExternKind::Global:
      return std::string("global ") + (imp.global.mut ? "mut " : "") + valtype_name(imp.global.type);
  }
  return "?";
}

std::string describe_extern(const ExternVal& v) {
  switch (v.kind) {
    case ExternKind::Func: return "func " + format_func_type(*v.func->type);
    case ExternKind::Table:
      return std::string("table ") + limits_text(v.table->type.limits) + " " +
             valtype_name(v.table->type.elem);
    case ExternKind::Memory: return "memory " + limits_text(v.memory->current_type().limits);
    case ExternKind::Global:
      return std::string("global ") + (v.global->type.mut ? "mut " : "") +
             valtype_name(v.global->type.type);
  }
  return "?";
}

Instance* Store::add(std::unique_ptr<Instance> inst) {
  std::lock_guard<std::mutex> lock(mu_);
  Instance* p = inst.get();
  instances_.emplace(p, std::move(inst));
  return p;
}

size_t Store::instance_count() {
  std::lock_guard<std::mutex> lock(mu_);
  return instances_.size();
}

void Store::remove(const Instance* inst) {
  std::unique_ptr<Instance> dead;  // destroyed outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = instances_.find(inst);
    if (it == instances_.end()) return;
    dead = std::move(it->second);
    instances_.erase(it);
  }
}

FuncInst* Store::add_host_func(const FuncType& type, HostFn fn, std::string name) {
  std::lock_guard<std::mutex> lock(mu_);
  host_types_.push_back(std::make_unique<FuncType>(type));
  FuncInst& f = host_funcs_.emplace_back();
  f.type = host_types_.back().get();
  f.type_id = intern_func_type(type);
  f.host = std::move(fn);
  f.host_name = std::move(name);
  return &f;
}

TableInst* Store::add_table(const TableType& type, Ref init) {
  std::lock_guard<std::mutex> lock(mu_);
  TableInst& t = tables_.emplace_back();
  t.type = type;
  t.max_elements = limits.max_table_elements;  // growth only: the host chose the size
  t.elems.assign(type.limits.min, init);
  return &t;
}

GlobalInst* Store::add_global(const GlobalType& type, Slot lo, Slot hi) {
  std::lock_guard<std::mutex> lock(mu_);
  GlobalInst& g = globals_.emplace_back();
  g.type = type;
  g.value[0] = lo;
  g.value[1] = hi;
  return &g;
}

Memory* Store::add_memory(std::unique_ptr<Memory> mem) {
  std::lock_guard<std::mutex> lock(mu_);
  memories_.push_back(std::move(mem));
  return memories_.back().get();
}

}  // namespace wgi::interp
