// wait_notify: a handover through memory.atomic.wait32 / notify. The
// producer writes the data, atomically sets the flag and notifies; the
// consumer waits on the flag while it is 0.
//
// When wait32 returns 0 the consumer was woken by the producer's notify,
// which comes after the data write and releases to the waiters it wakes: the
// data read is ordered after the write, with no further atomic access.
// When the producer was first, wait32 returns 1 ("not equal"): then the
// consumer's atomic load of the flag synchronises with the producer's store.
// Either way: race-free. (The producer sleeps first so that the consumer is
// usually already waiting and the notify path is the one exercised.)
//
// expect: race-free
#include "corpus.h"

static int32_t flag;
static volatile uint32_t data;
static volatile uint32_t got;
static volatile int32_t how;  // 0 woken, 1 found it set

static void producer(void* unused) {
  (void)unused;
  wgi_sleep_ms(20);
  data = 42;
  __atomic_store_n(&flag, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&flag, UINT32_MAX);
}

static void consumer(void* unused) {
  (void)unused;
  for (;;) {
    const int r = __builtin_wasm_memory_atomic_wait32(&flag, 0, -1);
    if (r == 0) {  // woken by the only notify there is: the producer's
      how = 0;
      break;
    }
    if (__atomic_load_n(&flag, __ATOMIC_SEQ_CST) != 0) {  // r == 1: already set
      how = 1;
      break;
    }
  }
  got = data;
}

TEST_EXPORT void test(void) {
  uint32_t c = wgi_spawn(consumer, NULL);
  uint32_t p = wgi_spawn(producer, NULL);
  wgi_join(c);
  wgi_join(p);
  CHECK(got == 42);
  CHECK(how == 0 || how == 1);
}
