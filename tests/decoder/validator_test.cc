// Unit tests of the validator: the operand/control stack discipline of
// function bodies and the module-level rules. Every invalid case asserts the
// ErrorCode, the absolute byte offset and the message's spec prefix.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "decoder/decoder.h"
#include "decoder/validator.h"
#include "support/wasm_builder.h"

namespace wgi {
namespace {

using test::Bytes;
using test::cat;
using test::Code;
using test::limits;
using test::WasmBuilder;

// A value type as these tests write it: a ValType in signatures and
// declarations, and a byte inside hand-written instruction bytes, where
// {0x02, I32} is `block (result i32)`.
struct Type {
  ValType type;
  constexpr operator ValType() const { return type; }
  constexpr operator uint8_t() const { return static_cast<uint8_t>(type); }
};
constexpr Type I32{ValType::I32}, I64{ValType::I64}, F32{ValType::F32}, F64{ValType::F64},
    FUNCREF{ValType::FuncRef}, EXTERNREF{ValType::ExternRef};
constexpr uint8_t EMPTY = 0x40;  // the empty block type

// Instruction-byte shorthands.
Bytes i32c(int32_t v) { return Code().i32_const(v); }
Bytes i64c(int64_t v) { return Code().i64_const(v); }
Bytes f32c() { return Code().f32_const(0); }
Bytes f64c() { return Code().f64_const(0); }
Bytes v128c() { return Code().op(Op::V128Const).raw(Bytes(16, 0)); }
Bytes op1(uint8_t op, uint32_t idx) { return Code{op}.u32(idx); }
Bytes pre(uint8_t prefix, uint32_t code) { return Code{prefix}.u32(code); }
Bytes memarg(Bytes op, uint32_t align, uint32_t offset) {
  return Code(std::move(op)).u32(align).u32(offset);
}

// The tests' imports are all named "m" and one letter, so that offsets past
// the import section are easy to count.
void import_func(WasmBuilder& tm, uint32_t type) { tm.import_func("m", "f", type); }
void import_global(WasmBuilder& tm, ValType t, bool mut) { tm.import_global("m", "g", t, mut); }
void import_memory(WasmBuilder& tm, uint32_t min) { tm.import_memory("m", "m", limits(min)); }

// Declared locals as runs of one each, as the offsets below assume.
WasmBuilder::Locals one_each(const std::vector<ValType>& locals) {
  WasmBuilder::Locals runs;
  for (ValType t : locals) runs.push_back({1, t});
  return runs;
}

// Records what the validator hands to a sink.
struct RecordingSink {
  std::vector<Instr> instrs;
  uint32_t func = kNoFunc;
  size_t nlocals = 0;
  bool ended = false;
  void begin_function(uint32_t f, const FuncType&, std::span<const ValType> locals) {
    func = f;
    nlocals = locals.size();
  }
  void instr(const Instr& ins) { instrs.push_back(ins); }
  void end_function() { ended = true; }
};
static_assert(FuncSink<RecordingSink>);
static_assert(FuncSink<NullSink>);

Result<void> validate_bytes(const Bytes& bytes, bool threads = true) {
  Features f{.threads = threads};
  auto m = decode_module(bytes, f);
  if (!m.ok()) {
    ADD_FAILURE() << "decode failed: " << m.error().message << " at " << m.error().offset;
    return m.error();
  }
  return validate_module(*m, f);
}

::testing::AssertionResult is_valid(const Result<void>& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected valid, got \"" << r.error().message << "\" at "
                                       << r.error().offset;
}

// Checks code, offset and that the message starts with `prefix`.
::testing::AssertionResult fails(const Result<void>& r, ErrorCode code, uint64_t offset,
                                 const std::string& prefix) {
  if (r.ok()) return ::testing::AssertionFailure() << "expected \"" << prefix << "\", but valid";
  const Error& e = r.error();
  if (e.code != code || e.offset != offset || e.message.rfind(prefix, 0) != 0)
    return ::testing::AssertionFailure()
           << "got code " << int(e.code) << " offset " << e.offset << " \"" << e.message
           << "\"; expected code " << int(code) << " offset " << offset << " \"" << prefix << "...\"";
  return ::testing::AssertionSuccess();
}
::testing::AssertionResult invalid(const Result<void>& r, uint64_t offset, const std::string& prefix) {
  return fails(r, ErrorCode::Invalid, offset, prefix);
}

// A module with one function of type [params] -> [results] and the given
// body (without its final end), plus whatever `setup` adds first.
struct OneFunc {
  WasmBuilder tm;
  Bytes bytes;
  uint32_t at = 0;  // offset of the body's first instruction
  OneFunc(std::vector<ValType> params, std::vector<ValType> results, Bytes code,
          const std::vector<ValType>& locals = {}, void (*setup)(WasmBuilder&) = nullptr) {
    if (setup) setup(tm);
    uint32_t t = tm.add_type(std::move(params), std::move(results));
    tm.add_func(t, std::move(code), one_each(locals));
    bytes = tm.build();
    at = tm.code_offset(0);
  }
  Result<void> validate(bool threads = true) const { return validate_bytes(bytes, threads); }
};

void with_memory(WasmBuilder& tm) { tm.add_memory(limits(1)); }
void with_shared_memory(WasmBuilder& tm) { tm.add_memory(limits(1, 2, true)); }

// ---------------------------------------------------------------------------
// Operand stack
// ---------------------------------------------------------------------------

TEST(ValidatorStack, SimpleArithmeticIsValid) {
  OneFunc f({I32, I32}, {I32}, cat({op1(0x20, 0), op1(0x20, 1), {0x6A}}));
  EXPECT_TRUE(is_valid(f.validate()));
}

TEST(ValidatorStack, OperandTypeMismatchReportsTheInstruction) {
  // i32.const 1; f32.const 0; i32.add
  OneFunc f({}, {I32}, cat({i32c(1), f32c(), {0x6A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 7, "type mismatch"));
}

TEST(ValidatorStack, EmptyStack) {
  OneFunc f({}, {I32}, {0x6A});
  EXPECT_TRUE(invalid(f.validate(), f.at, "type mismatch"));
}

TEST(ValidatorStack, MissingFunctionResultIsReportedAtEnd) {
  OneFunc f({}, {I32}, {0x01});  // nop; end
  EXPECT_TRUE(invalid(f.validate(), f.at + 1, "type mismatch"));
}

TEST(ValidatorStack, ExtraValueAtFunctionEnd) {
  OneFunc f({}, {}, i32c(1));
  EXPECT_TRUE(invalid(f.validate(), f.at + 2, "type mismatch"));
}

TEST(ValidatorStack, OperandsOfTheEnclosingBlockAreNotVisible) {
  // i32.const 1; block; drop; end; drop
  OneFunc f({}, {}, cat({i32c(1), {0x02, EMPTY, 0x1A, 0x0B, 0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 4, "type mismatch"));
}

// ---------------------------------------------------------------------------
// Polymorphic stack after unreachable / br / return
// ---------------------------------------------------------------------------

TEST(ValidatorPolymorphic, UnreachableMakesTheStackPolymorphic) {
  // unreachable; i32.add; drop  (result i32 function: end pops Unknown)
  OneFunc f({}, {I32}, {0x00, 0x6A});
  EXPECT_TRUE(is_valid(f.validate()));
}

TEST(ValidatorPolymorphic, KnownOperandsStillChecked) {
  // unreachable; f32.const 0; i32.add
  OneFunc f({}, {}, cat({{0x00}, f32c(), {0x6A, 0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 6, "type mismatch"));
}

TEST(ValidatorPolymorphic, AfterBrInsideBlock) {
  // block (result i32); br 0 (needs an i32) -> invalid
  OneFunc bad({}, {}, {0x02, I32, 0x0C, 0x00, 0x0B, 0x1A});
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 2, "type mismatch"));
  // block (result i32); i32.const 1; br 0; i64.add ... end is fine? no:
  // after br the stack is polymorphic, so i32.const / f32 arith validate,
  // but the value left at end must still be i32.
  OneFunc ok({}, {}, cat({{0x02, I32}, i32c(1), {0x0C, 0x00, 0x6A, 0x0B, 0x1A}}));
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc wrong({}, {}, cat({{0x02, I32}, i32c(1), {0x0C, 0x00}, f32c(), {0x0B, 0x1A}}));
  EXPECT_TRUE(invalid(wrong.validate(), wrong.at + 11, "type mismatch"));
}

TEST(ValidatorPolymorphic, ReturnChecksFunctionResults) {
  OneFunc bad({}, {I64}, cat({i32c(0), {0x0F}}));
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 2, "type mismatch"));
  OneFunc ok({}, {I64}, cat({{0x02, EMPTY}, i64c(0), {0x0F, 0x0B, 0x00}}));
  EXPECT_TRUE(is_valid(ok.validate()));
}

TEST(ValidatorPolymorphic, NestedBlockInDeadCodeIsNotPolymorphic) {
  // unreachable; block; i32.add; end  -> the inner block starts fresh
  OneFunc f({}, {}, {0x00, 0x02, EMPTY, 0x6A, 0x0B});
  EXPECT_TRUE(invalid(f.validate(), f.at + 3, "type mismatch"));
}

TEST(ValidatorPolymorphic, SinkSeesDropTypeAndDeadCode) {
  // i64.const 0; drop; unreachable; drop; block; nop; end; end
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, cat({i64c(0), {0x1A, 0x00, 0x1A, 0x02, EMPTY, 0x01, 0x0B}}));
  auto m = decode_module(tm.build());
  ASSERT_TRUE(m.ok());
  RecordingSink sink;
  ASSERT_TRUE(is_valid(validate_function(*m, 0, sink)));
  ASSERT_EQ(sink.instrs.size(), 8u);
  EXPECT_TRUE(sink.ended);
  EXPECT_EQ(sink.instrs[1].op, Op::Drop);
  EXPECT_EQ(sink.instrs[1].type, ValType::I64);
  EXPECT_FALSE(sink.instrs[1].unreachable);
  EXPECT_FALSE(sink.instrs[2].unreachable);  // the unreachable op itself runs
  EXPECT_EQ(sink.instrs[3].type, ValType::Unknown);
  EXPECT_TRUE(sink.instrs[3].unreachable);
  EXPECT_TRUE(sink.instrs[4].unreachable);  // block opened in dead code
  EXPECT_TRUE(sink.instrs[5].unreachable);  // ...so its contents are dead
  EXPECT_TRUE(sink.instrs[6].unreachable);  // ...and its end
  EXPECT_FALSE(sink.instrs[7].unreachable); // the function's end
  EXPECT_EQ(sink.instrs[7].offset, tm.code_offset(0) + 9);
}

TEST(ValidatorPolymorphic, ElseOfLiveIfIsLiveAfterDeadThenArm) {
  // i32.const 1; if; unreachable; nop; else; nop; end
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, cat({i32c(1), {0x04, EMPTY, 0x00, 0x01, 0x05, 0x01, 0x0B}}));
  auto m = decode_module(tm.build());
  ASSERT_TRUE(m.ok());
  RecordingSink sink;
  ASSERT_TRUE(is_valid(validate_function(*m, 0, sink)));
  ASSERT_EQ(sink.instrs.size(), 8u);
  EXPECT_TRUE(sink.instrs[3].unreachable);   // nop after unreachable
  EXPECT_FALSE(sink.instrs[4].unreachable);  // else
  EXPECT_FALSE(sink.instrs[5].unreachable);  // nop in the else arm
  EXPECT_FALSE(sink.instrs[6].unreachable);  // end of if
}

// ---------------------------------------------------------------------------
// Blocks, if/else, branches
// ---------------------------------------------------------------------------

TEST(ValidatorControl, BlockWithParamsAndResults) {
  WasmBuilder tm;
  tm.add_type({}, {I32});                   // 0: function type
  uint32_t bt = tm.add_type({I32}, {I32});  // 1: block type [i32] -> [i32]
  tm.add_func(0, cat({i32c(1), {0x02, uint8_t(bt)}, i32c(2), {0x6A, 0x0B}}));
  EXPECT_TRUE(is_valid(validate_bytes(tm.build())));
}

TEST(ValidatorControl, BlockParamMissing) {
  WasmBuilder tm;
  tm.add_type({}, {});
  uint32_t bt = tm.add_type({I32}, {});
  tm.add_func(0, {0x02, uint8_t(bt), 0x1A, 0x0B});
  Bytes b = tm.build();
  EXPECT_TRUE(invalid(validate_bytes(b), tm.code_offset(0), "type mismatch"));
}

TEST(ValidatorControl, UnknownBlockType) {
  OneFunc f({}, {}, {0x02, 0x05, 0x0B});
  EXPECT_TRUE(invalid(f.validate(), f.at, "unknown type 5"));
}

TEST(ValidatorControl, LoopLabelTakesParams) {
  WasmBuilder tm;
  tm.add_type({}, {});
  uint32_t bt = tm.add_type({I32}, {I64});
  // i32.const 0; loop [i32]->[i64]; br 0 (wants i32, gets the param); end; drop
  tm.add_func(0, cat({i32c(0), {0x03, uint8_t(bt), 0x0C, 0x00, 0x0B, 0x1A}}));
  EXPECT_TRUE(is_valid(validate_bytes(tm.build())));
}

TEST(ValidatorControl, IfWithoutElseNeedsMatchingTypes) {
  WasmBuilder tm;
  tm.add_type({}, {});
  uint32_t same = tm.add_type({I32}, {I32});
  uint32_t diff = tm.add_type({}, {I32});
  // i32.const 5; i32.const 1; if [i32]->[i32]; end; drop  -- valid
  tm.add_func(0, cat({i32c(5), i32c(1), {0x04, uint8_t(same), 0x0B, 0x1A}}));
  // i32.const 1; if []->[i32]; i32.const 2; end; drop  -- invalid at end
  tm.add_func(0, cat({i32c(1), {0x04, uint8_t(diff)}, i32c(2), {0x0B, 0x1A}}));
  Bytes b = tm.build();
  EXPECT_TRUE(invalid(validate_bytes(b), tm.code_offset(1) + 6, "type mismatch"));
}

TEST(ValidatorControl, IfNeedsI32Condition) {
  OneFunc f({}, {}, cat({i64c(1), {0x04, EMPTY, 0x0B}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 2, "type mismatch"));
}

TEST(ValidatorControl, ElseArmChecked) {
  // i32.const 1; if (result i32); i32.const 1; else; f32.const; end; drop
  OneFunc f({}, {}, cat({i32c(1), {0x04, I32}, i32c(1), {0x05}, f32c(), {0x0B, 0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 12, "type mismatch"));
}

TEST(ValidatorControl, ElseWithoutIfIsMalformed) {
  OneFunc f({}, {}, {0x02, EMPTY, 0x05, 0x0B});
  EXPECT_TRUE(fails(f.validate(), ErrorCode::Malformed, f.at + 2, "END opcode expected"));
}

TEST(ValidatorControl, UnknownLabel) {
  OneFunc f({}, {}, {0x02, EMPTY, 0x0C, 0x02, 0x0B});
  EXPECT_TRUE(invalid(f.validate(), f.at + 2, "unknown label 2"));
}

TEST(ValidatorControl, BrIfKeepsOperands) {
  // block (result i32); i32.const 1; i32.const 0; br_if 0; end; drop
  OneFunc ok({}, {}, cat({{0x02, I32}, i32c(1), i32c(0), {0x0D, 0x00, 0x0B, 0x1A}}));
  EXPECT_TRUE(is_valid(ok.validate()));
  // br_if needs the i32 condition on top
  OneFunc bad({}, {}, cat({{0x02, I32}, i32c(1), {0x0D, 0x00, 0x0B, 0x1A}}));
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 4, "type mismatch"));
}

TEST(ValidatorControl, BrTableArities) {
  // block (result i32); block; i32.const 0; br_table 0 1; end; end
  // -> target 0 takes nothing, default takes an i32: arity mismatch.
  Bytes code = cat({{0x02, I32, 0x02, EMPTY}, i32c(0), {0x0E, 0x01, 0x00, 0x01, 0x0B, 0x0B, 0x1A}});
  OneFunc f({}, {}, code);
  EXPECT_TRUE(invalid(f.validate(), f.at + 6, "type mismatch"));
  // Same arity, types checked: block (result i32) x2, i32.const 7, i32.const 0, br_table 0 1
  Bytes ok = cat({{0x02, I32, 0x02, I32}, i32c(7), i32c(0), {0x0E, 0x01, 0x00, 0x01, 0x0B, 0x0B, 0x1A}});
  OneFunc g({}, {}, ok);
  EXPECT_TRUE(is_valid(g.validate()));
}

TEST(ValidatorControl, BrTableInDeadCodeAllowsDifferentTypesOfEqualArity) {
  // block (result f32); block (result i32); unreachable; br_table 0 1; end; drop; f32.const; end; drop
  Bytes code = cat({{0x02, F32, 0x02, I32, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A}, f32c(), {0x0B, 0x1A}});
  OneFunc f({}, {}, code);
  EXPECT_TRUE(is_valid(f.validate()));
}

TEST(ValidatorControl, CallChecksCalleeType) {
  WasmBuilder tm;
  uint32_t callee = tm.add_type({I64}, {F32});
  uint32_t t = tm.add_type({}, {});
  tm.add_func(callee, cat({f32c()}));
  tm.add_func(t, cat({i64c(1), op1(0x10, 0), {0x1A}}));  // valid
  tm.add_func(t, cat({i32c(1), op1(0x10, 0), {0x1A}}));  // i32 for i64
  tm.add_func(t, op1(0x10, 9));                          // unknown function
  Bytes b = tm.build();
  auto m = decode_module(b);
  ASSERT_TRUE(m.ok());
  NullSink sink;
  EXPECT_TRUE(is_valid(validate_function(*m, 1, sink)));
  EXPECT_TRUE(invalid(validate_function(*m, 2, sink), tm.code_offset(2) + 2, "type mismatch"));
  EXPECT_TRUE(invalid(validate_function(*m, 3, sink), tm.code_offset(3), "unknown function 9"));
  auto r = validate_function(*m, 3, sink);
  EXPECT_EQ(r.error().func_index, 3u);
}

TEST(ValidatorControl, CallIndirect) {
  auto table = [](WasmBuilder& tm) { tm.add_table(FUNCREF, limits(1)); };
  // i32.const 0; call_indirect type 0 table 0 (type 0 = this function's [] -> [])
  OneFunc ok({}, {}, cat({i32c(0), {0x11, 0x00, 0x00}}), {}, table);
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc no_table({}, {}, cat({i32c(0), {0x11, 0x00, 0x00}}));
  EXPECT_TRUE(invalid(no_table.validate(), no_table.at + 2, "unknown table 0"));
  OneFunc bad_type({}, {}, cat({i32c(0), {0x11, 0x07, 0x00}}), {}, table);
  EXPECT_TRUE(invalid(bad_type.validate(), bad_type.at + 2, "unknown type 7"));
  auto ext = [](WasmBuilder& tm) { tm.add_table(EXTERNREF, limits(1)); };
  OneFunc externs({}, {}, cat({i32c(0), {0x11, 0x00, 0x00}}), {}, ext);
  EXPECT_TRUE(invalid(externs.validate(), externs.at + 2, "type mismatch"));
}

TEST(ValidatorControl, MissingFinalEndIsMalformed) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func_unterminated(t, {0x01});  // nop, no end
  Bytes b = tm.build();
  EXPECT_TRUE(fails(validate_bytes(b), ErrorCode::Malformed, tm.code_offset(0) + 1, "unexpected end"));
}

TEST(ValidatorControl, BytesAfterFinalEndAreMalformed) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func_unterminated(t, {0x0B, 0x01, 0x0B});
  Bytes b = tm.build();
  EXPECT_TRUE(fails(validate_bytes(b), ErrorCode::Malformed, tm.code_offset(0) + 1, "section size mismatch"));
}

TEST(ValidatorControl, MalformedBytesLaterInTheBodyWin) {
  // The spec decodes before it validates: i32.add on an empty stack is
  // invalid, but the unknown opcode after it makes the module malformed.
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, {0x6A, 0x01, 0xFF});
  Bytes b = tm.build();
  EXPECT_TRUE(fails(validate_bytes(b), ErrorCode::Malformed, tm.code_offset(0) + 2, "illegal opcode"));
  // Structure is tracked through the failed instruction: the block with an
  // unknown type still needs its own end, so the body lacks one.
  WasmBuilder blk;
  t = blk.add_type({}, {});
  blk.add_func_unterminated(t, {0x02, 0x09, 0x0B});
  b = blk.build();
  EXPECT_TRUE(fails(validate_bytes(b), ErrorCode::Malformed, blk.code_offset(0) + 3, "unexpected end"));
}

