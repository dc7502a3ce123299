// Linking: each extern kind's import matching, the error messages (module,
// field, expected and actual type) and the Linker's name resolution.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "interp_support.h"

namespace wgi::test {
namespace {

using interp::ExternVal;
using interp::TrapKind;

Limits limits(uint64_t min, std::optional<uint64_t> max, bool shared = false) {
  Limits l;
  l.min = min;
  l.has_max = max.has_value();
  l.max = max.value_or(0);
  l.shared = shared;
  return l;
}

// link.wat imports, in order: "m" "f" (func (i32) -> i32), "m" "t" (table
// 2..10 funcref), "m" "mem" (memory 1..2), "m" "g" (global i32), "m" "gm"
// (global mut i64).
class LinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cm = load_test_module("link");
    ASSERT_NE(cm, nullptr);
    imports = {ExternVal::of(func({ValType::I32}, {ValType::I32})),
               ExternVal::of(table(ValType::FuncRef, limits(2, 10))),
               ExternVal::of(memory(limits(1, 2))),
               ExternVal::of(global(ValType::I32, false, 5)),
               ExternVal::of(global(ValType::I64, true, 9))};
  }

  interp::FuncInst* func(std::vector<ValType> params, std::vector<ValType> results) {
    return r.store.add_host_func(
        FuncType{params, results},
        [](interp::Thread&, Slot* s) {
          s[0] = static_cast<uint32_t>(s[0] * 3);
          return TrapKind::None;
        },
        "host");
  }
  interp::TableInst* table(ValType elem, Limits l) {
    TableType t;
    t.elem = elem;
    t.limits = l;
    return r.store.add_table(t);
  }
  interp::Memory* memory(Limits l) {
    MemoryType t;
    t.limits = l;
    auto m = interp::Memory::create(t);
    EXPECT_TRUE(m.ok());
    return r.store.add_memory(std::move(m).value());
  }
  interp::GlobalInst* global(ValType t, bool mut, Slot v) {
    GlobalType g;
    g.type = t;
    g.mut = mut;
    return r.store.add_global(g, v);
  }

  // Instantiates with imports[i] replaced by v and expects a link error
  // whose message contains every string in `parts`.
  void expect_unlinkable(size_t i, ExternVal v, std::vector<std::string> parts) {
    std::vector<ExternVal> ims = imports;
    ims[i] = v;
    auto res = interp::instantiate(r.store, cm, ims, r.thread);
    ASSERT_FALSE(res.ok()) << "import " << i << " should not link";
    EXPECT_EQ(res.error().code, ErrorCode::Unlinkable);
    EXPECT_EQ(res.error().offset, cm->module->imports[i].offset) << "the import's offset";
    for (const std::string& p : parts)
      EXPECT_NE(res.error().message.find(p), std::string::npos)
          << "missing '" << p << "' in: " << res.error().message;
  }
  // Instantiates with imports[i] replaced by v and expects success.
  void expect_linkable(size_t i, ExternVal v) {
    std::vector<ExternVal> ims = imports;
    ims[i] = v;
    auto res = interp::instantiate(r.store, cm, ims, r.thread);
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
  }

  std::shared_ptr<const interp::CompiledModule> cm;
  Runner r;
  std::vector<ExternVal> imports;
};

TEST_F(LinkTest, MatchingImportsLinkAndAreUsed) {
  interp::Instance* inst = r.instantiate(cm, imports);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(as_i32(r.value(inst, "call_f", {i32(14)})), 42);
  EXPECT_EQ(as_i32(r.value(inst, "get_g")), 5);
  EXPECT_EQ(as_i64(r.value(inst, "get_gm")), 9);
  imports[2].memory->base()[3] = 0x77;
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(3)})), 0x77);
}

TEST_F(LinkTest, FunctionTypeMismatch) {
  expect_unlinkable(0, ExternVal::of(func({ValType::I64}, {ValType::I32})),
                    {"incompatible import type", "\"m\" \"f\"", "expected func (i32) -> i32",
                     "got func (i64) -> i32"});
  expect_unlinkable(0, ExternVal::of(func({ValType::I32}, {})), {"\"m\" \"f\"", "got func (i32) -> ()"});
  expect_unlinkable(0, ExternVal::of(func({ValType::I32}, {ValType::I32, ValType::I32})),
                    {"\"m\" \"f\""});
}

TEST_F(LinkTest, KindMismatch) {
  expect_unlinkable(0, imports[3], {"\"m\" \"f\"", "expected func (i32) -> i32", "got global"});
  expect_unlinkable(1, imports[2], {"\"m\" \"t\"", "expected table 2..10 funcref", "got memory"});
  expect_unlinkable(2, imports[0], {"\"m\" \"mem\"", "expected memory 1..2", "got func"});
  expect_unlinkable(3, imports[1], {"\"m\" \"g\"", "expected global i32", "got table"});
}

