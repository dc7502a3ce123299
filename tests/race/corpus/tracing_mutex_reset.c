// tracing_mutex_reset: a Wasmgrind TracingMutex-style counter: one thread
// increments it, another resets it to zero now and then, both only while
// holding the same mutex (whose lock and unlock call the tracing hooks in
// the hooks build). Every access is inside a critical section of that one
// lock: race-free.
//
// expect: race-free
#include "corpus.h"

enum { kIncrements = 500, kResets = 50 };

static wgi_mutex lock;
static volatile uint32_t counter;
static volatile uint32_t increments;  // also under the lock, never reset
static volatile uint32_t resets;

static void incrementer(void* unused) {
  (void)unused;
  for (int i = 0; i < kIncrements; ++i) {
    wgi_mutex_lock(&lock);
    counter = counter + 1;
    increments = increments + 1;
    wgi_mutex_unlock(&lock);
  }
}

static void resetter(void* unused) {
  (void)unused;
  for (int i = 0; i < kResets; ++i) {
    wgi_mutex_lock(&lock);
    if (counter > 3) {
      counter = 0;
      resets = resets + 1;
    }
    wgi_mutex_unlock(&lock);
  }
}

TEST_EXPORT void test(void) {
  uint32_t a = wgi_spawn(incrementer, NULL);
  uint32_t b = wgi_spawn(resetter, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(increments == kIncrements);
  CHECK(counter <= kIncrements && resets <= kResets);
}
