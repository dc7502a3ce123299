// wasmgrind_loop: Wasmgrind's deadlock test. Two threads take two mutexes
// in opposite orders, over and over, with no end; the main thread joins
// both. Sooner or later (in practice within milliseconds) one thread holds
// lock_a while the other holds lock_b, and both block for good; the main
// thread is joining, so all three threads are blocked. Which thread stops
// where depends on the schedule, not the verdict: one lock wait-for cycle,
// and the lock-order cycle lock_a <-> lock_b (both orders are taken, in
// concurrent threads, in every run).
//
// expect-live: 3
// expect-lock-cycles: 1
// expect-cycle: lock_a lock_b
#include "corpus.h"

wgi_mutex lock_a, lock_b;
static volatile uint32_t counter;

WGI_NOINLINE static void a_then_b(void* unused) {
  (void)unused;
  for (;;) {
    wgi_mutex_lock(&lock_a);
    wgi_mutex_lock(&lock_b);
    counter = counter + 1;
    wgi_mutex_unlock(&lock_b);
    wgi_mutex_unlock(&lock_a);
  }
}

WGI_NOINLINE static void b_then_a(void* unused) {
  (void)unused;
  for (;;) {
    wgi_mutex_lock(&lock_b);
    wgi_mutex_lock(&lock_a);
    counter = counter + 1;
    wgi_mutex_unlock(&lock_a);
    wgi_mutex_unlock(&lock_b);
  }
}

TEST_EXPORT void test(void) {
  const uint32_t t1 = wgi_spawn(a_then_b, NULL);
  const uint32_t t2 = wgi_spawn(b_then_a, NULL);
  wgi_join(t1);
  wgi_join(t2);
}
