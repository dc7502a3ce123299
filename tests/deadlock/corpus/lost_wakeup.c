// lost_wakeup: a wake-up sent before anyone waits is lost. The producer
// (thread 1) publishes `ready` and notifies `event`, but `event` itself
// never changes: a bare notify with no state behind it. The consumer
// (thread 2) is started only after the producer has finished, and waits
// while `event` is 0, untimed: the notify it needed came before its wait,
// so nobody will ever wake it. The main thread joins it: two threads
// blocked, one in memory.atomic.wait, one joining. No lock is involved.
//
// expect-live: 2
#include "corpus.h"

static uint32_t event;  // the word waited on; the bug is that nobody sets it
static uint32_t ready;

WGI_NOINLINE static void producer(void* unused) {
  (void)unused;
  __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&event, UINT32_MAX);  // nobody is waiting yet: lost
}

WGI_NOINLINE static void consumer(void* unused) {
  (void)unused;
  wgi_wait_while(&event, 0);  // never returns
  CHECK(__atomic_load_n(&ready, __ATOMIC_SEQ_CST) == 1);
}

TEST_EXPORT void test(void) {
  wgi_join(wgi_spawn(producer, NULL));
  wgi_join(wgi_spawn(consumer, NULL));
}
