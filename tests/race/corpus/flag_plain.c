// flag_plain: a producer hands data to a consumer through a *plain* flag.
// Plain accesses synchronise nothing, so the flag's write and reads race,
// and so do the data's write and read, although the consumer reads the data
// only after seeing the flag set: racy on both.
//
// expect-race: flag 0 4
// expect-race: data 0 4
#include "corpus.h"

volatile uint32_t flag;
volatile uint32_t data;

WGI_NOINLINE static void producer(void* unused) {
  (void)unused;
  data = 42;
  flag = 1;
}

WGI_NOINLINE static void consumer(void* arg) {
  uint32_t* out = arg;
  while (flag == 0) wgi_sleep_ms(1);
  *out = data;
}

TEST_EXPORT void test(void) {
  static uint32_t got;
  uint32_t c = wgi_spawn(consumer, &got);
  uint32_t p = wgi_spawn(producer, NULL);
  wgi_join(c);
  wgi_join(p);
  CHECK(got == 0 || got == 42);  // racy: either value is allowed
}
