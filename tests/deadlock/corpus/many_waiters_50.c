// many_waiters_50: fifty threads wait untimed for a start signal while one
// thread still works. The waker computes and sleeps for about 200 ms, then
// sets `go` and wakes them all; each waiter then bumps a counter under a
// mutex; the main thread joins everyone. For most of the run 51 of the 52
// threads are blocked forever unless the waker acts, and the waker itself
// is often in a timed sleep: deadlock-free, nothing to report.
//
// expect: deadlock-free
#include "corpus.h"

enum { kWaiters = 50 };

wgi_mutex lock;
static uint32_t go;
static volatile uint32_t woken;
static volatile uint32_t work;

WGI_NOINLINE static void waiter(void* unused) {
  (void)unused;
  wgi_wait_while(&go, 0);
  wgi_mutex_lock(&lock);
  woken = woken + 1;
  wgi_mutex_unlock(&lock);
}

WGI_NOINLINE static void waker(void* unused) {
  (void)unused;
  for (int round = 0; round < 20; ++round) {
    for (uint32_t i = 0; i < 2000; ++i) work = work + i;
    wgi_sleep_ms(10);
  }
  __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&go, UINT32_MAX);
}

TEST_EXPORT void test(void) {
  uint32_t tids[kWaiters];
  for (int i = 0; i < kWaiters; ++i) tids[i] = wgi_spawn(waiter, NULL);
  const uint32_t w = wgi_spawn(waker, NULL);
  for (int i = 0; i < kWaiters; ++i) wgi_join(tids[i]);
  wgi_join(w);
  CHECK(woken == kWaiters);
  CHECK(work == 20u * (2000u * 1999u / 2));
}
