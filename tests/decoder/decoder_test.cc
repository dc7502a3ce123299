// decode_module: every section, good and bad inputs. Malformed inputs are
// checked for the error code, the absolute offset and the message.
//
// Offsets to keep in mind: the header is 8 bytes, so the first section's id
// is at 8, its size at 9 and (content < 128 bytes) its content at 10.
#include "decoder/decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/wasm_builder.h"

namespace wgi {
namespace {

using test::Bytes;
using test::cat;
using test::Code;
using test::module_bytes;
using test::name_bytes;
using test::section;
using test::WasmBuilder;

constexpr ValType I32 = ValType::I32, I64 = ValType::I64, F32 = ValType::F32,
                  F64 = ValType::F64, FuncRef = ValType::FuncRef,
                  ExternRef = ValType::ExternRef;

constexpr char kEndOfSection[] = "unexpected end of section or function";
// With the threads proposal off, the spec's words (what the Wasm 2.0 suite
// expects) and then the reason.
constexpr char kSharedNeedsThreads[] =
    "integer too large: shared memory requires the threads proposal, which is disabled";

Features no_threads() {
  Features f;
  f.threads = false;
  return f;
}

Module decode_ok(const Bytes& bytes, const Features& features = {}) {
  auto r = decode_module(bytes, features);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message + " at " + std::to_string(r.error().offset));
  if (!r.ok()) return Module{};
  return std::move(r).value();
}

void expect_malformed(const Bytes& bytes, uint64_t offset, std::string_view message,
                      const Features& features = {}) {
  auto r = decode_module(bytes, features);
  ASSERT_FALSE(r.ok()) << "decoded successfully";
  EXPECT_EQ(r.error().code, ErrorCode::Malformed);
  EXPECT_EQ(r.error().offset, offset) << r.error().message;
  EXPECT_EQ(r.error().message, message);
}

// Reports the caller's line on failure.
#define EXPECT_MALFORMED(...)           \
  do {                                  \
    SCOPED_TRACE("EXPECT_MALFORMED");   \
    expect_malformed(__VA_ARGS__);      \
  } while (0)

// An empty function type, the usual companion of function sections.
const Bytes kOneVoidType = section(1, {0x01, 0x60, 0x00, 0x00});  // bytes 8..13

// ---- header -------------------------------------------------------------------

TEST(DecodeHeader, Truncated) {
  EXPECT_MALFORMED({}, 0, "unexpected end");
  EXPECT_MALFORMED({0x01}, 0, "unexpected end");
  EXPECT_MALFORMED({0x00, 0x61, 0x73}, 0, "unexpected end");
  EXPECT_MALFORMED({0x00, 0x61, 0x73, 0x6D}, 4, "unexpected end");
  EXPECT_MALFORMED({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00}, 4, "unexpected end");
}

TEST(DecodeHeader, BadMagic) {
  EXPECT_MALFORMED({'a', 's', 'm', 0x00}, 0, "magic header not detected");
  EXPECT_MALFORMED({0x00, 'A', 'S', 'M', 0x01, 0x00, 0x00, 0x00}, 0, "magic header not detected");
  EXPECT_MALFORMED({0xEF, 0xBB, 0xBF, 0x00, 'a', 's', 'm', 0x01}, 0, "magic header not detected");
}

TEST(DecodeHeader, BadVersion) {
  EXPECT_MALFORMED({0x00, 'a', 's', 'm', 0x00, 0x00, 0x00, 0x00}, 4, "unknown binary version");
  EXPECT_MALFORMED({0x00, 'a', 's', 'm', 0x02, 0x00, 0x00, 0x00}, 4, "unknown binary version");
  EXPECT_MALFORMED({0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x01}, 4, "unknown binary version");
}

TEST(DecodeHeader, EmptyModule) {
  Module m = decode_ok(module_bytes());
  EXPECT_EQ(m.bytes.size(), 8u);
  EXPECT_TRUE(m.types.empty());
  EXPECT_TRUE(m.funcs.empty());
  EXPECT_TRUE(m.sections.empty());
  EXPECT_TRUE(m.declared_func_refs.empty());
  EXPECT_FALSE(m.start.has_value());
  EXPECT_FALSE(m.data_count.has_value());
}

// ---- section framing ------------------------------------------------------------

TEST(DecodeSections, BadId) {
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x0D, 0x00}), 8, "malformed section id");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x7F, 0x00}), 8, "malformed section id");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x80, 0x00, 0x01, 0x00}), 8, "malformed section id");
  // After a good section, the offset is that of the bad id.
  EXPECT_MALFORMED(cat(module_bytes({kOneVoidType}), Bytes{0xFF, 0x00}), 14,
                   "malformed section id");
}

TEST(DecodeSections, BadSize) {
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x01}), 9, "unexpected end");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x01, 0x80}), 10, "unexpected end");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x01, 0x05, 0x00}), 9, "length out of bounds");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 9,
                   "length out of bounds");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), 9,
                   "integer representation too long");
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x10}), 9,
                   "integer too large");
}

TEST(DecodeSections, ContentMustFillTheSection) {
  // Too long: one type declared, bytes left over.
  EXPECT_MALFORMED(module_bytes({section(1, {0x00, 0x00})}), 11, "section size mismatch");
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00})}), 14,
                   "section size mismatch");
  // Too short: the content ends inside an entry.
  EXPECT_MALFORMED(module_bytes({section(1, {0x01})}), 11, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(1, {0x02, 0x60, 0x00, 0x00})}), 14, kEndOfSection);
  // Even when more bytes follow in the file.
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x60}), section(3, {0x00})}), 12, kEndOfSection);
}

TEST(DecodeSections, Order) {
  // Import (2) then type (1).
  EXPECT_MALFORMED(module_bytes({section(2, {0x00}), section(1, {0x00})}), 11,
                   "unexpected content after last section");
  // A repeated section.
  EXPECT_MALFORMED(module_bytes({section(8, {0x00}), section(8, {0x00})}), 11,
                   "unexpected content after last section");
  // Data count (12) goes between element (9) and code (10).
  decode_ok(module_bytes({section(9, {0x00}), section(12, {0x00}), section(10, {0x00})}));
  EXPECT_MALFORMED(module_bytes({section(10, {0x00}), section(12, {0x00})}), 11,
                   "unexpected content after last section");
  EXPECT_MALFORMED(module_bytes({section(12, {0x00}), section(9, {0x00})}), 11,
                   "unexpected content after last section");
  // Data (11) is last.
  EXPECT_MALFORMED(module_bytes({section(11, {0x00}), section(10, {0x00})}), 11,
                   "unexpected content after last section");
}

