// bytes_of_word: three threads write disjoint parts of one 4-byte word:
// byte 0 (i32.store8), byte 1 (i32.store8), bytes 2-3 (i32.store16). Races
// are byte-precise: accesses that share no byte never race, even within one
// word. The main thread reads the whole word after the joins: race-free.
//
// expect: race-free
#include "corpus.h"

static union {
  uint32_t word;
  uint8_t bytes[4];
  uint16_t halves[2];
} packed;

static void write_byte0(void* unused) {
  (void)unused;
  for (int i = 0; i < 100; ++i) ((volatile uint8_t*)packed.bytes)[0] = (uint8_t)(0x11 + i % 2);
}
static void write_byte1(void* unused) {
  (void)unused;
  for (int i = 0; i < 100; ++i) ((volatile uint8_t*)packed.bytes)[1] = (uint8_t)(0x22 + i % 2);
}
static void write_half1(void* unused) {
  (void)unused;
  for (int i = 0; i < 100; ++i) ((volatile uint16_t*)packed.halves)[1] = (uint16_t)(0x4433 + i % 2);
}

TEST_EXPORT void test(void) {
  uint32_t a = wgi_spawn(write_byte0, NULL);
  uint32_t b = wgi_spawn(write_byte1, NULL);
  uint32_t c = wgi_spawn(write_half1, NULL);
  wgi_join(a);
  wgi_join(b);
  wgi_join(c);
  CHECK(((volatile uint32_t*)&packed.word)[0] == 0x44342312);
}
