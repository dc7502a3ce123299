// overlap_byte_in_word: one thread writes a whole 4-byte word, another
// writes one byte of it, byte 2 (i32.store8), unsynchronised. The
// accesses share exactly byte 2: racy there, and only there (the report's
// range is the two accesses' intersection).
//
// expect-race: word 2 1
#include "corpus.h"

volatile uint32_t word;

WGI_NOINLINE static void write_word(void* unused) {
  (void)unused;
  rendezvous();
  word = 0x11223344;
}

WGI_NOINLINE static void write_byte2(void* unused) {
  (void)unused;
  rendezvous();
  ((volatile uint8_t*)&word)[2] = 0x99;
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(write_word, NULL);
  uint32_t b = wgi_spawn(write_byte2, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(word == 0x11223344 || word == 0x11993344);
}
