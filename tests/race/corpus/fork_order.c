// fork_order: the parent writes the input before it spawns the children;
// the children only read it. thread_create orders the parent's past before
// each child: race-free (and the readers never race each other: read-read).
// Also built with --stack-first.
//
// expect: race-free
// corpus-variant: stack-first
#include "corpus.h"

enum { kThreads = 3, kLen = 8 };

static volatile uint32_t input[kLen];

static void reader(void* arg) {
  const uint32_t base = (uint32_t)(uintptr_t)arg;
  for (uint32_t i = 0; i < kLen; ++i) CHECK(input[i] == base + i);
}

TEST_EXPORT void test(void) {
  for (uint32_t i = 0; i < kLen; ++i) input[i] = 100 + i;
  uint32_t tids[kThreads];
  for (int i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(reader, (void*)(uintptr_t)100);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
}
