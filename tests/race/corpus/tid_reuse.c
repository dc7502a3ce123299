// tid_reuse: the main thread spawns a thread, joins it, and spawns the next,
// four times; each writes `slot` after checking the previous thread's value,
// and uses a stack array (the runtime may give it the previous thread's
// stack block, and a runtime may reuse thread ids). Every thread's life is
// ordered before the next one's by the join followed by the spawn:
// race-free.
//
// expect: race-free
#include "corpus.h"

enum { kRounds = 4, kLen = 32 };

static volatile uint32_t slot;
static volatile uint32_t ids[kRounds];

WGI_NOINLINE static uint32_t scribble(volatile uint32_t* a, uint32_t v) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < kLen; ++i) a[i] = v + i;
  for (uint32_t i = 0; i < kLen; ++i) s += a[i];
  return s;
}

static void writer(void* arg) {
  const uint32_t round = (uint32_t)(uintptr_t)arg;
  volatile uint32_t stack_words[kLen];
  CHECK(slot == round);
  CHECK(scribble(stack_words, round) == round * kLen + kLen * (kLen - 1) / 2);
  slot = round + 1;
}

TEST_EXPORT void test(void) {
  for (uint32_t r = 0; r < kRounds; ++r) {
    ids[r] = wgi_spawn(writer, (void*)(uintptr_t)r);
    wgi_join(ids[r]);
  }
  CHECK(slot == kRounds);
}
