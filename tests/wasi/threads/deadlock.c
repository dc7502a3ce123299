// Each of two threads waits for a flag that only the other sets after its
// own wait, and the main thread waits for both: every thread is blocked in
// memory.atomic.wait for good, which wgi reports (exit 5).
#include "wasi_threads.h"

static int32_t flag[2];

static void work(struct thread* t) {
  const int me = (int)t->arg;
  while (!__atomic_load_n(&flag[me], __ATOMIC_SEQ_CST)) __builtin_wasm_memory_atomic_wait32(&flag[me], 0, -1);
  __atomic_store_n(&flag[1 - me], 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&flag[1 - me], 1);
}

EXPORT("_start") void _start(void) {
  static struct thread a, b;
  a.arg = 0;
  b.arg = 1;
  spawn(&a, work);
  spawn(&b, work);
  join(&a);
  join(&b);
  print("unreachable\n");
}
