// inversion_fork_ordered: opposite lock orders ordered by thread creation.
// The main thread takes lock_a then lock_b, releases them, and only then
// starts thread 1, which takes lock_b then lock_a and then starts thread
// 2, which takes lock_a then lock_b. Each edge happens before the next
// thread is created; the main thread only joins afterwards. Deadlock-free:
// the cycle must not be reported.
//
// expect: deadlock-free
#include "corpus.h"

wgi_mutex lock_a, lock_b;
static volatile uint32_t counter;

WGI_NOINLINE static void a_then_b(void) {
  wgi_mutex_lock(&lock_a);
  wgi_mutex_lock(&lock_b);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_b);
  wgi_mutex_unlock(&lock_a);
}

WGI_NOINLINE static void b_then_a(void) {
  wgi_mutex_lock(&lock_b);
  wgi_mutex_lock(&lock_a);
  counter = counter + 1;
  wgi_mutex_unlock(&lock_a);
  wgi_mutex_unlock(&lock_b);
}

static void grandchild(void* unused) {
  (void)unused;
  a_then_b();
}

static void child(void* unused) {
  (void)unused;
  b_then_a();
  wgi_join(wgi_spawn(grandchild, NULL));
}

TEST_EXPORT void test(void) {
  a_then_b();
  wgi_join(wgi_spawn(child, NULL));
  CHECK(counter == 3);
}
