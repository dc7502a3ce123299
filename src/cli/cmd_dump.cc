// wgi dump: print a module's structure, with --code a disassembly of
// every function body, and with --compiled (--traced) the threaded code the
// interpreter runs for each defined function (as compiled for tracing).
//
// The module-level checks run before anything is printed, so every index the
// dump follows (an export's function, a function's type) is known to be in
// range. Function bodies are validated as they are printed: the disassembly
// is produced by the validator feeding a Disassembler sink.
#include <cinttypes>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "decoder/disassembler.h"
#include "decoder/format.h"
#include "decoder/validator.h"
#include "interp/code.h"
#include "interp/code_dump.h"

namespace wgi::cli {

namespace {

const char* section_name(uint8_t id) {
  static const char* const kNames[] = {"custom", "type",    "import", "function", "table",
                                       "memory", "global",  "export", "start",    "element",
                                       "code",   "data",    "datacount"};
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

std::string limits(const Limits& l, const char* unit) {
  std::string s = "min " + std::to_string(l.min);
  if (l.has_max) s += " max " + std::to_string(l.max);
  s += unit;
  if (l.shared) s += ", shared";
  return s;
}

std::string table_type(const TableType& t) {
  return std::string(valtype_name(t.elem)) + " " + limits(t.limits, "");
}
std::string memory_type(const MemoryType& m) { return limits(m.limits, " pages"); }
std::string global_type(const GlobalType& g) {
  return std::string(g.mut ? "mut " : "") + valtype_name(g.type);
}

// " \"name\"" when the name section names the function, else "".
std::string func_name_suffix(const Module& m, uint32_t func) {
  const std::string* name = m.func_name(func);
  std::string s;
  if (name) s.append(" ").append(quote_name(*name));
  return s;
}

std::string mode_name(SegmentMode mode) {
  switch (mode) {
    case SegmentMode::Active: return "active";
    case SegmentMode::Passive: return "passive";
    case SegmentMode::Declarative: return "declarative";
  }
  return "?";
}

void print_structure(const Module& m, const std::string& path) {
  std::printf("module %s (%zu bytes)", path.c_str(), m.bytes.size());
  if (m.names.module) std::printf(" %s", quote_name(*m.names.module).c_str());
  std::printf("\n");

  std::printf("sections (%zu):\n", m.sections.size());
  for (const SectionInfo& s : m.sections) {
    std::printf("  %-9s id %2u  offset 0x%06" PRIx32 "  size 0x%06" PRIx32, section_name(s.id),
                unsigned(s.id), s.offset, s.size);
    if (s.id == 0) std::printf("  %s", quote_name(s.name).c_str());
    std::printf("\n");
  }

  std::printf("types (%zu):\n", m.types.size());
  for (size_t i = 0; i < m.types.size(); ++i)
    std::printf("  %zu: %s\n", i, format_func_type(m.types[i]).c_str());

  std::printf("imports (%zu):\n", m.imports.size());
  for (const Import& im : m.imports) {
    std::string desc;
    switch (im.kind) {
      case ExternKind::Func: desc = format_func_type(m.types[im.func_type]); break;
      case ExternKind::Table: desc = table_type(im.table); break;
      case ExternKind::Memory: desc = memory_type(im.memory); break;
      case ExternKind::Global: desc = global_type(im.global); break;
    }
    std::printf("  %-6s %s %s %s\n", extern_kind_name(im.kind), quote_name(im.module).c_str(),
                quote_name(im.field).c_str(), desc.c_str());
  }

  std::printf("functions (%zu):\n", m.funcs.size());
  {
    // Imported functions come first in the index space, in import order.
    std::vector<const Import*> func_imports;
    for (const Import& im : m.imports)
      if (im.kind == ExternKind::Func) func_imports.push_back(&im);
    for (uint32_t f = 0; f < m.funcs.size(); ++f) {
      std::printf("  %" PRIu32 "%s: type %" PRIu32 " %s", f, func_name_suffix(m, f).c_str(),
                  m.funcs[f], format_func_type(m.func_type(f)).c_str());
      if (m.func_is_imported(f)) {
        if (f < func_imports.size())
          std::printf(", imported from %s %s", quote_name(func_imports[f]->module).c_str(),
                      quote_name(func_imports[f]->field).c_str());
      } else {
        const FuncBody& b = m.body(f);
        std::printf(", body 0x%06" PRIx32 "..0x%06" PRIx32 ", %zu locals", b.code_offset,
                    b.end_offset, b.locals.size());
      }
      std::printf("\n");
    }
  }

  std::printf("tables (%zu):\n", m.tables.size());
  for (size_t i = 0; i < m.tables.size(); ++i)
    std::printf("  %zu: %s%s\n", i, table_type(m.tables[i]).c_str(),
                i < m.num_imported_tables ? ", imported" : "");

  std::printf("memories (%zu):\n", m.memories.size());
  for (size_t i = 0; i < m.memories.size(); ++i)
    std::printf("  %zu: %s%s\n", i, memory_type(m.memories[i]).c_str(),
                i < m.num_imported_memories ? ", imported" : "");

  std::printf("globals (%zu):\n", m.globals.size());
  for (size_t i = 0; i < m.globals.size(); ++i) {
    const Global& g = m.globals[i];
    std::printf("  %zu: %s", i, global_type(g.type).c_str());
    if (g.imported) std::printf(", imported");
    else std::printf(" = %s", format_const_expr(m, g.init).c_str());
    std::printf("\n");
  }

  std::printf("exports (%zu):\n", m.exports.size());
  for (const Export& e : m.exports) {
    std::string desc;
    switch (e.kind) {
      case ExternKind::Func: desc = format_func_type(m.func_type(e.index)); break;
      case ExternKind::Table: desc = table_type(m.tables[e.index]); break;
      case ExternKind::Memory: desc = memory_type(m.memories[e.index]); break;
      case ExternKind::Global: desc = global_type(m.globals[e.index].type); break;
    }
    std::printf("  %s %s %s (%s %" PRIu32 ")\n", extern_kind_name(e.kind),
                quote_name(e.name).c_str(), desc.c_str(), extern_kind_name(e.kind), e.index);
  }

  if (m.start)
    std::printf("start: func %" PRIu32 "%s\n", *m.start, func_name_suffix(m, *m.start).c_str());

  std::printf("elements (%zu):\n", m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& e = m.elems[i];
    std::printf("  %zu: %s %s, %zu items", i, mode_name(e.mode).c_str(), valtype_name(e.type),
                e.inits.size());
    if (e.mode == SegmentMode::Active)
      std::printf(", table %" PRIu32 " at %s", e.table, format_const_expr(m, e.offset).c_str());
    std::printf("\n");
  }

  std::printf("data (%zu):\n", m.datas.size());
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& d = m.datas[i];
    std::printf("  %zu: %s, %" PRIu32 " bytes", i, mode_name(d.mode).c_str(), d.data_size);
    if (d.mode == SegmentMode::Active)
      std::printf(", memory %" PRIu32 " at %s", d.memory, format_const_expr(m, d.offset).c_str());
    std::printf("\n");
  }
  if (m.data_count) std::printf("data count: %" PRIu32 "\n", *m.data_count);
}

}  // namespace

void print_dump_help(std::FILE* out) {
  std::fprintf(out,
               "Usage: wgi dump [--code] [--compiled | --traced] [--no-threads] FILE.wasm\n"
               "\n"
               "Prints the module's structure: its sections, types, imports, functions,\n"
               "tables, memories, globals, exports, start function, element and data\n"
               "segments, with byte offsets (hex).\n"
               "\n"
               "Options:\n"
               "  --code        also disassemble every function body (validated as printed)\n"
               "  --compiled    also print the threaded code wgi runs for each function\n"
               "  --traced      the same, as compiled for --trace and --race\n"
               "  --no-threads  decode without the threads proposal\n"
               "  -h, --help    print this help\n"
               "\n"
               "Exit status: 0 done, 1 the module is malformed, invalid or unreadable,\n"
               "2 usage error.\n");
}

int cmd_dump(std::span<char* const> args) {
  std::optional<Options> options =
      parse_options(args, {"--code", "--compiled", "--traced", "--no-threads"}, "dump");
  if (!options) return kExitUsage;
  if (options->help) {
    print_dump_help(stdout);
    return kExitOk;
  }
  if (options->files.size() != 1) return usage_error("expected exactly one module file", "dump");
  const std::string& path = options->files[0];
  const Features features = features_from(*options);

  Result<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes.ok()) {
    report_error(path, bytes.error(), nullptr);
    return kExitError;
  }
  Result<Module> decoded = decode_module(std::move(bytes).value(), features);
  if (!decoded.ok()) {
    report_error(path, decoded.error(), nullptr);
    return kExitError;
  }
  // Shared: --compiled hands it to the compiler.
  const auto module = std::make_shared<const Module>(std::move(decoded).value());
  const Module& m = *module;
  if (Result<void> ok = validate_module_level(m, features); !ok.ok()) {
    report_error(path, ok.error(), &m);
    return kExitError;
  }

