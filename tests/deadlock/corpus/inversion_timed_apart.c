// inversion_timed_apart: opposite lock orders that did not deadlock in the
// run, but could in another. Thread 1 takes lock_a then lock_b at once;
// thread 2 sleeps 100 ms, then takes lock_b then lock_a. By then thread 1
// has long released both, so the run ends normally; but nothing orders the
// two threads (neither was started after the other was joined, and they
// share no gate lock), so a schedule where thread 1 is slow holds lock_a
// while thread 2 holds lock_b. The predicted deadlock: lock_a <-> lock_b.
// (Only the sleep keeps them apart: a deadlock in the run would need
// thread 1 stalled for 100 ms between its start and its second lock.)
//
// expect-cycle: lock_a lock_b
#include "corpus.h"

wgi_mutex lock_a, lock_b;
static volatile uint32_t counter;

WGI_NOINLINE static void a_then_b(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_a);
  wgi_mutex_lock(&lock_b);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_b);
  wgi_mutex_unlock(&lock_a);
}

WGI_NOINLINE static void b_then_a(void* unused) {
  (void)unused;
  wgi_sleep_ms(100);
  wgi_mutex_lock(&lock_b);
  wgi_mutex_lock(&lock_a);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&lock_b);
}

TEST_EXPORT void test(void) {
  const uint32_t t1 = wgi_spawn(a_then_b, NULL);
  const uint32_t t2 = wgi_spawn(b_then_a, NULL);
  wgi_join(t1);
  wgi_join(t2);
  CHECK(counter == 2);
}
