// read_sharing: the main thread fills a table before spawning eight
// readers; all of them read the whole table at the same time (reads never
// race with reads) and write only their own sum slot. Race-free.
//
// expect: race-free
#include "corpus.h"

enum { kThreads = 8, kLen = 256 };

static volatile uint32_t table[kLen];
static volatile uint32_t sums[kThreads];

static void reader(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  uint32_t s = 0;
  for (uint32_t i = 0; i < kLen; ++i) s += table[(i + id * 32) % kLen];
  sums[id] = s;
}

TEST_EXPORT void test(void) {
  for (uint32_t i = 0; i < kLen; ++i) table[i] = i;
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(reader, (void*)(uintptr_t)i);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  for (int i = 0; i < kThreads; ++i) CHECK(sums[i] == kLen * (kLen - 1) / 2);
}
