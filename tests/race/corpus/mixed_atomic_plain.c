// mixed_atomic_plain: one thread increments `x` atomically, another writes it
// with a plain store. A race needs only one of the two accesses to be plain:
// racy. (The atomic RMWs release into x, but the plain writer never
// acquires anything from them.)
//
// expect-race: x 0 4
#include "corpus.h"

uint32_t x;

WGI_NOINLINE static void atomic_adds(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < 100; ++i) __atomic_fetch_add(&x, 1, __ATOMIC_SEQ_CST);
}

WGI_NOINLINE static void plain_store(void* unused) {
  (void)unused;
  rendezvous();
  *(volatile uint32_t*)&x = 1000;
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(atomic_adds, NULL);
  uint32_t b = wgi_spawn(plain_store, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(x <= 1100);
}