TEST(DecodeSections, CustomSectionsGoAnywhere) {
  const Bytes custom = section(0, cat(name_bytes("c"), Bytes{0xAA}));
  Module m = decode_ok(module_bytes({custom, kOneVoidType, custom, section(3, {0x01, 0x00}), custom,
                                     section(10, {0x01, 0x02, 0x00, 0x0B}), custom,
                                     section(11, {0x00}), custom}));
  ASSERT_EQ(m.sections.size(), 9u);
  EXPECT_EQ(m.types.size(), 1u);
  EXPECT_EQ(m.code.size(), 1u);
}

TEST(DecodeSections, SectionInfo) {
  Module m = decode_ok(module_bytes({section(0, cat(name_bytes("hi"), Bytes{0x01, 0x02})),
                                     kOneVoidType}));
  ASSERT_EQ(m.sections.size(), 2u);
  EXPECT_EQ(m.sections[0].id, 0);
  EXPECT_EQ(m.sections[0].offset, 8u);
  EXPECT_EQ(m.sections[0].content_offset, 10u);
  EXPECT_EQ(m.sections[0].size, 5u);
  EXPECT_EQ(m.sections[0].name, "hi");
  EXPECT_EQ(m.sections[1].id, 1);
  EXPECT_EQ(m.sections[1].offset, 15u);
  EXPECT_EQ(m.sections[1].content_offset, 17u);
  EXPECT_EQ(m.sections[1].size, 4u);
  EXPECT_EQ(m.sections[1].name, "");
}

TEST(DecodeSections, NonMinimalSectionSize) {
  Module m = decode_ok(cat(module_bytes(), Bytes{0x01, 0x84, 0x80, 0x80, 0x80, 0x00},
                           Bytes{0x01, 0x60, 0x00, 0x00}));
  ASSERT_EQ(m.sections.size(), 1u);
  EXPECT_EQ(m.sections[0].content_offset, 14u);
  EXPECT_EQ(m.types.size(), 1u);
}

// ---- type section ----------------------------------------------------------------

TEST(DecodeTypes, Good) {
  WasmBuilder b;
  b.add_type({}, {});
  b.add_type({I32, I64, F32, F64, ValType::V128, FuncRef, ExternRef}, {I32, I64});
  Module m = decode_ok(b.build());
  ASSERT_EQ(m.types.size(), 2u);
  EXPECT_EQ(m.types[0], (FuncType{{}, {}}));
  EXPECT_EQ(m.types[1],
            (FuncType{{I32, I64, F32, F64, ValType::V128, FuncRef, ExternRef}, {I32, I64}}));
}

TEST(DecodeTypes, Bad) {
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x61, 0x00, 0x00})}), 11,
                   "malformed function type");
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0xE0, 0x7F, 0x00, 0x00})}), 11,
                   "integer representation too long");
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x60, 0x01, 0x7A, 0x00})}), 13,
                   "malformed value type");
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x60, 0x00, 0x01, 0x40})}), 14,
                   "malformed value type");
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x60, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00})}), 12,
                   "integer representation too long");
}

TEST(DecodeTypes, HugeCountsDoNotAllocate) {
  // 2^32-1 types announced, one present: fails on the short section.
  EXPECT_MALFORMED(module_bytes({section(1, {0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x60, 0x00, 0x00})}), 18,
                   kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(1, {0x01, 0x60, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F})}),
                   18, kEndOfSection);
}

// ---- import section --------------------------------------------------------------

TEST(DecodeImports, AllKindsAndIndexSpaces) {
  WasmBuilder b;
  const uint32_t t = b.type({I32}, {});
  b.import_func("env", "f", t);
  b.import_table("env", "t", ExternRef, test::limits(1, 10));
  b.import_memory("env", "m", test::limits(2));
  b.import_global("env", "g", I64, true);
  b.add_func(t, Code());
  b.add_table(FuncRef, test::limits(0));
  b.add_memory(test::limits(1, 1));
  b.add_global(F32, false, Code().f32_const(1.5f));
  Module m = decode_ok(b.build());

  ASSERT_EQ(m.imports.size(), 4u);
  EXPECT_EQ(m.imports[0].module, "env");
  EXPECT_EQ(m.imports[0].field, "f");
  EXPECT_EQ(m.imports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.imports[0].func_type, t);
  EXPECT_EQ(m.imports[1].kind, ExternKind::Table);
  EXPECT_EQ(m.imports[1].table.elem, ExternRef);
  EXPECT_EQ(m.imports[1].table.limits, test::limits(1, 10));
  EXPECT_EQ(m.imports[2].kind, ExternKind::Memory);
  EXPECT_EQ(m.imports[2].memory.limits, test::limits(2));
  EXPECT_EQ(m.imports[3].kind, ExternKind::Global);
  EXPECT_EQ(m.imports[3].global.type, I64);
  EXPECT_TRUE(m.imports[3].global.mut);
  // Import offsets: the import section content starts after the type section.
  EXPECT_EQ(m.imports[0].offset, m.sections[1].content_offset + 1);

  EXPECT_EQ(m.num_imported_funcs, 1u);
  EXPECT_EQ(m.num_imported_tables, 1u);
  EXPECT_EQ(m.num_imported_memories, 1u);
  EXPECT_EQ(m.num_imported_globals, 1u);
  ASSERT_EQ(m.funcs.size(), 2u);
  EXPECT_TRUE(m.func_is_imported(0));
  EXPECT_FALSE(m.func_is_imported(1));
  ASSERT_EQ(m.tables.size(), 2u);
  EXPECT_EQ(m.tables[0].elem, ExternRef);
  EXPECT_EQ(m.tables[1].elem, FuncRef);
  ASSERT_EQ(m.memories.size(), 2u);
  EXPECT_EQ(m.memories[0].limits, test::limits(2));
  EXPECT_EQ(m.memories[1].limits, test::limits(1, 1));
  ASSERT_EQ(m.globals.size(), 2u);
  EXPECT_TRUE(m.globals[0].imported);
  EXPECT_TRUE(m.globals[0].init.instrs.empty());
  EXPECT_FALSE(m.globals[1].imported);
  EXPECT_EQ(m.globals[1].type.type, F32);
}

// One import entry "m"."f" followed by `desc`: the kind byte is at 15.
Bytes one_import(const Bytes& desc) {
  return module_bytes({section(2, cat(Bytes{0x01}, name_bytes("m"), name_bytes("f"), desc))});
}

