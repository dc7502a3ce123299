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
#ifndef WGI_RACE_CORPUS_H
#define WGI_RACE_CORPUS_H

#include "wgi_threads.h"

#define TEST_EXPORT WGI_EXPORT("test")

#define CHECK(cond)                 \
  do {                              \
    if (!(cond)) __builtin_trap();  \
  } while (0)

#endif  // WGI_RACE_CORPUS_H
