// consistent_order: four threads, three locks, always taken in the same
// global order (lock_a before lock_b before lock_c), each thread a
// different subset: {a, b, c}, {a, c}, {b, c}, {a, b}. Heavy contention,
// many lock waits, but the lock-order graph is acyclic and no wait-for
// cycle can form: deadlock-free.
//
// expect: deadlock-free
#include "corpus.h"

enum { kIters = 300, kThreads = 4 };

wgi_mutex lock_a, lock_b, lock_c;
static volatile uint32_t in_a, in_b, in_c;

static const uint8_t subsets[kThreads] = {7, 5, 6, 3};  // bit 0: a, 1: b, 2: c

WGI_NOINLINE static void in_order(void* arg) {
  const uint8_t set = subsets[(uintptr_t)arg];
  rendezvous();
  for (int i = 0; i < kIters; ++i) {
    if (set & 1) wgi_mutex_lock(&lock_a);
    if (set & 2) wgi_mutex_lock(&lock_b);
    if (set & 4) wgi_mutex_lock(&lock_c);
    if (set & 1) in_a = in_a + 1;
    if (set & 2) in_b = in_b + 1;
    if (set & 4) in_c = in_c + 1;
    if (set & 4) wgi_mutex_unlock(&lock_c);
    if (set & 2) wgi_mutex_unlock(&lock_b);
    if (set & 1) wgi_mutex_unlock(&lock_a);
  }
}

TEST_EXPORT void test(void) {
  rendezvous_init(kThreads);
  uint32_t tids[kThreads];
  for (uintptr_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(in_order, (void*)i);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  CHECK(in_a == 3 * kIters && in_b == 3 * kIters && in_c == 3 * kIters);
}
