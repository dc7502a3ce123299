// Benchmarks for interp/parking_lot.h (memory.atomic.wait / notify).
//
//  BM_NotifyNoWaiters     notify on a key nobody waits on: the lock-free
//                         fast path (a fence and one load), per call. With
//                         ->Threads(2) both threads hit the same bucket.
//  BM_WaitNotEqual        wait whose compare fails: bucket lock, count,
//                         compare, uncount. The cost of a futex-style retry.
//  BM_WaitTimeoutZero     wait with timeout 0 on an equal value: the same
//                         plus one clock read.
//  BM_WaitNotifyRoundTrip one full round trip between two threads through
//                         one word: each side stores, notifies, and parks
//                         until the other answers (two park/unpark pairs).
#include "interp/parking_lot.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <thread>

namespace {

using wgi::interp::ParkingLot;
using wgi::interp::parking_lot;
using wgi::interp::WaitResult;

alignas(64) uint32_t g_idle_word = 0;

void BM_NotifyNoWaiters(benchmark::State& state) {
  ParkingLot& lot = parking_lot();
  for (auto _ : state) benchmark::DoNotOptimize(lot.notify(&g_idle_word, 1));
}
BENCHMARK(BM_NotifyNoWaiters)->Threads(1)->Threads(2);

void BM_WaitNotEqual(benchmark::State& state) {
  ParkingLot& lot = parking_lot();
  alignas(4) uint32_t word = 1;
  for (auto _ : state) {
    WaitResult r = lot.wait_on(&word, uint32_t{0}, -1);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_WaitNotEqual);

void BM_WaitTimeoutZero(benchmark::State& state) {
  ParkingLot& lot = parking_lot();
  alignas(4) uint32_t word = 0;
  for (auto _ : state) {
    WaitResult r = lot.wait_on(&word, uint32_t{0}, 0);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_WaitTimeoutZero);

// The word holds whose turn it is: 0 = the benchmark thread, 1 = the
// partner, 2 = the partner should exit.
void BM_WaitNotifyRoundTrip(benchmark::State& state) {
  ParkingLot& lot = parking_lot();
  alignas(64) static uint32_t word;
  std::atomic_ref<uint32_t> turn(word);
  turn.store(0);
  std::thread partner([&] {
    for (;;) {
      uint32_t v;
      while ((v = turn.load()) == 0) lot.wait_on(&word, uint32_t{0}, -1);
      if (v == 2) return;
      turn.store(0);
      lot.notify(&word, 1);
    }
  });
  for (auto _ : state) {
    turn.store(1);
    lot.notify(&word, 1);
    while (turn.load() == 1) lot.wait_on(&word, uint32_t{1}, -1);
  }
  turn.store(2);
  lot.notify(&word, 1);
  partner.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WaitNotifyRoundTrip)->UseRealTime();

}  // namespace