TEST(ValidatorControl, MalformedLaterBodyWinsOverInvalidEarlierOne) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, {0x6A});        // invalid
  tm.add_func(t, {0x01, 0xFC, 0x7F});  // malformed: unknown 0xFC opcode
  Bytes b = tm.build();
  auto r = validate_bytes(b);
  EXPECT_TRUE(fails(r, ErrorCode::Malformed, tm.code_offset(1) + 1, "illegal opcode"));
  EXPECT_EQ(r.error().func_index, 1u);
}

TEST(ValidatorControl, MalformedBodyWinsOverModuleLevelError) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_memory(limits(0));
  tm.add_memory(limits(0));  // invalid: multiple memories
  tm.add_func(t, {0x3F, 0x01, 0x1A});  // malformed: memory.size's reserved byte
  Bytes b = tm.build();
  EXPECT_TRUE(fails(validate_bytes(b), ErrorCode::Malformed, tm.code_offset(0) + 1, "zero byte expected"));
}

// ---------------------------------------------------------------------------
// select, drop
// ---------------------------------------------------------------------------

TEST(ValidatorSelect, UntypedSelect) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, cat({f64c(), f64c(), i32c(1), {0x1B, 0x1A}}));
  auto m = decode_module(tm.build());
  ASSERT_TRUE(m.ok());
  RecordingSink sink;
  ASSERT_TRUE(is_valid(validate_function(*m, 0, sink)));
  EXPECT_EQ(sink.instrs[3].op, Op::Select);
  EXPECT_EQ(sink.instrs[3].type, ValType::F64);
}

