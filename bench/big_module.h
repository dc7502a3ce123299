// A synthetic large module for start-up measurements: real programs built
// for WASI are 10-60 MB, mostly code, and reach their first instruction
// long before most of their functions ever run.
//
// big_module(bytes) writes a module of about `bytes` bytes: many functions
// of varied size (a few dozen bytes to a few KB, a few hundred on average,
// like clang -O2 output) built from the instruction mix compiled C shows:
// locals, i32/i64 arithmetic, loads and stores, nested blocks, loops with
// counters, if/else, br_if, br_table and calls to earlier functions (never
// from inside a loop; no function loops forever). The export "_start" () -> () is a tiny function
// that calls nothing else: the time to reach its first instruction is the
// start-up cost of the module, independent of what the program would do.
// Deterministic: the same size gives the same bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "support/wasm_builder.h"

namespace wgi::bench {

inline constexpr Op kBigModuleI32Ops[] = {Op::I32Add, Op::I32Sub, Op::I32Mul, Op::I32And,
                                          Op::I32Or,  Op::I32Xor, Op::I32Shl, Op::I32ShrU};
inline constexpr Op kBigModuleI64Ops[] = {Op::I64Add, Op::I64Sub, Op::I64Mul, Op::I64Xor};

inline std::vector<uint8_t> big_module(size_t target_bytes) {
  using test::Code;
  using test::WasmBuilder;
  WasmBuilder b;
  const uint32_t sig = b.type({ValType::I32, ValType::I32}, {ValType::I32});
  const uint32_t start_sig = b.type({}, {});
  b.add_memory(Limits{1, 1, true, false});  // 64 KiB, not shared
  uint64_t seed = 0x9E3779B97F4A7C15ull;
  auto rnd = [&](uint32_t n) {  // xorshift64*: 0 <= result < n
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return static_cast<uint32_t>((seed * 0x2545F4914F6CDD1Dull) >> 33) % n;
  };
  // Locals: 0-1 params, 2-5 i32, 6-7 i64.
  const WasmBuilder::Locals locals = {{4, ValType::I32}, {2, ValType::I64}};
  auto i32_local = [&] { return rnd(6); };
  auto addr = [&](Code& c) {  // an in-bounds address: (local & 0xFFF0)
    c.local_get(i32_local()).i32_const(0xFFF0).op(Op::I32And);
  };
  // One statement; `depth` limits nesting, `funcs` is the number of
  // functions defined so far (calls go to earlier ones only).
  auto statement = [&](auto& self, Code& c, int depth, uint32_t funcs) -> void {
    switch (rnd(depth > 0 ? 10 : 6)) {
      case 0:
      case 1:
        c.local_get(i32_local()).i32_const(static_cast<int32_t>(rnd(1000))).op(kBigModuleI32Ops[rnd(8)]);
        c.local_set(2 + rnd(4));
        break;
      case 2:
        addr(c);
        c.mem(Op::I32Load, 2, rnd(64) * 4).local_get(i32_local()).op(kBigModuleI32Ops[rnd(8)]);
        c.local_set(2 + rnd(4));
        break;
      case 3:
        addr(c);
        c.local_get(i32_local()).mem(Op::I32Store, 2, rnd(64) * 4);
        break;
      case 4:
        c.local_get(6 + rnd(2)).local_get(i32_local()).op(Op::I64ExtendI32U).op(kBigModuleI64Ops[rnd(4)]);
        c.local_set(6 + rnd(2));
        break;
      case 5:
        if (funcs > 1 && rnd(4) == 0) {
          // A call whose result is kept (the callee terminates: no loops
          // call, and callees have smaller indices).
          c.local_get(i32_local()).local_get(i32_local()).call(1 + rnd(funcs - 1)).local_set(2 + rnd(4));
        } else {
          c.local_get(i32_local()).op(Op::I32Eqz).local_set(2 + rnd(4));
        }
        break;
      case 6:
      case 7: {  // if/else on a comparison
        c.local_get(i32_local()).i32_const(static_cast<int32_t>(rnd(100))).op(Op::I32LtS).if_();
        for (uint32_t n = 1 + rnd(3); n > 0; --n) self(self, c, depth - 1, funcs);
        c.else_();
        for (uint32_t n = rnd(3); n > 0; --n) self(self, c, depth - 1, funcs);
        c.end();
        break;
      }
      case 8: {  // a counted loop over a block (no calls inside: see case 5)
        const uint32_t counter = 2 + rnd(4);
        c.i32_const(static_cast<int32_t>(1 + rnd(8))).local_set(counter);
        c.block().loop();
        c.local_get(counter).op(Op::I32Eqz).br_if(1);
        for (uint32_t n = 1 + rnd(3); n > 0; --n) self(self, c, depth - 1, 0);
        c.local_get(counter).i32_const(1).op(Op::I32Sub).local_set(counter).br(0);
        c.end().end();
        break;
      }
      default: {  // a switch: br_table over nested blocks
        const uint32_t arms = 2 + rnd(4);
        for (uint32_t i = 0; i <= arms; ++i) c.block();
        c.local_get(i32_local()).i32_const(7).op(Op::I32And);
        c.op(Op::BrTable).u32(arms);
        for (uint32_t i = 0; i < arms; ++i) c.u32(i);
        c.u32(arms);
        for (uint32_t i = 0; i < arms; ++i) {
          c.end();
          self(self, c, depth - 1, funcs);
          c.br(arms - 1 - i);  // to the outermost block, open after i + 1 ends
        }
        c.end();
        break;
      }
    }
  };
  // Index 0 is _start; defined functions follow.
  b.export_("_start", ExternKind::Func, b.add_func(start_sig, Code().i32_const(0).op(Op::Drop)));
  size_t total = 0;
  uint32_t funcs = 1;
  while (total < target_bytes) {
    // Sizes: mostly small, some large (a long tail, as in real programs).
    const uint32_t statements = rnd(8) == 0 ? 20 + rnd(200) : 2 + rnd(30);
    Code c;
    for (uint32_t s = 0; s < statements; ++s) statement(statement, c, 3, funcs);
    c.local_get(2).local_get(6).op(Op::I32WrapI64).op(Op::I32Add);
    total += c.size() + 8;
    b.add_func(sig, c, locals);
    ++funcs;
  }
  return b.build();
}

}  // namespace wgi::bench
