// Runtime objects: function, table and global instances, instances, the store.
//
// The split: a CompiledModule (code.h) is immutable and shared by every
// instance and every thread, so threads need no locks to read code, and a
// new thread's instance costs little more than its globals and tables. An Instance holds what one instantiation
// owns: its function instances, tables, globals, memory, and the state of
// its element and data segments. A Thread (thread.h) holds the stacks of one
// OS thread's execution. The Store owns instances and host-created objects
// so that references between them (an exported table holding another
// instance's functions, an imported memory) stay valid for the Store's life.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "decoder/module.h"
#include "interp/memory.h"
#include "interp/trap.h"
#include "interp/value.h"

namespace wgi::interp {

class Thread;
struct CompiledFunc;
struct CompiledModule;
struct Instance;

// Canonical, process-wide id of a function type: two types are equal iff
// their ids are equal, so call_indirect compares one integer.
uint32_t intern_func_type(const FuncType& type);
const FuncType& func_type_by_id(uint32_t id);

// A host function reads its arguments from slots[0..params) and writes its
// results to slots[0..results) (the same slots). Returning a TrapKind other
// than None stops the calling Wasm code with that status.
using HostFn = std::function<TrapKind(Thread& thread, Slot* slots)>;

struct FuncInst {
  uint32_t type_id = 0;
  const FuncType* type = nullptr;
  Instance* instance = nullptr;        // Wasm functions: the defining instance
  const CompiledFunc* code = nullptr;  // Wasm functions
  HostFn host;                         // host functions
  std::string host_name;               // host functions, for backtraces
  bool is_host() const { return code == nullptr; }
};

// How many elements a table may hold, whatever its type allows: a table
// without a maximum could otherwise make the host allocate 2^32 entries
// (32 GiB) on one table.grow. V8's limit; StoreLimits changes it.
inline constexpr uint32_t kDefaultMaxTableElements = 10'000'000;

struct TableInst {
  TableType type;  // limits.min tracks the current size
  std::vector<Ref> elems;
  // The host's cap on the size (StoreLimits::max_table_elements).
  uint32_t max_elements = kDefaultMaxTableElements;

  uint32_t size() const { return static_cast<uint32_t>(elems.size()); }
  // table.grow: old size, or -1 when the type's maximum (or 2^32-1) or
  // max_elements would be exceeded, which the spec allows: growth may
  // fail for any reason. Nothing is allocated then.
  int64_t grow(uint32_t delta, Ref init);
};

struct GlobalInst {
  GlobalType type;
  Slot value[2] = {0, 0};  // v128 uses both
};

struct ExternVal {
  ExternKind kind = ExternKind::Func;
  FuncInst* func = nullptr;
  TableInst* table = nullptr;
  Memory* memory = nullptr;
  GlobalInst* global = nullptr;

  static ExternVal of(FuncInst* f) { ExternVal v; v.kind = ExternKind::Func; v.func = f; return v; }
  static ExternVal of(TableInst* t) { ExternVal v; v.kind = ExternKind::Table; v.table = t; return v; }
  static ExternVal of(Memory* m) { ExternVal v; v.kind = ExternKind::Memory; v.memory = m; return v; }
  static ExternVal of(GlobalInst* g) { ExternVal v; v.kind = ExternKind::Global; v.global = g; return v; }
};

// Describes an extern's type for link error messages, e.g.
// "func (i32, i32) -> i32", "memory 1..2 shared", "global mut i32".
std::string describe_import_type(const Module& m, const Import& imp);
std::string describe_extern(const ExternVal& v);

struct Instance {
  // ---- read by the interpreter's handlers (keep together, keep first) ----
  uint8_t* mem_base = nullptr;  // memory 0's base (stable: memories never move)
  Memory* memory = nullptr;     // memory 0, or null
  FuncInst** funcs = nullptr;   // function index space
  GlobalInst** globals = nullptr;
  TableInst** tables = nullptr;

  std::shared_ptr<const CompiledModule> module;
  const Module& mod() const;

  std::vector<FuncInst*> func_ptrs;
  std::vector<GlobalInst*> global_ptrs;
  std::vector<TableInst*> table_ptrs;
  std::vector<Memory*> memory_ptrs;

  // Segment state: element segments hold their evaluated references until
  // dropped (elem.drop, or after active/declarative initialisation); data
  // segments are read from the module until dropped.
  std::vector<std::vector<Ref>> elem_segments;
  std::vector<bool> data_dropped;

  // Objects this instance defines (imports are owned elsewhere).
  std::deque<FuncInst> own_funcs;
  std::vector<std::unique_ptr<TableInst>> own_tables;
  std::vector<std::unique_ptr<GlobalInst>> own_globals;
  std::unique_ptr<Memory> own_memory;

  // Export lookup by name; nullopt when there is no such export.
  std::optional<ExternVal> get_export(std::string_view name) const;
  // The export as a function, or null.
  FuncInst* get_export_func(std::string_view name) const;
};

// Resources a host allows the modules of one store.
struct StoreLimits {
  // Elements per table: instantiating a bigger table fails, table.grow
  // past it returns -1 (wgi run --max-table-elements).
  uint32_t max_table_elements = kDefaultMaxTableElements;
  // Bytes of linear memory all the store's memories may hold together
  // (null: no cap). Shared, so that a program's stores can share one
  // (wgi run --max-memory).
  std::shared_ptr<MemoryBudget> memory_budget;
};

// Owns instances and host objects for as long as any of them may be used.
// Thread-safe: threads of one program add their instances concurrently.
class Store {
 public:
  // Set before instantiating: read by instantiate and add_table.
  StoreLimits limits;

  Instance* add(std::unique_ptr<Instance> inst);
  // Destroys an instance that nothing can reach any more (a finished
  // threadlink thread's: its functions, tables and globals are its own and
  // never escape to other instances), so that a program creating threads
  // without end does not grow. No-op for an instance the store does not own.
  void remove(const Instance* inst);
  size_t instance_count();
  FuncInst* add_host_func(const FuncType& type, HostFn fn, std::string name);
  TableInst* add_table(const TableType& type, Ref init = kNullRef);
  GlobalInst* add_global(const GlobalType& type, Slot lo, Slot hi = 0);
  Memory* add_memory(std::unique_ptr<Memory> mem);

 private:
  std::unordered_map<const Instance*, std::unique_ptr<Instance>> instances_;
  std::deque<FuncInst> host_funcs_;
  std::deque<std::unique_ptr<FuncType>> host_types_;
  std::deque<TableInst> tables_;
  std::deque<GlobalInst> globals_;
  std::deque<std::unique_ptr<Memory>> memories_;
  std::mutex mu_;
};

}  // namespace wgi::interp