TEST(ValidatorSelect, UntypedSelectOperandsMustAgree) {
  OneFunc f({}, {}, cat({i32c(1), i64c(1), i32c(1), {0x1B, 0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 6, "type mismatch"));
}

TEST(ValidatorSelect, UntypedSelectRejectsReferences) {
  OneFunc f({}, {}, {0xD0, FUNCREF, 0xD0, FUNCREF, 0x41, 0x01, 0x1B, 0x1A});
  EXPECT_TRUE(invalid(f.validate(), f.at + 6, "type mismatch"));
}

TEST(ValidatorSelect, UntypedSelectInDeadCodeTakesTheKnownType) {
  // unreachable; i64.const 0; i32.const 1; select -> i64; then i32.eqz fails
  OneFunc f({}, {}, cat({{0x00}, i64c(0), i32c(1), {0x1B, 0x45, 0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 6, "type mismatch"));
}

TEST(ValidatorSelect, TypedSelect) {
  OneFunc ok({}, {}, {0xD0, EXTERNREF, 0xD0, EXTERNREF, 0x41, 0x01, 0x1C, 0x01, EXTERNREF, 0x1A});
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc two({}, {}, cat({i32c(1), i32c(1), i32c(1), {0x1C, 0x02, I32, I32, 0x1A}}));
  EXPECT_TRUE(invalid(two.validate(), two.at + 6, "invalid result arity"));
  OneFunc none({}, {}, cat({i32c(1), {0x1C, 0x00}}));
  EXPECT_TRUE(invalid(none.validate(), none.at + 2, "invalid result arity"));
}

TEST(ValidatorSelect, DropNeedsAnOperand) {
  OneFunc f({}, {}, {0x1A});
  EXPECT_TRUE(invalid(f.validate(), f.at, "type mismatch"));
}

// ---------------------------------------------------------------------------
// Locals and globals
// ---------------------------------------------------------------------------

TEST(ValidatorVariables, LocalsAreParamsThenDeclared) {
  // (param i32) (local i64): local.get 1 is i64
  OneFunc ok({I32}, {I64}, op1(0x20, 1), {I64});
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc bad({I32}, {}, cat({i32c(0), op1(0x21, 1)}), {I64});
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 2, "type mismatch"));
  OneFunc unknown({I32}, {}, cat({op1(0x20, 2), {0x1A}}), {I64});
  EXPECT_TRUE(invalid(unknown.validate(), unknown.at, "unknown local 2"));
}

TEST(ValidatorVariables, LocalTeeLeavesItsValue) {
  OneFunc f({}, {F32}, cat({f32c(), op1(0x22, 0)}), {F32});
  EXPECT_TRUE(is_valid(f.validate()));
}

TEST(ValidatorVariables, GlobalMutability) {
  auto globals = [](WasmBuilder& tm) {
    import_global(tm, I32, false);      // 0: immutable import
    tm.add_global(I64, true, i64c(0));  // 1: mutable
    tm.add_global(F32, false, f32c());  // 2: immutable
  };
  OneFunc set_mut({}, {}, cat({i64c(1), op1(0x24, 1)}), {}, globals);
  EXPECT_TRUE(is_valid(set_mut.validate()));
  OneFunc set_imm({}, {}, cat({f32c(), op1(0x24, 2)}), {}, globals);
  EXPECT_TRUE(invalid(set_imm.validate(), set_imm.at + 5, "global is immutable"));
  OneFunc set_imported({}, {}, cat({i32c(1), op1(0x24, 0)}), {}, globals);
  EXPECT_TRUE(invalid(set_imported.validate(), set_imported.at + 2, "global is immutable"));
  OneFunc wrong_type({}, {}, cat({i32c(1), op1(0x24, 1)}), {}, globals);
  EXPECT_TRUE(invalid(wrong_type.validate(), wrong_type.at + 2, "type mismatch"));
  OneFunc unknown({}, {}, cat({op1(0x23, 3), {0x1A}}), {}, globals);
  EXPECT_TRUE(invalid(unknown.validate(), unknown.at, "unknown global 3"));
}

// ---------------------------------------------------------------------------
// Memory, tables, references
// ---------------------------------------------------------------------------

TEST(ValidatorMemory, LoadNeedsAMemory) {
  OneFunc f({}, {}, cat({i32c(0), memarg({0x28}, 2, 0), {0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 2, "unknown memory 0"));
  OneFunc g({}, {}, {0x3F, 0x00, 0x1A});  // memory.size
  EXPECT_TRUE(invalid(g.validate(), g.at, "unknown memory 0"));
}

TEST(ValidatorMemory, Alignment) {
  OneFunc ok({}, {}, cat({i32c(0), memarg({0x29}, 3, 0), {0x1A}}), {}, with_memory);
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc smaller({}, {}, cat({i32c(0), memarg({0x29}, 0, 0), {0x1A}}), {}, with_memory);
  EXPECT_TRUE(is_valid(smaller.validate()));
  // i32.load16_u with align 2 (natural is 1)
  OneFunc bad({}, {}, cat({i32c(0), memarg({0x2F}, 2, 0), {0x1A}}), {}, with_memory);
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 2, "alignment must not be larger than natural"));
}

TEST(ValidatorMemory, StoreOperandOrder) {
  // i32.const 0 (addr); i64.const 0 (value); i64.store
  OneFunc ok({}, {}, cat({i32c(0), i64c(0), memarg({0x37}, 3, 0)}), {}, with_memory);
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc swapped({}, {}, cat({i64c(0), i32c(0), memarg({0x37}, 3, 0)}), {}, with_memory);
  EXPECT_TRUE(invalid(swapped.validate(), swapped.at + 4, "type mismatch"));
}

TEST(ValidatorMemory, BulkMemoryAndDataCount) {
  auto mem_data = [](WasmBuilder& tm) {
    tm.add_memory(limits(1));
    tm.data_count(1);
    tm.data_raw({0x01, 0x00});  // passive, empty
  };
  // i32.const x3; memory.init 0; data.drop 0
  Bytes code = cat({i32c(0), i32c(0), i32c(0), pre(0xFC, 8), {0x00, 0x00}, pre(0xFC, 9), {0x00}});
  OneFunc ok({}, {}, code, {}, mem_data);
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc unknown({}, {}, cat({pre(0xFC, 9), {0x01}}), {}, mem_data);
  EXPECT_TRUE(invalid(unknown.validate(), unknown.at, "unknown data segment 1"));
  auto no_count = [](WasmBuilder& tm) {
    tm.add_memory(limits(1));
    tm.data_raw({0x01, 0x00});
  };
  OneFunc missing({}, {}, cat({pre(0xFC, 9), {0x00}}), {}, no_count);
  EXPECT_TRUE(fails(missing.validate(), ErrorCode::Malformed, missing.at, "data count section required"));
  // No data count and no data section: zero segments, so the index is
  // unknown (what the suite's memory_init.wast expects from wat2wasm output).
  OneFunc no_data({}, {}, cat({pre(0xFC, 9), {0x00}}), {}, with_memory);
  EXPECT_TRUE(invalid(no_data.validate(), no_data.at, "unknown data segment 0"));
  OneFunc init_no_mem({}, {}, cat({i32c(0), i32c(0), i32c(0), pre(0xFC, 8), {0x01, 0x00}}));
  EXPECT_TRUE(invalid(init_no_mem.validate(), init_no_mem.at + 6, "unknown memory 0"));
  // memory.fill needs a memory
  OneFunc fill({}, {}, cat({i32c(0), i32c(0), i32c(0), pre(0xFC, 11), {0x00}}));
  EXPECT_TRUE(invalid(fill.validate(), fill.at + 6, "unknown memory 0"));
}

TEST(ValidatorTables, TableOps) {
  auto tables = [](WasmBuilder& tm) {
    tm.add_table(FUNCREF, limits(1));
    tm.add_table(EXTERNREF, limits(1));
  };
  // table.get 1 -> externref; ref.is_null
  OneFunc ok({}, {I32}, cat({i32c(0), op1(0x25, 1), {0xD1}}), {}, tables);
  EXPECT_TRUE(is_valid(ok.validate()));
  // table.set 0 with an externref
  OneFunc bad({}, {}, cat({i32c(0), {0xD0, EXTERNREF}, op1(0x26, 0)}), {}, tables);
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 4, "type mismatch"));
  // table.size 2: unknown table
  OneFunc unknown({}, {}, cat({pre(0xFC, 16), {0x02, 0x1A}}), {}, tables);
  EXPECT_TRUE(invalid(unknown.validate(), unknown.at, "unknown table 2"));
  // table.copy 0 1: element types differ
  OneFunc copy({}, {}, cat({i32c(0), i32c(0), i32c(0), pre(0xFC, 14), {0x00, 0x01}}), {}, tables);
  EXPECT_TRUE(invalid(copy.validate(), copy.at + 6, "type mismatch"));
  // table.grow 1: (externref, i32) -> i32
  OneFunc grow({}, {I32}, cat({{0xD0, EXTERNREF}, i32c(1), pre(0xFC, 15), {0x01}}), {}, tables);
  EXPECT_TRUE(is_valid(grow.validate()));
  // elem.drop of a missing segment
  OneFunc drop({}, {}, cat({pre(0xFC, 13), {0x00}}), {}, tables);
  EXPECT_TRUE(invalid(drop.validate(), drop.at, "unknown elem segment 0"));
}

