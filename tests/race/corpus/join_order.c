// join_order: each child writes its own result slot (and a shared word that
// only one child writes); the parent reads them only after thread_join, which
// orders the child's whole life before the parent's future: race-free.
// Also built with --stack-first.
//
// expect: race-free
// corpus-variant: stack-first
#include "corpus.h"

enum { kThreads = 3 };

static volatile uint32_t results[kThreads];
static volatile uint32_t last;

static void worker(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  results[id] = 10 * (id + 1);
  if (id == kThreads - 1) last = 77;
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(worker, (void*)(uintptr_t)i);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  for (uint32_t i = 0; i < kThreads; ++i) CHECK(results[i] == 10 * (i + 1));
  CHECK(last == 77);
}
