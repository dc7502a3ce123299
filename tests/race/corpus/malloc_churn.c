// malloc_churn: four threads allocate, fill, check and free blocks of many
// sizes with wgi_malloc / wgi_free at the same time, and the main thread
// hands each worker a block it allocated (the worker frees it). A block
// freed by one thread and reused by another is ordered by the allocator's
// lock (the free releases it, the malloc acquires it), and nobody touches a
// block after freeing it: race-free. Also built with --stack-first.
//
// expect: race-free
// corpus-variant: stack-first
#include "corpus.h"

enum { kThreads = 4, kRounds = 100, kKeep = 4 };

static void churn(void* arg) {
  uint32_t* gift = arg;
  const uint32_t id = gift[0];
  CHECK(gift[1] == id * 3);
  wgi_free(gift, 64);
  volatile uint32_t* kept[kKeep] = {0};
  uint32_t kept_size[kKeep] = {0};
  for (uint32_t r = 0; r < kRounds; ++r) {
    const uint32_t size = 16u << (r % 5);  // 16 .. 256 bytes
    volatile uint32_t* p = wgi_malloc(size);
    CHECK(p != NULL);
    for (uint32_t i = 0; i < size / 4; ++i) p[i] = id * 100000 + r;
    for (uint32_t i = 0; i < size / 4; ++i) CHECK(p[i] == id * 100000 + r);
    const uint32_t k = r % kKeep;  // keep it for a while, free an older one
    if (kept[k]) {
      for (uint32_t i = 0; i < kept_size[k] / 4; ++i) CHECK(kept[k][i] == id * 100000 + r - kKeep);
      wgi_free((void*)kept[k], kept_size[k]);
    }
    kept[k] = p;
    kept_size[k] = size;
  }
  for (uint32_t k = 0; k < kKeep; ++k) wgi_free((void*)kept[k], kept_size[k]);
}

TEST_EXPORT void test(void) {
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) {
    uint32_t* gift = wgi_malloc(64);
    CHECK(gift != NULL);
    gift[0] = i;
    gift[1] = i * 3;
    tids[i] = wgi_spawn(churn, gift);
  }
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
}
