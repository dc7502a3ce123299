// join_cycle: two threads join each other. The main thread starts thread
// A, which starts thread B; each finds the other's id in memory (the
// runtime writes a new thread's id before the thread runs: tid_a before A
// starts B, tid_b before B runs) and joins it. Neither can finish before
// the other, so both wait forever. The main thread does not join them
// (each thread can be joined once, and both are taken); it waits untimed
// for A to say it is done. Three threads blocked: two joining, one in
// memory.atomic.wait.
//
// expect-live: 3
#include "corpus.h"

static uint32_t tid_a, tid_b;
static uint32_t done;

WGI_NOINLINE static void thread_b(void* unused) {
  (void)unused;
  wgi_join(__atomic_load_n(&tid_a, __ATOMIC_SEQ_CST));  // never returns: A waits for B
}

WGI_NOINLINE static void thread_a(void* unused) {
  (void)unused;
  const int32_t err = wgi_try_spawn(thread_b, NULL, &tid_b);
  if (err != WGI_OK) wgi_panic(err);
  wgi_join(__atomic_load_n(&tid_b, __ATOMIC_SEQ_CST));  // never returns: B waits for A
  __atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&done, UINT32_MAX);
}

TEST_EXPORT void test(void) {
  const int32_t err = wgi_try_spawn(thread_a, NULL, &tid_a);
  if (err != WGI_OK) wgi_panic(err);
  wgi_wait_while(&done, 0);  // never returns
}
