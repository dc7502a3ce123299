// Programs that hang without deadlocking, for tests/threads/hang_test.cc:
// what SIGINT and SIGQUIT show of each thread, and what parked threads cost.
#include "wgi_threads.h"

static uint32_t never_notified;
static volatile uint32_t stop_spinning;

WGI_NOINLINE static void timed_waiter(void* arg) {
  (void)arg;
  wgi_wait(&never_notified, 0, 5000000000LL);  // 5 s
}

WGI_NOINLINE static void spinner(void* arg) {
  (void)arg;
  while (!stop_spinning) {
  }
}

// Thread 1 in a timed wait, thread 2 running, thread 0 joining thread 2:
// nothing is stuck for good, so only an interrupt ends it.
WGI_EXPORT("spin_and_wait") void spin_and_wait(void) {
  uint32_t a = wgi_spawn(timed_waiter, 0);
  uint32_t b = wgi_spawn(spinner, 0);
  wgi_join(b);
  wgi_join(a);
}

// ---- many parked threads ----------------------------------------------------

#define MANY 1000
static uint32_t go;
static uint32_t tids[MANY];

WGI_NOINLINE static void parked(void* arg) {
  (void)arg;
  wgi_wait_while(&go, 0);
}

// MANY threads parked in untimed waits while the main thread sleeps in
// timed ones (so it is no deadlock) for `ms`, then wakes and joins them.
WGI_EXPORT("many_parked") void many_parked(uint32_t ms) {
  for (uint32_t i = 0; i < MANY; ++i) tids[i] = wgi_spawn(parked, 0);
  for (uint32_t slept = 0; slept < ms; slept += 100) wgi_sleep_ms(100);
  __atomic_store_n(&go, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&go, UINT32_MAX);
  for (uint32_t i = 0; i < MANY; ++i) wgi_join(tids[i]);
}

// ---- a thread that recurses without loops ------------------------------------
// Loop-free and not optimised into one (optnone), so only the interrupt
// check on calls can stop it: fib(60) would run for hours.
__attribute__((noinline, optnone)) static uint64_t fib(uint64_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static volatile uint64_t fib_result;

WGI_NOINLINE static void fib_thread(void* arg) {
  (void)arg;
  fib_result = fib(60);
}

WGI_NOINLINE static void trap_later(void* arg) {
  (void)arg;
  wgi_sleep_ms(200);
  __builtin_trap();
}

WGI_NOINLINE static void panic_later(void* arg) {
  (void)arg;
  wgi_sleep_ms(200);
  wgi_panic(7);
}

// One thread computes fib(60) while, 200 ms in: another thread traps
// (mode 0) or panics (1), the main thread traps (2) or returns without
// joining it (3). Each ends the whole program at once.
WGI_EXPORT("fib_vs") void fib_vs(uint32_t mode) {
  uint32_t f = wgi_spawn(fib_thread, 0);
  if (mode == 0 || mode == 1) {
    uint32_t o = wgi_spawn(mode == 0 ? trap_later : panic_later, 0);
    wgi_join(o);
    wgi_join(f);
    return;
  }
  wgi_sleep_ms(200);
  if (mode == 2) __builtin_trap();
}

// The same recursion on the main thread alone (no threads started).
WGI_EXPORT("fib_main") uint64_t fib_main(uint32_t n) { return fib(n); }

// ---- memory.grow in a spawned thread (--max-memory) --------------------------
static volatile int32_t grown;

WGI_NOINLINE static void grow_thread(void* arg) {
  grown = (int32_t)__builtin_wasm_memory_grow(0, (uint32_t)(uintptr_t)arg);
}

// A spawned thread grows the shared memory by `pages`: the old size in
// pages, or -1 (what memory.grow returned in that thread).
WGI_EXPORT("grow_in_thread") int32_t grow_in_thread(uint32_t pages) {
  wgi_join(wgi_spawn(grow_thread, (void*)(uintptr_t)pages));
  return grown;
}
