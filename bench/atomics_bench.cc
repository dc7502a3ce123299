// Threads-proposal benchmarks: the cost of atomic read-modify-writes in the
// interpreter, with and without contention, and the latency of a
// memory.atomic.wait32 / memory.atomic.notify round trip between two
// interpreter threads.
//
//  atomics/<op>/<memory>          one thread, n iterations of a loop whose
//                                 body is <op> on one word; time per
//                                 iteration (includes ~5 instructions of
//                                 loop bookkeeping, the same for every op):
//      plain_add                  i32.load, i32.add, i32.store (the baseline)
//      rmw_add                    i32.atomic.rmw.add
//      cmpxchg_add                i32.atomic.load, then i32.atomic.rmw.cmpxchg
//                                 until it succeeds (never retries here)
//    on an ordinary memory (unshared) and a shared one (shared: plain
//    accesses become relaxed atomics, since other threads may race with
//    them and a racing plain access is undefined behaviour in C++).
//  atomics/rmw_add/2_threads_same_word     ->Threads(2): both threads add to
//                                 one word (contended; the cache line
//                                 bounces between the cores)
//  atomics/rmw_add/2_threads_own_line      ->Threads(2): each thread adds to
//                                 its own cache line (no sharing)
//  atomics/plain_add/2_threads_own_line    the same with plain adds
//  atomics/wait_notify_round_trip two interpreter threads hand a turn word
//                                 back and forth; each hand-over is
//                                 i32.atomic.store + memory.atomic.notify,
//                                 and each side parks in memory.atomic.wait32
//                                 until it is its turn. Time per round trip.
//                                 (parking_lot_bench.cc's
//                                 BM_WaitNotifyRoundTrip is the same without
//                                 the interpreter.)
//
// The module is built here, byte by byte, rather than from a .wat file, so
// this file is the benchmark's only input. Every function takes the word's
// address, so threads share nothing but the memory.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/memory.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "interp/trap.h"
#include "support/wasm_builder.h"
#include "interp/parking_lot.h"

namespace {

using wgi::interp::Slot;
using wgi::test::append;
using wgi::test::Bytes;
using wgi::test::name_bytes;
using wgi::test::put_u32;
using wgi::test::section;

// Iterations per call into the interpreter (loop benchmarks) and round
// trips per call (the wait/notify benchmark).
constexpr uint32_t kBatch = 10'000;
constexpr uint32_t kRoundTrips = 1'000;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "wgi bench (atomics): %s\n", what.c_str());
  std::exit(1);
}

// ---- the module -----------------------------------------------------------------
// Written with the tests' byte helpers (tests/support/wasm_builder.h).

// Function bodies (locals declaration included). Parameters: $addr = 0,
// $n = 1; ping_pong: $turn = 0, $me = 1, $rounds = 2.
// Loops count $n down to 0 and test at the bottom ($n >= 1).
#define WGI_LOOP_TAIL                                                         \
  0x20, 0x01, 0x41, 0x01, 0x6B, 0x22, 0x01, /* n = n - 1 (local.tee) */       \
      0x0D, 0x00,                           /* br_if $loop */                 \
      0x0B,                                 /* end loop */                    \
      0x0B                                  /* end func */

const Bytes kPlainAdd = {
    0x00,                    // no locals
    0x03, 0x40,              // loop
    0x20, 0x00, 0x20, 0x00,  //   local.get $addr, local.get $addr
    0x28, 0x02, 0x00,        //   i32.load
    0x41, 0x01, 0x6A,        //   i32.const 1, i32.add
    0x36, 0x02, 0x00,        //   i32.store
    WGI_LOOP_TAIL};

const Bytes kRmwAdd = {
    0x00,                    // no locals
    0x03, 0x40,              // loop
    0x20, 0x00, 0x41, 0x01,  //   local.get $addr, i32.const 1
    0xFE, 0x1E, 0x02, 0x00,  //   i32.atomic.rmw.add
    0x1A,                    //   drop
    WGI_LOOP_TAIL};

const Bytes kCmpxchgAdd = {
    0x01, 0x02, 0x7F,        // locals: $old = 2, $seen = 3 (i32)
    0x03, 0x40,              // loop $loop
    0x20, 0x00,              //   local.get $addr
    0xFE, 0x10, 0x02, 0x00,  //   i32.atomic.load
    0x21, 0x02,              //   local.set $old
    0x02, 0x40,              //   block $done
    0x03, 0x40,              //     loop $retry
    0x20, 0x00, 0x20, 0x02,  //       local.get $addr, local.get $old
    0x20, 0x02, 0x41, 0x01, 0x6A,  // local.get $old, i32.const 1, i32.add
    0xFE, 0x48, 0x02, 0x00,  //       i32.atomic.rmw.cmpxchg
    0x22, 0x03,              //       local.tee $seen
    0x20, 0x02, 0x46,        //       local.get $old, i32.eq
    0x0D, 0x01,              //       br_if $done
    0x20, 0x03, 0x21, 0x02,  //       local.set $old (local.get $seen)
    0x0C, 0x00,              //       br $retry
    0x0B,                    //     end
    0x0B,                    //   end
    WGI_LOOP_TAIL};