TEST(DecodeImports, BadKind) {
  EXPECT_MALFORMED(one_import({0x04}), 15, "malformed import kind");
  EXPECT_MALFORMED(one_import({0x04, 0x00}), 15, "malformed import kind");
  EXPECT_MALFORMED(one_import({0x80}), 15, "malformed import kind");
  EXPECT_MALFORMED(one_import({}), 15, kEndOfSection);
}

TEST(DecodeImports, BadNames) {
  EXPECT_MALFORMED(module_bytes({section(2, cat(Bytes{0x01, 0x01, 0xFF}, name_bytes("f"),
                                                Bytes{0x00, 0x00}))}),
                   11, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(module_bytes({section(2, cat(Bytes{0x01}, name_bytes("m"),
                                                Bytes{0x02, 0xC0, 0x80, 0x00, 0x00}))}),
                   13, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(module_bytes({section(2, {0x01, 0x05, 'a'})}), 11, "length out of bounds");
}

TEST(DecodeImports, BadGlobalType) {
  EXPECT_MALFORMED(one_import({0x03, 0x7F, 0x02}), 17, "malformed mutability");
  EXPECT_MALFORMED(one_import({0x03, 0x7F, 0xFF}), 17, "malformed mutability");
  EXPECT_MALFORMED(one_import({0x03, 0x60, 0x00}), 16, "malformed value type");
}

TEST(DecodeImports, TableLimitsFlags) {
  EXPECT_MALFORMED(one_import({0x01, 0x70, 0x02, 0x00}), 17, "integer too large");
  EXPECT_MALFORMED(one_import({0x01, 0x70, 0x03, 0x00, 0x00}), 17, "integer too large");
  EXPECT_MALFORMED(one_import({0x01, 0x70, 0x81, 0x00, 0x00}), 17,
                   "integer representation too long");
  EXPECT_MALFORMED(one_import({0x01, 0x7F, 0x00, 0x00}), 16, "malformed reference type");
}

TEST(DecodeImports, SharedMemoryNeedsThreads) {
  Module m = decode_ok(one_import({0x02, 0x03, 0x01, 0x02}));
  ASSERT_EQ(m.memories.size(), 1u);
  EXPECT_EQ(m.memories[0].limits, test::limits(1, 2, /*shared=*/true));
  // Shared without a maximum decodes; the validator rejects it.
  Module s = decode_ok(one_import({0x02, 0x02, 0x01}));
  EXPECT_TRUE(s.memories[0].limits.shared);
  EXPECT_FALSE(s.memories[0].limits.has_max);

  EXPECT_MALFORMED(one_import({0x02, 0x03, 0x01, 0x02}), 16, kSharedNeedsThreads, no_threads());
  EXPECT_MALFORMED(one_import({0x02, 0x02, 0x01}), 16, kSharedNeedsThreads, no_threads());
  EXPECT_MALFORMED(one_import({0x02, 0x04, 0x01}), 16, "integer too large");
  EXPECT_MALFORMED(one_import({0x02, 0x04, 0x01}), 16, "integer too large", no_threads());
  // Without the shared flag, threads off changes nothing.
  decode_ok(one_import({0x02, 0x01, 0x01, 0x02}), no_threads());
  EXPECT_MALFORMED(one_import({0x02, 0x81, 0x00, 0x00}), 16, "integer representation too long");
}

// ---- function, table, memory sections ------------------------------------------

TEST(DecodeFunctions, TypeIndicesAreNotRangeChecked) {
  // Index ranges are the validator's job.
  Module m = decode_ok(module_bytes({section(3, {0x02, 0x05, 0x80, 0x01}),
                                     section(10, {0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B})}));
  ASSERT_EQ(m.funcs.size(), 2u);
  EXPECT_EQ(m.funcs[0], 5u);
  EXPECT_EQ(m.funcs[1], 128u);
  EXPECT_EQ(m.num_imported_funcs, 0u);
}

TEST(DecodeFunctions, BadIndex) {
  EXPECT_MALFORMED(module_bytes({section(3, {0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})}), 11,
                   "integer representation too long");
}

TEST(DecodeTables, Good) {
  Module m = decode_ok(module_bytes({section(4, {0x02, 0x70, 0x00, 0x03, 0x6F, 0x01, 0x01, 0x80, 0x01})}));
  ASSERT_EQ(m.tables.size(), 2u);
  EXPECT_EQ(m.tables[0].elem, FuncRef);
  EXPECT_EQ(m.tables[0].limits, test::limits(3));
  EXPECT_EQ(m.tables[1].elem, ExternRef);
  EXPECT_EQ(m.tables[1].limits, test::limits(1, 128));
}

TEST(DecodeTables, Bad) {
  EXPECT_MALFORMED(module_bytes({section(4, {0x01, 0x7F, 0x00, 0x00})}), 11,
                   "malformed reference type");
  EXPECT_MALFORMED(module_bytes({section(4, {0x01, 0x70, 0x02})}), 12, "integer too large");
  EXPECT_MALFORMED(module_bytes({section(4, {0x01, 0x70, 0x01, 0x00})}), 14, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(4, {0x01})}), 11, kEndOfSection);
}

TEST(DecodeMemories, Good) {
  // Limits are u32 values; range checks are the validator's.
  Module m = decode_ok(module_bytes({section(5, {0x02, 0x00, 0x82, 0x80, 0x80, 0x80, 0x00, 0x01,
                                                 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})}));
  ASSERT_EQ(m.memories.size(), 2u);
  EXPECT_EQ(m.memories[0].limits, test::limits(2));
  EXPECT_EQ(m.memories[1].limits, test::limits(0, 0xFFFFFFFF));
}

TEST(DecodeMemories, Bad) {
  EXPECT_MALFORMED(module_bytes({section(5, {0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00})}), 12,
                   "integer representation too long");
  EXPECT_MALFORMED(module_bytes({section(5, {0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x70})}), 12,
                   "integer too large");
  EXPECT_MALFORMED(module_bytes({section(5, {0x01, 0x02})}), 11, kSharedNeedsThreads,
                   no_threads());
  EXPECT_MALFORMED(module_bytes({section(5, {0x01, 0x81, 0x01, 0x00, 0x00})}), 11,
                   "integer representation too long");
  EXPECT_MALFORMED(module_bytes({section(5, {0x01})}), 11, kEndOfSection);
}

// ---- global section and constant expressions ------------------------------------

