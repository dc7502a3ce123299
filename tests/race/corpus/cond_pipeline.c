// cond_pipeline: the main thread produces 200 numbers into a bounded ring
// buffer guarded by a mutex, with two condition variables (not full, not
// empty); two consumers take them out and add them up. The ring's slots and
// indices are only accessed while holding the mutex; the consumers' sums
// are their own, read after the joins: race-free.
//
// expect: race-free
#include "corpus.h"

enum { kItems = 200, kCap = 4, kConsumers = 2 };

static wgi_mutex lock;
static wgi_cond not_full, not_empty;
static volatile uint32_t ring[kCap];
static volatile uint32_t head, count;
static volatile uint32_t closed;
static volatile uint32_t sums[kConsumers];

static void consumer(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  uint32_t s = 0;
  wgi_mutex_lock(&lock);
  for (;;) {
    while (count == 0 && !closed) wgi_cond_wait(&not_empty, &lock);
    if (count == 0) break;  // closed and drained
    s += ring[head];
    head = (head + 1) % kCap;
    count = count - 1;
    wgi_cond_signal(&not_full);
  }
  wgi_mutex_unlock(&lock);
  sums[id] = s;
}

TEST_EXPORT void test(void) {
  uint32_t tids[kConsumers];
  for (uint32_t i = 0; i < kConsumers; ++i) tids[i] = wgi_spawn(consumer, (void*)(uintptr_t)i);
  for (uint32_t v = 1; v <= kItems; ++v) {
    wgi_mutex_lock(&lock);
    while (count == kCap) wgi_cond_wait(&not_full, &lock);
    ring[(head + count) % kCap] = v;
    count = count + 1;
    wgi_cond_signal(&not_empty);
    wgi_mutex_unlock(&lock);
  }
  wgi_mutex_lock(&lock);
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
