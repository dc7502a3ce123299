// tr_program.c: the guest side of tests/trace/trace_run_test.cc, built with
// WGI_TRACE_HOOKS=1 (its mutex calls the lock hooks) and run under
// `wgi run --trace`.
//
// Each export is a scenario whose trace the test checks. Shared data is
// volatile where the test counts accesses: each `counter = counter + 1` is
// then exactly one 4-byte load and one 4-byte store.
#include "wgi_threads.h"

#define MAX_THREADS 16u

static wgi_mutex counter_lock;
static volatile uint32_t counter;
static uint32_t iterations;

WGI_EXPORT("counter_addr") uint32_t counter_addr(void) { return (uint32_t)(uintptr_t)&counter; }
WGI_EXPORT("counter_lock_addr") uint32_t counter_lock_addr(void) { return (uint32_t)(uintptr_t)&counter_lock; }

WGI_NOINLINE static void counter_worker(void* unused) {
  (void)unused;
  for (uint32_t i = 0; i < iterations; ++i) {
    wgi_mutex_lock(&counter_lock);
    counter = counter + 1;
    wgi_mutex_unlock(&counter_lock);
  }
}

// nthreads threads each add 1 to the counter `iters` times under the lock;
// the main thread writes it once before and reads it once after.
WGI_EXPORT("locked_counter") uint32_t locked_counter(uint32_t nthreads, uint32_t iters) {
  if (nthreads > MAX_THREADS) return (uint32_t)-1;
  counter = 0;
  iterations = iters;
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < nthreads; ++i) tids[i] = wgi_spawn(counter_worker, NULL);
  for (uint32_t i = 0; i < nthreads; ++i) wgi_join(tids[i]);
  return counter;
}

// ---- a deadlock -------------------------------------------------------------

// Two threads take two locks in opposite orders, after a barrier that
// makes sure each holds its first lock: neither ever gets its second, and
// the main thread waits in thread_join forever.
static wgi_mutex lock_a, lock_b;
static wgi_barrier both_hold;

static void take_a_then_b(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_a);
  wgi_barrier_wait(&both_hold);
  wgi_mutex_lock(&lock_b);
}
static void take_b_then_a(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_b);
  wgi_barrier_wait(&both_hold);
  wgi_mutex_lock(&lock_a);
}

WGI_EXPORT("deadlock") void deadlock(void) {
  wgi_barrier_init(&both_hold, 2);
  uint32_t t1 = wgi_spawn(take_a_then_b, NULL);
  uint32_t t2 = wgi_spawn(take_b_then_a, NULL);
  wgi_join(t1);
  wgi_join(t2);
}

// ---- accesses of different sizes to the same bytes ---------------------------------

static volatile uint64_t wide;

static void write_wide(void* unused) {
  (void)unused;
  wide = 0x0102030405060708ull;
}

// A thread writes 8 bytes; the main thread, after joining it, reads the
// low 4 of them: two variables of the trace that overlap across threads.
// Returns the address.
WGI_EXPORT("mixed_sizes") uint32_t mixed_sizes(void) {
  wgi_join(wgi_spawn(write_wide, NULL));
  volatile uint32_t* low = (volatile uint32_t*)&wide;
  (void)*low;
  return (uint32_t)(uintptr_t)&wide;
}

// ---- lots of events -----------------------------------------------------------------

static volatile uint32_t scratch[256];

static void scribble(void* arg) {
  const uint32_t n = (uint32_t)(uintptr_t)arg;
  for (uint32_t i = 0; i < n; ++i) {
    wgi_mutex_lock(&counter_lock);
    counter = counter + 1;
    wgi_mutex_unlock(&counter_lock);
    for (uint32_t j = 0; j < 64; ++j) scratch[(i + j) % 256] = i;
  }
}

// nthreads threads each do n rounds of a locked increment and 64 plain
// stores: 69 + n * 66 events or so per thread, for the event-limit tests.
WGI_EXPORT("busy") uint32_t busy(uint32_t nthreads, uint32_t n) {
  if (nthreads > MAX_THREADS) return (uint32_t)-1;
  counter = 0;
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < nthreads; ++i) tids[i] = wgi_spawn(scribble, (void*)(uintptr_t)n);
  for (uint32_t i = 0; i < nthreads; ++i) wgi_join(tids[i]);
  return counter;
}