TEST(DecodeGlobals, ConstantExpressions) {
  WasmBuilder b;
  b.import_global("env", "g", I32, false);
  b.add_global(I32, true, Code().i32_const(-5));
  b.add_global(I64, false, Code().i64_const(INT64_MIN));
  b.add_global(F32, false, Code().f32_const(2.0f));
  b.add_global(F64, false, Code().f64_const(-0.5));
  b.add_global(FuncRef, false, Code().ref_null(FuncRef));
  b.add_global(FuncRef, false, Code().ref_func(7));
  b.add_global(I32, false, Code().global_get(0));
  b.add_global(ValType::V128, false,
               Code().op(Op::V128Const).raw({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  Module m = decode_ok(b.build());
  ASSERT_EQ(m.globals.size(), 9u);
  EXPECT_EQ(m.num_imported_globals, 1u);

  auto only = [&](uint32_t g) -> const ConstInstr& {
    EXPECT_EQ(m.globals[g].init.instrs.size(), 1u);
    return m.globals[g].init.instrs.at(0);
  };
  EXPECT_TRUE(m.globals[1].type.mut);
  EXPECT_EQ(only(1).op, Op::I32Const);
  EXPECT_EQ(only(1).value, 0xFFFFFFFBu);  // 32 bits, zero-extended
  EXPECT_EQ(only(2).op, Op::I64Const);
  EXPECT_EQ(only(2).value, uint64_t{1} << 63);
  EXPECT_EQ(only(3).op, Op::F32Const);
  EXPECT_EQ(only(3).value, 0x40000000u);
  EXPECT_EQ(only(4).op, Op::F64Const);
  EXPECT_EQ(only(4).value, 0xBFE0000000000000u);
  EXPECT_EQ(only(5).op, Op::RefNull);
  EXPECT_EQ(only(5).type, FuncRef);
  EXPECT_EQ(only(6).op, Op::RefFunc);
  EXPECT_EQ(only(6).index, 7u);
  EXPECT_EQ(only(7).op, Op::GlobalGet);
  EXPECT_EQ(only(7).index, 0u);
  EXPECT_EQ(only(8).op, Op::V128Const);
  EXPECT_EQ(only(8).value, 0x0807060504030201u);
  EXPECT_EQ(only(8).value_hi, 0x100F0E0D0C0B0A09u);
}

TEST(DecodeGlobals, InitOffsetAndRawBytes) {
  // count, (i32 const) then i32.const 42 end: the expression starts at 13.
  Module m = decode_ok(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x41, 0x2A, 0x0B})}));
  ASSERT_EQ(m.globals.size(), 1u);
  EXPECT_EQ(m.globals[0].init.offset, 13u);
  ASSERT_EQ(m.globals[0].init.instrs.size(), 1u);
  EXPECT_EQ(m.globals[0].init.instrs[0].value, 42u);
}

TEST(DecodeGlobals, NonConstantInstructionsAreTheValidatorsJob) {
  // i32.const 1 i32.const 2 i32.add: decodes; "constant expression required"
  // is a validation error.
  Module m = decode_ok(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B})}));
  ASSERT_EQ(m.globals[0].init.instrs.size(), 3u);
  EXPECT_EQ(m.globals[0].init.instrs[2].op, Op::I32Add);

  // A nested block's `end` does not end the expression.
  Module n = decode_ok(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x02, 0x40, 0x0B, 0x41, 0x00, 0x0B})}));
  ASSERT_EQ(n.globals[0].init.instrs.size(), 3u);
  EXPECT_EQ(n.globals[0].init.instrs[0].op, Op::Block);
  EXPECT_EQ(n.globals[0].init.instrs[1].op, Op::End);
  EXPECT_EQ(n.globals[0].init.instrs[2].op, Op::I32Const);
}

TEST(DecodeGlobals, Bad) {
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B})}), 12,
                   "malformed mutability");
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x41, 0x00})}), 15, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00})}), 13, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x06, 0x0B})}), 13, "illegal opcode");
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0B})}),
                   14, "integer too large");
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B})}),
                   14, "integer representation too long");
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00, 0x05, 0x0B})}), 13,
                   "END opcode expected");
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x6F, 0x00, 0xD0, 0x7F, 0x0B})}), 14,
                   "malformed reference type");
  // Two globals announced, one given.
  EXPECT_MALFORMED(module_bytes({section(6, {0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B})}), 16, kEndOfSection);
}

TEST(DecodeGlobals, AtomicOpcodesNeedThreads) {
  // atomic.fence is decodable (and not constant: the validator rejects it).
  const Bytes m = module_bytes({section(6, {0x01, 0x7F, 0x00, 0xFE, 0x03, 0x00, 0x0B})});
  decode_ok(m);
  EXPECT_MALFORMED(m, 13, "illegal opcode: atomic.fence requires the threads proposal, which is disabled",
                   no_threads());
  // An opcode the table does not know stays a plain illegal opcode.
  EXPECT_MALFORMED(module_bytes({section(6, {0x01, 0x7F, 0x00, 0xFE, 0x7F, 0x0B})}), 13,
                   "illegal opcode", no_threads());
}

// ---- export and start sections --------------------------------------------------

TEST(DecodeExports, Good) {
  Module m = decode_ok(module_bytes({section(7, cat(Bytes{0x04}, name_bytes("f"), Bytes{0x00, 0x00},
                                                    name_bytes("t"), Bytes{0x01, 0x01},
                                                    name_bytes("m"), Bytes{0x02, 0x80, 0x01},
                                                    name_bytes("g"), Bytes{0x03, 0x02}))}));
  ASSERT_EQ(m.exports.size(), 4u);
  EXPECT_EQ(m.exports[0].name, "f");
  EXPECT_EQ(m.exports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.exports[0].index, 0u);
  EXPECT_EQ(m.exports[0].offset, 11u);
  EXPECT_EQ(m.exports[1].kind, ExternKind::Table);
  EXPECT_EQ(m.exports[2].kind, ExternKind::Memory);
  EXPECT_EQ(m.exports[2].index, 128u);
  EXPECT_EQ(m.exports[3].kind, ExternKind::Global);
  EXPECT_EQ(m.find_export("m"), &m.exports[2]);
}

TEST(DecodeExports, Bad) {
  EXPECT_MALFORMED(module_bytes({section(7, cat(Bytes{0x01}, name_bytes("e"), Bytes{0x04, 0x00}))}),
                   13, "malformed export kind");
  EXPECT_MALFORMED(module_bytes({section(7, {0x01, 0x01, 0xFF, 0x00, 0x00})}), 11,
                   "malformed UTF-8 encoding");
  EXPECT_MALFORMED(module_bytes({section(7, cat(Bytes{0x01}, name_bytes("e"), Bytes{0x00}))}), 14,
                   kEndOfSection);
}

