// partial_abba: two threads deadlock on two locks while the main thread
// goes on. Threads 1 and 2 take lock_a and lock_b, meet the main thread at
// the rendezvous, then ask for each other's lock: stuck for good. The main
// thread does not join them: it computes, sleeps, and returns, which stops
// the stuck threads; never were all threads blocked at once.
//
// With the hooks, wgi sees the lock wait-for cycle when it forms, while
// the main thread still runs, reports it and lets the run go on; the run
// then ends with the deadlock status. Without the hooks the two threads
// are just waiting on mutex words, which the running main thread could
// still notify: nothing to report, and the run ends normally.
//
// expect-lock-cycles: 1
// expect-cycle: lock_a lock_b
#include "corpus.h"

wgi_mutex lock_a, lock_b;
static volatile uint32_t sum;

WGI_NOINLINE static void a_then_b(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_a);
  rendezvous();
  wgi_mutex_lock(&lock_b);  // never returns: thread 2 holds lock_b
  wgi_mutex_unlock(&lock_b);
  wgi_mutex_unlock(&lock_a);
}

WGI_NOINLINE static void b_then_a(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_b);
  rendezvous();
  wgi_mutex_lock(&lock_a);  // never returns: thread 1 holds lock_a
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&lock_b);
}

TEST_EXPORT void test(void) {
  rendezvous_init(3);
  wgi_spawn(a_then_b, NULL);
  wgi_spawn(b_then_a, NULL);
  rendezvous();
  // Work while the two threads block (each has one lock request left after
  // the rendezvous), then sleep well past that before returning.
  for (uint32_t i = 0; i < 10000; ++i) sum = sum + i;
  wgi_sleep_ms(200);
  CHECK(sum == 10000u * 9999u / 2);
}
