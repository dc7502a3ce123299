// nested_spawn: threads spawning threads. The main thread spawns two
// children; each spawns two grandchildren, which write their own leaf slot
// from an input the child wrote before spawning them. Each child joins its
// grandchildren and sums their slots into its own; the main thread joins the
// children and sums theirs. Every read is ordered after the write it reads by
// a spawn or a join: race-free.
//
// expect: race-free
#include "corpus.h"

enum { kChildren = 2, kGrand = 2 };

static volatile uint32_t input[kChildren * kGrand];
static volatile uint32_t leaf[kChildren * kGrand];
static volatile uint32_t branch[kChildren];

static void grandchild(void* arg) {
  const uint32_t k = (uint32_t)(uintptr_t)arg;
  leaf[k] = input[k] * 2;
}

static void child(void* arg) {
  const uint32_t c = (uint32_t)(uintptr_t)arg;
  uint32_t tids[kGrand];
  for (uint32_t g = 0; g < kGrand; ++g) {
    const uint32_t k = c * kGrand + g;
    input[k] = k + 1;
    tids[g] = wgi_spawn(grandchild, (void*)(uintptr_t)k);
  }
  uint32_t s = 0;
  for (uint32_t g = 0; g < kGrand; ++g) {
    wgi_join(tids[g]);
    s += leaf[c * kGrand + g];
  }
  branch[c] = s;
}

TEST_EXPORT void test(void) {
  uint32_t tids[kChildren];
  for (uint32_t c = 0; c < kChildren; ++c) tids[c] = wgi_spawn(child, (void*)(uintptr_t)c);
  uint32_t total = 0;
  for (uint32_t c = 0; c < kChildren; ++c) {
    wgi_join(tids[c]);
    total += branch[c];
  }
  CHECK(total == 2 * (1 + 2 + 3 + 4));
}
