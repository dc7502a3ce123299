// Four threads each sum (i * i) mod 1000003 over a quarter of 1..N (no
// closed form for the compiler to find); the main thread joins them and
// prints the total, right only when every thread ran its share.
#include "wasi_threads.h"

#define N 4000000

static void sum(struct thread* t) {
  int64_t s = 0;
  for (int64_t i = t->arg * (N / 4) + 1; i <= (t->arg + 1) * (N / 4); ++i) s += (i * i) % 1000003;
  t->result = s;
}

EXPORT("_start") void _start(void) {
  static struct thread t[4];
  for (int i = 0; i < 4; ++i) {
    t[i].arg = i;
    spawn(&t[i], sum);
  }
  int64_t total = 0;
  for (int i = 0; i < 4; ++i) {
    join(&t[i]);
    total += t[i].result;
  }
  print("sum ");
  print_num(total);
  print(t[0].tid > 0 && t[1].tid != t[0].tid ? " ids ok\n" : " bad ids\n");
}
