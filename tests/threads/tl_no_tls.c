// tl_no_tls.c: a threaded program without thread-locals (__tls_size is 0,
// or, in the variant linked without the TLS exports, there are none): the
// runtime must give threads stacks and skip TLS. Part of threadlink_test.cc.
#include "wgi_threads.h"

#define MAX_THREADS 64u

static uint32_t total;

// Recursion with an address-taken local per level, so each thread uses its
// own shadow stack; returns the number of corrupted words.
WGI_NOINLINE static uint32_t recurse(uint32_t k, uint32_t depth) {
  volatile uint32_t word = k * 1000u + depth;
  uint32_t bad = depth ? recurse(k, depth - 1) : 0;
  return bad + (word != k * 1000u + depth);
}

static void worker(void* arg) {
  const uint32_t k = (uint32_t)(uintptr_t)arg;
  __atomic_add_fetch(&total, recurse(k, 100) == 0 ? k : 1000000u, __ATOMIC_SEQ_CST);
}

// Sum of 1..n computed by n threads (one term each).
WGI_EXPORT("sum") uint32_t sum(uint32_t n) {
  if (n > MAX_THREADS) return 0;
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < n; ++i) tids[i] = wgi_spawn(worker, (void*)(uintptr_t)(i + 1));
  for (uint32_t i = 0; i < n; ++i) wgi_join(tids[i]);
  return __atomic_load_n(&total, __ATOMIC_SEQ_CST);
}
