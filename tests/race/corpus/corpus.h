// corpus.h: what the programs of the race corpus share (tests/race/README.md).
//
// Every program includes this header once (it includes wgi_threads.h, which
// defines the threadlink exports) and defines `TEST_EXPORT void test(void)`,
// run as `wgi run [--race --report OUT.json] FILE.wasm --invoke test`.
// tests/race/corpus_test.cc builds each program with and without the lock
// hooks (WGI_TRACE_HOOKS 1 / 0) and checks the race checker's verdict
// against the program's `// expect...` label lines.
//
// Conventions:
//  - A variable named by an `// expect-race:` label must be a non-static
//    global: the build exports its address with -Wl,--export=SYMBOL.
//  - Shared data is volatile where the exact accesses matter (their number,
//    width and presence), so clang neither drops, merges nor widens them.
//  - Racing accesses sit in WGI_NOINLINE functions of their own, so each
//    racing pair is at distinct code.
//  - CHECK traps (`unreachable`, so `wgi run` exits 3) when a race-free
//    program computes a wrong result; racy programs check only what the
//    race cannot change.
//  - Threads spawned to race with each other meet at rendezvous() before
//    their racing accesses.
#ifndef WGI_RACE_CORPUS_H
#define WGI_RACE_CORPUS_H

#include "wgi_threads.h"

#define TEST_EXPORT WGI_EXPORT("test")

#define CHECK(cond)                 \
  do {                              \
    if (!(cond)) __builtin_trap();  \
  } while (0)

// A rendezvous for threads spawned to race with each other: each calls
// rendezvous() before its racing accesses, and none goes on until all
// `count` have arrived (rendezvous_init(count) first, in the main thread,
// before spawning them).
//
// Why: happens-before is a property of one execution, and a run can order
// the racing accesses through incidental synchronisation. A thread that has
// ended is ordered before its reaper's future (the runtime frees a finished
// thread's stack and TLS on the next thread_create or thread_join caller,
// src/threads/threadlink.h, and the checker orders that after the thread's
// end), and the reaper's next wgi_malloc/wgi_free releases the allocator's
// lock, which every new thread acquires in thread_start (it frees its
// closure). So if one racing thread could finish before the other had even
// started, the second would follow the first. At the rendezvous both have
// started (and freed their closures), and nothing either does after it
// releases anything the other acquires: the barrier's atomics come before
// the racing accesses.
static wgi_barrier corpus_rendezvous;
static inline void rendezvous_init(uint32_t count) { wgi_barrier_init(&corpus_rendezvous, count); }
static inline void rendezvous(void) { wgi_barrier_wait(&corpus_rendezvous); }

#endif  // WGI_RACE_CORPUS_H
