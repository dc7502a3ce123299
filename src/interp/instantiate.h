// Linking and instantiation, in the spec's order: check imports, allocate
// functions/tables/memory/globals, evaluate element segments, initialise
// active element then data segments (a trap stops here, earlier writes to
// shared tables and memories stay, as in Wasm 2.0), run the start function.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "interp/code.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "util/result.h"

namespace wgi::interp {

struct Instantiation {
  // Set on success, and also when the start function or a segment trapped
  // (the instance exists in the store but must not be used).
  Instance* instance = nullptr;
  TrapKind trap = TrapKind::None;
};

// imports: one ExternVal per import of the module, in order. Link errors
// are ErrorCode::Unlinkable ("unknown import" / "incompatible import type");
// a module the interpreter cannot run is ErrorCode::Unsupported.
struct InstantiateOptions {
  // false: leave the start function to the caller (run_start), e.g. to set
  // up a thread's stack pointer first (threads/threadlink.cc).
  bool run_start = true;
};

Result<Instantiation> instantiate(Store& store, std::shared_ptr<const CompiledModule> cm,
                                  std::span<const ExternVal> imports, Thread& thread,
                                  const InstantiateOptions& options = {});

// Runs inst's start function, if the module has one.
TrapKind run_start(Instance& inst, Thread& thread);

// Name-based import resolution: (module, field) -> extern.
class Linker {
 public:
  void define(const std::string& module, const std::string& field, ExternVal v);
  // Every export of inst, under module name `module`.
  void define_instance(const std::string& module, const Instance& inst);
  const ExternVal* find(const std::string& module, const std::string& field) const;
  // The imports of m in order, or "unknown import" naming module, field and
  // the expected type.
  Result<std::vector<ExternVal>> resolve(const Module& m) const;
  // Defines each function import of m that is not defined yet as a
  // function that traps when called (add_trapping_import).
  void define_missing_as_traps(Store& store, const Module& m);

 private:
  std::map<std::pair<std::string, std::string>, ExternVal> defs_;
};

// A function for the function import `imp` of m that nothing provides: it
// traps with TrapKind::UnresolvedImport when called, and is named
// "module.field" so that the trap's backtrace says which import it was.
FuncInst* add_trapping_import(Store& store, const Module& m, const Import& imp);

// Evaluates a constant expression in inst (globals, functions available).
// out[1] is used by v128 only.
Result<void> eval_const(const ConstExpr& e, const Instance& inst, Slot out[2]);

}  // namespace wgi::interp
