// gate_one_side: a gate lock that only one side takes does not protect
// the inversion. Thread 1 takes gate, lock_a, lock_b; thread 2 (100 ms
// later) takes lock_b then lock_a without the gate. Thread 1 holding gate
// and lock_a can still meet thread 2 holding lock_b: the edges
// lock_a -> lock_b (under gate) and lock_b -> lock_a (under nothing) share
// no gate, and the predicted deadlock is lock_a <-> lock_b. The gate is in
// no cycle (nothing is taken before it while holding another lock).
//
// expect-cycle: lock_a lock_b
#include "corpus.h"

wgi_mutex gate, lock_a, lock_b;
static volatile uint32_t counter;

WGI_NOINLINE static void gated_a_then_b(void* unused) {
  (void)unused;
  wgi_mutex_lock(&gate);
  wgi_mutex_lock(&lock_a);
  wgi_mutex_lock(&lock_b);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_b);
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&gate);
}

WGI_NOINLINE static void ungated_b_then_a(void* unused) {
  (void)unused;
  wgi_sleep_ms(100);
  wgi_mutex_lock(&lock_b);
  wgi_mutex_lock(&lock_a);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&lock_b);
}

TEST_EXPORT void test(void) {
  const uint32_t t1 = wgi_spawn(gated_a_then_b, NULL);
  const uint32_t t2 = wgi_spawn(ungated_b_then_a, NULL);
  wgi_join(t1);
  wgi_join(t2);
  CHECK(counter == 2);
}
