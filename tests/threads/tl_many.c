// tl_many.c: thousands of threads alive at once, for threadlink_test.cc
// (Threadlink.*LiveThreads*). Each scenario returns the number of threads
// that ran, or a negative number naming the failed check.
#include "wgi_threads.h"

#define MAX_MANY 4096u

static uint32_t load(uint32_t* p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static uint32_t inc(uint32_t* p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }

// ---- n threads blocked on one word ----------------------------------------------

static uint32_t arrived;  // threads that are running and about to block
static uint32_t go;       // 0 until the main thread releases them
static uint32_t ran;      // threads that were released
static uint32_t tids[MAX_MANY];

static void blocked_fn(void* unused) {
  (void)unused;
  inc(&arrived);
  wgi_wake(&arrived, 1);
  wgi_wait_while(&go, 0);
  inc(&ran);
}

// Starts n threads that all block in wait32 on one word, waits until every
// one has started (all n alive at once), releases them with one notify and
// joins them all.
WGI_EXPORT("blocked") int32_t blocked(uint32_t n) {
  if (n > MAX_MANY) return -1;
  for (uint32_t i = 0; i < n; ++i) tids[i] = wgi_spawn(blocked_fn, NULL);
  for (uint32_t a; (a = load(&arrived)) != n;) wgi_wait(&arrived, a, -1);
  if (load(&ran) != 0) return -2;
  __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&go, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) wgi_join(tids[i]);
  return (int32_t)load(&ran);
}

// ---- a chain of n joiners -----------------------------------------------------------

static uint32_t chain_length;
static uint32_t chain_links;  // threads of the chain that ran

// Link k starts link k+1 and joins it: when the last one runs, every link
// before it is blocked in thread_join.
static void chain_fn(void* arg) {
  const uint32_t k = (uint32_t)(uintptr_t)arg;
  inc(&chain_links);
  if (k < chain_length) wgi_join(wgi_spawn(chain_fn, (void*)(uintptr_t)(k + 1)));
}

WGI_EXPORT("chain") int32_t chain(uint32_t n) {
  if (n == 0) return 0;
  chain_length = n;
  wgi_join(wgi_spawn(chain_fn, (void*)(uintptr_t)1));
  return (int32_t)load(&chain_links);
}