TEST(ValidatorRefs, RefIsNullNeedsAReference) {
  OneFunc f({}, {}, cat({i32c(0), {0xD1, 0x1A}}));
  EXPECT_TRUE(invalid(f.validate(), f.at + 2, "type mismatch"));
}

TEST(ValidatorRefs, RefFuncNeedsDeclaration) {
  OneFunc undeclared({}, {}, {0xD2, 0x00, 0x1A});
  EXPECT_TRUE(invalid(undeclared.validate(), undeclared.at, "undeclared function reference"));
  // An export declares the reference.
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, {0xD2, 0x00, 0x1A});
  tm.export_("f", ExternKind::Func, 0);
  EXPECT_TRUE(is_valid(validate_bytes(tm.build())));
  OneFunc unknown({}, {}, {0xD2, 0x05, 0x1A});
  EXPECT_TRUE(invalid(unknown.validate(), unknown.at, "unknown function 5"));
}

// ---------------------------------------------------------------------------
// Atomics (threads proposal)
// ---------------------------------------------------------------------------

TEST(ValidatorAtomics, NaturalAlignmentExactly) {
  // i32.atomic.load align 2 (natural)
  OneFunc ok({}, {}, cat({i32c(0), memarg(pre(0xFE, 0x10), 2, 0), {0x1A}}), {}, with_shared_memory);
  EXPECT_TRUE(is_valid(ok.validate()));
  // Smaller than natural is fine for plain loads but not for atomics.
  OneFunc smaller({}, {}, cat({i32c(0), memarg(pre(0xFE, 0x10), 1, 0), {0x1A}}), {}, with_shared_memory);
  EXPECT_TRUE(invalid(smaller.validate(), smaller.at + 2, "atomic alignment must be natural"));
  OneFunc larger({}, {}, cat({i32c(0), memarg(pre(0xFE, 0x12), 1, 0), {0x1A}}), {}, with_shared_memory);
  EXPECT_TRUE(invalid(larger.validate(), larger.at + 2, "atomic alignment must be natural"));
}

