// inversion_join_ordered: opposite lock orders in threads ordered by a
// join. Thread 1 takes lock_a then lock_b and is joined; only then is
// thread 2 started, which takes lock_b then lock_a; after joining it the
// main thread takes lock_a then lock_b again. Each edge happens before the
// next one's thread even exists (join, then fork), so no schedule has two
// of them at once: deadlock-free, and the cycle must not be reported.
//
// expect: deadlock-free
#include "corpus.h"

wgi_mutex lock_a, lock_b;
static volatile uint32_t counter;

WGI_NOINLINE static void a_then_b(void) {
  wgi_mutex_lock(&lock_a);
  wgi_mutex_lock(&lock_b);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_b);
  wgi_mutex_unlock(&lock_a);
}

WGI_NOINLINE static void b_then_a(void) {
  wgi_mutex_lock(&lock_b);
  wgi_mutex_lock(&lock_a);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&lock_b);
}

static void run_a_then_b(void* unused) {
  (void)unused;
  a_then_b();
}

static void run_b_then_a(void* unused) {
  (void)unused;
  b_then_a();
}

TEST_EXPORT void test(void) {
  wgi_join(wgi_spawn(run_a_then_b, NULL));
  wgi_join(wgi_spawn(run_b_then_a, NULL));
  a_then_b();
  CHECK(counter == 3);
}
