// lock_join: a thread joins a child that needs the lock it holds. Thread 1
// takes `lock`, starts thread 2 and joins it before unlocking; thread 2
// asks for `lock`. The main thread joins thread 1. Three threads blocked:
// the main thread and thread 1 joining, thread 2 waiting for a lock held by
// thread 1 (with the hooks; without them, waiting on the mutex word). One
// lock only: no lock-order cycle, and no lock wait-for cycle (the holder
// waits in a join, not for a lock).
//
// expect-live: 3
#include "corpus.h"

wgi_mutex lock;
static volatile uint32_t counter;

WGI_NOINLINE static void child(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock);  // never returns: thread 1 holds it while joining us
  counter = counter + 1;
  wgi_mutex_unlock(&lock);
}

WGI_NOINLINE static void parent(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock);
  // The child starts only now, so it always finds the lock taken.
  wgi_join(wgi_spawn(child, NULL));  // never returns
  wgi_mutex_unlock(&lock);
}

TEST_EXPORT void test(void) { wgi_join(wgi_spawn(parent, NULL)); }