TEST(ValidatorAtomics, NeedAMemoryButNotASharedOne) {
  OneFunc none({}, {}, cat({i32c(0), i32c(1), memarg(pre(0xFE, 0x00), 2, 0), {0x1A}}));
  EXPECT_TRUE(invalid(none.validate(), none.at + 4, "unknown memory 0"));
  OneFunc unshared({}, {}, cat({i32c(0), i32c(1), memarg(pre(0xFE, 0x00), 2, 0), {0x1A}}), {}, with_memory);
  EXPECT_TRUE(is_valid(unshared.validate()));
  // atomic.fence needs no memory
  OneFunc fence({}, {}, cat({pre(0xFE, 0x03), {0x00}}));
  EXPECT_TRUE(is_valid(fence.validate()));
}

TEST(ValidatorAtomics, NeedTheThreadsProposal) {
  // Bodies are decoded by the validator: with threads off, an atomic op is
  // malformed at its opcode, in the spec's words and then the reason.
  OneFunc f({}, {}, cat({i32c(0), memarg(pre(0xFE, 0x10), 2, 0), {0x1A}}), {}, with_memory);
  EXPECT_TRUE(is_valid(f.validate()));
  const Result<void> r = f.validate(/*threads=*/false);
  EXPECT_TRUE(fails(r, ErrorCode::Malformed, f.at + 2, "illegal opcode"));
  EXPECT_EQ(r.error().message,
            "illegal opcode: i32.atomic.load requires the threads proposal, which is disabled");
  EXPECT_EQ(r.error().func_index, 0u);
}

