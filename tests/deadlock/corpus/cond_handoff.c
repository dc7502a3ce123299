// cond_handoff: a producer and two consumers on a mutex and a condition
// variable. The main thread hands over 40 numbers one at a time, sleeping
// 2 ms between them, then closes the queue; the consumers wait in
// wgi_cond_wait (an untimed memory.atomic.wait with the mutex released)
// whenever the slot is empty. While the producer sleeps, both consumers
// are blocked untimed: deadlock-free, since the producer's sleep is timed
// and it signals after it. One lock only: no lock-order cycle.
//
// expect: deadlock-free
#include "corpus.h"

enum { kItems = 40, kConsumers = 2 };

wgi_mutex lock;
static wgi_cond not_empty, not_full;
static volatile uint32_t slot, full, closed;
static volatile uint32_t sums[kConsumers];

WGI_NOINLINE static void consumer(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  uint32_t s = 0;
  wgi_mutex_lock(&lock);
  for (;;) {
    while (!full && !closed) wgi_cond_wait(&not_empty, &lock);
    if (!full) break;  // closed and drained
    s += slot;
    full = 0;
    wgi_cond_signal(&not_full);
  }
  wgi_mutex_unlock(&lock);
  sums[id] = s;
}

TEST_EXPORT void test(void) {
  uint32_t tids[kConsumers];
  for (uint32_t i = 0; i < kConsumers; ++i) tids[i] = wgi_spawn(consumer, (void*)(uintptr_t)i);
  for (uint32_t v = 1; v <= kItems; ++v) {
    wgi_sleep_ms(2);
    wgi_mutex_lock(&lock);
    while (full) wgi_cond_wait(&not_full, &lock);
    slot = v;
    full = 1;
    wgi_cond_signal(&not_empty);
    wgi_mutex_unlock(&lock);
  }
  wgi_mutex_lock(&lock);
  while (full) wgi_cond_wait(&not_full, &lock);
  closed = 1;
  wgi_cond_broadcast(&not_empty);
  wgi_mutex_unlock(&lock);
  uint32_t total = 0;
  for (uint32_t i = 0; i < kConsumers; ++i) {
    wgi_join(tids[i]);
    total += sums[i];
  }
  CHECK(total == kItems * (kItems + 1) / 2);
}