TEST_F(LinkTest, TableTypeMismatch) {
  expect_unlinkable(1, ExternVal::of(table(ValType::FuncRef, limits(1, 10))),
                    {"\"m\" \"t\"", "expected table 2..10 funcref", "got table 1..10 funcref"});
  expect_unlinkable(1, ExternVal::of(table(ValType::FuncRef, limits(2, 11))), {"got table 2..11"});
  expect_unlinkable(1, ExternVal::of(table(ValType::FuncRef, limits(2, std::nullopt))),
                    {"got table 2 funcref"});
  expect_unlinkable(1, ExternVal::of(table(ValType::ExternRef, limits(2, 10))),
                    {"got table 2..10 externref"});
  // Subtyping: larger minimum, smaller maximum.
  expect_linkable(1, ExternVal::of(table(ValType::FuncRef, limits(5, 6))));
}

TEST_F(LinkTest, MemoryTypeMismatch) {
  expect_unlinkable(2, ExternVal::of(memory(limits(0, 2))),
                    {"\"m\" \"mem\"", "expected memory 1..2", "got memory 0..2"});
  expect_unlinkable(2, ExternVal::of(memory(limits(1, 3))), {"got memory 1..3"});
  expect_unlinkable(2, ExternVal::of(memory(limits(1, std::nullopt))), {"got memory 1)"});
  expect_unlinkable(2, ExternVal::of(memory(limits(1, 2, true))), {"got memory 1..2 shared"});
  expect_linkable(2, ExternVal::of(memory(limits(2, 2))));
}

TEST_F(LinkTest, MemoryTypeIsCheckedAtItsCurrentSize) {
  interp::Memory* m = memory(limits(0, 2));
  expect_unlinkable(2, ExternVal::of(m), {"got memory 0..2"});
  ASSERT_EQ(m->grow(1), 0);
  expect_linkable(2, ExternVal::of(m));
}

TEST_F(LinkTest, SharedMemoryImport) {
  auto shared_cm = load_test_module("link_shared");
  ASSERT_NE(shared_cm, nullptr);
  std::vector<ExternVal> ims = {ExternVal::of(memory(limits(1, 2)))};
  auto res = interp::instantiate(r.store, shared_cm, ims, r.thread);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::Unlinkable);
  EXPECT_NE(res.error().message.find("expected memory 1..2 shared"), std::string::npos)
      << res.error().message;
  ims = {ExternVal::of(memory(limits(1, 2, true)))};
  EXPECT_TRUE(interp::instantiate(r.store, shared_cm, ims, r.thread).ok());
}

TEST_F(LinkTest, GlobalTypeMismatch) {
  expect_unlinkable(3, ExternVal::of(global(ValType::I64, false, 0)),
                    {"\"m\" \"g\"", "expected global i32", "got global i64"});
  expect_unlinkable(3, ExternVal::of(global(ValType::I32, true, 0)), {"got global mut i32"});
  expect_unlinkable(4, ExternVal::of(global(ValType::I64, false, 0)),
                    {"\"m\" \"gm\"", "expected global mut i64", "got global i64"});
  expect_unlinkable(4, ExternVal::of(global(ValType::F64, true, 0)), {"got global mut f64"});
}

TEST_F(LinkTest, WrongNumberOfImports) {
  std::vector<ExternVal> ims(imports.begin(), imports.end() - 1);
  auto res = interp::instantiate(r.store, cm, ims, r.thread);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::Unlinkable);
}

TEST_F(LinkTest, LinkerReportsUnknownImportWithItsType) {
  interp::Linker linker;
  auto res = linker.resolve(*cm->module);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::Unlinkable);
  EXPECT_EQ(res.error().message, "unknown import: \"m\" \"f\" (expected func (i32) -> i32)");
  EXPECT_EQ(res.error().offset, cm->module->imports[0].offset);

  linker.define("m", "f", imports[0]);
  linker.define("m", "t", imports[1]);
  res = linker.resolve(*cm->module);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "unknown import: \"m\" \"mem\" (expected memory 1..2)");
  linker.define("m", "mem", imports[2]);
  linker.define("m", "g", imports[3]);
  linker.define("other", "gm", imports[4]);  // right field, wrong module
  res = linker.resolve(*cm->module);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().message, "unknown import: \"m\" \"gm\" (expected global mut i64)");
}

TEST_F(LinkTest, LinkerLinksOneInstanceToAnother) {
  interp::Instance* exporter = r.instantiate("exporter");
  ASSERT_NE(exporter, nullptr);
  interp::Linker linker;
  linker.define_instance("m", *exporter);
  auto ims = linker.resolve(*cm->module);
  ASSERT_TRUE(ims.ok()) << ims.error().message;
  interp::Instance* inst = r.instantiate(cm, *ims);
  ASSERT_NE(inst, nullptr);
  EXPECT_EQ(as_i32(r.value(inst, "call_f", {i32(1)})), 101) << "a call into the other instance";
  EXPECT_EQ(as_i32(r.value(inst, "get_g")), 7);
  EXPECT_EQ(as_i64(r.value(inst, "get_gm")), -3);
  EXPECT_EQ(as_i32(r.value(inst, "load8", {i32(16)})), 42) << "the exporter's memory";
}

}  // namespace
}  // namespace wgi::test