TEST(DecodeStart, Good) {
  Module m = decode_ok(module_bytes({section(8, {0x85, 0x01})}));
  ASSERT_TRUE(m.start.has_value());
  EXPECT_EQ(*m.start, 133u);
  EXPECT_MALFORMED(module_bytes({section(8, {})}), 10, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(8, {0x00, 0x00})}), 11, "section size mismatch");
}

// ---- element section ------------------------------------------------------------

TEST(DecodeElems, AllEightEncodings) {
  const Bytes segs = cat(
      Bytes{0x00, 0x41, 0x01, 0x0B, 0x02, 0x00, 0x01},                         // 0: active t0
      Bytes{0x01, 0x00, 0x01, 0x02},                                           // 1: passive
      Bytes{0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00},                   // 2: active t1
      Bytes{0x03, 0x00, 0x01, 0x01},                                           // 3: declarative
      Bytes{0x04, 0x41, 0x02, 0x0B, 0x02, 0xD2, 0x00, 0x0B, 0xD0, 0x70, 0x0B},  // 4: exprs
      Bytes{0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B},                               // 5: passive
      Bytes{0x06, 0x02, 0x41, 0x03, 0x0B, 0x70, 0x01, 0x23, 0x00, 0x0B},       // 6: active t2
      Bytes{0x07, 0x70, 0x01, 0xD2, 0x02, 0x0B});                              // 7: declarative
  WasmBuilder b;
  const uint32_t t = b.type({}, {});
  for (int i = 0; i < 3; ++i) b.add_func(t, Code());
  b.raw_section(9, cat(Bytes{0x08}, segs));
  Module m = decode_ok(b.build());
  ASSERT_EQ(m.elems.size(), 8u);

  auto ref_func = [](const ConstExpr& e) {
    EXPECT_EQ(e.instrs.size(), 1u);
    EXPECT_EQ(e.instrs.at(0).op, Op::RefFunc);
    return e.instrs.at(0).index;
  };

  const ElemSegment& e0 = m.elems[0];
  EXPECT_EQ(e0.mode, SegmentMode::Active);
  EXPECT_EQ(e0.table, 0u);
  EXPECT_EQ(e0.type, FuncRef);
  ASSERT_EQ(e0.offset.instrs.size(), 1u);
  EXPECT_EQ(e0.offset.instrs[0].value, 1u);
  ASSERT_EQ(e0.inits.size(), 2u);
  EXPECT_EQ(ref_func(e0.inits[0]), 0u);
  EXPECT_EQ(ref_func(e0.inits[1]), 1u);

  const ElemSegment& e1 = m.elems[1];
  EXPECT_EQ(e1.mode, SegmentMode::Passive);
  EXPECT_EQ(e1.type, FuncRef);
  EXPECT_TRUE(e1.offset.instrs.empty());
  ASSERT_EQ(e1.inits.size(), 1u);
  EXPECT_EQ(ref_func(e1.inits[0]), 2u);

  const ElemSegment& e2 = m.elems[2];
  EXPECT_EQ(e2.mode, SegmentMode::Active);
  EXPECT_EQ(e2.table, 1u);
  ASSERT_EQ(e2.inits.size(), 1u);
  EXPECT_EQ(ref_func(e2.inits[0]), 0u);

  EXPECT_EQ(m.elems[3].mode, SegmentMode::Declarative);
  EXPECT_EQ(ref_func(m.elems[3].inits.at(0)), 1u);

  const ElemSegment& e4 = m.elems[4];
  EXPECT_EQ(e4.mode, SegmentMode::Active);
  EXPECT_EQ(e4.table, 0u);
  EXPECT_EQ(e4.type, FuncRef);
  ASSERT_EQ(e4.inits.size(), 2u);
  EXPECT_EQ(ref_func(e4.inits[0]), 0u);
  EXPECT_EQ(e4.inits[1].instrs.at(0).op, Op::RefNull);

  const ElemSegment& e5 = m.elems[5];
  EXPECT_EQ(e5.mode, SegmentMode::Passive);
  EXPECT_EQ(e5.type, ExternRef);
  EXPECT_EQ(e5.inits.at(0).instrs.at(0).type, ExternRef);

  const ElemSegment& e6 = m.elems[6];
  EXPECT_EQ(e6.mode, SegmentMode::Active);
  EXPECT_EQ(e6.table, 2u);
  EXPECT_EQ(e6.offset.instrs.at(0).value, 3u);
  EXPECT_EQ(e6.inits.at(0).instrs.at(0).op, Op::GlobalGet);

  EXPECT_EQ(m.elems[7].mode, SegmentMode::Declarative);
  EXPECT_EQ(ref_func(m.elems[7].inits.at(0)), 2u);

  // Segment and element offsets are absolute.
  const uint32_t content = m.sections[2].content_offset;  // type, function, element
  ASSERT_EQ(m.sections[2].id, 9);
  EXPECT_EQ(e0.file_offset, content + 1);
  EXPECT_EQ(e0.offset.offset, content + 2);
  EXPECT_EQ(e0.inits[0].offset, content + 6);
  EXPECT_EQ(e0.inits[1].offset, content + 7);
  EXPECT_EQ(e1.file_offset, content + 8);

  EXPECT_EQ(m.declared_func_refs, (std::vector<bool>{true, true, true}));
}

TEST(DecodeElems, NonMinimalFlagsAndTableIndex) {
  Module m = decode_ok(module_bytes({section(9, {0x01, 0x82, 0x00, 0x80, 0x00, 0x41, 0x00, 0x0B, 0x00, 0x00})}));
  ASSERT_EQ(m.elems.size(), 1u);
  EXPECT_EQ(m.elems[0].mode, SegmentMode::Active);
  EXPECT_EQ(m.elems[0].table, 0u);
}

TEST(DecodeElems, Bad) {
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x08})}), 11, "malformed elements segment kind");
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x80, 0x01})}), 11,
                   "malformed elements segment kind");
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x01, 0x01, 0x00})}), 12, "malformed element kind");
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x05, 0x7F, 0x00})}), 12, "malformed reference type");
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x05, 0x70, 0x01, 0xF3, 0x00, 0x0B})}), 14,
                   "illegal opcode");
  EXPECT_MALFORMED(module_bytes({section(9, {0x02, 0x00, 0x41, 0x00, 0x0B, 0x00})}), 16, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x00, 0x41, 0x00})}), 14, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00})}),
                   21, kEndOfSection);
}

