// sum_hist.c: a parallel sum and histogram over a shared input array.
//
//   wgi run --race sum_hist.wasm --invoke sum_hist 4000000 4
//
// The main thread fills an array of n pseudo-random words, then `threads`
// workers each take a contiguous slice of it and make PASSES passes over
// it: they add the words up in a local and count each word's top byte,
// after a multiplicative hash that changes with the pass, into a 256-bin
// histogram shared by all, with one atomic add per word
// (__atomic_fetch_add), so the bins are contended. Each worker adds its sum
// to the shared total with one more atomic add. The checksum mixes the total
// with the bins; it does not depend on the number of threads.
#include "wgi_threads.h"

#define MAX_WORKERS 16u
#define BINS 256u
#define PASSES 6u

static const uint32_t* input;
static uint32_t hist[BINS];  // atomic
static uint64_t total;       // atomic

typedef struct {
  uint32_t lo, hi;
} slice;

static void worker(void* arg) {
  const slice* s = arg;
  uint64_t sum = 0;
  for (uint32_t pass = 0; pass < PASSES; ++pass) {
    const uint32_t k = 2654435761u + 2 * pass;  // odd
    for (uint32_t i = s->lo; i < s->hi; ++i) {
      const uint32_t x = input[i];
      sum += x;
      __atomic_fetch_add(&hist[(x * k) >> 24], 1, __ATOMIC_RELAXED);
    }
  }
  __atomic_fetch_add(&total, sum, __ATOMIC_RELAXED);
}

WGI_EXPORT("sum_hist") uint32_t sum_hist(uint32_t n, uint32_t threads) {
  if (threads < 1 || threads > MAX_WORKERS) wgi_panic(WGI_ETHREAD_FAILED);
  uint32_t* a = wgi_malloc(n * sizeof(uint32_t));
  if (a == NULL) wgi_panic(WGI_EOUT_OF_BOUNDS);
  uint32_t seed = 12345;
  for (uint32_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    a[i] = seed ^ (seed >> 15);
  }
  input = a;
  for (uint32_t b = 0; b < BINS; ++b) __atomic_store_n(&hist[b], 0, __ATOMIC_RELAXED);
  __atomic_store_n(&total, 0, __ATOMIC_RELAXED);

  uint32_t tids[MAX_WORKERS];
  slice slices[MAX_WORKERS];
  for (uint32_t t = 0; t < threads; ++t) {
    slices[t].lo = (uint32_t)((uint64_t)n * t / threads);
    slices[t].hi = (uint32_t)((uint64_t)n * (t + 1) / threads);
    tids[t] = wgi_spawn(worker, &slices[t]);
  }
  for (uint32_t t = 0; t < threads; ++t) wgi_join(tids[t]);

  const uint64_t sum = __atomic_load_n(&total, __ATOMIC_RELAXED);
  uint32_t check = (uint32_t)sum ^ (uint32_t)(sum >> 32);
  for (uint32_t b = 0; b < BINS; ++b)
    check = (check ^ __atomic_load_n(&hist[b], __ATOMIC_RELAXED)) * 16777619u;
  wgi_free(a, n * sizeof(uint32_t));
  return check;
}
