// barrier_phases: four threads run three phases separated by a wgi_barrier.
// In each phase thread i writes its own cell, waits at the barrier, reads its
// neighbour's cell, and waits again before the next phase overwrites the
// cells. The barrier's atomic add on `arrived` and the last thread's bump of
// `generation` (which the others load) order every write before the reads of
// the same phase, and every read before the next phase's writes: race-free.
//
// expect: race-free
#include "corpus.h"

enum { kThreads = 4, kPhases = 3 };

static wgi_barrier barrier;
static volatile uint32_t cells[kThreads];
static volatile uint32_t checks[kThreads];

static void phased(void* arg) {
  const uint32_t id = (uint32_t)(uintptr_t)arg;
  const uint32_t next = (id + 1) % kThreads;
  uint32_t ok = 0;
  for (uint32_t p = 0; p < kPhases; ++p) {
    cells[id] = p * 100 + id;
    wgi_barrier_wait(&barrier);
    ok += cells[next] == p * 100 + next;
    wgi_barrier_wait(&barrier);
  }
  checks[id] = ok;
}

TEST_EXPORT void test(void) {
  wgi_barrier_init(&barrier, kThreads);
  uint32_t tids[kThreads];
  for (uint32_t i = 0; i < kThreads; ++i) tids[i] = wgi_spawn(phased, (void*)(uintptr_t)i);
  for (int i = 0; i < kThreads; ++i) wgi_join(tids[i]);
  for (int i = 0; i < kThreads; ++i) CHECK(checks[i] == kPhases);
}
