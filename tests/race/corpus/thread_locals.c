// thread_locals: every thread (the main thread too) counts in _Thread_local
// variables, one initialised (.tdata, copied by __wasm_init_tls) and one
// zeroed (.tbss). Each thread has its own TLS block, so the same code touches
// different memory in each thread: race-free. Results go to per-thread slots
// read after the joins. Also built with --stack-first.
//
// The runtime hands a finished thread's TLS block back with
// __wasmgrind_free on whichever thread next calls thread_create or
// thread_join (src/threads/threadlink.h), which may be before that thread is
// joined: the free writes the block's first word, which the finished thread
// wrote. The runtime orders that (its own lock), so a checker must too.
//
// expect: race-free
// corpus-variant: stack-first
#include "corpus.h"

enum { kThreads = 4, kIters = 100 };

static _Thread_local volatile uint32_t tl_seed = 7;
static _Thread_local volatile uint32_t tl_count;
static _Thread_local volatile uint32_t tl_buf[4];
static volatile uint32_t results[kThreads + 1];

static uint32_t count_here(uint32_t id) {
  CHECK(tl_seed == 7 && tl_count == 0);
  tl_seed = id;
  for (uint32_t i = 0; i < kIters; ++i) {
    tl_count = tl_count + 1;
    tl_buf[i % 4] = tl_buf[i % 4] + id;
  }
  return tl_count + tl_buf[0] + tl_seed;
}

static void worker(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  results[id] = count_here(id);
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(worker, (void*)(uintptr_t)(i + 1));
  results[0] = count_here(0);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  for (uint32_t id = 0; id <= kThreads; ++id) CHECK(results[id] == kIters + 25 * id + id);
}
