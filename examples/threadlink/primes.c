// primes.c: counts the primes below a limit with N worker threads.
//
//   wgi run primes.wasm --invoke count_primes 1000000 4     prints 78498
//
// The main thread spawns the workers and joins them. Workers claim chunks of
// the range with an atomic counter (so a fast worker takes more chunks),
// count into a thread-local, and add their count to the shared total under a
// mutex when the range is exhausted. The result does not depend on the
// number of threads or on how the chunks were shared out.
#include "wgi_threads.h"

#define CHUNK 4096u
#define MAX_WORKERS 32u

static uint32_t limit;
static uint32_t next_chunk;  // atomic: the next chunk to claim
static wgi_mutex total_lock;
static uint32_t total;
static _Thread_local uint32_t found;  // this thread's count so far

static bool is_prime(uint32_t n) {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  for (uint32_t d = 3; d <= n / d; d += 2)
    if (n % d == 0) return false;
  return true;
}

static void worker(void* unused) {
  (void)unused;
  for (;;) {
    const uint32_t lo = __atomic_fetch_add(&next_chunk, 1, __ATOMIC_RELAXED) * CHUNK;
    if (lo >= limit) break;
    const uint32_t hi = limit - lo < CHUNK ? limit : lo + CHUNK;
    for (uint32_t n = lo; n < hi; ++n) found += is_prime(n);
  }
  wgi_mutex_lock(&total_lock);
  total += found;
  wgi_mutex_unlock(&total_lock);
}

// The number of primes below n, counted by `threads` workers (1..32).
WGI_EXPORT("count_primes") uint32_t count_primes(uint32_t n, uint32_t threads) {
  if (threads < 1 || threads > MAX_WORKERS) wgi_panic(WGI_ETHREAD_FAILED);
  limit = n;
  __atomic_store_n(&next_chunk, 0, __ATOMIC_RELAXED);
  total = 0;
  uint32_t tids[MAX_WORKERS];
  for (uint32_t i = 0; i < threads; ++i) tids[i] = wgi_spawn(worker, NULL);
  for (uint32_t i = 0; i < threads; ++i) wgi_join(tids[i]);
  return total;
}
