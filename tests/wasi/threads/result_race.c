// A spawned thread keeps writing a variable while the main thread, without
// waiting for it, passes the same variable to clock_time_get as its result
// pointer: the host's store of the result races with the thread's stores,
// which `wgi run --race` reports (a host function's store through a result
// pointer counts as the calling thread's access, like a buffer's).
#include "wasi_threads.h"

WASI_IMPORT("wasi_snapshot_preview1", "clock_time_get")
int32_t clock_time_get(int32_t clock, int64_t precision, uint64_t* time);

static uint64_t stamp;

__attribute__((noinline)) static void scribble(struct thread* t) {
  (void)t;
  for (int i = 0; i < 1000; ++i) *(volatile uint64_t*)&stamp = (uint64_t)i;
}

EXPORT("_start") void _start(void) {
  static struct thread a;
  spawn(&a, scribble);
  clock_time_get(1, 1, &stamp);  // races with scribble
  join(&a);
}
