// A spawned thread calls proc_exit(7) while the main thread waits for ever:
// the whole program ends with status 7 at once.
#include "wasi_threads.h"

static void work(struct thread* t) {
  (void)t;
  proc_exit(7);
}

EXPORT("_start") void _start(void) {
  static struct thread a;
  spawn(&a, work);
  join(&a);
  print("unreachable\n");
}
