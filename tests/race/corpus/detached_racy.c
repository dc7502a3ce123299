// detached_racy: as detached_flag, but the main thread also peeks at `data`
// *before* waiting for the flag. The worker's write of data comes before its
// flag store, and the peek before the main thread's flag load: nothing orders
// the two, whichever runs first: racy. `safe`, read after the flag, is not.
//
// expect-race: data 0 4
#include "corpus.h"

static uint32_t done;
volatile uint32_t data;
static volatile uint32_t safe;

WGI_NOINLINE static void worker(void* unused) {
  (void)unused;
  data = 42;
  safe = 43;
  __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
  wgi_wake(&done, UINT32_MAX);
}

WGI_NOINLINE static uint32_t peek(void) { return data; }

TEST_EXPORT void test(void) {
  wgi_spawn(worker, NULL);
  const uint32_t early = peek();
  wgi_wait_while(&done, 0);
  CHECK(early == 0 || early == 42);
  CHECK(safe == 43);
}
