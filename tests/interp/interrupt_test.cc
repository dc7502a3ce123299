// Thread::request_interrupt stops Wasm code wherever it runs: at loop
// back-edges, and at calls (direct, indirect, to the host), so code that
// recurses without a loop stops too. Calls check no flag of their own: an
// interrupt lowers the call-depth limit every call already checks
// (Thread::frames_limit_), and clear_interrupt restores it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "interp_support.h"
#include "support/wasm_builder.h"

namespace wgi::test {
namespace {

using interp::TrapKind;
constexpr ValType I = ValType::I32;
constexpr ValType L = ValType::I64;

// func 0 "fib"   (i64) -> i64: doubly recursive, no loop
// func 1 "fib_indirect": the same through call_indirect
// func 2 "host_rec" (i64) -> i64: recursion through a host function that
//        calls back into Wasm (loop-free on both sides)
Bytes fib_module() {
  WasmBuilder b;
  const uint32_t ll = b.type({L}, {L});
  const uint32_t host = b.import_func("env", "callback", ll);  // func 0
  b.add_table(ValType::FuncRef, Limits{1, 1, true, false});
  auto fib_body = [&](bool indirect) {
    Code c;
    c.local_get(0).i64_const(2).op(Op::I64LtU).if_(L).local_get(0).else_();
    for (int k : {1, 2}) {
      c.local_get(0).i64_const(k).op(Op::I64Sub);
      if (indirect) c.i32_const(0).op(Op::CallIndirect).u32(ll).u32(0);
      else c.call(1);
    }
    c.op(Op::I64Add).end();
    return c;
  };
  const uint32_t fib = b.add_func(ll, fib_body(false));            // func 1
  const uint32_t fib_ind = b.add_func(ll, fib_body(true));         // func 2
  const uint32_t host_rec = b.add_func(ll, Code().local_get(0).call(host));  // func 3
  b.elem_active(0, Code().i32_const(0), {fib_ind});
  b.export_("fib", ExternKind::Func, fib).export_("fib_indirect", ExternKind::Func, fib_ind);
  b.export_("host_rec", ExternKind::Func, host_rec);
  return b.build();
}

struct Fixture {
  Runner r;
  interp::Instance* inst = nullptr;
  const interp::FuncInst* host_rec = nullptr;

  explicit Fixture(bool lazy) {
    // The host function calls host_rec(n - 1) until n is 0.
    interp::FuncInst* cb = r.store.add_host_func(
        FuncType{{L}, {L}},
        [this](interp::Thread& t, interp::Slot* s) {
          const uint64_t n = s[0];
          if (n == 0) return TrapKind::None;
          interp::Slot arg = n - 1, res = 0;
          const TrapKind k = t.invoke(*host_rec, &arg, &res);
          s[0] = res + 1;
          return k;
        },
        "callback");
    auto cm = interp::load_module(fib_module(), Features{}, {.lazy = lazy});
    EXPECT_TRUE(cm.ok());
    const interp::ExternVal imports[] = {interp::ExternVal::of(cb)};
    inst = r.instantiate(*cm, imports);
    host_rec = inst ? inst->get_export_func("host_rec") : nullptr;
  }
};

// Runs `name`(arg), asks for an interrupt after 100 ms from another thread,
// and returns the trap and how long the call took.
std::pair<TrapKind, double> interrupted_call(Fixture& f, const char* name, int64_t arg) {
  std::atomic<bool> done{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!done.load()) f.r.thread.request_interrupt();
  });
  const auto t0 = std::chrono::steady_clock::now();
  const TrapKind k = f.r.call(f.inst, name, {i64(arg)});
  done = true;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stopper.join();
  return {k, s};
}

TEST(Interrupt, LoopFreeRecursionStopsPromptly) {
  for (bool lazy : {false, true}) {
    for (const char* name : {"fib", "fib_indirect"}) {
      Fixture f(lazy);
      ASSERT_NE(f.inst, nullptr);
      // fib(60) would take hours.
      const auto [k, secs] = interrupted_call(f, name, 60);
      EXPECT_EQ(k, TrapKind::Interrupted) << name << " lazy " << lazy;
      EXPECT_LT(secs, 5.0) << name;
      // Cleared, the thread runs again, calls and all.
      f.r.thread.clear_interrupt();
      EXPECT_EQ(as_i64(f.r.value(f.inst, name, {i64(20)})), 6765) << name;
    }
  }
}

// (50 deep: each host->Wasm invocation nests the interpreter loop on the
// native stack, whose frame is over 64 KiB in sanitized builds.)
TEST(Interrupt, RecursionThroughTheHostStops) {
  Fixture f(true);
  ASSERT_NE(f.inst, nullptr);
  EXPECT_EQ(as_i64(f.r.value(f.inst, "host_rec", {i64(50)})), 50);
  // An interrupt already requested stops the first call (to the host, or
  // back into Wasm from it).
  f.r.thread.request_interrupt();
  EXPECT_EQ(f.r.call(f.inst, "host_rec", {i64(50)}), TrapKind::Interrupted);
  f.r.thread.clear_interrupt();
  EXPECT_EQ(as_i64(f.r.value(f.inst, "host_rec", {i64(50)})), 50);
}

TEST(Interrupt, ClearedInterruptsLeaveTheDepthLimitAsItWas) {
  interp::ThreadConfig c;
  c.max_call_depth = 500;
  Runner small(c);
  auto cm = interp::load_module(fib_module(), Features{}, {});
  ASSERT_TRUE(cm.ok());
  // (host_rec needs the callback; only fib is called here.)
  interp::FuncInst* cb = small.store.add_host_func(
      FuncType{{L}, {L}}, [](interp::Thread&, interp::Slot*) { return TrapKind::None; }, "callback");
  const interp::ExternVal imports[] = {interp::ExternVal::of(cb)};
  interp::Instance* inst = small.instantiate(*cm, imports);
  ASSERT_NE(inst, nullptr);
  for (int round = 0; round < 3; ++round) {
    small.thread.request_interrupt();
    EXPECT_EQ(small.call(inst, "fib", {i64(10)}), TrapKind::Interrupted);
    small.thread.clear_interrupt();
    EXPECT_EQ(as_i64(small.value(inst, "fib", {i64(10)})), 55);
  }
  // And the real limit is back: 400 calls deep fit, 600 do not.
  WasmBuilder b;
  const uint32_t t = b.type({I}, {I});
  b.export_("down", ExternKind::Func,
            b.add_func(t, Code().local_get(0).op(Op::I32Eqz).if_(I).i32_const(0).else_()
                              .local_get(0).i32_const(1).op(Op::I32Sub).call(0).end()));
  auto deep = interp::load_module(b.build());
  ASSERT_TRUE(deep.ok());
  interp::Instance* d = small.instantiate(*deep);
  EXPECT_EQ(as_i32(small.value(d, "down", {i32(400)})), 0);
  EXPECT_EQ(small.call(d, "down", {i32(600)}), TrapKind::CallStackExhausted);
}

}  // namespace
}  // namespace wgi::test