TEST(ValidatorAtomics, WaitAndCmpxchgSignatures) {
  // memory.atomic.wait64: (i32 addr, i64 expected, i64 timeout) -> i32
  Bytes wait = cat({i32c(0), i64c(0), i64c(-1), memarg(pre(0xFE, 0x02), 3, 0), {0x1A}});
  OneFunc ok({}, {}, wait, {}, with_shared_memory);
  EXPECT_TRUE(is_valid(ok.validate()));
  Bytes wait32 = cat({i32c(0), i64c(0), i64c(-1), memarg(pre(0xFE, 0x01), 2, 0), {0x1A}});
  OneFunc bad({}, {}, wait32, {}, with_shared_memory);
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 6, "type mismatch"));
  // i64.atomic.rmw32.cmpxchg_u: (i32, i64, i64) -> i64
  Bytes cx = cat({i32c(0), i64c(0), i64c(0), memarg(pre(0xFE, 0x4E), 2, 0), {0x1A}});
  OneFunc cmpxchg({}, {}, cx, {}, with_shared_memory);
  EXPECT_TRUE(is_valid(cmpxchg.validate()));
}

// ---------------------------------------------------------------------------
// SIMD lanes
// ---------------------------------------------------------------------------

TEST(ValidatorSimd, LaneIndices) {
  // i8x16.extract_lane_s 15 ok, 16 invalid
  OneFunc ok({}, {}, cat({v128c(), pre(0xFD, 0x15), {15, 0x1A}}));
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc bad({}, {}, cat({v128c(), pre(0xFD, 0x15), {16, 0x1A}}));
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 18, "invalid lane index"));
  // i64x2.replace_lane 2 invalid
  OneFunc rep({}, {}, cat({v128c(), i64c(0), pre(0xFD, 0x1E), {2, 0x1A}}));
  EXPECT_TRUE(invalid(rep.validate(), rep.at + 20, "invalid lane index"));
}

