// inversion_one_thread: both lock orders, in one thread only. A worker
// takes lock_a then lock_b, and later lock_b then lock_a, many times; no
// other thread touches either lock (the main thread only starts and joins
// it). A thread cannot deadlock with itself this way (it never waits for
// a lock it holds): deadlock-free, and the cycle within the one thread
// must not be reported.
//
// expect: deadlock-free
#include "corpus.h"

enum { kIters = 100 };

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

static void worker(void* unused) {
  (void)unused;
  for (int i = 0; i < kIters; ++i) {
    a_then_b();
    b_then_a();
  }
}

TEST_EXPORT void test(void) {
  wgi_join(wgi_spawn(worker, NULL));
  CHECK(counter == 2 * kIters);
}
