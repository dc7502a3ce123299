// join_chain_wait: a wait that depends on a join that depends on the
// wait. The main thread starts thread 1 and means to signal `go` after
// joining it; thread 1 starts thread 2 and joins it; thread 2 waits for
// `go`, untimed. The main thread waits for thread 1, thread 1 for thread
// 2, thread 2 for the main thread's signal: three threads blocked, two
// joining (a chain, not a cycle of joins) and one in memory.atomic.wait.
//
// expect-live: 3
#include "corpus.h"

static uint32_t go;

WGI_NOINLINE static void waits_for_go(void* unused) {
  (void)unused;
  wgi_wait_while(&go, 0);  // never returns: go is set after the joins
}

WGI_NOINLINE static void middle(void* unused) {
  (void)unused;
  wgi_join(wgi_spawn(waits_for_go, NULL));
}

TEST_EXPORT void test(void) {
  wgi_join(wgi_spawn(middle, NULL));  // never returns
  __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&go, UINT32_MAX);
}