TEST(ValidatorSimd, LoadLaneIndexAndAlignment) {
  // v128.load32_lane align 2 lane 3 ok; lane 4 invalid; align 3 invalid
  auto load = [](uint32_t align, uint8_t lane) {
    Bytes b = cat({i32c(0), v128c(), memarg(pre(0xFD, 0x56), align, 0)});
    b.push_back(lane);
    b.push_back(0x1A);
    return b;
  };
  OneFunc ok({}, {}, load(2, 3), {}, with_memory);
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc lane({}, {}, load(2, 4), {}, with_memory);
  EXPECT_TRUE(invalid(lane.validate(), lane.at + 20, "invalid lane index"));
  OneFunc align({}, {}, load(3, 0), {}, with_memory);
  EXPECT_TRUE(invalid(align.validate(), align.at + 20, "alignment must not be larger than natural"));
}

TEST(ValidatorSimd, ShuffleLanesBelow32) {
  auto shuffle = [](uint8_t last) {
    Bytes b = cat({v128c(), v128c(), pre(0xFD, 0x0D)});
    for (int i = 0; i < 15; ++i) b.push_back(uint8_t(i));
    b.push_back(last);
    b.push_back(0x1A);
    return b;
  };
  OneFunc ok({}, {}, shuffle(31));
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc bad({}, {}, shuffle(32));
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 36, "invalid lane index"));
}

TEST(ValidatorSimd, GenericSignatures) {
  // i32x4.shl: (v128, i32) -> v128
  OneFunc ok({}, {}, cat({v128c(), i32c(1), pre(0xFD, 0xAB), {0x01, 0x1A}}));
  EXPECT_TRUE(is_valid(ok.validate()));
  OneFunc bad({}, {}, cat({i32c(1), v128c(), pre(0xFD, 0xAB), {0x01, 0x1A}}));
  EXPECT_TRUE(invalid(bad.validate(), bad.at + 20, "type mismatch"));
}

// ---------------------------------------------------------------------------
// Module level
// ---------------------------------------------------------------------------

TEST(ValidatorModule, MemoryLimits) {
  {
    WasmBuilder tm;
    tm.add_memory(limits(65537));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8, "memory size must be at most 65536 pages (4GiB)"));
  }
  {
    WasmBuilder tm;
    tm.add_memory(limits(0, 65537));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8, "memory size must be at most 65536 pages (4GiB)"));
  }
  {
    WasmBuilder tm;
    tm.add_memory(limits(2, 1));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8, "size minimum must not be greater than maximum"));
  }
  {
    WasmBuilder tm;
    tm.add_memory(Limits{1, 0, /*has_max=*/false, /*shared=*/true});
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8, "shared memory must have maximum"));
  }
  {
    WasmBuilder tm;
    tm.add_memory(limits(65536, 65536));
    EXPECT_TRUE(is_valid(validate_bytes(tm.build())));
  }
}

TEST(ValidatorModule, TableLimits) {
  WasmBuilder tm;
  tm.add_table(FUNCREF, limits(3, 2));
  EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8, "size minimum must not be greater than maximum"));
}

TEST(ValidatorModule, MultipleMemories) {
  {
    WasmBuilder tm;
    tm.add_memory(limits(0));
    tm.add_memory(limits(0));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8, "multiple memories"));
  }
  {
    WasmBuilder tm;
    import_memory(tm, 0);
    tm.add_memory(limits(0));
    Bytes b = tm.build();
    // The memory section follows the 10-byte import section.
    EXPECT_TRUE(invalid(validate_bytes(b), 8 + 10, "multiple memories"));
  }
}

TEST(ValidatorModule, DuplicateExportName) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, {});
  tm.export_("a", ExternKind::Func, 0);
  tm.export_("a", ExternKind::Func, 0);
  Bytes b = tm.build();
  // type section 6 + function section 4 + export section header 3, first entry 4
  EXPECT_TRUE(invalid(validate_bytes(b), 8 + 6 + 4 + 3 + 4, "duplicate export name"));
}

TEST(ValidatorModule, ExportIndices) {
  WasmBuilder tm;
  tm.export_("g", ExternKind::Global, 0);
  EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 3, "unknown global 0"));
}

