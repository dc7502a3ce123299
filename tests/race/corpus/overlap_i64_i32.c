// overlap_i64_i32: one thread writes bytes 0-7 of `wide` with one 8-byte
// store; another writes bytes 4-7 and bytes 8-11 with two 4-byte stores.
// Only bytes 4-7 are written by both: racy there; bytes 8-11 have one
// writer and bytes 0-3 too.
//
// expect-race: wide 4 4
#include "corpus.h"

_Alignas(8) volatile uint8_t wide[16];

WGI_NOINLINE static void write_low8(void* unused) {
  (void)unused;
  rendezvous();
  *(volatile uint64_t*)&wide[0] = 0x1111111122222222ull;
}

WGI_NOINLINE static void write_two_words(void* unused) {
  (void)unused;
  rendezvous();
  *(volatile uint32_t*)&wide[4] = 0x33333333u;
  *(volatile uint32_t*)&wide[8] = 0x44444444u;
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(write_low8, NULL);
  uint32_t b = wgi_spawn(write_two_words, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(*(volatile uint32_t*)&wide[0] == 0x22222222u);
  CHECK(*(volatile uint32_t*)&wide[8] == 0x44444444u);
}
