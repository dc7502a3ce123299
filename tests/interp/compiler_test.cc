// The threaded code the compiler emits (interp/compiler.cc): each fusion and
// operand rule of its header comment, asserted as the exact instruction
// sequence (names from iop_name, read back with interp/code_dump.h), and
// every row of opcodes.def compiled in every memory and tracing mode.
//
// Slot numbering in the expectations (code.h, compiler.cc): parameters and
// declared locals first, then the hidden zero slot, then one slot per
// operand-stack position.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "interp/code.h"
#include "interp/code_dump.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

using interp::CodeInstr;
using interp::CompiledModule;
using interp::IOp;
using Names = std::vector<std::string>;

constexpr ValType I = ValType::I32, L = ValType::I64, F = ValType::F32;

enum class Mem { None, Plain, Shared };

// A module with memory 0 as asked and one function.
Bytes one_func(std::vector<ValType> params, std::vector<ValType> results, const Code& body,
               Mem mem = Mem::None, const WasmBuilder::Locals& locals = {}) {
  WasmBuilder b;
  if (mem == Mem::Plain) b.add_memory(limits(1));
  if (mem == Mem::Shared) b.add_memory(limits(1, 1, /*shared=*/true));
  b.func(std::move(params), std::move(results), body, "", locals);
  return b.build();
}

// A compiled module and the instructions of its last defined function.
struct Compiled {
  std::shared_ptr<const CompiledModule> cm;
  std::vector<CodeInstr> code;

  Names names() const {
    Names v;
    for (const CodeInstr& ins : code) v.push_back(ins.op == interp::kNoIOp ? "?" : iop_name(ins.op));
    return v;
  }
  // The first instruction named `name` (a test failure and an empty
  // instruction when there is none).
  CodeInstr find(const std::string& name) const {
    for (const CodeInstr& ins : code)
      if (ins.op != interp::kNoIOp && name == iop_name(ins.op)) return ins;
    ADD_FAILURE() << "no " << name << " in " << listing();
    return {};
  }
  std::string listing() const {
    std::string s;
    if (cm) s = interp::format_compiled_function(*cm, cm->funcs.back());
    return s;
  }
};

Compiled compile(const Bytes& bytes, bool traced = false) {
  Compiled c;
  auto r = interp::load_module(bytes, {}, interp::CompileOptions{.trace = traced});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok() || (*r)->funcs.empty()) return c;
  c.cm = *r;
  c.code = interp::decode_function(*c.cm, c.cm->funcs.back());
  return c;
}

// ---- compare-and-branch ------------------------------------------------------

TEST(CompilerTest, BrIfFusesIntegerCompareOfTwoSlots) {
  // block; br_if 0 (local0 < local1); end
  Compiled c = compile(one_func({I, I}, {},
                                Code().block().local_get(0).local_get(1).op(Op::I32LtS).br_if(0).end()));
  EXPECT_EQ(c.names(), (Names{"i32.lt_s.br_if", "return"})) << c.listing();
  // a0, a1 the compared slots, a2 the distance to the block's end (the
  // return after this 3-word instruction).
  EXPECT_EQ(c.find("i32.lt_s.br_if").fields, (std::vector<int32_t>{0, 1, 3, 0}));
}

TEST(CompilerTest, BrIfFusesIntegerCompareWithAnImmediate) {
  Compiled c = compile(one_func(
      {L}, {}, Code().block().local_get(0).i64_const(-10).op(Op::I64GeU).br_if(0).end()));
  EXPECT_EQ(c.names(), (Names{"i64.ge_u.br_if.imm", "return"})) << c.listing();
  const CodeInstr b = c.find("i64.ge_u.br_if.imm");
  EXPECT_EQ(b.fields, (std::vector<int32_t>{0, 3}));  // slot, distance
  EXPECT_EQ(b.imms, (std::vector<uint64_t>{static_cast<uint64_t>(int64_t{-10})}));
}

TEST(CompilerTest, EqzFusesAsCompareWithZero) {
  Compiled c32 = compile(one_func({I}, {}, Code().block().local_get(0).op(Op::I32Eqz).br_if(0).end()));
  EXPECT_EQ(c32.names(), (Names{"i32.eq.br_if.imm", "return"})) << c32.listing();
  EXPECT_EQ(c32.find("i32.eq.br_if.imm").imms, (std::vector<uint64_t>{0}));
  Compiled c64 = compile(one_func({L}, {}, Code().block().local_get(0).op(Op::I64Eqz).br_if(0).end()));
  EXPECT_EQ(c64.names(), (Names{"i64.eq.br_if.imm", "return"})) << c64.listing();
}

