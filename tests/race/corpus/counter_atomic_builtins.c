// counter_atomic_builtins: four threads update shared counters only with
// clang's __atomic builtins, of three widths: a 4-byte fetch_add (relaxed
// and seq_cst), an 8-byte add, a 1-byte add (i32.atomic.rmw8.add_u) and a
// compare-exchange loop keeping a maximum. All concurrent accesses are
// atomic; the main thread reads them with plain loads only after the joins.
// Race-free.
//
// expect: race-free
#include "corpus.h"

enum { kThreads = 4, kIters = 300 };

static uint32_t hits;
static uint32_t hits_relaxed;
static uint64_t total;
static uint8_t small;
static uint32_t maximum;

static void work(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  for (uint32_t i = 0; i < kIters; ++i) {
    __atomic_fetch_add(&hits, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&hits_relaxed, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&total, (uint64_t)i + 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&small, 1, __ATOMIC_SEQ_CST);
    uint32_t v = id * 1000 + i;
    uint32_t cur = __atomic_load_n(&maximum, __ATOMIC_ACQUIRE);
    while (cur < v && !__atomic_compare_exchange_n(&maximum, &cur, v, true, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    }
  }
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(work, (void*)(uintptr_t)i);
  for (uint32_t i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  CHECK(hits == kThreads * kIters);
  CHECK(hits_relaxed == kThreads * kIters);
  CHECK(total == (uint64_t)kThreads * kIters * (kIters + 1) / 2);
  CHECK(small == (uint8_t)(kThreads * kIters));
  CHECK(maximum == (kThreads - 1) * 1000 + kIters - 1);
}
