// counter_unprotected: two threads increment one counter with no
// synchronisation (after meeting at the rendezvous, corpus.h). Each
// `counter = counter + 1` is a 4-byte load and a 4-byte store; neither
// thread releases anything after the rendezvous, so their accesses are
// unordered: read-write and write-write races. The main thread reads the
// counter only after joining both (ordered).
//
// expect-race: counter 0 4
#include "corpus.h"

volatile uint32_t counter;

WGI_NOINLINE static void bump(void* unused) {
  (void)unused;
  rendezvous();
  for (int i = 0; i < 1000; ++i) counter = counter + 1;
}

TEST_EXPORT void test(void) {
  rendezvous_init(2);
  uint32_t a = wgi_spawn(bump, NULL);
  uint32_t b = wgi_spawn(bump, NULL);
  wgi_join(a);
  wgi_join(b);
  CHECK(counter >= 1 && counter <= 2000);  // updates may be lost
}
