// memset_vs_load: one thread clears a 64-byte buffer with memory.fill
// (__builtin_memset with a length clang cannot see, so it emits
// memory.fill); another reads bytes 16-19 with a plain 4-byte load. The fill
// writes all 64 bytes; the load shares bytes 16-19 with it: racy there.
//
// expect-race: buf 16 4
#include "corpus.h"

_Alignas(16) uint8_t buf[64];
static volatile uint32_t fill_len = 64;  // read-only: keeps the length opaque
static volatile uint32_t seen;

WGI_NOINLINE static void clear(void* unused) {
  (void)unused;
  rendezvous();
  __builtin_memset(buf, 0xAB, fill_len);
}

WGI_NOINLINE static void load_inside(void* unused) {
  (void)unused;
  rendezvous();
  seen = *(volatile uint32_t*)&buf[16];
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(clear, NULL);
  uint32_t b = wgi_spawn(load_inside, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(seen == 0 || seen == 0xABABABABu);
  CHECK(*(volatile uint32_t*)&buf[60] == 0xABABABABu);
}
