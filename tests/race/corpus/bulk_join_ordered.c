// bulk_join_ordered: bulk operations on shared buffers, each ordered after
// the previous one by fork and join: the main thread fills `a`, a child
// fills `b` (memory.fill) and is joined, a second child copies a over b's
// first half and b into `c` (memory.copy reads and writes), and is joined;
// then the main thread copies and reads them. Race-free.
//
// expect: race-free
#include "corpus.h"

_Alignas(16) static uint8_t a[64];
_Alignas(16) static uint8_t b[64];
_Alignas(16) static uint8_t c[64];
static volatile uint32_t len = 64;  // read-only: keeps the lengths opaque

static void fill_b(void* unused) {
  (void)unused;
  __builtin_memset(b, 2, len);
}

static void copy_around(void* unused) {
  (void)unused;
  __builtin_memcpy(b, a, len / 2);
  __builtin_memcpy(c, b, len);
}

TEST_EXPORT void test(void) {
  __builtin_memset(a, 1, len);
  wgi_join(wgi_spawn(fill_b, NULL));
  wgi_join(wgi_spawn(copy_around, NULL));
  __builtin_memcpy(a, c, len);
  CHECK(a[0] == 1 && a[31] == 1 && a[32] == 2 && a[63] == 2);
  CHECK(b[0] == 1 && b[63] == 2 && c[0] == 1 && c[63] == 2);
}
