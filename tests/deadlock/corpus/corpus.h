// corpus.h: what the programs of the deadlock corpus share
// (tests/deadlock/README.md).
//
// Every program includes this header once (it includes wgi_threads.h, which
// defines the threadlink exports) and defines `TEST_EXPORT void test(void)`,
// run as `wgi run [--deadlock] [--report OUT.json] FILE.wasm --invoke test`.
// tests/deadlock/corpus_test.cc builds each program with and without the
// lock hooks (WGI_TRACE_HOOKS 1 / 0) and checks wgi's deadlock reports
// against the program's `// expect...` label lines.
//
// Conventions:
//  - A mutex named by an `// expect-cycle:` label must be a non-static
//    global wgi_mutex: the build exports its address with
//    -Wl,--export=SYMBOL, and a lock's id in wgi's reports is that address.
//  - A program that deadlocks does so in every run, and before `test`
//    could return: the main thread is itself among the blocked threads
//    (joining, waiting or locking), since threads still running when `test`
//    returns are stopped and a run that returns ends normally.
//  - A program that must not deadlock keeps the schedules that would
//    deadlock out of reach (a common gate lock, fork and join order, or
//    enough sleep between the threads' lock sections that a real deadlock
//    would need a stall of a hundred milliseconds or more), and ends within
//    about a second.
//  - Lock sections sit in WGI_NOINLINE functions, so the reports' frames
//    name them; where one program has two cycles, each acquisition is at
//    code of its own, so the two cannot be told apart only by lock address.
//  - CHECK traps (`unreachable`, so `wgi run` exits 3) when a program that
//    ends computes a wrong result.
//  - Nothing takes a labelled mutex around wgi_spawn or wgi_join unless the
//    program is about exactly that: both call the allocator, whose own
//    wgi_mutex (wgi_heap.lock) would then be ordered after it. The allocator
//    takes no other lock while holding its own, so that edge closes no
//    cycle; it just keeps the reports simpler to read.
#ifndef WGI_DEADLOCK_CORPUS_H
#define WGI_DEADLOCK_CORPUS_H

#include "wgi_threads.h"

#define TEST_EXPORT WGI_EXPORT("test")

#define CHECK(cond)                 \
  do {                              \
    if (!(cond)) __builtin_trap();  \
  } while (0)

// A rendezvous for threads that must all have reached a point (typically:
// each holds its first lock) before any goes on: rendezvous_init(count) in
// the main thread before spawning them, then rendezvous() in each. It makes
// a lock-order deadlock certain instead of likely: after it, every thread of
// the cycle holds its first lock and asks for the next one.
static wgi_barrier corpus_rendezvous;
static inline void rendezvous_init(uint32_t count) { wgi_barrier_init(&corpus_rendezvous, count); }
static inline void rendezvous(void) { wgi_barrier_wait(&corpus_rendezvous); }

#endif  // WGI_DEADLOCK_CORPUS_H