const Bytes kPingPong = {
    0x01, 0x01, 0x7F,              // local $other = 3 (i32)
    0x20, 0x01, 0x41, 0x01, 0x73,  // $me ^ 1
    0x21, 0x03,                    // local.set $other
    0x03, 0x40,                    // loop $round
    0x02, 0x40,                    //   block $mine
    0x03, 0x40,                    //     loop $wait
    0x20, 0x00,                    //       local.get $turn
    0xFE, 0x10, 0x02, 0x00,        //       i32.atomic.load
    0x20, 0x01, 0x46,              //       local.get $me, i32.eq
    0x0D, 0x01,                    //       br_if $mine
    0x20, 0x00, 0x20, 0x03,        //       local.get $turn, local.get $other
    0x42, 0x7F,                    //       i64.const -1 (no timeout)
    0xFE, 0x01, 0x02, 0x00,        //       memory.atomic.wait32
    0x1A,                          //       drop
    0x0C, 0x00,                    //       br $wait
    0x0B,                          //     end
    0x0B,                          //   end
    0x20, 0x00, 0x20, 0x03,        //   local.get $turn, local.get $other
    0xFE, 0x17, 0x02, 0x00,        //   i32.atomic.store
    0x20, 0x00, 0x41, 0x01,        //   local.get $turn, i32.const 1
    0xFE, 0x00, 0x02, 0x00,        //   memory.atomic.notify
    0x1A,                          //   drop
    0x20, 0x02, 0x41, 0x01, 0x6B, 0x22, 0x02,  // rounds = rounds - 1 (local.tee)
    0x0D, 0x00,                    //   br_if $round
    0x0B,                          // end loop
    0x0B};                         // end func
#undef WGI_LOOP_TAIL

// (import "env" "memory" (memory 1 1 [shared])) and the four functions.
Bytes build_module(bool shared) {
  struct Fn {
    const char* name;
    uint8_t type;
    const Bytes* body;
  };
  const Fn fns[] = {{"plain_add", 0, &kPlainAdd},
                    {"rmw_add", 0, &kRmwAdd},
                    {"cmpxchg_add", 0, &kCmpxchgAdd},
                    {"ping_pong", 1, &kPingPong}};
  Bytes m(std::begin(wgi::test::kMagicAndVersion), std::end(wgi::test::kMagicAndVersion));
  // types: 0 = (i32, i32) -> (), 1 = (i32, i32, i32) -> ()
  append(m, section(1, {0x02, 0x60, 0x02, 0x7F, 0x7F, 0x00, 0x60, 0x03, 0x7F, 0x7F, 0x7F, 0x00}));
  Bytes imports = {0x01};
  append(imports, name_bytes("env"));
  append(imports, name_bytes("memory"));
  append(imports, {0x02, uint8_t(shared ? 0x03 : 0x01), 0x01, 0x01});  // memory, limits 1..1
  append(m, section(2, imports));
  Bytes funcs = {uint8_t(std::size(fns))}, exports = {uint8_t(std::size(fns))},
        code = {uint8_t(std::size(fns))};
  for (uint32_t i = 0; i < std::size(fns); ++i) {
    funcs.push_back(fns[i].type);
    append(exports, name_bytes(fns[i].name));
    exports.push_back(0x00);  // func
    put_u32(exports, i);
    put_u32(code, static_cast<uint32_t>(fns[i].body->size()));
    append(code, *fns[i].body);
  }
  append(m, section(3, funcs));
  append(m, section(7, exports));
  append(m, section(10, code));
  return m;
}

// ---- one memory, instantiated per thread --------------------------------------------

// A Store with one memory and the compiled module. Lives for the process
// (benchmark threads come and go; the memory and module stay).
struct Setup {
  explicit Setup(bool shared) {
    auto cm = wgi::interp::load_module(build_module(shared));
    if (!cm.ok()) die("module: " + cm.error().message);
    module = *cm;
    wgi::MemoryType type;
    type.limits = {.min = 1, .max = 1, .has_max = true, .shared = shared};
    auto m = wgi::interp::Memory::create(type);
    if (!m.ok()) die("memory: " + m.error().message);
    memory = store.add_memory(std::move(*m));
  }
  wgi::interp::Store store;
  std::shared_ptr<const wgi::interp::CompiledModule> module;
  wgi::interp::Memory* memory = nullptr;
};

