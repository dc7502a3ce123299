// cycle3_timed_apart: the three-lock cycle of cycle3_barrier without the
// rendezvous, each thread's lock section 60 ms after the previous one's.
// Thread 1 takes lock_a then lock_b, thread 2 (after 60 ms) lock_b then
// lock_c, thread 3 (after 120 ms) lock_c then lock_a. No two threads
// overlap, so the run ends normally, but the three are concurrent and
// share no gate: the predicted deadlock is the cycle through all three
// locks (and no two-lock cycle: each pair of locks is taken in one order
// only).
//
// expect-cycle: lock_a lock_b lock_c
#include "corpus.h"

wgi_mutex lock_a, lock_b, lock_c;
static volatile uint32_t counter;

typedef struct {
  wgi_mutex* first;
  wgi_mutex* second;
  uint32_t delay_ms;
} step_t;

WGI_NOINLINE static void first_then_second(void* arg) {
  const step_t* s = (const step_t*)arg;
  wgi_sleep_ms(s->delay_ms);
  wgi_mutex_lock(s->first);
  wgi_mutex_lock(s->second);
  counter = counter + 1;
  wgi_mutex_unlock(s->second);
  wgi_mutex_unlock(s->first);
}

static const step_t steps[3] = {{&lock_a, &lock_b, 0}, {&lock_b, &lock_c, 60}, {&lock_c, &lock_a, 120}};

TEST_EXPORT void test(void) {
  uint32_t tids[3];
  for (int i = 0; i < 3; ++i) tids[i] = wgi_spawn(first_then_second, (void*)&steps[i]);
  for (int i = 0; i < 3; ++i) wgi_join(tids[i]);
  CHECK(counter == 3);
}
