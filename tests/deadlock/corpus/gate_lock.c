// gate_lock: an inversion under a common gate lock. Two threads, at the
// same time and many times over, take gate and then lock_a and lock_b in
// opposite orders. Whoever holds the inner locks holds the gate, so the
// other cannot hold either inner lock meanwhile: no schedule deadlocks,
// and the lock-order cycle lock_a <-> lock_b must not be reported (every
// edge of it is taken under gate).
//
// expect: deadlock-free
#include "corpus.h"

enum { kIters = 300 };

wgi_mutex gate, lock_a, lock_b;
static volatile uint32_t counter;

WGI_NOINLINE static void a_then_b(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < kIters; ++i) {
    wgi_mutex_lock(&gate);
    wgi_mutex_lock(&lock_a);
    wgi_mutex_lock(&lock_b);
    counter = counter + 1;
    wgi_mutex_unlock(&lock_b);
    wgi_mutex_unlock(&lock_a);
    wgi_mutex_unlock(&gate);
  }
}

WGI_NOINLINE static void b_then_a(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < kIters; ++i) {
    wgi_mutex_lock(&gate);
    wgi_mutex_lock(&lock_b);
    wgi_mutex_lock(&lock_a);
    counter = counter + 1;
    wgi_mutex_unlock(&lock_a);
    wgi_mutex_unlock(&lock_b);
    wgi_mutex_unlock(&gate);
  }
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  const uint32_t t1 = wgi_spawn(a_then_b, NULL);
  const uint32_t t2 = wgi_spawn(b_then_a, NULL);
  wgi_join(t1);
  wgi_join(t2);
  CHECK(counter == 2 * kIters);
}