// ---- code section ---------------------------------------------------------------

TEST(DecodeCode, LocalsAndOffsets) {
  // type 8..13, function 14..17, code: id 18, size 19, count 20, entry size
  // 21, locals 22..26 (2 x i32, 1 x i64), nop at 27, end at 28.
  Module m = decode_ok(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                     section(10, {0x01, 0x07, 0x02, 0x02, 0x7F, 0x01, 0x7E, 0x01, 0x0B})}));
  ASSERT_EQ(m.code.size(), 1u);
  const FuncBody& body = m.body(0);
  EXPECT_EQ(body.locals, (std::vector<ValType>{I32, I32, I64}));
  EXPECT_EQ(body.entry_offset, 21u);
  EXPECT_EQ(body.code_offset, 27u);
  EXPECT_EQ(body.end_offset, 29u);
}

TEST(DecodeCode, ZeroCountLocalRuns) {
  Module m = decode_ok(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                     section(10, {0x01, 0x08, 0x03, 0x00, 0x7F, 0x00, 0x7E, 0x02, 0x7D, 0x0B})}));
  EXPECT_EQ(m.code.at(0).locals, (std::vector<ValType>{F32, F32}));
}

TEST(DecodeCode, BodiesAreNotDecoded) {
  // 0xFF is no opcode, and the body has no `end`: both are found by the
  // validator, which decodes bodies in one pass.
  Module m = decode_ok(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                     section(10, {0x01, 0x02, 0x00, 0xFF})}));
  EXPECT_EQ(m.code.at(0).code_offset, 23u);
  EXPECT_EQ(m.code.at(0).end_offset, 24u);
}

TEST(DecodeCode, FunctionAndCodeCounts) {
  // Function section 14..18 with 2 functions, code count at 21.
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x02, 0x00, 0x00}),
                                 section(10, {0x01, 0x02, 0x00, 0x0B})}),
                   21, "function and code section have inconsistent lengths");
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B})}),
                   20, "function and code section have inconsistent lengths");
  // Code without functions, functions without code (reported at the end).
  EXPECT_MALFORMED(module_bytes({section(10, {0x01, 0x02, 0x00, 0x0B})}), 10,
                   "function and code section have inconsistent lengths");
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00})}), 18,
                   "function and code section have inconsistent lengths");
  // Zero counts need no partner.
  decode_ok(module_bytes({section(3, {0x00})}));
  decode_ok(module_bytes({section(10, {0x00})}));
}

TEST(DecodeCode, TooManyLocals) {
  // 0xFFFFFFFF i32 then 2 i64: the second run overflows 2^32-1 (at 29).
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x0A, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F,
                                              0x02, 0x7E, 0x0B})}),
                   29, "too many locals");
  // A count that does not fit in 32 bits is an integer error.
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x0A, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F,
                                              0x02, 0x7E, 0x0B})}),
                   23, "integer too large");
}

TEST(DecodeCode, LocalsLimit) {
  // 50000 locals are fine; 50001 exceed wgi's limit (reported at the locals).
  Module m = decode_ok(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                     section(10, {0x01, 0x06, 0x01, 0xD0, 0x86, 0x03, 0x7F, 0x0B})}));
  EXPECT_EQ(m.code.at(0).locals.size(), 50000u);
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x06, 0x01, 0xD1, 0x86, 0x03, 0x7F, 0x0B})}),
                   22, "too many locals (wgi limit: 50000 per function)");
  // Many runs that add up past the limit.
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x0A, 0x02, 0xD0, 0x86, 0x03, 0x7F, 0xD0, 0x86,
                                              0x03, 0x7E, 0x0B})}),
                   22, "too many locals (wgi limit: 50000 per function)");
}

TEST(DecodeCode, ModuleLocalsBudget) {
  // Small modules may declare 2^20 locals in all: twenty functions of 50000
  // fit, the twenty-first does not.
  auto module_with = [](int funcs) {
    WasmBuilder b;
    const uint32_t t = b.type({}, {});
    for (int i = 0; i < funcs; ++i) b.add_func_raw(t, {0x01, 0xD0, 0x86, 0x03, 0x7F, 0x0B});
    return b.build();
  };
  Module m = decode_ok(module_with(20));
  EXPECT_EQ(m.code.size(), 20u);
  // Type 8..13, function 14..37, code id 38, size 39..40, count 41, entry i
  // at 42 + 7i, its locals one byte later.
  EXPECT_MALFORMED(module_with(21), 43 + 7 * 20, "too many locals (wgi limit: 16 per byte of module)");
}

TEST(DecodeCode, BadEntries) {
  // Entry size beyond the section.
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x05, 0x00, 0x0B})}),
                   22, kEndOfSection);
  // Bad local type.
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x04, 0x01, 0x01, 0x7A, 0x0B})}),
                   24, "malformed value type");
  // Locals running past the entry (but not the section).
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x02, 0x01, 0x01, 0x7F, 0x0B})}),
                   24, kEndOfSection);
  // A huge run count with few bytes.
  EXPECT_MALFORMED(module_bytes({kOneVoidType, section(3, {0x01, 0x00}),
                                 section(10, {0x01, 0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x7F})}),
                   29, kEndOfSection);
}

// ---- data and data count sections ---------------------------------------------

TEST(DecodeData, ThreeForms) {
  WasmBuilder b;
  b.add_memory(test::limits(1));
  b.data_active(0, Code().i32_const(4), {'a', 'b'});
  b.data_passive({'x', 'y', 'z'});
  b.data_active(1, Code().i32_const(0), {'q'});
  b.with_data_count();
  Module m = decode_ok(b.build());
  ASSERT_TRUE(m.data_count.has_value());
  EXPECT_EQ(*m.data_count, 3u);
  ASSERT_EQ(m.datas.size(), 3u);

  auto text = [&](const DataSegment& d) {
    auto bytes = m.data_bytes(d);
    return std::string(bytes.begin(), bytes.end());
  };
  EXPECT_EQ(m.datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m.datas[0].memory, 0u);
  EXPECT_EQ(m.datas[0].offset.instrs.at(0).value, 4u);
  EXPECT_EQ(text(m.datas[0]), "ab");
  EXPECT_EQ(m.datas[1].mode, SegmentMode::Passive);
  EXPECT_TRUE(m.datas[1].offset.instrs.empty());
  EXPECT_EQ(text(m.datas[1]), "xyz");
  EXPECT_EQ(m.datas[2].mode, SegmentMode::Active);
  EXPECT_EQ(m.datas[2].memory, 1u);
  EXPECT_EQ(text(m.datas[2]), "q");
  EXPECT_EQ(m.datas[0].file_offset + 1, m.datas[0].offset.offset);
  EXPECT_EQ(m.datas[0].data_offset, m.datas[0].offset.offset + 3 + 1);
}

