// counter_mutex: four threads increment one counter, each increment under
// the same wgi_mutex. The lock's atomic exchange/cmpxchg (and, in the hooks
// build, finish_lock / start_unlock) order every critical section after the
// previous one: race-free. Also built with --stack-first.
//
// expect: race-free
// corpus-variant: stack-first
#include "corpus.h"

enum { kThreads = 4, kIters = 500 };

static wgi_mutex lock;
static volatile uint32_t counter;

static void bump(void* unused) {
  (void)unused;
  for (int i = 0; i < kIters; ++i) {
    wgi_mutex_lock(&lock);
    counter = counter + 1;
    wgi_mutex_unlock(&lock);
  }
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (int i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(bump, NULL);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  CHECK(counter == kThreads * kIters);
}
