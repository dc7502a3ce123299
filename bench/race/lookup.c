// lookup.c: a lookup table that every worker reads (a read-shared object).
//
//   wgi run --race lookup.wasm --invoke lookup 4000000 4
//
// The main thread fills a table of 65,536 words (256 KB); then `threads`
// workers run CHAINS chains of n / CHAINS steps between them (worker w takes
// chains w, w + threads, ...). Every step reads one word of the table at an
// index that depends on the previous step, so all workers read all of the
// table at the same time, and no write follows. Each chain's final value is
// added to the shared total with one atomic add. The checksum is that total;
// it does not depend on the number of threads.
#include "wgi_threads.h"

#define MAX_WORKERS 16u
#define CHAINS 16u
#define TABLE_BITS 16u
#define TABLE (1u << TABLE_BITS)

static uint32_t* table;
static uint32_t steps, workers;
static uint32_t total;  // atomic

static void worker(void* arg) {
  const uint32_t* t = table;
  for (uint32_t c = (uint32_t)(uintptr_t)arg; c < CHAINS; c += workers) {
    uint32_t x = (c + 1) * 0x9e3779b9u;
    for (uint32_t i = 0; i < steps; ++i) x = (x << 5) + t[(x ^ i) & (TABLE - 1)] + (x >> 7);
    __atomic_fetch_add(&total, x, __ATOMIC_RELAXED);
  }
}

WGI_EXPORT("lookup") uint32_t lookup(uint32_t n, uint32_t threads) {
  if (threads < 1 || threads > MAX_WORKERS) wgi_panic(WGI_ETHREAD_FAILED);
  table = wgi_malloc(TABLE * sizeof(uint32_t));
  if (table == NULL) wgi_panic(WGI_EOUT_OF_BOUNDS);
  uint32_t seed = 1;
  for (uint32_t i = 0; i < TABLE; ++i) {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    table[i] = seed;
  }
  steps = n / CHAINS;
  workers = threads;
  __atomic_store_n(&total, 0, __ATOMIC_RELAXED);
  uint32_t tids[MAX_WORKERS];
  for (uint32_t t = 0; t < threads; ++t) tids[t] = wgi_spawn(worker, (void*)(uintptr_t)t);
  for (uint32_t t = 0; t < threads; ++t) wgi_join(tids[t]);
  wgi_free(table, TABLE * sizeof(uint32_t));
  return __atomic_load_n(&total, __ATOMIC_RELAXED);
}