TEST(DecodeData, NonMinimalFlagsAndMemoryIndex) {
  Module m = decode_ok(module_bytes({section(11, {0x01, 0x82, 0x00, 0x80, 0x00, 0x41, 0x00, 0x0B, 0x00})}));
  EXPECT_EQ(m.datas.at(0).mode, SegmentMode::Active);
  EXPECT_EQ(m.datas.at(0).data_size, 0u);
}

TEST(DecodeData, Bad) {
  EXPECT_MALFORMED(module_bytes({section(11, {0x01, 0x03})}), 11, "malformed data segment kind");
  EXPECT_MALFORMED(module_bytes({section(11, {0x01, 0x01, 0x05, 'a'})}), 13, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(11, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x07, 'a', 'b', 'c',
                                              'd', 'e', 'f'})}),
                   16, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(11, {0x02, 0x01, 0x00})}), 13, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(11, {0x01, 0x01, 0x00, 0x01, 0x00})}), 13,
                   "section size mismatch");
}

TEST(DecodeData, DataCount) {
  // data count 8..10, data section: id 11, size 12, count 13.
  EXPECT_MALFORMED(module_bytes({section(12, {0x02}), section(11, {0x01, 0x01, 0x00})}), 13,
                   "data count and data section have inconsistent lengths");
  EXPECT_MALFORMED(module_bytes({section(12, {0x00}), section(11, {0x01, 0x01, 0x00})}), 13,
                   "data count and data section have inconsistent lengths");
  // No data section: reported at the end of the module.
  EXPECT_MALFORMED(module_bytes({section(12, {0x01})}), 11,
                   "data count and data section have inconsistent lengths");
  Module m = decode_ok(module_bytes({section(12, {0x00})}));
  EXPECT_EQ(m.data_count, 0u);
  Module n = decode_ok(module_bytes({section(12, {0x01}), section(11, {0x01, 0x01, 0x00})}));
  EXPECT_EQ(n.data_count, 1u);
  EXPECT_MALFORMED(module_bytes({section(12, {})}), 10, kEndOfSection);
}

// ---- custom sections and names --------------------------------------------------

TEST(DecodeCustom, Bad) {
  EXPECT_MALFORMED(cat(module_bytes(), Bytes{0x00}), 9, "unexpected end");
  EXPECT_MALFORMED(module_bytes({section(0, {})}), 10, kEndOfSection);
  EXPECT_MALFORMED(module_bytes({section(0, {0x01, 0xFF})}), 10, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(module_bytes({section(0, {0x05, 'a', 'b'})}), 10, "length out of bounds");
  // The name may fill the section exactly.
  Module m = decode_ok(module_bytes({section(0, name_bytes("just a name"))}));
  EXPECT_EQ(m.sections.at(0).name, "just a name");
}

// A name section payload built from subsections.
Bytes name_payload(std::initializer_list<Bytes> subsections) {
  Bytes out;
  for (const Bytes& s : subsections) test::append(out, s);
  return out;
}

TEST(DecodeNames, ModuleFunctionLocalGlobal) {
  const Bytes locals = cat(Bytes{0x02},                                     // two functions
                           Bytes{0x00, 0x02}, Bytes{0x00}, name_bytes("a"),  // func 0: 2 names
                           Bytes{0x01}, name_bytes("b"),
                           Bytes{0x01, 0x01}, Bytes{0x03}, name_bytes("c"));  // func 1
  const Bytes payload = name_payload({
      section(0, name_bytes("mod")),
      section(1, cat(Bytes{0x02, 0x00}, name_bytes("f0"), Bytes{0x01}, name_bytes("f\xC3\xA9"))),
      section(2, locals),
      section(3, {0x00}),  // label names: skipped
      section(7, cat(Bytes{0x01, 0x04}, name_bytes("g4"))),
  });
  WasmBuilder b;
  b.func({}, {}, Code());
  b.custom("name", payload);
  Module m = decode_ok(b.build());
  ASSERT_TRUE(m.names.module.has_value());
  EXPECT_EQ(*m.names.module, "mod");
  ASSERT_EQ(m.names.funcs.size(), 2u);
  ASSERT_NE(m.func_name(0), nullptr);
  EXPECT_EQ(*m.func_name(0), "f0");
  EXPECT_EQ(*m.func_name(1), "f\xC3\xA9");
  EXPECT_EQ(m.func_name(2), nullptr);
  ASSERT_EQ(m.names.locals.size(), 2u);
  EXPECT_EQ(m.names.locals[0][0], "a");
  EXPECT_EQ(m.names.locals[0][1], "b");
  EXPECT_EQ(m.names.locals[1][3], "c");
  ASSERT_EQ(m.names.globals.size(), 1u);
  EXPECT_EQ(m.names.globals[4], "g4");
}

TEST(DecodeNames, BuilderHelper) {
  WasmBuilder b;
  b.func({}, {}, Code(), "f");
  b.names("m", {{0, "first"}});
  Module m = decode_ok(b.build());
  EXPECT_EQ(m.names.module, "m");
  EXPECT_EQ(*m.func_name(0), "first");
}

TEST(DecodeNames, MalformedPartsAreIgnored) {
  // A function-name map announcing 5 entries but holding 1: dropped, while
  // the module name before it survives and the module still decodes.
  {
    Module m = decode_ok(module_bytes({section(0, cat(name_bytes("name"),
        section(0, name_bytes("ok")),
        section(1, cat(Bytes{0x05, 0x00}, name_bytes("f0")))))}));
    EXPECT_EQ(m.names.module, "ok");
    EXPECT_TRUE(m.names.funcs.empty());
  }
  // Bad UTF-8 inside a subsection drops that subsection only.
  {
    Module m = decode_ok(module_bytes({section(0, cat(name_bytes("name"),
        section(0, Bytes{0x01, 0xFF}),
        section(1, cat(Bytes{0x01, 0x00}, name_bytes("f0")))))}));
    EXPECT_FALSE(m.names.module.has_value());
    EXPECT_EQ(m.names.funcs.size(), 1u);
  }
  // Trailing bytes in a subsection drop it.
  {
    Module m = decode_ok(module_bytes({section(0, cat(name_bytes("name"),
        section(0, cat(name_bytes("x"), Bytes{0x00}))))}));
    EXPECT_FALSE(m.names.module.has_value());
  }
  // Subsections out of order: the parse stops.
  {
    Module m = decode_ok(module_bytes({section(0, cat(name_bytes("name"),
        section(1, cat(Bytes{0x01, 0x00}, name_bytes("f0"))),
        section(0, name_bytes("late"))))}));
    EXPECT_EQ(m.names.funcs.size(), 1u);
    EXPECT_FALSE(m.names.module.has_value());
  }
  // A subsection size beyond the section, and plain garbage.
  {
    decode_ok(module_bytes({section(0, cat(name_bytes("name"), Bytes{0x01, 0x7F, 0x00}))}));
    decode_ok(module_bytes({section(0, cat(name_bytes("name"), Bytes{0xFF}))}));
    decode_ok(module_bytes({section(0, cat(name_bytes("name"),
                                           Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}))}));
    decode_ok(module_bytes({section(0, cat(name_bytes("name"),
                                           section(2, {0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00})))}));
  }
  // Only the first name section counts.
  {
    Module m = decode_ok(module_bytes({section(0, cat(name_bytes("name"), section(0, name_bytes("one")))),
                                       section(0, cat(name_bytes("name"), section(0, name_bytes("two"))))}));
    EXPECT_EQ(m.names.module, "one");
  }
}

