// Programs that hang without deadlocking, for tests/threads/hang_test.cc:
// what SIGINT and SIGQUIT show of each thread, and what parked threads cost.
#include "wgi_threads.h"

static uint32_t never_notified;
static volatile uint32_t stop_spinning;

WGI_NOINLINE static void timed_waiter(void* arg) {
  (void)arg;
  wgi_wait(&never_notified, 0, 5000000000LL);  // 5 s
}

WGI_NOINLINE static void spinner(void* arg) {
  (void)arg;
  while (!stop_spinning) {
  }
}

// Thread 1 in a timed wait, thread 2 running, thread 0 joining thread 2:
// nothing is stuck for good, so only an interrupt ends it.
WGI_EXPORT("spin_and_wait") void spin_and_wait(void) {
  uint32_t a = wgi_spawn(timed_waiter, 0);
  uint32_t b = wgi_spawn(spinner, 0);
  wgi_join(b);
  wgi_join(a);
}

// ---- many parked threads ----------------------------------------------------

#define MANY 1000
static uint32_t go;
static uint32_t tids[MANY];

WGI_NOINLINE static void parked(void* arg) {
  (void)arg;
  wgi_wait_while(&go, 0);
}

// MANY threads parked in untimed waits while the main thread sleeps in
// timed ones (so it is no deadlock) for `ms`, then wakes and joins them.
WGI_EXPORT("many_parked") void many_parked(uint32_t ms) {
  for (uint32_t i = 0; i < MANY; ++i) tids[i] = wgi_spawn(parked, 0);
  for (uint32_t slept = 0; slept < ms; slept += 100) wgi_sleep_ms(100);
  __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&go, UINT32_MAX);
  for (uint32_t i = 0; i < MANY; ++i) wgi_join(tids[i]);
}
