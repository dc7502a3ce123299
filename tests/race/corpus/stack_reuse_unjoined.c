// stack_reuse_unjoined: the first thread writes an array on its stack and
// ends without synchronising with anyone. The main thread sleeps (so that
// thread has most likely finished), then spawns a second thread, which
// writes an array on *its* stack; only then does it join both.
//
// The runtime frees a finished thread's stack block on the next
// thread_create or thread_join caller (src/threads/threadlink.h), so the
// second thread most likely gets the first one's block, and the two arrays
// are the same bytes. In the program the two stacks are different objects,
// and the runtime orders the reuse (its own lock: the first thread's end
// comes before the block is freed and allocated again). Race-free; a checker
// that sees only the guest's synchronisation reports a race on the stack
// here (and would on allocator reuse without the allocator's lock).
//
// expect: race-free
#include "corpus.h"

enum { kLen = 64 };

static volatile uint32_t sums[2];
static volatile uintptr_t where[2];

WGI_NOINLINE static uint32_t scribble(volatile uint32_t* a, uint32_t v) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < kLen; ++i) a[i] = v + i;
  for (uint32_t i = 0; i < kLen; ++i) s += a[i];
  return s;
}

static void on_stack(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  volatile uint32_t a[kLen];
  where[id] = (uintptr_t)a;
  sums[id] = scribble(a, id * 1000);
}

TEST_EXPORT void test(void) {
  uint32_t first = wgi_spawn(on_stack, (void*)(uintptr_t)0);
  wgi_sleep_ms(50);
  uint32_t second = wgi_spawn(on_stack, (void*)(uintptr_t)1);
  wgi_join(second);
  wgi_join(first);
  CHECK(sums[0] == kLen * (kLen - 1) / 2);
  CHECK(sums[1] == 1000 * kLen + kLen * (kLen - 1) / 2);
}
