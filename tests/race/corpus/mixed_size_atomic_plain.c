// mixed_size_atomic_plain: one thread increments byte 1 of `w` with a 1-byte
// atomic RMW (i32.atomic.rmw8.add_u); another reads all of `w` with a plain
// 4-byte load. They share byte 1 and the load is plain: racy on byte 1 only.
// A third thread reads byte 1 atomically with a 4-byte atomic load of `w`:
// atomic against atomic, never a race.
//
// expect-race: w 1 1
#include "corpus.h"

_Alignas(4) uint8_t w[4];
static volatile uint32_t seen_plain;
static volatile uint32_t seen_atomic;

WGI_NOINLINE static void atomic_byte_adds(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < 50; ++i) __atomic_fetch_add(&w[1], 1, __ATOMIC_SEQ_CST);
}

WGI_NOINLINE static void plain_word_load(void* unused) {
  (void)unused;
  rendezvous();
  seen_plain = *(volatile uint32_t*)w;
}

WGI_NOINLINE static void atomic_word_load(void* unused) {
  (void)unused;
  rendezvous();
  seen_atomic = __atomic_load_n((uint32_t*)w, __ATOMIC_SEQ_CST);
}

TEST_EXPORT void test(void) {
  rendezvous_init(3);
  uint32_t a = wgi_spawn(atomic_byte_adds, NULL);
  uint32_t b = wgi_spawn(plain_word_load, NULL);
  uint32_t c = wgi_spawn(atomic_word_load, NULL);
  wgi_join(a);
  wgi_join(b);
  wgi_join(c);
  CHECK(w[1] == 50);
  CHECK(seen_plain <= 50 * 256 && seen_atomic <= 50 * 256);
}
