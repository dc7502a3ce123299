// two_inversions: two independent inversions, two predicted deadlocks.
// Thread 1 takes lock_a then lock_b, releases both, then lock_c then
// lock_d; thread 2, 100 ms later, takes lock_b then lock_a, then lock_d
// then lock_c. The cycles are lock_a <-> lock_b and lock_c <-> lock_d,
// each reported once; no cycle mixes the pairs (no thread holds a lock of
// one pair while taking one of the other).
//
// expect-cycle: lock_a lock_b
// expect-cycle: lock_c lock_d
#include "corpus.h"

wgi_mutex lock_a, lock_b, lock_c, lock_d;
static volatile uint32_t counter;

// One function per ordered pair: every acquisition at code of its own.
#define NESTED(name, outer, inner)        \
  WGI_NOINLINE static void name(void) {   \
    wgi_mutex_lock(&outer);               \
    wgi_mutex_lock(&inner);               \
    counter = counter + 1;                \
    wgi_mutex_unlock(&inner);             \
    wgi_mutex_unlock(&outer);             \
  }
NESTED(a_then_b, lock_a, lock_b)
NESTED(b_then_a, lock_b, lock_a)
NESTED(c_then_d, lock_c, lock_d)
NESTED(d_then_c, lock_d, lock_c)

WGI_NOINLINE static void forward(void* unused) {
  (void)unused;
  a_then_b();
  c_then_d();
}

WGI_NOINLINE static void backward(void* unused) {
  (void)unused;
  wgi_sleep_ms(100);
  b_then_a();
  d_then_c();
}

TEST_EXPORT void test(void) {
  const uint32_t t1 = wgi_spawn(forward, NULL);
  const uint32_t t2 = wgi_spawn(backward, NULL);
  wgi_join(t1);
  wgi_join(t2);
  CHECK(counter == 4);
}
