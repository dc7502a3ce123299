// threadlink_bench.c: the guest side of bench/threadlink_bench.cc, compiled
// to wasm32 with examples/threadlink/wgi_wasm_c.cmake.
#include "wgi_threads.h"

static void nop(void* unused) { (void)unused; }

// Creates and joins n threads, one pair after another.
WGI_EXPORT("create_join") uint32_t create_join(uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) wgi_join(wgi_spawn(nop, NULL));
  return n;
}

// An embarrassingly parallel kernel: the primes below `limit`, by trial
// division, counted by `threads` workers that claim chunks of 4096 numbers
// with an atomic counter; each worker adds its count with one atomic RMW.
static uint32_t limit, next_chunk, total;

static void worker(void* unused) {
  (void)unused;
  uint32_t found = 0;
  for (;;) {
    const uint32_t lo = __atomic_fetch_add(&next_chunk, 1, __ATOMIC_RELAXED) * 4096u;
    if (lo >= limit) break;
    const uint32_t hi = limit - lo < 4096u ? limit : lo + 4096u;
    for (uint32_t n = lo < 2 ? 2 : lo; n < hi; ++n) {
      bool prime = n == 2 || n % 2 != 0;
      for (uint32_t d = 3; prime && d <= n / d; d += 2) prime = n % d != 0;
      found += prime;
    }
  }
  __atomic_fetch_add(&total, found, __ATOMIC_SEQ_CST);
}

WGI_EXPORT("primes") uint32_t primes(uint32_t n, uint32_t threads) {
  limit = n;
  next_chunk = 0;
  total = 0;
  uint32_t tids[16];
  if (threads < 1 || threads > 16) wgi_panic(WGI_ETHREAD_FAILED);
  for (uint32_t i = 0; i < threads; ++i) tids[i] = wgi_spawn(worker, NULL);
  for (uint32_t i = 0; i < threads; ++i) wgi_join(tids[i]);
  return total;
}
