// Two threads increment a shared counter without synchronisation: a data
// race in racy_increment, which `wgi run --race` reports (exit 66).
#include "wasi_threads.h"

int32_t counter;

__attribute__((noinline)) static void racy_increment(void) { counter = counter + 1; }

static void work(struct thread* t) {
  (void)t;
  for (int i = 0; i < 1000; ++i) racy_increment();
}

EXPORT("_start") void _start(void) {
  static struct thread a, b;
  spawn(&a, work);
  spawn(&b, work);
  join(&a);
  join(&b);
  print("done\n");
}
