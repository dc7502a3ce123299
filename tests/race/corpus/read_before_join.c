// read_before_join: the child writes `result`; the parent reads it before
// joining the child (the join comes after the read, so it orders nothing
// for it): racy, whether the read sees 0 or 42. The second read, after the
// join, is ordered and sees 42.
//
// expect-race: result 0 4
#include "corpus.h"

volatile uint32_t result;

WGI_NOINLINE static void child_write(void* unused) {
  (void)unused;
  result = 42;
}

WGI_NOINLINE static uint32_t peek(void) { return result; }

TEST_EXPORT void test(void) {
  uint32_t t = wgi_spawn(child_write, NULL);
  uint32_t early = peek();
  wgi_join(t);
  CHECK(early == 0 || early == 42);
  CHECK(result == 42);
}
