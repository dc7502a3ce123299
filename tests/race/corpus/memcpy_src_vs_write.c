// memcpy_src_vs_write: one thread copies `src` to `dst` with memory.copy,
// which reads all 64 bytes of src; another writes src's bytes 32-35 with a
// plain store: a read and a write of the same bytes, unordered: racy there.
// `dst` is written only by the copy and read after the joins.
//
// expect-race: src 32 4
#include "corpus.h"

_Alignas(16) uint8_t src[64];
_Alignas(16) static uint8_t dst[64];
static volatile uint32_t copy_len = 64;  // read-only: keeps the length opaque

WGI_NOINLINE static void copy(void* unused) {
  (void)unused;
  rendezvous();
  __builtin_memcpy(dst, src, copy_len);
}

WGI_NOINLINE static void write_src(void* unused) {
  (void)unused;
  rendezvous();
  *(volatile uint32_t*)&src[32] = 0x5A5A5A5Au;
}

TEST_EXPORT void test(void) {
  for (int i = 0; i < 64; ++i) src[i] = (uint8_t)i;
  rendezvous_init(2);
  uint32_t a = wgi_spawn(copy, NULL);
  uint32_t b = wgi_spawn(write_src, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(dst[63] == 63 && dst[0] == 0);
}
