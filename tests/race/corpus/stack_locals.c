// stack_locals: every thread (the main thread too) fills and sums a volatile
// array on its own stack, through a pointer passed to another function (the
// address escapes, so the array lives in linear memory, on that thread's
// stack). Each thread's stack is its own block of memory: race-free.
// Also built with --stack-first (the main thread's stack then sits below the
// data).
//
// expect: race-free
// corpus-variant: stack-first
#include "corpus.h"

enum { kThreads = 4, kLen = 64 };

static volatile uint32_t results[kThreads + 1];

WGI_NOINLINE static void fill(volatile uint32_t* a, uint32_t id) {
  for (uint32_t i = 0; i < kLen; ++i) a[i] = id * 1000 + i;
}

WGI_NOINLINE static uint32_t sum(volatile uint32_t* a) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < kLen; ++i) s += a[i];
  return s;
}

static uint32_t on_my_stack(uint32_t id) {
  volatile uint32_t a[kLen];
  fill(a, id);
  return sum(a);
}

static void worker(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  results[id] = on_my_stack(id);
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(worker, (void*)(uintptr_t)(i + 1));
  results[0] = on_my_stack(0);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  for (uint32_t id = 0; id <= kThreads; ++id) CHECK(results[id] == id * 1000 * kLen + kLen * (kLen - 1) / 2);
}
