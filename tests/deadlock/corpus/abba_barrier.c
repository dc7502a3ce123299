// abba_barrier: the classic two-lock inversion, made certain. Thread 1
// takes lock_a, thread 2 takes lock_b, both meet at the rendezvous, then
// thread 1 asks for lock_b and thread 2 for lock_a: each waits for the lock
// the other holds. The main thread joins thread 1 and waits forever too, so
// all three threads are blocked.
//
// With the hooks, wgi sees the two lock waits form a cycle (thread 1 holds
// lock_a and waits for lock_b, held by thread 2, which waits for lock_a) as
// soon as the second request is made; the lock-order graph has the edges
// lock_a -> lock_b and lock_b -> lock_a from the requests, a cycle between
// two concurrent threads. Without the hooks both threads are just waiting
// on a mutex word.
//
// expect-live: 3
// expect-lock-cycles: 1
// expect-cycle: lock_a lock_b
#include "corpus.h"

wgi_mutex lock_a, lock_b;

WGI_NOINLINE static void a_then_b(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_a);
  rendezvous();
  wgi_mutex_lock(&lock_b);  // never returns: thread 2 holds lock_b
  wgi_mutex_unlock(&lock_b);
  wgi_mutex_unlock(&lock_a);
}

WGI_NOINLINE static void b_then_a(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock_b);
  rendezvous();
  wgi_mutex_lock(&lock_a);  // never returns: thread 1 holds lock_a
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&lock_b);
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  const uint32_t t1 = wgi_spawn(a_then_b, NULL);
  const uint32_t t2 = wgi_spawn(b_then_a, NULL);
  wgi_join(t1);
  wgi_join(t2);
}
