// Reading threaded code back (interp/code_dump.h): handler addresses to
// IOps, instruction boundaries and operand words, and the text form.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "interp/code.h"
#include "interp/code_dump.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

using interp::CodeInstr;
using interp::CompiledFunc;
using interp::CompiledModule;
using interp::IOp;

constexpr ValType I = ValType::I32, L = ValType::I64, V = ValType::V128;

TEST(CodeDump, EveryHandlerAddressMapsBackToItsIOp) {
  const void* const* table = interp::handler_table();
  for (unsigned i = 0; i < interp::kIOpCount; ++i)
    EXPECT_EQ(interp::iop_at_handler(table[i]), static_cast<IOp>(i)) << iop_name(static_cast<IOp>(i));
  EXPECT_EQ(interp::iop_at_handler(nullptr), interp::kNoIOp);
  EXPECT_EQ(interp::iop_at_handler(&table), interp::kNoIOp);
}

// func 0 "inc":  local0 + -3
// func 1 "call": inc(5)
// func 2 "shuf": i8x16.shuffle of two v128 constants
// func 3 "big":  0x100000000 * -2
// func 4 "sw":   br_table over two blocks
std::shared_ptr<const CompiledModule> sample_module() {
  Bytes v1(16, 0), v2(16, 0), lanes;
  v1[0] = 1, v1[8] = 2, v2[0] = 3, v2[8] = 4;
  for (uint8_t k = 0; k < 16; ++k) lanes.push_back(k == 15 ? 31 : k);
  WasmBuilder b;
  b.func({I}, {I}, Code().local_get(0).i32_const(-3).op(Op::I32Add));
  b.func({}, {I}, Code().i32_const(5).call(0));
  b.func({}, {V}, Code().op(Op::V128Const).raw(v1).op(Op::V128Const).raw(v2).op(Op::I8x16Shuffle).raw(lanes));
  b.func({}, {L}, Code().i64_const(int64_t{1} << 32).i64_const(-2).op(Op::I64Mul));
  b.func({I}, {},
         Code().block().block().local_get(0).op(Op::BrTable).u32(2).u32(0).u32(1).u32(1).end().end());
  b.names(std::nullopt, {{0, "inc"}, {1, "call"}, {2, "shuf"}, {3, "big"}, {4, "sw"}});
  auto r = interp::load_module(b.build());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

TEST(CodeDump, InstructionsTileEachFunction) {
  auto cm = sample_module();
  ASSERT_NE(cm, nullptr);
  for (const CompiledFunc& f : cm->funcs) {
    const FuncBody& body = cm->module->body(f.func_index);
    uint32_t w = 0;
    for (const CodeInstr& ins : interp::decode_function(*cm, f)) {
      EXPECT_NE(ins.op, interp::kNoIOp);
      EXPECT_EQ(ins.word, w);
      EXPECT_GE(ins.size, 1u);
      // The handler word, the fields two to a word, the immediates.
      EXPECT_EQ(ins.size, 1 + (ins.callee ? 1 : 0) + ins.fields.size() / 2 + ins.imms.size());
      EXPECT_GE(ins.wasm_offset, body.code_offset);
      EXPECT_LE(ins.wasm_offset, body.end_offset);
      w += ins.size;
    }
    EXPECT_EQ(w, f.code_words) << "func " << f.func_index;
  }
}

TEST(CodeDump, OperandsFieldsAndImmediates) {
  auto cm = sample_module();
  ASSERT_NE(cm, nullptr);
  auto code = [&](uint32_t func) { return interp::decode_function(*cm, cm->func(func)); };

  const std::vector<CodeInstr> inc = code(0);
  ASSERT_EQ(inc.size(), 2u);
  EXPECT_EQ(inc[0].op, IOp::I32Add_I);
  EXPECT_EQ(inc[0].fields, (std::vector<int32_t>{2, 0}));
  EXPECT_EQ(inc[0].imms, (std::vector<uint64_t>{0xFFFFFFFDu}));
  EXPECT_EQ(inc[1].op, IOp::Ret1);

  // call: word 1 is the callee, then its argument base.
  const std::vector<CodeInstr> call = code(1);
  ASSERT_EQ(call.size(), 3u);
  EXPECT_EQ(call[0].op, IOp::Const32);
  EXPECT_EQ(call[1].op, IOp::Call);
  EXPECT_EQ(call[1].callee, 0u);
  EXPECT_EQ(call[1].fields, (std::vector<int32_t>{1, 0}));
  EXPECT_FALSE(call[0].callee.has_value());

  // v128 constants and the shuffle's lanes are whole words after the fields.
  const std::vector<CodeInstr> shuf = code(2);
  ASSERT_GE(shuf.size(), 3u);
  EXPECT_EQ(shuf[0].op, IOp::Const128);
  EXPECT_EQ(shuf[0].imms, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(shuf[1].imms, (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(shuf[2].op, IOp::I8x16Shuffle_S);
  EXPECT_EQ(shuf[2].fields, (std::vector<int32_t>{1, 1, 3, 0}));
  EXPECT_EQ(shuf[2].imms, (std::vector<uint64_t>{0x0706050403020100u, 0x1F0E0D0C0B0A0908u}));

  const std::vector<CodeInstr> big = code(3);
  ASSERT_EQ(big.size(), 3u);
  EXPECT_EQ(big[0].op, IOp::Const64);
  EXPECT_EQ(big[0].imms, (std::vector<uint64_t>{uint64_t{1} << 32}));
  EXPECT_EQ(big[1].op, IOp::I64Mul_I);
  EXPECT_EQ(big[1].imms, (std::vector<uint64_t>{static_cast<uint64_t>(int64_t{-2})}));

  // br_table: index slot, count, then the n + 1 targets (both blocks end
  // at the return after the table's 4 words).
  const std::vector<CodeInstr> sw = code(4);
  ASSERT_EQ(sw.size(), 2u);
  EXPECT_EQ(sw[0].op, IOp::BrTable);
  EXPECT_EQ(sw[0].fields, (std::vector<int32_t>{0, 2, 4, 4, 4, 0}));
}

TEST(CodeDump, FormatsOneLinePerInstruction) {
  CodeInstr ins;
  ins.op = IOp::I32LtS_BI;
  ins.word = 4;
  ins.fields = {1, -4};
  ins.imms = {0xFFFFFFF6u};
  ins.wasm_offset = 0x4a;
  EXPECT_EQ(interp::format_code_instr(ins),
            "     4  i32.lt_s.br_if.imm       1 -4 imm=-10         @0x4a");
  // i64 immediates are signed too; those of unknown type are hex.
  ins.op = IOp::I64Add_I;
  ins.imms = {~uint64_t{0}};
  EXPECT_EQ(interp::format_code_instr(ins),
            "     4  i64.add.imm              1 -4 imm=-1          @0x4a");
  ins.op = IOp::Const64;
  ins.fields = {3, 0};
  ins.imms = {0x3FF0000000000000u};
  EXPECT_EQ(interp::format_code_instr(ins),
            "     4  const.64                 3 0 imm=0x3ff0000000000000  @0x4a");
  ins.op = IOp::Call;
  ins.callee = 7;
  ins.fields = {2, 0};
  ins.imms = {};
  EXPECT_EQ(interp::format_code_instr(ins),
            "     4  call                     func 7 2 0           @0x4a");
}

TEST(CodeDump, FormatsAFunctionWithItsFrame) {
  auto cm = sample_module();
  ASSERT_NE(cm, nullptr);
  const std::string text = interp::format_compiled_function(*cm, cm->func(0));
  const std::vector<CodeInstr> code = interp::decode_function(*cm, cm->func(0));
  ASSERT_EQ(code.size(), 2u);
  char add_at[16], ret_at[16];
  std::snprintf(add_at, sizeof add_at, "@0x%x", code[0].wasm_offset);
  std::snprintf(ret_at, sizeof ret_at, "@0x%x", code[1].wasm_offset);
  EXPECT_EQ(text, std::string("func 0 \"inc\" (i32) -> i32: 5 words; slots: params 1, locals 2 "
                              "(slot 1 stays zero), frame 4\n") +
                      "     0  i32.add.imm              2 0 imm=-3           " + add_at + "\n" +
                      "     3  return.1                 2 0                  " + ret_at + "\n");
}

}  // namespace
}  // namespace wgi::test
