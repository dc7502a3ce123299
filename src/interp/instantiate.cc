#include "interp/instantiate.h"

#include <cstring>

namespace wgi::interp {

namespace {

Error link_error(const Module& m, const Import& imp, const std::string& what) {
  return make_error(ErrorCode::Unlinkable, imp.offset,
                    what + ": \"" + imp.module + "\" \"" + imp.field + "\" (expected " +
                        describe_import_type(m, imp) + ")");
}

// Import matching of limits (spec "limits subtyping"): the provided extern
// must be at least as large as required and at most as large as allowed.
bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const Limits& want) {
  if (actual_min < want.min) return false;
  if (want.has_max) {
    if (!actual_has_max || actual_max > want.max) return false;
  }
  return true;
}

Result<void> check_import(const Module& m, const Import& imp, const ExternVal& v,
                          const CompiledModule& cm) {
  if (v.kind != imp.kind)
    return link_error(m, imp, std::string("incompatible import type (got ") + extern_kind_name(v.kind) + ")");
  switch (imp.kind) {
    case ExternKind::Func:
      if (v.func->type_id != cm.type_ids[imp.func_type])
        return link_error(m, imp, "incompatible import type (got " + describe_extern(v) + ")");
      break;
    case ExternKind::Table: {
      const TableType& t = v.table->type;
      if (t.elem != imp.table.elem ||
          !limits_match(v.table->size(), t.limits.has_max, t.limits.max, imp.table.limits))
        return link_error(m, imp, "incompatible import type (got " + describe_extern(v) + ")");
      break;
    }
    case ExternKind::Memory: {
      const MemoryType t = v.memory->current_type();
      if (t.limits.shared != imp.memory.limits.shared ||
          !limits_match(t.limits.min, t.limits.has_max, t.limits.max, imp.memory.limits))
        return link_error(m, imp, "incompatible import type (got " + describe_extern(v) + ")");
      break;
    }
    case ExternKind::Global:
      if (v.global->type.type != imp.global.type || v.global->type.mut != imp.global.mut)
        return link_error(m, imp, "incompatible import type (got " + describe_extern(v) + ")");
      break;
  }
  return {};
}

}  // namespace

Result<void> eval_const(const ConstExpr& e, const Instance& inst, Slot out[2]) {
  // A tiny stack machine: Wasm 2.0 constant expressions are one
  // instruction; extended-const adds integer add/sub/mul.
  Slot st[8][2];
  size_t sp = 0;
  for (const ConstInstr& ci : e.instrs) {
    if (sp >= 8 && ci.op != Op::I32Add && ci.op != Op::I32Sub && ci.op != Op::I32Mul &&
        ci.op != Op::I64Add && ci.op != Op::I64Sub && ci.op != Op::I64Mul)
      return make_error(ErrorCode::Unsupported, e.offset, "constant expression too deep");
    switch (ci.op) {
      case Op::I32Const:
        st[sp][0] = static_cast<uint32_t>(ci.value);
        st[sp++][1] = 0;
        break;
      case Op::I64Const:
      case Op::F32Const:
      case Op::F64Const:
        st[sp][0] = ci.value;
        st[sp++][1] = 0;
        break;
      case Op::V128Const:
        st[sp][0] = ci.value;
        st[sp++][1] = ci.value_hi;
        break;
      case Op::RefNull:
        st[sp][0] = kNullRef;
        st[sp++][1] = 0;
        break;
      case Op::RefFunc:
        st[sp][0] = reinterpret_cast<Ref>(inst.func_ptrs[ci.index]);
        st[sp++][1] = 0;
        break;
      case Op::GlobalGet:
        st[sp][0] = inst.global_ptrs[ci.index]->value[0];
        st[sp++][1] = inst.global_ptrs[ci.index]->value[1];
        break;
      case Op::I32Add: case Op::I32Sub: case Op::I32Mul:
      case Op::I64Add: case Op::I64Sub: case Op::I64Mul: {
        if (sp < 2) return make_error(ErrorCode::Invalid, e.offset, "type mismatch");
        const uint64_t b = st[--sp][0], a = st[sp - 1][0];
        uint64_t r = 0;
        switch (ci.op) {
          case Op::I32Add: r = static_cast<uint32_t>(a + b); break;
          case Op::I32Sub: r = static_cast<uint32_t>(a - b); break;
          case Op::I32Mul: r = static_cast<uint32_t>(uint32_t(a) * uint32_t(b)); break;
          case Op::I64Add: r = a + b; break;
          case Op::I64Sub: r = a - b; break;
          default: r = a * b; break;
        }
        st[sp - 1][0] = r;
        break;
      }
      default:
        return make_error(ErrorCode::Invalid, e.offset, "constant expression required");
    }
  }
  if (sp != 1) return make_error(ErrorCode::Invalid, e.offset, "type mismatch");
  out[0] = st[0][0];
  out[1] = st[0][1];
  return {};
}

TrapKind run_start(Instance& inst, Thread& thread) {
  const auto& start = inst.mod().start;
  if (!start) return TrapKind::None;
  return thread.invoke(*inst.func_ptrs[*start], nullptr, nullptr);
}

