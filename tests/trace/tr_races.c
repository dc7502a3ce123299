// tr_races.c: the guest side of tests/race/trace_races_test.cc and
// tests/trace/atomic_encoding_test.cc, built with WGI_TRACE_HOOKS=1 and run
// under `wgi run --race --trace`: the online detector and `wgi trace races`
// over the trace of the same run must find the same races.
//
// Each export is a scenario. The racy ones race whatever the threads'
// timing: the racing accesses come right after a barrier both threads pass,
// with no synchronisation between them and the barrier (thread start and
// exit take the allocator's lock, which would order a thread that finished
// early before one that started late). Each racing access is made once, so
// which pairs race does not depend on the order they ran in.
#include "wgi_threads.h"

static wgi_barrier gate;

// Runs a and b on two threads that meet at `gate` first, then joins both.
static void pair(void (*a)(void*), void (*b)(void*)) {
  wgi_barrier_init(&gate, 2);
  const uint32_t ta = wgi_spawn(a, NULL);
  const uint32_t tb = wgi_spawn(b, NULL);
  wgi_join(ta);
  wgi_join(tb);
}

// ---- racy: four racing pairs --------------------------------------------------------

static volatile uint32_t plain_word;   // a write and a read, 4 bytes each
static volatile uint64_t wide;         // an 8-byte write and a 4-byte read of its low half
static uint32_t half_atomic;           // an atomic store and a plain write
static volatile uint32_t after_loads;  // a write before an atomic load, a read after another
static uint32_t loaded;                // only loaded: loads do not synchronise

WGI_NOINLINE static void racer_a(void* unused) {
  (void)unused;
  wgi_barrier_wait(&gate);
  plain_word = 1;
  wide = 0x0102030405060708ull;
  __atomic_store_n(&half_atomic, 1, __ATOMIC_SEQ_CST);
  after_loads = 1;
  (void)__atomic_load_n(&loaded, __ATOMIC_SEQ_CST);
}

WGI_NOINLINE static void racer_b(void* unused) {
  (void)unused;
  wgi_barrier_wait(&gate);
  (void)plain_word;
  (void)*(volatile uint32_t*)&wide;  // RapidBin tools see another variable
  *(volatile uint32_t*)&half_atomic = 2;
  // In the trace both loads are sections of `loaded`'s lock, and a tool
  // that reads them as locks orders the two accesses when racer_a's load
  // came first; wgi's detector does not (nor does the threads proposal).
  (void)__atomic_load_n(&loaded, __ATOMIC_SEQ_CST);
  (void)after_loads;
}

WGI_EXPORT("racy") void racy(void) { pair(racer_a, racer_b); }

// ---- race-free, through atomics alone ---------------------------------------------------

// Message passing: the data is written plainly, then published by an
// atomic store; the reader waits (atomic loads, wait/notify) for it and
// reads the data plainly. Ordered only by the atomics on `ready`.
static volatile uint32_t message[4];
static uint32_t ready;

WGI_NOINLINE static void publisher(void* unused) {
  (void)unused;
  wgi_barrier_wait(&gate);
  for (uint32_t i = 0; i < 4; ++i) message[i] = 10 + i;
  __atomic_store_n(&ready, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&ready, UINT32_MAX);
}

static uint32_t received;

WGI_NOINLINE static void subscriber(void* unused) {
  (void)unused;
  wgi_barrier_wait(&gate);
  wgi_wait_while(&ready, 0);
  uint32_t sum = 0;
  for (uint32_t i = 0; i < 4; ++i) sum += message[i];
  received = sum;  // read by the main thread after the join
}

// A spin lock of compare-and-swap and exchange, without the lock hooks:
// failed exchanges included, the atomics are all that order the counter.
static uint32_t spin;
static volatile uint32_t spin_counter;

WGI_NOINLINE static void spinner(void* arg) {
  const uint32_t n = (uint32_t)(uintptr_t)arg;
  wgi_barrier_wait(&gate);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t expected = 0;
    while (!__atomic_compare_exchange_n(&spin, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
      expected = 0;
    spin_counter = spin_counter + 1;
    __atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
  }
}

static void spin_a(void* unused) { spinner((void*)(uintptr_t)200); (void)unused; }

// The message (returns 46: 10 + 11 + 12 + 13), then two spinners (the
// counter ends at 400); returns the message sum plus the counter.
WGI_EXPORT("race_free") uint32_t race_free(void) {
  __atomic_store_n(&ready, 0, __ATOMIC_SEQ_CST);
  pair(publisher, subscriber);
  spin_counter = 0;
  pair(spin_a, spin_a);
  return received + spin_counter;
}
