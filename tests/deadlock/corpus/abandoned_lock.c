// abandoned_lock: a thread returns still holding a lock (an early return
// that skips the unlock). The main thread joins it, then asks for the
// same lock: it is the only thread left, and it waits forever. One thread
// blocked; with the hooks its lock's holder is thread 1, which has ended
// (so it is not among the blocked threads).
//
// expect-live: 1
#include "corpus.h"

wgi_mutex lock;
static volatile uint32_t value;

WGI_NOINLINE static void forgets_to_unlock(void* unused) {
  (void)unused;
  wgi_mutex_lock(&lock);
  if (value == 0) return;  // the bug: this path keeps the lock
  wgi_mutex_unlock(&lock);
}

TEST_EXPORT void test(void) {
  wgi_join(wgi_spawn(forgets_to_unlock, NULL));
  wgi_mutex_lock(&lock);  // never returns
  value = 1;
  wgi_mutex_unlock(&lock);
}