// ---- C.refs ---------------------------------------------------------------------

TEST(DecodeRefs, DeclaredFuncRefs) {
  WasmBuilder b;
  const uint32_t t = b.type({}, {});
  b.import_func("env", "f", t);                 // 0: not referenced
  for (int i = 0; i < 6; ++i) b.add_func(t, Code().ref_func(5).op(Op::Drop));  // 1..6
  b.add_table(FuncRef, test::limits(1));
  b.add_memory(test::limits(1));
  b.export_("one", ExternKind::Func, 1);        // 1: export
  b.export_("table", ExternKind::Table, 2);     // not a function
  b.export_("oob", ExternKind::Func, 99);       // out of range: ignored
  b.elem_active(0, Code().i32_const(0), {2});  // 2: element
  b.add_global(FuncRef, false, Code().ref_func(3));  // 3: global initialiser
  b.data_active(0, Code().ref_func(4).op(Op::Drop).i32_const(0), {});  // 4: data offset
  b.start(6);                                   // 6: start only
  // 5 is referenced only inside function bodies.
  Module m = decode_ok(b.build());
  ASSERT_EQ(m.funcs.size(), 7u);
  EXPECT_EQ(m.declared_func_refs,
            (std::vector<bool>{false, true, true, true, true, false, false}));
}

// ---- whole modules ------------------------------------------------------------------

Bytes rich_module() {
  WasmBuilder b;
  const uint32_t t = b.type({I32}, {I32});
  b.import_func("env", "imp", t);
  b.import_memory("env", "mem", test::limits(1, 2, true));
  b.func({I32}, {I32}, Code().local_get(0).i32_const(1).op(Op::I32Add), "inc", {{2, I64}});
  b.func({}, {}, Code().block().br(0).end(), "loop");
  b.add_table(FuncRef, test::limits(2, 4));
  b.add_global(I32, true, Code().i32_const(7));
  b.elem_active(0, Code().i32_const(0), {1, 2});
  b.elem_declarative({0});
  b.data_active(0, Code().i32_const(16), {'h', 'i'});
  b.data_passive({1, 2, 3});
  b.with_data_count();
  b.start(2);
  b.names("rich", {{1, "inc"}});
  b.custom("extra", {0xDE, 0xAD}, 0);
  return b.build();
}

TEST(DecodeModule, BuilderRoundTrip) {
  Module m = decode_ok(rich_module());
  EXPECT_EQ(m.types.size(), 2u);
  EXPECT_EQ(m.funcs.size(), 3u);
  EXPECT_EQ(m.code.size(), 2u);
  EXPECT_EQ(m.func_type(1), (FuncType{{I32}, {I32}}));
  EXPECT_EQ(m.body(1).locals, (std::vector<ValType>{I64, I64}));
  EXPECT_EQ(m.exports.size(), 2u);
  EXPECT_EQ(m.elems.size(), 2u);
  EXPECT_EQ(m.datas.size(), 2u);
  EXPECT_EQ(m.data_count, 2u);
  EXPECT_EQ(m.start, 2u);
  EXPECT_EQ(m.names.module, "rich");
  EXPECT_TRUE(m.memories[0].limits.shared);
  EXPECT_EQ(m.sections.front().name, "extra");
  EXPECT_EQ(m.sections.back().name, "name");
  EXPECT_EQ(m.declared_func_refs, (std::vector<bool>{true, true, true}));
}

TEST(DecodeModule, EveryTruncationFailsCleanly) {
  const Bytes full = rich_module();
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + n);
    auto r = decode_module(cut);
    if (r.ok()) {
      // Only a cut at a section boundary can still be a module (then the
      // function/code or data count consistency decides).
      bool boundary = n == 8;
      for (const SectionInfo& s : r->sections) boundary |= s.content_offset + s.size == n;
      EXPECT_TRUE(boundary) << "prefix of " << n << " bytes decoded";
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::Malformed);
      EXPECT_LE(r.error().offset, n);
    }
  }
}

TEST(DecodeModule, EverySingleByteMutationIsHandled) {
  // Not a correctness check: every result must be a module or a Malformed
  // error inside the input (the sanitizer builds check memory safety).
  const Bytes full = rich_module();
  for (size_t i = 0; i < full.size(); ++i) {
    for (int v : {0x00, 0x01, 0x0B, 0x40, 0x60, 0x7F, 0x80, 0xFF}) {
      Bytes b = full;
      b[i] = static_cast<uint8_t>(v);
      auto r = decode_module(b);
      if (!r.ok()) {
        EXPECT_EQ(r.error().code, ErrorCode::Malformed);
        EXPECT_LE(r.error().offset, b.size());
      }
    }
  }
}

TEST(DecodeModule, ErrorCodeNames) {
  EXPECT_STREQ(error_code_name(ErrorCode::Malformed), "malformed");
  EXPECT_STREQ(error_code_name(ErrorCode::Invalid), "invalid");
  EXPECT_STREQ(error_code_name(ErrorCode::Unlinkable), "unlinkable");
  EXPECT_STREQ(valtype_name(ValType::ExternRef), "externref");
  EXPECT_STREQ(valtype_name(ValType::V128), "v128");
  EXPECT_STREQ(extern_kind_name(ExternKind::Memory), "memory");
}

}  // namespace
}  // namespace wgi
