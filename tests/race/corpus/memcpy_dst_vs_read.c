// memcpy_dst_vs_read: one thread copies `src` to `dst` with memory.copy,
// which writes all 64 bytes of dst; another reads dst's bytes 8-11 with a
// plain load: racy there. `src` is only read (by the copy), after the main
// thread wrote it before spawning: ordered.
//
// expect-race: dst 8 4
#include "corpus.h"

_Alignas(16) static uint8_t src[64];
_Alignas(16) uint8_t dst[64];
static volatile uint32_t copy_len = 64;  // read-only: keeps the length opaque
static volatile uint32_t seen;

WGI_NOINLINE static void copy(void* unused) {
  (void)unused;
  rendezvous();
  __builtin_memcpy(dst, src, copy_len);
}

WGI_NOINLINE static void read_dst(void* unused) {
  (void)unused;
  rendezvous();
  seen = *(volatile uint32_t*)&dst[8];
}

TEST_EXPORT void test(void) {
  for (int i = 0; i < 64; ++i) src[i] = 7;
  rendezvous_init(2);
  uint32_t a = wgi_spawn(copy, NULL);
  uint32_t b = wgi_spawn(read_dst, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(seen == 0 || seen == 0x07070707u);
}
