// write_after_unlock: a writer sets `inside` under a lock and then, after
// unlocking, writes `after`; a reader takes the same lock, reads `inside`,
// unlocks, and reads `after`. `inside` is protected (race-free); `after` is
// written after the writer's release and read after the reader's release,
// with nothing ordering them, in either order of the critical sections: racy.
//
// expect-race: after 0 4
#include "corpus.h"

static wgi_mutex lock;
static volatile uint32_t inside;
volatile uint32_t after;
static volatile uint32_t seen;

WGI_NOINLINE static void writer(void* unused) {
  (void)unused;
  rendezvous();
  wgi_mutex_lock(&lock);
  inside = 1;
  wgi_mutex_unlock(&lock);
  after = 2;
}

WGI_NOINLINE static void reader(void* unused) {
  (void)unused;
  rendezvous();
  wgi_mutex_lock(&lock);
  uint32_t in = inside;
  wgi_mutex_unlock(&lock);
  seen = in + after;
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(writer, NULL);
  uint32_t b = wgi_spawn(reader, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(seen <= 3);
}
