#include "bench_support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "interp/trap.h"

namespace wgi::bench {

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "wgi bench: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

BenchInstance::BenchInstance(const std::string& path)
    : BenchInstance(path, std::make_unique<interp::Store>(), interp::Linker{}) {}

BenchInstance::BenchInstance(const std::string& path, std::unique_ptr<interp::Store> store,
                             const interp::Linker& linker)
    : store_(std::move(store)), path_(path) {
  load(path, linker);
}

void BenchInstance::load(const std::string& path, const interp::Linker& linker) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die(path + ": cannot open");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  auto cm = interp::load_module(std::move(bytes));
  if (!cm.ok()) die(path + ": " + error_code_name(cm.error().code) + ": " + cm.error().message);
  auto imports = linker.resolve(*(*cm)->module);
  if (!imports.ok()) die(path + ": " + imports.error().message);
  auto inst = interp::instantiate(*store_, *cm, *imports, thread_);
  if (!inst.ok()) die(path + ": " + inst.error().message);
  if (inst->trap != interp::TrapKind::None)
    die(path + ": instantiation trapped: " + std::string(interp::trap_message(inst->trap)));
  instance_ = inst->instance;
}

const interp::FuncInst& BenchInstance::func(std::string_view name) const {
  const interp::FuncInst* f = instance_->get_export_func(name);
  if (!f) die(path_ + ": no exported function \"" + std::string(name) + "\"");
  return *f;
}

void BenchInstance::call(const interp::FuncInst& f, const interp::Slot* args,
                         interp::Slot* results) {
  interp::TrapKind k = thread_.invoke(f, args, results);
  if (k != interp::TrapKind::None) die(path_ + ": trap: " + std::string(interp::trap_message(k)));
}

std::string wasm_dir() {
  if (const char* env = std::getenv("WGI_BENCH_WASM_DIR")) return env;
#ifdef WGI_BENCH_WASM_DIR
  return WGI_BENCH_WASM_DIR;
#else
  return ".";
#endif
}

}  // namespace wgi::bench
