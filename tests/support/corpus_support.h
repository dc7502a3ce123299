// What the labelled corpora's tests share (tests/race/corpus_test.cc,
// tests/deadlock/corpus_test.cc): reading files, the address a labelled
// symbol's export holds, and a run's output for a failure message.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "decoder/module.h"
#include "subprocess.h"

namespace wgi::test {

inline std::optional<std::string> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

// The address a labelled symbol's export holds, or an error message. The
// corpora's builds export each labelled symbol with -Wl,--export=SYMBOL,
// which makes wasm-ld export an immutable i32 global holding its address.
inline std::optional<uint32_t> symbol_address(const Module& mod, const std::string& symbol, std::string* error) {
  const Export* e = mod.find_export(symbol);
  if (!e || e->kind != ExternKind::Global) {
    *error = "no exported global \"" + symbol + "\" (the build exports each labelled symbol with " +
             "-Wl,--export=SYMBOL: re-run cmake after editing labels; the symbol must be a non-static global)";
    return std::nullopt;
  }
  const Global& g = mod.globals[e->index];
  if (g.imported || g.type.type != ValType::I32 || g.init.instrs.size() != 1 || g.init.instrs[0].op != Op::I32Const) {
    *error = "export \"" + symbol + "\" is not a global initialised with i32.const";
    return std::nullopt;
  }
  return static_cast<uint32_t>(g.init.instrs[0].value);
}

// A run's status and output (each stream cut at 4000 bytes).
inline std::string output_of(const spec::ProcessResult& p) {
  auto cut = [](const std::string& s) { return s.size() > 4000 ? s.substr(0, 4000) + "\n[...]" : s; };
  return p.describe() + "\nstdout:\n" + cut(p.out) + "stderr:\n" + cut(p.err);
}

}  // namespace wgi::test
