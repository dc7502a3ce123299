// stencil.c: a data-parallel array kernel with fork/join only.
//
//   wgi run --race stencil.wasm --invoke stencil 1000000 4
//
// Two arrays of n words (16 MB each for n = 4,000,000). In each of ROUNDS
// rounds the main thread spawns `threads` workers, each of which computes
// its own contiguous slice of the destination from the source (a
// three-point stencil: each word from its two neighbours and itself, so the
// words at a slice's edges are read by two workers), then joins them all
// and swaps the arrays. No locks, no atomics: the joins and the next round's spawns order
// every round after the one before. The checksum folds the final array; it
// does not depend on the number of threads.
#include "wgi_threads.h"

#define MAX_WORKERS 16u
#define ROUNDS 8u

typedef struct {
  const uint32_t* src;
  uint32_t* dst;
  uint32_t n, lo, hi;
} job;

static void worker(void* arg) {
  const job* j = arg;
  const uint32_t* s = j->src;
  uint32_t* d = j->dst;
  const uint32_t n = j->n;
  for (uint32_t i = j->lo; i < j->hi; ++i) {
    const uint32_t l = s[i == 0 ? n - 1 : i - 1], r = s[i + 1 == n ? 0 : i + 1];
    uint32_t x = s[i] * 3u + (l ^ (r >> 3));
    d[i] = x ^ (x >> 11);
  }
}

WGI_EXPORT("stencil") uint32_t stencil(uint32_t n, uint32_t threads) {
  if (threads < 1 || threads > MAX_WORKERS || n < 2) wgi_panic(WGI_ETHREAD_FAILED);
  uint32_t* a = wgi_malloc(n * sizeof(uint32_t));
  uint32_t* b = wgi_malloc(n * sizeof(uint32_t));
  if (a == NULL || b == NULL) wgi_panic(WGI_EOUT_OF_BOUNDS);
  for (uint32_t i = 0; i < n; ++i) a[i] = i * 2654435761u;

  uint32_t tids[MAX_WORKERS];
  job jobs[MAX_WORKERS];
  for (uint32_t round = 0; round < ROUNDS; ++round) {
    for (uint32_t t = 0; t < threads; ++t) {
      const uint32_t lo = (uint32_t)((uint64_t)n * t / threads), hi = (uint32_t)((uint64_t)n * (t + 1) / threads);
      jobs[t] = (job){a, b, n, lo, hi};
      tids[t] = wgi_spawn(worker, &jobs[t]);
    }
    for (uint32_t t = 0; t < threads; ++t) wgi_join(tids[t]);
    uint32_t* swap = a;
    a = b;
    b = swap;
  }
  uint32_t check = 2166136261u;
  for (uint32_t i = 0; i < n; ++i) check = (check ^ a[i]) * 16777619u;
  wgi_free(a, n * sizeof(uint32_t));
  wgi_free(b, n * sizeof(uint32_t));
  return check;
}
