// A spawned thread fills a buffer while the main thread, without waiting
// for it, writes the buffer to stdout with fd_write: the host reading the
// buffer races with the thread's stores, which `wgi run --race` reports
// (the host call's read counts as the main thread's access).
#include "wasi_threads.h"

static char message[64];

__attribute__((noinline)) static void fill(struct thread* t) {
  (void)t;
  for (int i = 0; i < 63; ++i) message[i] = 'x';
  message[63] = '\n';
}

EXPORT("_start") void _start(void) {
  static struct thread a;
  spawn(&a, fill);
  const uint32_t iov[2] = {(uint32_t)(uintptr_t)message, sizeof message};
  int32_t written;
  fd_write(1, iov, 1, &written);  // races with fill
  join(&a);
}
