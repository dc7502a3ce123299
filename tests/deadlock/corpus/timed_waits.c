// timed_waits: every thread blocked at once, but not forever. Thread 1
// waits 60 ms on a word nobody notifies (it times out), then sets `flag`
// and wakes thread 3, which waits for it untimed; thread 2 sleeps 20 times
// 5 ms; the main thread waits 30 ms on a word nobody notifies, then joins
// them. For a while every thread is in a memory.atomic.wait or a join, but
// the timed waits end on their own, and they end everyone else's:
// deadlock-free, nothing to report.
//
// expect: deadlock-free
#include "corpus.h"

static uint32_t nobody;  // never notified, never changed
static uint32_t flag;
static volatile int32_t results[2];

WGI_NOINLINE static void times_out_then_wakes(void* unused) {
  (void)unused;
  results[0] = wgi_wait(&nobody, 0, 60 * 1000000ll);
  __atomic_store_n(&flag, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&flag, UINT32_MAX);
}

WGI_NOINLINE static void sleeps(void* unused) {
  (void)unused;
  for (int i = 0; i < 20; ++i) wgi_sleep_ms(5);
}

WGI_NOINLINE static void waits_for_flag(void* unused) {
  (void)unused;
  wgi_wait_while(&flag, 0);
}

TEST_EXPORT void test(void) {
  const uint32_t t1 = wgi_spawn(times_out_then_wakes, NULL);
  const uint32_t t2 = wgi_spawn(sleeps, NULL);
  const uint32_t t3 = wgi_spawn(waits_for_flag, NULL);
  results[1] = wgi_wait(&nobody, 0, 30 * 1000000ll);
  wgi_join(t3);
  wgi_join(t2);
  wgi_join(t1);
  CHECK(results[0] == 2 && results[1] == 2);  // both timed out
  CHECK(__atomic_load_n(&flag, __ATOMIC_SEQ_CST) == 1);
}