TEST(CompilerTest, LoopBackEdgeUsesTheLoopForms) {
  // loop; local0 = local0 + 1; br_if 0 (local0 <s 10); end
  Compiled imm = compile(one_func({I}, {},
                                  Code()
                                      .loop()
                                      .local_get(0).i32_const(1).op(Op::I32Add).local_tee(0)
                                      .i32_const(10).op(Op::I32LtS).br_if(0)
                                      .end()));
  EXPECT_EQ(imm.names(), (Names{"i32.add.imm", "i32.lt_s.br_if.imm.loop", "return"})) << imm.listing();
  // The add writes local 0 directly (local.tee retargets it); the branch
  // goes back over the add's 3 words to the loop head.
  EXPECT_EQ(imm.find("i32.add.imm").fields, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(imm.find("i32.lt_s.br_if.imm.loop").fields, (std::vector<int32_t>{0, -3}));
  EXPECT_EQ(imm.find("i32.lt_s.br_if.imm.loop").imms, (std::vector<uint64_t>{10}));

  Compiled slots = compile(one_func({I, I}, {},
                                    Code()
                                        .loop()
                                        .local_get(0).i32_const(1).op(Op::I32Add).local_set(0)
                                        .local_get(0).local_get(1).op(Op::I32LtU).br_if(0)
                                        .end()));
  EXPECT_EQ(slots.names(), (Names{"i32.add.imm", "i32.lt_u.br_if.loop", "return"})) << slots.listing();

  // Not fused: the plain conditional back-edge.
  Compiled plain = compile(one_func({I}, {}, Code().loop().local_get(0).br_if(0).end()));
  EXPECT_EQ(plain.names(), (Names{"br_if.loop", "return"})) << plain.listing();
}

TEST(CompilerTest, IfBranchesOnTheNegatedCompare) {
  // if (local0 <s local1) { local1 = 7 }: the branch skips the then arm
  // when local0 >=s local1.
  Compiled c = compile(one_func({I, I}, {},
                                Code()
                                    .local_get(0).local_get(1).op(Op::I32LtS)
                                    .if_().i32_const(7).local_set(1).end()));
  EXPECT_EQ(c.names(), (Names{"i32.ge_s.br_if", "const.32", "return"})) << c.listing();
  EXPECT_EQ(c.find("i32.ge_s.br_if").fields, (std::vector<int32_t>{0, 1, 5, 0}));

  // if (5 <u local0): swapped to local0 >u 5, then negated to local0 <=u 5.
  Compiled imm = compile(one_func({I}, {},
                                  Code().i32_const(5).local_get(0).op(Op::I32LtU)
                                      .if_().i32_const(7).local_set(0).end()));
  EXPECT_EQ(imm.names(), (Names{"i32.le_u.br_if.imm", "const.32", "return"})) << imm.listing();
  EXPECT_EQ(imm.find("i32.le_u.br_if.imm").imms, (std::vector<uint64_t>{5}));

  // if (eqz local0): branch when local0 != 0.
  Compiled eqz = compile(one_func({I}, {},
                                  Code().local_get(0).op(Op::I32Eqz)
                                      .if_().i32_const(7).local_set(0).end()));
  EXPECT_EQ(eqz.names(), (Names{"i32.ne.br_if.imm", "const.32", "return"})) << eqz.listing();

  // if (local0): no compare to take over.
  Compiled plain = compile(one_func({I}, {},
                                    Code().local_get(0).if_().i32_const(7).local_set(0).end()));
  EXPECT_EQ(plain.names(), (Names{"br_unless", "const.32", "return"})) << plain.listing();
}

TEST(CompilerTest, BrIfCarryingValuesBranchesAroundOnTheNegatedCompare) {
  // block (result i32): local1 is carried to the block's result slot when
  // local0 >s 0, so the fused branch skips "copy; br" on local0 <=s 0.
  Compiled c = compile(one_func({I, I}, {I},
                                Code()
                                    .block(I)
                                    .local_get(1).local_get(0).i32_const(0).op(Op::I32GtS).br_if(0)
                                    .op(Op::Drop).i32_const(3)
                                    .end()));
  EXPECT_EQ(c.names(), (Names{"i32.le_s.br_if.imm", "copy", "br", "const.32", "return.1"}))
      << c.listing();
  // Into the block's result slot (3, the first stack slot) from local 1.
  EXPECT_EQ(c.find("copy").fields, (std::vector<int32_t>{3, 1}));
}

TEST(CompilerTest, BrIfToTheFunctionLabelReturnsBehindTheNegation) {
  Compiled c = compile(one_func({I, I}, {},
                                Code().local_get(0).local_get(1).op(Op::I32Ne).br_if(0)
                                    .i32_const(1).local_set(1)));
  EXPECT_EQ(c.names(), (Names{"i32.eq.br_if", "return", "const.32", "return"})) << c.listing();
}

TEST(CompilerTest, FloatComparesAreNotFused) {
  // With a NaN operand `a < b` and `a >= b` are both false: `if` could not
  // branch on a negation, so neither br_if nor if takes a float compare.
  Compiled br = compile(one_func({F, F}, {},
                                 Code().block().local_get(0).local_get(1).op(Op::F32Lt).br_if(0).end()));
  EXPECT_EQ(br.names(), (Names{"f32.lt", "br_if", "return"})) << br.listing();
  Compiled iff = compile(one_func({ValType::F64, ValType::F64}, {},
                                  Code().local_get(0).local_get(1).op(Op::F64Ge)
                                      .if_().f64_const(1).local_set(0).end()));
  EXPECT_EQ(iff.names(), (Names{"f64.ge", "br_unless", "const.64", "return"})) << iff.listing();
}

TEST(CompilerTest, CompareNotFollowedByABranchStaysAValue) {
  Compiled c = compile(one_func({I, I}, {I}, Code().local_get(0).local_get(1).op(Op::I32LtS)));
  EXPECT_EQ(c.names(), (Names{"i32.lt_s", "return.1"})) << c.listing();
}

// ---- address fusion --------------------------------------------------------------

TEST(CompilerTest, AddWithAConstantFusesIntoALoad) {
  Compiled c = compile(one_func({I}, {I},
                                Code().local_get(0).i32_const(16).op(Op::I32Add).mem(Op::I32Load, 2, 4),
                                Mem::Plain));
  EXPECT_EQ(c.names(), (Names{"i32.load.addimm", "return.1"})) << c.listing();
  // a0 destination, a1 the address slot, a2 the static offset, a3 the added
  // constant.
  EXPECT_EQ(c.find("i32.load.addimm").fields, (std::vector<int32_t>{2, 0, 4, 16}));
}

TEST(CompilerTest, AddOfTwoSlotsFusesIntoALoad) {
  Compiled c = compile(one_func({I, I}, {L},
                                Code().local_get(0).local_get(1).op(Op::I32Add).mem(Op::I64Load8S, 0, 1),
                                Mem::Plain));
  EXPECT_EQ(c.names(), (Names{"i64.load8_s.add", "return.1"})) << c.listing();
  EXPECT_EQ(c.find("i64.load8_s.add").fields, (std::vector<int32_t>{3, 0, 1, 1}));
}

TEST(CompilerTest, AddFusesIntoAStore) {
  // i32.store (local0 + 8) local1
  Compiled imm = compile(one_func({I, I}, {},
                                  Code().local_get(0).i32_const(8).op(Op::I32Add).local_get(1)
                                      .mem(Op::I32Store, 2),
                                  Mem::Plain));
  EXPECT_EQ(imm.names(), (Names{"i32.store.addimm", "return"})) << imm.listing();
  // a0 address slot, a1 value slot, a2 offset, a3 the added constant.
  EXPECT_EQ(imm.find("i32.store.addimm").fields, (std::vector<int32_t>{0, 1, 0, 8}));

  Compiled slots = compile(one_func({I, I, ValType::F64}, {},
                                    Code().local_get(0).local_get(1).op(Op::I32Add).local_get(2)
                                        .mem(Op::F64Store, 3),
                                    Mem::Plain));
  EXPECT_EQ(slots.names(), (Names{"f64.store.add", "return"})) << slots.listing();

  // A zero value is read from the zero slot: no code, the add still fuses.
  Compiled zero = compile(one_func({I}, {},
                                   Code().local_get(0).i32_const(8).op(Op::I32Add).i32_const(0)
                                       .mem(Op::I32Store, 2),
                                   Mem::Plain));
  EXPECT_EQ(zero.names(), (Names{"i32.store.addimm", "return"})) << zero.listing();
}

TEST(CompilerTest, StoredConstantMaterializedAfterTheAddEndsTheFusion) {
  // The constant 5 is written to a slot after the add: the store cannot
  // take the add over (the constant's code could overwrite its operands).
  Compiled c = compile(one_func({I}, {},
                                Code().local_get(0).i32_const(8).op(Op::I32Add).i32_const(5)
                                    .mem(Op::I32Store, 2),
                                Mem::Plain));
  EXPECT_EQ(c.names(), (Names{"i32.add.imm", "const.32", "i32.store", "return"})) << c.listing();
}

TEST(CompilerTest, OnlyTheAddJustBeforeTheAccessFuses) {
  // The add is followed by another instruction (the value's multiply).
  Compiled c = compile(one_func({I, I}, {},
                                Code().local_get(0).i32_const(8).op(Op::I32Add)
                                    .local_get(1).local_get(1).op(Op::I32Mul).mem(Op::I32Store, 2),
                                Mem::Plain));
  EXPECT_EQ(c.names(), (Names{"i32.add.imm", "i32.mul", "i32.store", "return"})) << c.listing();
  // Other ops do not fuse: a sub is not an address add.
  Compiled sub = compile(one_func({I}, {I},
                                  Code().local_get(0).i32_const(8).op(Op::I32Sub).mem(Op::I32Load, 2),
                                  Mem::Plain));
  EXPECT_EQ(sub.names(), (Names{"i32.sub.imm", "i32.load", "return.1"})) << sub.listing();
}

TEST(CompilerTest, ConstantAddressIsFoldedIntoTheOffset) {
  Compiled c = compile(one_func({}, {I}, Code().i32_const(100).mem(Op::I32Load, 2, 4), Mem::Plain));
  EXPECT_EQ(c.names(), (Names{"i32.load", "return.1"})) << c.listing();
  // Read at the zero slot (0: no params or locals) + 104.
  EXPECT_EQ(c.find("i32.load").fields, (std::vector<int32_t>{1, 0, 104, 0}));

  // Not when address + offset does not fit in 32 bits: the constant is
  // materialized and the access traps at run time.
  Compiled big = compile(one_func({}, {I}, Code().i32_const(-16).mem(Op::I32Load, 2, 32), Mem::Plain));
  EXPECT_EQ(big.names(), (Names{"const.32", "i32.load", "return.1"})) << big.listing();
  EXPECT_EQ(big.find("i32.load").fields, (std::vector<int32_t>{1, 1, 32, 0}));
}

// ---- local.set / local.tee ------------------------------------------------------

TEST(CompilerTest, LocalSetRetargetsTheProducer) {
  Compiled c = compile(one_func({I, I}, {},
                                Code().local_get(0).local_get(1).op(Op::I32Mul).local_set(1)));
  EXPECT_EQ(c.names(), (Names{"i32.mul", "return"})) << c.listing();
  EXPECT_EQ(c.find("i32.mul").fields, (std::vector<int32_t>{1, 0, 1, 0}));  // writes local 1

  Compiled tee = compile(one_func({I, I}, {I},
                                  Code().local_get(0).local_get(1).op(Op::I32Mul).local_tee(1)));
  EXPECT_EQ(tee.names(), (Names{"i32.mul", "return.1"})) << tee.listing();
  EXPECT_EQ(tee.find("i32.mul").fields, (std::vector<int32_t>{1, 0, 1, 0}));
  EXPECT_EQ(tee.find("return.1").fields, (std::vector<int32_t>{1, 0}));  // reads local 1
}

TEST(CompilerTest, LocalSetDoesNotRetargetWhileAnotherOperandReadsTheLocal) {
  // local.get 1 is still on the stack (lazy, reading local 1) when the
  // product is stored to local 1: it is copied out first, and the product
  // is computed into its stack slot and copied to the local.
  Compiled c = compile(one_func({I, I}, {I},
                                Code().local_get(1).local_get(0).local_get(0).op(Op::I32Mul)
                                    .local_set(1)));
  EXPECT_EQ(c.names(), (Names{"i32.mul", "copy", "copy", "return.1"})) << c.listing();
  const std::vector<CodeInstr>& code = c.code;
  ASSERT_EQ(code.size(), 4u);
  EXPECT_EQ(code[0].fields, (std::vector<int32_t>{4, 0, 0, 0}));  // product to stack slot 4
  EXPECT_EQ(code[1].fields, (std::vector<int32_t>{3, 1}));        // old local 1 to slot 3
  EXPECT_EQ(code[2].fields, (std::vector<int32_t>{1, 4}));        // product to local 1
  EXPECT_EQ(code[3].fields, (std::vector<int32_t>{3, 0}));        // returns the old value
}

// ---- immediate operands ---------------------------------------------------------

TEST(CompilerTest, ConstantSecondOperandIsAnImmediate) {
  Compiled c = compile(one_func({I}, {I}, Code().local_get(0).i32_const(-5).op(Op::I32Sub)));
  EXPECT_EQ(c.names(), (Names{"i32.sub.imm", "return.1"})) << c.listing();
  EXPECT_EQ(c.find("i32.sub.imm").fields, (std::vector<int32_t>{2, 0}));
  EXPECT_EQ(c.find("i32.sub.imm").imms, (std::vector<uint64_t>{0xFFFFFFFBu}));

  Compiled l = compile(one_func({L}, {L}, Code().local_get(0).i64_const(-1).op(Op::I64And)));
  EXPECT_EQ(l.names(), (Names{"i64.and.imm", "return.1"})) << l.listing();
  EXPECT_EQ(l.find("i64.and.imm").imms, (std::vector<uint64_t>{~uint64_t{0}}));

  Compiled f = compile(one_func({F}, {F}, Code().local_get(0).f32_const(2.0f).op(Op::F32Div)));
  EXPECT_EQ(f.names(), (Names{"f32.div.imm", "return.1"})) << f.listing();
}

TEST(CompilerTest, ConstantFirstOperandOfACommutativeOpIsAnImmediate) {
  Compiled c = compile(one_func({I}, {I}, Code().i32_const(5).local_get(0).op(Op::I32Mul)));
  EXPECT_EQ(c.names(), (Names{"i32.mul.imm", "return.1"})) << c.listing();
  EXPECT_EQ(c.find("i32.mul.imm").fields, (std::vector<int32_t>{2, 0}));
  EXPECT_EQ(c.find("i32.mul.imm").imms, (std::vector<uint64_t>{5}));

  // Not commutative: the constant goes to a slot.
  Compiled sub = compile(one_func({I}, {I}, Code().i32_const(5).local_get(0).op(Op::I32Sub)));
  EXPECT_EQ(sub.names(), (Names{"const.32", "i32.sub", "return.1"})) << sub.listing();
  Compiled fsub = compile(one_func({F}, {F}, Code().f32_const(1.0f).local_get(0).op(Op::F32Sub)));
  EXPECT_EQ(fsub.names(), (Names{"const.32", "f32.sub", "return.1"})) << fsub.listing();
}

TEST(CompilerTest, ConstantFirstOperandOfAComparisonSwapsTheRelation) {
  // 5 <s x is x >s 5.
  Compiled c = compile(one_func({I}, {I}, Code().i32_const(5).local_get(0).op(Op::I32LtS)));
  EXPECT_EQ(c.names(), (Names{"i32.gt_s.imm", "return.1"})) << c.listing();
  EXPECT_EQ(c.find("i32.gt_s.imm").imms, (std::vector<uint64_t>{5}));
  // The same in a branch.
  Compiled br = compile(one_func({L}, {},
                                 Code().block().i64_const(5).local_get(0).op(Op::I64LeU).br_if(0).end()));
  EXPECT_EQ(br.names(), (Names{"i64.ge_u.br_if.imm", "return"})) << br.listing();
  // Floats swap too (only negation is unsound for them).
  Compiled f = compile(one_func({F}, {I}, Code().f32_const(1.0f).local_get(0).op(Op::F32Lt)));
  EXPECT_EQ(f.names(), (Names{"f32.gt.imm", "return.1"})) << f.listing();
}

TEST(CompilerTest, UnaryOpsHaveNoImmediateForm) {
  Compiled c = compile(one_func({}, {I}, Code().i32_const(8).op(Op::I32Clz)));
  EXPECT_EQ(c.names(), (Names{"const.32", "i32.clz", "return.1"})) << c.listing();
}

// ---- shared memory and tracing -----------------------------------------------------

TEST(CompilerTest, SharedMemoryAccessesUseTheSharedVariants) {
  Compiled c = compile(one_func({I, I}, {I},
                                Code()
                                    .local_get(0).i32_const(4).op(Op::I32Add).mem(Op::I32Load, 2)
                                    .local_get(1).local_get(0).op(Op::I32Add).mem(Op::I32Load, 2)
                                    .op(Op::I32Add)
                                    .local_get(0).mem(Op::I32Load16U, 1)
                                    .op(Op::I32Add)
                                    .local_set(0)
                                    .local_get(1).local_get(0).mem(Op::I32Store8, 0)
                                    .local_get(0),
                                Mem::Shared));
  EXPECT_EQ(c.names(), (Names{"i32.load.addimm.shared", "i32.load.add.shared", "i32.add",
                              "i32.load16_u.shared", "i32.add", "i32.store8.shared", "return.1"}))
      << c.listing();
}

TEST(CompilerTest, TracedCodeRecordsEveryAccessAndFusesNoAddress) {
  const Code body = Code()
                        .local_get(0).i32_const(4).op(Op::I32Add).mem(Op::I32Load, 2)
                        .local_get(0).local_get(0).op(Op::I32Add).local_get(0).mem(Op::I32Store, 2)
                        .block().local_get(0).i32_const(3).op(Op::I32LtS).br_if(0).end();
  for (Mem mem : {Mem::Plain, Mem::Shared}) {
    const std::string sfx = mem == Mem::Shared ? ".shared" : "";
    Compiled c = compile(one_func({I}, {I}, body, mem), /*traced=*/true);
    // Compare-and-branch fusion stays: it touches no memory.
    EXPECT_EQ(c.names(), (Names{"i32.add.imm", "i32.load" + sfx + ".traced", "i32.add",
                                "i32.store" + sfx + ".traced", "i32.lt_s.br_if.imm", "return.1"}))
        << c.listing();
    for (const CodeInstr& ins : c.code) {
      const interp::IOpInfo& info = iop_info(ins.op);
      if (!info.generated) continue;
      const interp::Form form = interp::variant_info(info.variant).form;
      EXPECT_NE(form, interp::Form::AddrImm) << iop_name(ins.op);
      EXPECT_NE(form, interp::Form::AddrAdd) << iop_name(ins.op);
    }
    // The last field of a traced access is its site: (function, index of
    // the instruction in the body).
    const CodeInstr load = c.find("i32.load" + sfx + ".traced");
    ASSERT_EQ(load.fields.size(), 4u);
    ASSERT_LT(static_cast<size_t>(load.fields[3]), c.cm->trace_sites.size());
    EXPECT_EQ(c.cm->trace_sites[load.fields[3]], (std::pair<uint32_t, uint32_t>{0, 3}));
  }
}

TEST(CompilerTest, TracedCallsAndBulkOperations) {
  WasmBuilder b;
  const uint32_t host = b.import_func("env", "f", b.type({}, {}));
  b.add_memory(limits(1));
  b.add_table(ValType::FuncRef, limits(1));
  b.func({I}, {},
         Code()
             .call(host)
             .local_get(0).op(Op::CallIndirect).u32(b.type({}, {})).u32(0)
             .local_get(0).local_get(0).local_get(0).op(Op::MemoryFill).byte(0)
             .local_get(0).mem(Op::I32AtomicLoad, 2).op(Op::Drop));
  const Bytes bytes = b.build();
  Compiled plain = compile(bytes);
  EXPECT_EQ(plain.names(),
            (Names{"call.import", "call_indirect", "memory.fill", "i32.atomic.load", "return"}))
      << plain.listing();
  Compiled traced = compile(bytes, /*traced=*/true);
  EXPECT_EQ(traced.names(), (Names{"call.import.traced", "call_indirect.traced", "memory.fill.traced",
                                   "i32.atomic.load.traced", "return"}))
      << traced.listing();
}

// ---- every opcode ----------------------------------------------------------------

// The module every opcode is compiled in: memory 0 (shared or not), a
// funcref table, a mutable i32 global, a passive data and a passive element
// segment, and a function type () -> () at index 0 for call_indirect; the
// function under test comes after a () -> () function 0.
Bytes opcode_module(const std::vector<ValType>& params, const std::vector<ValType>& results,
                    const Code& body, bool shared) {
  WasmBuilder b;
  const uint32_t void_type = b.type({}, {});
  b.add_memory(shared ? limits(1, 1, true) : limits(1));
  b.add_table(ValType::FuncRef, limits(1));
  b.add_global(ValType::I32, true, Code().i32_const(0));
  b.add_func(void_type, Code());
  b.func(params, results, body);
  b.elem_passive({0});
  b.data_passive({1, 2, 3});
  b.with_data_count();
  return b.build();
}

struct OpBody {
  std::vector<ValType> params, results;
  Code body;
};

// Bodies for the rows the generic rule below cannot write: Special
// signatures and immediates that name something. Returns false for a row
// it does not know.
bool special_body(Op op, OpBody& out) {
  const ValType R = ValType::FuncRef;
  switch (op) {
    case Op::Unreachable: out = {{}, {}, Code().op(op)}; return true;
    case Op::Block: out = {{}, {I}, Code().block(I).i32_const(1).end()}; return true;
    case Op::Loop: out = {{I}, {}, Code().loop().local_get(0).br_if(0).end()}; return true;
    case Op::If:
    case Op::Else:
      out = {{I}, {I}, Code().local_get(0).if_(I).i32_const(1).else_().i32_const(2).end()};
      return true;
    case Op::End: out = {{}, {}, Code().block().end()}; return true;
    case Op::Br: out = {{}, {I}, Code().block(I).i32_const(1).br(0).end()}; return true;
    case Op::BrIf: out = {{I}, {I}, Code().block(I).i32_const(1).local_get(0).br_if(0).end()}; return true;
    case Op::BrTable:
      out = {{I}, {},
             Code().block().block().local_get(0).op(op).u32(2).u32(0).u32(1).u32(0).end().end()};
      return true;
    case Op::Return: out = {{I}, {I}, Code().local_get(0).op(op)}; return true;
    case Op::Call: out = {{}, {}, Code().call(0)}; return true;
    case Op::CallIndirect: out = {{I}, {}, Code().local_get(0).op(op).u32(0).u32(0)}; return true;
    case Op::Drop: out = {{I}, {}, Code().local_get(0).op(op)}; return true;
    case Op::Select: out = {{I, I, I}, {I}, Code().local_get(0).local_get(1).local_get(2).op(op)}; return true;
    case Op::SelectT:
      out = {{ValType::V128, ValType::V128, I}, {ValType::V128},
             Code().local_get(0).local_get(1).local_get(2).op(op).u32(1).byte(byte(ValType::V128))};
      return true;
    case Op::LocalGet: out = {{I}, {I}, Code().local_get(0)}; return true;
    case Op::LocalSet: out = {{I}, {}, Code().i32_const(1).local_set(0)}; return true;
    case Op::LocalTee: out = {{I}, {I}, Code().i32_const(1).local_tee(0)}; return true;
    case Op::GlobalGet: out = {{}, {I}, Code().global_get(0)}; return true;
    case Op::GlobalSet: out = {{I}, {}, Code().local_get(0).global_set(0)}; return true;
    case Op::TableGet: out = {{I}, {R}, Code().local_get(0).op(op).u32(0)}; return true;
    case Op::TableSet: out = {{I, R}, {}, Code().local_get(0).local_get(1).op(op).u32(0)}; return true;
    case Op::TableGrow: out = {{R, I}, {I}, Code().local_get(0).local_get(1).op(op).u32(0)}; return true;
    case Op::TableFill:
      out = {{I, R, I}, {}, Code().local_get(0).local_get(1).local_get(2).op(op).u32(0)};
      return true;
    case Op::TableSize: out = {{}, {I}, Code().op(op).u32(0)}; return true;
    case Op::TableInit:
      out = {{I, I, I}, {}, Code().local_get(0).local_get(1).local_get(2).op(op).u32(0).u32(0)};
      return true;
    case Op::TableCopy:
      out = {{I, I, I}, {}, Code().local_get(0).local_get(1).local_get(2).op(op).u32(0).u32(0)};
      return true;
    case Op::ElemDrop: out = {{}, {}, Code().op(op).u32(0)}; return true;
    case Op::MemoryInit:
      out = {{I, I, I}, {}, Code().local_get(0).local_get(1).local_get(2).op(op).u32(0).byte(0)};
      return true;
    case Op::DataDrop: out = {{}, {}, Code().op(op).u32(0)}; return true;
    case Op::RefNull: out = {{}, {R}, Code().ref_null(R)}; return true;
    case Op::RefIsNull: out = {{R}, {I}, Code().local_get(0).op(op)}; return true;
    case Op::RefFunc: out = {{}, {R}, Code().ref_func(0)}; return true;
    default: return false;
  }
}

// The rows with a simple signature: the operands are the function's
// parameters, the result its result; the immediates are zeros or natural
// alignment.
bool simple_body(Op op, OpBody& out) {
  const OpInfo& info = op_info(op);
  if (info.sig == Sig::Special) return false;
  const SigInfo& sig = sig_info(info.sig);
  out = {};
  for (unsigned k = 0; k < sig.nparams; ++k) {
    out.params.push_back(sig.params[k]);
    out.body.local_get(k);
  }
  if (sig.nresults) out.results.push_back(sig.result);
  out.body.op(op);
  switch (info.imm) {
    case ImmKind::None: break;
    case ImmKind::Memarg: out.body.u32(natural_align_log2(op)).u32(0); break;
    case ImmKind::MemargLane: out.body.u32(natural_align_log2(op)).u32(0).byte(0); break;
    case ImmKind::Lane: out.body.byte(0); break;
    case ImmKind::MemIdx:
    case ImmKind::Fence: out.body.byte(0); break;
    case ImmKind::MemCopy: out.body.byte(0).byte(0); break;
    case ImmKind::I32:
    case ImmKind::I64: out.body.byte(0x7F); break;  // -1
    case ImmKind::F32: out.body.raw(Bytes(4, 0x40)); break;
    case ImmKind::F64: out.body.raw(Bytes(8, 0x40)); break;
    case ImmKind::V128: out.body.raw(Bytes(16, 0x40)); break;
    case ImmKind::Shuffle: out.body.raw(Bytes(16, 1)); break;
    default: return false;  // names a table, segment, ...: special_body
  }
  return true;
}

// Whether the op has generated instructions (a handler of its own).
bool has_generated_iop(Op op) {
  for (unsigned i = 0; i < interp::kIOpCount; ++i) {
    const interp::IOpInfo& info = iop_info(static_cast<IOp>(i));
    if (info.generated && info.op == op) return true;
  }
  return false;
}

TEST(CompilerTest, EveryOpcodeCompiles) {
  // The compiler asserts in its fallthrough that every row is handled, but
  // release builds have no asserts: an unhandled row (or a missing handler
  // variant) would emit a handler word that is no handler, which the
  // decoding catches (kNoIOp, "?").
  unsigned compiled = 0;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    SCOPED_TRACE(op_name(op));
    OpBody ob;
    if (!special_body(op, ob) && !simple_body(op, ob)) {
      ADD_FAILURE() << "no test body for " << op_name(op) << ": add one to special_body";
      continue;
    }
    for (bool shared : {false, true}) {
      const Bytes bytes = opcode_module(ob.params, ob.results, ob.body, shared);
      for (bool traced : {false, true}) {
        Compiled c = compile(bytes, traced);
        ASSERT_NE(c.cm, nullptr) << (shared ? "shared, " : "") << (traced ? "traced" : "");
        bool seen = false;
        for (const CodeInstr& ins : c.code) {
          ASSERT_NE(ins.op, interp::kNoIOp) << c.listing();
          seen = seen || (iop_info(ins.op).generated && iop_info(ins.op).op == op);
        }
        // Its own instruction is in the code, unless it is one of the
        // rows the compiler folds into others (constants, lazily) or emits
        // through a hand-written instruction.
        if (has_generated_iop(op)) {
          EXPECT_TRUE(seen) << op_name(op) << " compiled without its instruction:\n" << c.listing();
        }
        ++compiled;
      }
    }
  }
  EXPECT_EQ(compiled, kOpCount * 4);
}

TEST(CompilerTest, EveryIOpHasADistinctName) {
  std::set<std::string> seen;
  for (unsigned i = 0; i < interp::kIOpCount; ++i) {
    const std::string name = iop_name(static_cast<IOp>(i));
    EXPECT_FALSE(name.empty()) << "IOp " << i;
    EXPECT_TRUE(seen.insert(name).second) << "IOp " << i << ": " << name << " twice";
  }
}

}  // namespace
}  // namespace wgi::test
