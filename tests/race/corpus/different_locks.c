// different_locks: two threads increment `shared`, each under a lock, but
// not the same lock (lock_a in one, lock_b in the other): the two locks
// order nothing between the threads, so the increments race. `guarded` is
// incremented under lock_c by both and is race-free; each loop iteration
// takes lock_c before the racy section, so after a thread's last increment
// of `shared` it releases nothing the other thread acquires.
//
// expect-race: shared 0 4
#include "corpus.h"

enum { kIters = 200 };

volatile uint32_t shared;
static volatile uint32_t guarded;
static wgi_mutex lock_a, lock_b, lock_c;

WGI_NOINLINE static void bump_guarded(void) {
  wgi_mutex_lock(&lock_c);
  guarded = guarded + 1;
  wgi_mutex_unlock(&lock_c);
}

WGI_NOINLINE static void under_a(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < kIters; ++i) {
    bump_guarded();
    wgi_mutex_lock(&lock_a);
    shared = shared + 1;
    wgi_mutex_unlock(&lock_a);
  }
}

WGI_NOINLINE static void under_b(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < kIters; ++i) {
    bump_guarded();
    wgi_mutex_lock(&lock_b);
    shared = shared + 1;
    wgi_mutex_unlock(&lock_b);
  }
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(under_a, NULL);
  uint32_t b = wgi_spawn(under_b, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(guarded == 2 * kIters);
  CHECK(shared >= 1 && shared <= 2 * kIters);
}
