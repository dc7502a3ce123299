// notify_write_after: as wait_notify, but the producer writes `late` after
// its store and notify, and the consumer reads it after waking. Nothing the
// producer does after the notify is ordered before the consumer: the `late`
// write and read race. `data`, written before the store, is race-free.
//
// expect-race: late 0 4
#include "corpus.h"

static int32_t flag;
static volatile uint32_t data;
volatile uint32_t late;
static volatile uint32_t got;

WGI_NOINLINE static void write_late(void) { late = 1; }
WGI_NOINLINE static uint32_t read_late(void) { return late; }

static void producer(void* unused) {
  (void)unused;
  wgi_sleep_ms(20);
  data = 42;
  __atomic_store_n(&flag, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&flag, UINT32_MAX);
  write_late();
}

static void consumer(void* unused) {
  (void)unused;
  for (;;) {
    const int r = __builtin_wasm_memory_atomic_wait32(&flag, 0, -1);
    if (r == 0 || __atomic_load_n(&flag, __ATOMIC_SEQ_CST) != 0) break;
  }
  got = data;
  CHECK(read_late() <= 1);
}

TEST_EXPORT void test(void) {
  uint32_t c = wgi_spawn(consumer, NULL);
  uint32_t p = wgi_spawn(producer, NULL);
  wgi_join(c);
  wgi_join(p);
  CHECK(got == 42);
  CHECK(late == 1);
}
