// counter_c11_atomics: threads count with C11 <stdatomic.h> (atomic_int,
// atomic_fetch_add, atomic_fetch_add_explicit with memory_order_relaxed,
// atomic_exchange, atomic_load). Every shared access is atomic, including the
// main thread's final loads: race-free.
//
// expect: race-free
#include <stdatomic.h>

#include "corpus.h"

enum { kThreads = 3, kIters = 400 };

static atomic_int count;
static atomic_uint relaxed_count;
static atomic_int last_writer = -1;

static void work(void* arg) {
  const int id = (int)(uintptr_t)arg;
  for (int i = 0; i < kIters; ++i) {
    atomic_fetch_add(&count, 1);
    atomic_fetch_add_explicit(&relaxed_count, 2, memory_order_relaxed);
  }
  atomic_exchange(&last_writer, id);
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (int i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(work, (void*)(uintptr_t)i);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  CHECK(atomic_load(&count) == kThreads * kIters);
  CHECK(atomic_load_explicit(&relaxed_count, memory_order_relaxed) == 2u * kThreads * kIters);
  const int last = atomic_load(&last_writer);
  CHECK(last >= 0 && last < kThreads);
}
