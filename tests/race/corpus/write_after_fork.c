// write_after_fork: the parent writes `shared` after spawning the child and
// before joining it; the child reads it. thread_create orders only the
// parent's past before the child, and the join only the child's life before
// what follows it, so the parent's write and the child's read are unordered,
// whichever comes first: racy. (`before`, written before the spawn and read
// by the child, is ordered.)
//
// expect-race: shared 0 4
#include "corpus.h"

volatile uint32_t shared;
volatile uint32_t before;
static volatile uint32_t seen;

WGI_NOINLINE static void child_read(void* unused) {
  (void)unused;
  CHECK(before == 5);
  seen = shared;
}

WGI_NOINLINE static void parent_write(void) { shared = 1; }

TEST_EXPORT void test(void) {
  before = 5;
  uint32_t t = wgi_spawn(child_read, NULL);
  parent_write();
  wgi_join(t);
  CHECK(seen <= 1);
}
