// flag_atomic: the same handover as flag_plain, but the flag is written with
// an atomic release store and read with atomic acquire loads. The consumer's
// load that sees 1 synchronises with the store, which follows the data
// write: the data read is ordered after it. The flag itself is only accessed
// atomically: race-free.
//
// expect: race-free
#include "corpus.h"

static uint32_t flag;
static volatile uint32_t data;
static volatile uint32_t got;

static void producer(void* unused) {
  (void)unused;
  data = 42;
  __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
}

static void consumer(void* unused) {
  (void)unused;
  while (__atomic_load_n(&flag, __ATOMIC_ACQUIRE) == 0) wgi_sleep_ms(1);
  got = data;
}

TEST_EXPORT void test(void) {
  uint32_t c = wgi_spawn(consumer, NULL);
  uint32_t p = wgi_spawn(producer, NULL);
  wgi_join(c);
  wgi_join(p);
  CHECK(got == 42);
}