  print_structure(m, path);

  // Bodies are validated either way; --code prints them as it goes. The
  // first invalid body ends the dump with the usual error line.
  if (options->has("--code")) std::printf("code (%zu):\n", m.code.size());
  for (uint32_t f = m.num_imported_funcs; f < m.funcs.size(); ++f) {
    Result<void> ok;
    if (options->has("--code")) {
      std::string text;
      ok = disassemble_function(m, f, &text, features);
      std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
      NullSink sink;
      ok = validate_function(m, f, sink, features);
    }
    if (!ok.ok()) {
      std::fflush(stdout);
      report_error(path, ok.error(), &m);
      return kExitError;
    }
  }

  // The bodies are valid now, so compiling them cannot fail.
  const bool traced = options->has("--traced");
  if (options->has("--compiled") || traced) {
    auto cm = interp::compile_module(module, features, interp::CompileOptions{.trace = traced});
    if (!cm.ok()) {
      report_error(path, cm.error(), &m);
      return kExitError;
    }
    std::printf("compiled code%s (%zu):\n", traced ? " for tracing" : "", (*cm)->funcs.size());
    for (const interp::CompiledFunc& f : (*cm)->funcs) {
      const std::string text = interp::format_compiled_function(**cm, f);
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
  }
  return kExitOk;
}

}  // namespace wgi::cli