TEST(ValidatorModule, StartFunction) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({I32}, {});
  tm.add_func(t, {});
  tm.start(0);
  Bytes b = tm.build();
  // start section at: type 7 bytes, function section 4 bytes
  EXPECT_TRUE(invalid(validate_bytes(b), 8 + 7 + 4, "start function"));
  WasmBuilder unknown;
  unknown.start(3);
  EXPECT_TRUE(invalid(validate_bytes(unknown.build()), 8, "unknown function 3"));
}

TEST(ValidatorModule, UnknownFunctionType) {
  WasmBuilder tm;
  tm.add_type({}, {});
  tm.add_func(4, {});
  Bytes b = tm.build();
  EXPECT_TRUE(invalid(validate_bytes(b), 8 + 6, "unknown type 4"));
  WasmBuilder imp;
  import_func(imp, 2);
  EXPECT_TRUE(invalid(validate_bytes(imp.build()), 8 + 3, "unknown type 2"));
}

TEST(ValidatorModule, GlobalInitialisers) {
  {
    // global.get of an imported immutable global: fine
    WasmBuilder tm;
    import_global(tm, I32, false);
    tm.add_global(I32, false, op1(0x23, 0));
    EXPECT_TRUE(is_valid(validate_bytes(tm.build())));
  }
  {
    // ... of a defined global: unknown (only imports are visible)
    WasmBuilder tm;
    tm.add_global(I32, false, i32c(0));
    tm.add_global(I32, false, op1(0x23, 0));
    Bytes b = tm.build();
    EXPECT_TRUE(invalid(validate_bytes(b), 8 + 3 + 5 + 2, "unknown global 0"));
  }
  {
    // ... of a mutable import: not constant
    WasmBuilder tm;
    import_global(tm, I32, true);
    tm.add_global(I32, false, op1(0x23, 0));
    Bytes b = tm.build();
    EXPECT_TRUE(invalid(validate_bytes(b), 8 + 10 + 3 + 2, "constant expression required"));
  }
  {
    // wrong type
    WasmBuilder tm;
    tm.add_global(I64, false, i32c(0));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 3 + 2, "type mismatch"));
  }
  {
    // two values
    WasmBuilder tm;
    tm.add_global(I32, false, cat({i32c(0), i32c(0)}));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 3 + 2, "type mismatch"));
  }
  {
    // a non-constant instruction
    WasmBuilder tm;
    tm.add_global(I32, false, cat({i32c(0), i32c(0), {0x6A}}));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 3 + 2, "constant expression required"));
  }
  {
    // ref.func in an initialiser declares the function
    WasmBuilder tm;
    uint32_t t = tm.add_type({}, {});
    tm.add_func(t, {0xD2, 0x00, 0x1A});
    tm.add_global(FUNCREF, false, op1(0xD2, 0));
    EXPECT_TRUE(is_valid(validate_bytes(tm.build())));
  }
}

TEST(ValidatorModule, DataSegmentsNeedAMemory) {
  WasmBuilder tm;
  tm.data_raw(cat({{0x00}, i32c(0), {0x0B, 0x00}}));
  EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 3, "unknown memory 0"));
}

TEST(ValidatorModule, ElemSegments) {
  {
    // active, table 0 missing
    WasmBuilder tm;
    uint32_t t = tm.add_type({}, {});
    tm.add_func(t, {});
    tm.elem_raw(cat({{0x00}, i32c(0), {0x0B, 0x01, 0x00}}));
    Bytes b = tm.build();
    EXPECT_TRUE(invalid(validate_bytes(b), 8 + 4 + 2 + 2 + 2 + 3, "unknown table 0"));
  }
  {
    // funcref segment into an externref table
    WasmBuilder tm;
    uint32_t t = tm.add_type({}, {});
    tm.add_func(t, {});
    tm.add_table(EXTERNREF, limits(1));
    tm.elem_raw(cat({{0x00}, i32c(0), {0x0B, 0x01, 0x00}}));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 6 + 4 + 6 + 3, "type mismatch"));
  }
  {
    // offset of the wrong type
    WasmBuilder tm;
    uint32_t t = tm.add_type({}, {});
    tm.add_func(t, {});
    tm.add_table(FUNCREF, limits(1));
    tm.elem_raw(cat({{0x00}, i64c(0), {0x0B, 0x01, 0x00}}));
    EXPECT_TRUE(invalid(validate_bytes(tm.build()), 8 + 6 + 4 + 6 + 3 + 1, "type mismatch"));
  }
}

// ---------------------------------------------------------------------------
// Reuse: one FunctionValidator across functions of one module.
// ---------------------------------------------------------------------------

TEST(ValidatorReuse, StateDoesNotLeakBetweenFunctions) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  tm.add_func(t, {0x00, 0x6A, 0x1A});  // dead code, stack polymorphic
  tm.add_func(t, {0x6A});              // must fail on its own
  Bytes b = tm.build();
  auto m = decode_module(b);
  ASSERT_TRUE(m.ok());
  FunctionValidator v(*m, Features{});
  NullSink sink;
  EXPECT_TRUE(is_valid(validate_function(v, 0, sink)));
  auto r = validate_function(v, 1, sink);
  EXPECT_TRUE(invalid(r, tm.code_offset(1), "type mismatch"));
  EXPECT_EQ(r.error().func_index, 1u);
  EXPECT_TRUE(is_valid(validate_function(v, 0, sink)));
}

TEST(ValidatorReuse, ImportedFunctionHasNoBody) {
  WasmBuilder tm;
  uint32_t t = tm.add_type({}, {});
  import_func(tm, t);
  tm.add_func(t, {});
  auto m = decode_module(tm.build());
  ASSERT_TRUE(m.ok());
  NullSink sink;
  EXPECT_FALSE(validate_function(*m, 0, sink).ok());
  EXPECT_TRUE(is_valid(validate_function(*m, 1, sink)));
}

}  // namespace
}  // namespace wgi
