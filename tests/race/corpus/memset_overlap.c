// memset_overlap: two threads fill overlapping parts of one buffer with
// memory.fill, bytes 0-31 and bytes 16-47: both write bytes 16-31, unordered:
// racy there; bytes 0-15 and 32-47 have one writer each.
//
// expect-race: buf 16 16
#include "corpus.h"

_Alignas(16) uint8_t buf[64];
static volatile uint32_t fill_len = 32;  // read-only: keeps the length opaque

WGI_NOINLINE static void fill_low(void* unused) {
  (void)unused;
  rendezvous();
  __builtin_memset(buf, 1, fill_len);
}

WGI_NOINLINE static void fill_high(void* unused) {
  (void)unused;
  rendezvous();
  __builtin_memset(buf + 16, 2, fill_len);
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(fill_low, NULL);
  uint32_t b = wgi_spawn(fill_high, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(buf[0] == 1 && buf[47] == 2 && buf[48] == 0);
  CHECK(buf[20] == 1 || buf[20] == 2);
}
