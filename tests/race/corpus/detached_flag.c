// detached_flag: the main thread spawns a worker and never joins it. The
// worker writes its results, then sets an atomic flag (and notifies); the
// main thread waits until it sees the flag (atomic loads: wgi_wait_while)
// and reads the results. The flag's store-load pair orders the writes before
// the reads: race-free without any join. The worker may still be running
// (returning) when test returns; the runtime then stops it.
//
// expect: race-free
#include "corpus.h"

static uint32_t done;
static volatile uint32_t results[4];

static void worker(void* unused) {
  (void)unused;
  for (uint32_t i = 0; i < 4; ++i) results[i] = i * i;
  __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
  wgi_wake(&done, UINT32_MAX);
}

TEST_EXPORT void test(void) {
  results[0] = 99;  // before the spawn: ordered before the worker's write
  wgi_spawn(worker, NULL);
  wgi_wait_while(&done, 0);
  for (uint32_t i = 0; i < 4; ++i) CHECK(results[i] == i * i);
}