Result<Instantiation> instantiate(Store& store, std::shared_ptr<const CompiledModule> cm,
                                  std::span<const ExternVal> imports, Thread& thread,
                                  const InstantiateOptions& options) {
  const Module& m = *cm->module;
  if (imports.size() != m.imports.size())
    return make_error(ErrorCode::Unlinkable, kNoOffset,
                      "expected " + std::to_string(m.imports.size()) + " imports, got " +
                          std::to_string(imports.size()));

  auto owned = std::make_unique<Instance>();
  Instance& inst = *owned;
  inst.module = cm;

  for (size_t i = 0; i < imports.size(); ++i) {
    const Import& imp = m.imports[i];
    const ExternVal& v = imports[i];
    WGI_TRY(check_import(m, imp, v, *cm));
    switch (imp.kind) {
      case ExternKind::Func: inst.func_ptrs.push_back(v.func); break;
      case ExternKind::Table: inst.table_ptrs.push_back(v.table); break;
      case ExternKind::Memory: inst.memory_ptrs.push_back(v.memory); break;
      case ExternKind::Global: inst.global_ptrs.push_back(v.global); break;
    }
  }

  for (const CompiledFunc& cf : cm->funcs) {
    FuncInst& f = inst.own_funcs.emplace_back();
    f.type_id = cf.type_id;
    f.type = &m.func_type(cf.func_index);
    f.instance = &inst;
    f.code = &cf;
    inst.func_ptrs.push_back(&f);
  }
  for (size_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    if (m.tables[i].limits.min > store.limits.max_table_elements)
      return make_error(ErrorCode::Runtime, kNoOffset,
                        "table " + std::to_string(i) + " needs " + std::to_string(m.tables[i].limits.min) +
                            " elements, over the limit of " + std::to_string(store.limits.max_table_elements) +
                            " (--max-table-elements)");
    auto t = std::make_unique<TableInst>();
    t->type = m.tables[i];
    t->max_elements = store.limits.max_table_elements;
    t->elems.assign(m.tables[i].limits.min, kNullRef);
    inst.table_ptrs.push_back(t.get());
    inst.own_tables.push_back(std::move(t));
  }
  for (size_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    WGI_TRY_ASSIGN(inst.own_memory, Memory::create(m.memories[i], store.limits.memory_budget));
    inst.memory_ptrs.push_back(inst.own_memory.get());
  }
  for (size_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    auto g = std::make_unique<GlobalInst>();
    g->type = m.globals[i].type;
    // Initialisers may read imported globals (and, with extended-const,
    // earlier globals), which are already in global_ptrs.
    WGI_TRY(eval_const(m.globals[i].init, inst, g->value));
    inst.global_ptrs.push_back(g.get());
    inst.own_globals.push_back(std::move(g));
  }

  inst.funcs = inst.func_ptrs.data();
  inst.tables = inst.table_ptrs.data();
  inst.globals = inst.global_ptrs.data();
  if (!inst.memory_ptrs.empty()) {
    inst.memory = inst.memory_ptrs[0];
    inst.mem_base = inst.memory->base();
  }

  inst.elem_segments.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    auto& refs = inst.elem_segments[i];
    refs.reserve(m.elems[i].inits.size());
    for (const ConstExpr& e : m.elems[i].inits) {
      Slot v[2];
      WGI_TRY(eval_const(e, inst, v));
      refs.push_back(v[0]);
    }
  }
  inst.data_dropped.assign(m.datas.size(), false);

  // From here on the instance is in the store: a trap below leaves the
  // side effects on imported tables and memories in place.
  Instance* ip = store.add(std::move(owned));
  Instantiation result;
  result.instance = ip;

  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == SegmentMode::Active) {
      Slot off[2];
      WGI_TRY(eval_const(seg.offset, *ip, off));
      const uint64_t d = static_cast<uint32_t>(off[0]);
      auto& refs = ip->elem_segments[i];
      TableInst* t = ip->table_ptrs[seg.table];
      if (d + refs.size() > t->elems.size()) {
        result.trap = TrapKind::OutOfBoundsTableAccess;
        return result;
      }
      std::copy(refs.begin(), refs.end(), t->elems.begin() + d);
    }
    if (seg.mode != SegmentMode::Passive) ip->elem_segments[i].clear();
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    Slot off[2];
    WGI_TRY(eval_const(seg.offset, *ip, off));
    const uint64_t d = static_cast<uint32_t>(off[0]);
    Memory* mem = ip->memory_ptrs[seg.memory];
    if (d + seg.data_size > mem->size()) {
      result.trap = TrapKind::OutOfBoundsMemoryAccess;
      return result;
    }
    mem->copy_in(d, m.bytes.data() + seg.data_offset, seg.data_size);
    ip->data_dropped[i] = true;
  }

  if (options.run_start) result.trap = run_start(*ip, thread);
  return result;
}

void Linker::define(const std::string& module, const std::string& field, ExternVal v) {
  defs_[{module, field}] = v;
}

void Linker::define_instance(const std::string& module, const Instance& inst) {
  for (const Export& e : inst.mod().exports) {
    auto v = inst.get_export(e.name);
    if (v) define(module, e.name, *v);
  }
}

const ExternVal* Linker::find(const std::string& module, const std::string& field) const {
  auto it = defs_.find({module, field});
  return it == defs_.end() ? nullptr : &it->second;
}

Result<std::vector<ExternVal>> Linker::resolve(const Module& m) const {
  std::vector<ExternVal> out;
  out.reserve(m.imports.size());
  for (const Import& imp : m.imports) {
    const ExternVal* v = find(imp.module, imp.field);
    if (v == nullptr) return link_error(m, imp, "unknown import");
    out.push_back(*v);
  }
  return out;
}

FuncInst* add_trapping_import(Store& store, const Module& m, const Import& imp) {
  return store.add_host_func(
      m.types[imp.func_type], [](Thread&, Slot*) { return TrapKind::UnresolvedImport; },
      imp.module + "." + imp.field);
}

void Linker::define_missing_as_traps(Store& store, const Module& m) {
  for (const Import& imp : m.imports)
    if (imp.kind == ExternKind::Func && find(imp.module, imp.field) == nullptr)
      define(imp.module, imp.field, ExternVal::of(add_trapping_import(store, m, imp)));
}

}  // namespace wgi::interp
