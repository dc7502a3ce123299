// cycle3_barrier: three threads, three locks, a cycle through all of them.
// Thread 1 takes lock_a, thread 2 lock_b, thread 3 lock_c; after the
// rendezvous thread 1 asks for lock_b, thread 2 for lock_c and thread 3 for
// lock_a. Every pair of threads has a consistent order (a before b, b
// before c, c before a are each used by one thread only); the deadlock
// needs all three. The main thread joins thread 1: four threads blocked.
//
// expect-live: 4
// expect-lock-cycles: 1
// expect-cycle: lock_a lock_b lock_c
#include "corpus.h"

wgi_mutex lock_a, lock_b, lock_c;

typedef struct {
  wgi_mutex* first;
  wgi_mutex* second;
} pair_t;

WGI_NOINLINE static void first_then_second(void* arg) {
  const pair_t* p = (const pair_t*)arg;
  wgi_mutex_lock(p->first);
  rendezvous();
  wgi_mutex_lock(p->second);  // never returns: the next thread holds it
  wgi_mutex_unlock(p->second);
  wgi_mutex_unlock(p->first);
}

static const pair_t pairs[3] = {{&lock_a, &lock_b}, {&lock_b, &lock_c}, {&lock_c, &lock_a}};

TEST_EXPORT void test(void) {
  rendezvous_init(3);
  uint32_t tids[3];
  for (int i = 0; i < 3; ++i) tids[i] = wgi_spawn(first_then_second, (void*)&pairs[i]);
  for (int i = 0; i < 3; ++i) wgi_join(tids[i]);
}