Setup& setup(bool shared) {
  static std::once_flag once[2];
  static std::unique_ptr<Setup> setups[2];
  std::call_once(once[shared], [shared] { setups[shared] = std::make_unique<Setup>(shared); });
  return *setups[shared];
}

// The calling OS thread's interpreter thread and instance.
class Runner {
 public:
  explicit Runner(Setup& s) {
    const wgi::interp::ExternVal imports[] = {wgi::interp::ExternVal::of(s.memory)};
    auto r = wgi::interp::instantiate(s.store, s.module, imports, thread_);
    if (!r.ok() || r->trap != wgi::interp::TrapKind::None) die("instantiate failed");
    instance_ = r->instance;
  }
  const wgi::interp::FuncInst& func(const char* name) const {
    const wgi::interp::FuncInst* f = instance_->get_export_func(name);
    if (!f) die(std::string("no export ") + name);
    return *f;
  }
  void call(const wgi::interp::FuncInst& f, std::initializer_list<Slot> args) {
    std::vector<Slot> a(args);
    Slot result = 0;
    const wgi::interp::TrapKind k = thread_.invoke(f, a.data(), &result);
    if (k != wgi::interp::TrapKind::None)
      die("trap: " + std::string(wgi::interp::trap_message(k)));
  }

 private:
  wgi::interp::Thread thread_;
  wgi::interp::Instance* instance_ = nullptr;
};

// ---- benchmarks -----------------------------------------------------------------------

// One loop function on one word; with ->Threads(2) every thread runs it,
// on the same word (own_line false) or on its own cache line.
void run_loop(benchmark::State& state, const char* fn, bool shared, bool own_line) {
  Runner runner(setup(shared));
  const wgi::interp::FuncInst& f = runner.func(fn);
  const uint32_t addr = own_line ? 256 + 128 * uint32_t(state.thread_index()) : 0;
  while (state.KeepRunningBatch(kBatch)) runner.call(f, {addr, kBatch});
}

void BM_WaitNotifyRoundTrip(benchmark::State& state) {
  Setup& s = setup(true);
  constexpr uint32_t turn = 1024;
  uint32_t* const word = reinterpret_cast<uint32_t*>(s.memory->base() + turn);
  std::atomic_ref<uint32_t>(*word).store(0);
  std::atomic<bool> stop{false};
  std::thread partner([&] {
    Runner r(s);
    const wgi::interp::FuncInst& f = r.func("ping_pong");
    while (!stop.load()) r.call(f, {turn, 1, 1});
  });
  Runner runner(s);
  const wgi::interp::FuncInst& f = runner.func("ping_pong");
  // Each hand-over of ours after the first waits for the partner's answer:
  // kRoundTrips hand-overs are kRoundTrips round trips (less one, per call
  // and per benchmark run: noise).
  while (state.KeepRunningBatch(kRoundTrips)) runner.call(f, {turn, 0, kRoundTrips});
  // Stop the partner: it checks `stop` between calls, and a call returns
  // once it has had its turn. So set `stop`, then give it the turn from the
  // host (it may be parked waiting for it, or may already have gone).
  stop.store(true);
  std::atomic_ref<uint32_t>(*word).store(1);
  wgi::interp::parking_lot().notify(word, wgi::interp::ParkingLot::kNotifyAll);
  partner.join();
}

[[maybe_unused]] const bool registered = [] {
  for (const char* fn : {"plain_add", "rmw_add", "cmpxchg_add"}) {
    for (bool shared : {false, true}) {
      const std::string name =
          std::string("atomics/") + fn + (shared ? "/shared" : "/unshared");
      benchmark::RegisterBenchmark(name.c_str(), [fn, shared](benchmark::State& state) {
        run_loop(state, fn, shared, false);
      });
    }
  }
  // The two-thread loops: real time, as each thread's CPU time alone would
  // hide the time it spends waiting for the contended cache line.
  const struct {
    const char* name;
    const char* fn;
    bool own_line;
  } pairs[] = {{"atomics/rmw_add/2_threads_same_word", "rmw_add", false},
               {"atomics/rmw_add/2_threads_own_line", "rmw_add", true},
               {"atomics/plain_add/2_threads_own_line", "plain_add", true}};
  for (const auto& p : pairs) {
    benchmark::RegisterBenchmark(p.name,
                                 [fn = p.fn, own = p.own_line](benchmark::State& state) {
                                   run_loop(state, fn, true, own);
                                 })
        ->Threads(2)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("atomics/wait_notify_round_trip", BM_WaitNotifyRoundTrip)
      ->UseRealTime();
  return true;
}();

}  // namespace
