// hierarchy_50: fifty threads in a two-level tree: the main thread spawns 5
// managers, each manager spawns 9 workers (5 + 45 = 50). Workers read the
// shared parameters (written by the main thread before any spawn: ordered
// by fork, and read-read among the workers) and write their own result
// slot; each manager joins its workers and sums their slots into its own;
// the main thread joins the managers. Race-free.
//
// expect: race-free
#include "corpus.h"

enum { kManagers = 5, kWorkers = 9 };

static volatile uint32_t params[2];
static volatile uint32_t results[kManagers * kWorkers];
static volatile uint32_t sums[kManagers];

static void worker(void* arg) {
  const uint32_t k = (uint32_t)(uintptr_t)arg;
  results[k] = params[0] * k + params[1];
}

static void manager(void* arg) {
  const uint32_t m = (uint32_t)(uintptr_t)arg;
  uint32_t tids[kWorkers];
  for (uint32_t w = 0; w < kWorkers; ++w) tids[w] = wgi_spawn(worker, (void*)(uintptr_t)(m * kWorkers + w));
  uint32_t s = 0;
  for (uint32_t w = 0; w < kWorkers; ++w) {
    wgi_join(tids[w]);
    s += results[m * kWorkers + w];
  }
  sums[m] = s;
}

TEST_EXPORT void test(void) {
  params[0] = 2;
  params[1] = 1;
  uint32_t tids[kManagers];
  for (uint32_t m = 0; m < kManagers; ++m) tids[m] = wgi_spawn(manager, (void*)(uintptr_t)m);
  uint32_t total = 0;
  for (uint32_t m = 0; m < kManagers; ++m) {
    wgi_join(tids[m]);
    total += sums[m];
  }
  const uint32_t n = kManagers * kWorkers;
  CHECK(total == 2 * (n * (n - 1) / 2) + n);
}
