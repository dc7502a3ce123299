// A spawned thread traps while the main thread waits for ever: every thread
// ends, and wgi reports the trap with the thread's id (exit 3).
#include "wasi_threads.h"

__attribute__((noinline)) static void crash(void) { __builtin_trap(); }

static void work(struct thread* t) {
  (void)t;
  crash();
}

EXPORT("_start") void _start(void) {
  static struct thread a;
  spawn(&a, work);
  join(&a);
  print("unreachable\n");
}
