// tr_lock_order.c: the guest side of tests/trace/trace_deadlocks_test.cc,
// built with WGI_TRACE_HOOKS=1 and run under `wgi run --deadlock --trace`:
// the online predictor and `wgi trace deadlocks` over the trace of the same
// run must predict the same deadlocks.
//
// Threads take locks in orders that could deadlock, but never do: they
// take turns, each waiting on an atomic word until the one before it has
// released its locks. The predictor does not see that word (only locks,
// thread creation and joining order anything for it), so the orders still
// count as potential deadlocks; and the turns do not depend on timing, so
// every run takes the locks in the same order. The first turn comes only
// once every thread has started: a thread that ended before the next one
// was created would be ordered before it (the runtime frees its stack
// while creating the next, which counts as a join).
#include "wgi_threads.h"

#define MAX_THREADS 4u

static wgi_mutex locks[MAX_THREADS];
static wgi_mutex gate;
#define NOBODY UINT32_MAX
static uint32_t turn;  // whose turn it is to take its locks
static uint32_t threads_in_ring;
static bool gated_turns;

WGI_EXPORT("lock_addr") uint32_t lock_addr(uint32_t i) { return (uint32_t)(uintptr_t)&locks[i]; }

static void give_turn(uint32_t i) {
  __atomic_store_n(&turn, i, __ATOMIC_SEQ_CST);
  wgi_wake(&turn, UINT32_MAX);
}

// Worker i takes lock i, then lock i + 1 (around the ring) while holding
// it: with two workers, A then B and B then A.
WGI_NOINLINE static void take_two(void* arg) {
  const uint32_t i = (uint32_t)(uintptr_t)arg;
  for (uint32_t t; (t = __atomic_load_n(&turn, __ATOMIC_SEQ_CST)) != i;) wgi_wait(&turn, t, -1);
  if (gated_turns) wgi_mutex_lock(&gate);
  wgi_mutex_lock(&locks[i]);
  wgi_mutex_lock(&locks[(i + 1) % threads_in_ring]);
  wgi_mutex_unlock(&locks[(i + 1) % threads_in_ring]);
  wgi_mutex_unlock(&locks[i]);
  if (gated_turns) wgi_mutex_unlock(&gate);
  give_turn(i + 1);
}

// n workers around the ring, all started before any is joined (so they
// could run at the same time), or with `one_by_one` each joined before the
// next starts (so they cannot).
static void ring(uint32_t n, bool gated, bool one_by_one) {
  threads_in_ring = n;
  gated_turns = gated;
  __atomic_store_n(&turn, NOBODY, __ATOMIC_SEQ_CST);
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < n; ++i) {
    tids[i] = wgi_spawn(take_two, (void*)(uintptr_t)i);
    if (one_by_one) {
      give_turn(i);
      wgi_join(tids[i]);
    }
  }
  if (one_by_one) return;
  give_turn(0);
  for (uint32_t i = 0; i < n; ++i) wgi_join(tids[i]);
}

// Two threads, A then B and B then A: one potential deadlock.
WGI_EXPORT("inversion") void inversion(void) { ring(2, false, false); }
// Three threads, A then B, B then C, C then A: one, of three locks.
WGI_EXPORT("ring3") void ring3(void) { ring(3, false, false); }
// The inversion with both threads holding a gate lock around it: none.
WGI_EXPORT("gated") void gated(void) { ring(2, true, false); }
// The inversion with the second thread started after the first was
// joined: none.
WGI_EXPORT("join_ordered") void join_ordered(void) { ring(2, false, true); }
