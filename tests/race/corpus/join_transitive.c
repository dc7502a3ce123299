// join_transitive: main spawns A, A spawns B, B spawns C. C writes `deep`;
// B joins C and writes `mid`; A joins B and then reads both. Join edges
// compose: C's life happens before B's join returns, B's life before A's
// join returns, so C's write is ordered before A's read although A never
// synchronised with C directly. Main joins A and reads everything. Race-free.
//
// expect: race-free
#include "corpus.h"

static volatile uint32_t deep;
static volatile uint32_t mid;
static volatile uint32_t seen_by_a;

static void thread_c(void* unused) {
  (void)unused;
  deep = 3;
}

static void thread_b(void* unused) {
  (void)unused;
  wgi_join(wgi_spawn(thread_c, NULL));
  mid = deep + 20;
}

static void thread_a(void* unused) {
  (void)unused;
  wgi_join(wgi_spawn(thread_b, NULL));
  seen_by_a = deep * 100 + mid;
}

TEST_EXPORT void test(void) {
  wgi_join(wgi_spawn(thread_a, NULL));
  CHECK(seen_by_a == 323);
  CHECK(deep == 3 && mid == 23);
}
