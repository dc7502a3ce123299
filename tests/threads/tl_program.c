// tl_program.c: the guest side of tests/threads/threadlink_test.cc.
//
// Every export is one scenario; the test calls it through
// threads::Runtime::run and checks the outcome (results, exit code, report).
// CMake builds this file in several variants (clang's layout, --stack-first,
// no name section, tracing hooks), and the functional scenarios run on each.
//
// Conventions: a scenario returns 0 or a count when all is well; a check
// that fails inside the program returns a distinct negative number (or
// panics with a distinctive errno), so a failure names the broken check.
#include "wgi_threads.h"

#define MAX_THREADS 128u

// ---- small helpers --------------------------------------------------------------

// A word that nobody ever notifies or changes: waiting on it blocks forever.
static uint32_t never_word;
static void block_forever(void) {
  for (;;) wgi_wait(&never_word, 0, -1);
}
static void block_forever_fn(void* unused) {
  (void)unused;
  block_forever();
}

static uint32_t load(uint32_t* p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static void store(uint32_t* p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static uint32_t inc(uint32_t* p) { return __atomic_add_fetch(p, 1, __ATOMIC_SEQ_CST); }

// Threads started so far (every closure below bumps it first).
static uint32_t started;

// ---- counters -------------------------------------------------------------------

static uint32_t atomic_total;
static uint32_t atomic_iters;

static void atomic_worker(void* unused) {
  (void)unused;
  inc(&started);
  for (uint32_t i = 0; i < atomic_iters; ++i) __atomic_fetch_add(&atomic_total, 1, __ATOMIC_RELAXED);
}

// nthreads threads each add 1, iters times, with an atomic RMW.
WGI_EXPORT("atomic_counter") uint32_t atomic_counter(uint32_t nthreads, uint32_t iters) {
  if (nthreads > MAX_THREADS) return (uint32_t)-1;
  store(&atomic_total, 0);
  atomic_iters = iters;
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < nthreads; ++i) tids[i] = wgi_spawn(atomic_worker, NULL);
  for (uint32_t i = 0; i < nthreads; ++i) wgi_join(tids[i]);
  return load(&atomic_total);
}

// A 64-bit counter and a checksum updated with plain loads and stores under
// a mutex: a lock that let two threads in would lose updates.
static wgi_mutex counter_lock;
static uint64_t locked_count;
static uint64_t locked_sum;
static uint32_t locked_iters;

static void mutex_worker(void* arg) {
  const uint64_t k = (uint64_t)(uintptr_t)arg;
  inc(&started);
  for (uint32_t i = 0; i < locked_iters; ++i) {
    wgi_mutex_lock(&counter_lock);
    locked_count = locked_count + 1;
    locked_sum = locked_sum + k;
    wgi_mutex_unlock(&counter_lock);
  }
}

// Returns the count; the checksum is checked here (-1 when wrong).
WGI_EXPORT("mutex_counter") int64_t mutex_counter(uint32_t nthreads, uint32_t iters) {
  if (nthreads > MAX_THREADS) return -2;
  locked_count = 0;
  locked_sum = 0;
  locked_iters = iters;
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < nthreads; ++i) tids[i] = wgi_spawn(mutex_worker, (void*)(uintptr_t)(i + 1));
  for (uint32_t i = 0; i < nthreads; ++i) wgi_join(tids[i]);
  const uint64_t want_sum = (uint64_t)iters * nthreads * (nthreads + 1) / 2;
  if (locked_sum != want_sum) return -1;
  return (int64_t)locked_count;
}

// ---- a hierarchy of threads -------------------------------------------------------

// Each node spawns `fanout` children until `depth` is reached; the leaves
// meet at a barrier, so every thread of the tree is alive at once. Each node
// records the id its creator got for it; ids must be distinct and non-zero.
static uint32_t tree_fanout;
static uint32_t tree_ids[1024];
static uint32_t tree_nids;
static wgi_barrier tree_leaves;

typedef struct {
  uint32_t depth;
  uint32_t nodes;  // out: nodes in this subtree (this one included)
} tree_node;

static void tree_fn(void* arg) {
  tree_node* n = arg;
  inc(&started);
  n->nodes = 1;
  if (n->depth == 0) {
    wgi_barrier_wait(&tree_leaves);
    return;
  }
  tree_node kids[8];
  uint32_t tids[8];
  for (uint32_t i = 0; i < tree_fanout; ++i) {
    kids[i].depth = n->depth - 1;
    kids[i].nodes = 0;
    tids[i] = wgi_spawn(tree_fn, &kids[i]);
    tree_ids[__atomic_fetch_add(&tree_nids, 1, __ATOMIC_SEQ_CST)] = tids[i];
  }
  for (uint32_t i = 0; i < tree_fanout; ++i) {
    wgi_join(tids[i]);
    n->nodes += kids[i].nodes;
  }
}

// Threads created (the main thread is the root and not counted), or a
// negative number naming the failed check.
WGI_EXPORT("tree") int32_t tree(uint32_t depth, uint32_t fanout) {
  if (fanout < 1 || fanout > 8) return -1;
  uint32_t leaves = 1, nodes = 1;
  for (uint32_t i = 0; i < depth; ++i) {
    leaves *= fanout;
    nodes += leaves;
    if (nodes > 1024) return -5;
  }
  tree_fanout = fanout;
  store(&tree_nids, 0);
  wgi_barrier_init(&tree_leaves, leaves);
  tree_node root = {depth, 0};
  if (depth == 0) return 0;
  tree_fn(&root);
  const uint32_t n = load(&tree_nids);
  if (n != root.nodes - 1) return -2;
  for (uint32_t i = 0; i < n; ++i) {
    if (tree_ids[i] == 0) return -3;
    for (uint32_t j = 0; j < i; ++j)
      if (tree_ids[i] == tree_ids[j]) return -4;
  }
  return (int32_t)n;
}

// ---- detached threads ---------------------------------------------------------------

static uint32_t detached_done;

static void detached_fn(void* unused) {
  (void)unused;
  inc(&started);
  inc(&detached_done);
  wgi_wake(&detached_done, UINT32_MAX);
}

// Starts n threads and never joins them; waits until all have run.
WGI_EXPORT("detached") uint32_t detached(uint32_t n) {
  store(&detached_done, 0);
  for (uint32_t i = 0; i < n; ++i) wgi_spawn(detached_fn, NULL);
  for (uint32_t d; (d = load(&detached_done)) != n;) wgi_wait(&detached_done, d, -1);
  return n;
}

static uint32_t spinning;
static void spin_fn(void* unused) {
  (void)unused;
  inc(&spinning);
  wgi_wake(&spinning, UINT32_MAX);
  volatile uint32_t x = 0;
  for (;;) x = x + 1;
}

// Leaves `blocked` threads blocked in wait32 and `spinners` spinning in a
// loop, and returns 7: the runtime must end them and report the result.
WGI_EXPORT("leave_running") uint32_t leave_running(uint32_t blocked, uint32_t spinners) {
  for (uint32_t i = 0; i < blocked; ++i) wgi_spawn(block_forever_fn, NULL);
  for (uint32_t i = 0; i < spinners; ++i) wgi_spawn(spin_fn, NULL);
  for (uint32_t s; (s = load(&spinning)) != spinners;) wgi_wait(&spinning, s, -1);
  return 7;
}

// ---- thread-locals --------------------------------------------------------------------

static _Thread_local uint32_t tls_init = 42;      // .tdata
static _Thread_local uint32_t tls_zero;           // .tbss
static _Thread_local uint8_t tls_buf[64];         // .tbss
static _Thread_local uint64_t tls_wide = 0x1122334455667788ull;
static uint32_t tls_failures;
static uintptr_t tls_addrs[MAX_THREADS + 1];
static wgi_barrier tls_barrier;

// Checks this thread's fresh thread-locals, makes them its own, waits for
// every other thread to do the same, and checks nobody overwrote them.
static void tls_body(uint32_t k) {
  if (tls_init != 42 || tls_zero != 0 || tls_wide != 0x1122334455667788ull) inc(&tls_failures);
  for (int i = 0; i < 64; ++i)
    if (tls_buf[i] != 0) inc(&tls_failures);
  tls_addrs[k] = (uintptr_t)&tls_init;
  tls_init = 1000 + k;
  tls_zero = k;
  tls_wide = k * 0x100000001ull;
  for (int i = 0; i < 64; ++i) tls_buf[i] = (uint8_t)(k + i);
  wgi_barrier_wait(&tls_barrier);
  if (tls_init != 1000 + k || tls_zero != k || tls_wide != k * 0x100000001ull) inc(&tls_failures);
  for (int i = 0; i < 64; ++i)
    if (tls_buf[i] != (uint8_t)(k + i)) inc(&tls_failures);
  wgi_barrier_wait(&tls_barrier);
}

static void tls_fn(void* arg) {
  inc(&started);
  tls_body((uint32_t)(uintptr_t)arg);
}

// n threads and the main thread check their thread-locals; returns the
// number of failed checks (0), or -1 if two threads shared a TLS block.
// Call it once per run: the main thread's values change.
WGI_EXPORT("tls_check") int32_t tls_check(uint32_t n) {
  if (n > MAX_THREADS) return -2;
  store(&tls_failures, 0);
  wgi_barrier_init(&tls_barrier, n + 1);
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < n; ++i) tids[i] = wgi_spawn(tls_fn, (void*)(uintptr_t)(i + 1));
  tls_body(0);
  for (uint32_t i = 0; i < n; ++i) wgi_join(tids[i]);
  for (uint32_t i = 0; i <= n; ++i)
    for (uint32_t j = 0; j < i; ++j)
      if (tls_addrs[i] == tls_addrs[j]) return -1;
  return (int32_t)load(&tls_failures);
}

// ---- stacks --------------------------------------------------------------------------

static uint32_t stack_failures;
static wgi_barrier stack_barrier;

// Keeps its address-taken locals on the shadow stack (the pointer escapes
// into the opaque call), so every level owns a stack frame in linear memory.
WGI_NOINLINE static void fill(volatile uint32_t* buf, uint32_t n, uint32_t v) {
  for (uint32_t i = 0; i < n; ++i) buf[i] = v + i;
}
WGI_NOINLINE static uint32_t check(volatile uint32_t* buf, uint32_t n, uint32_t v) {
  uint32_t bad = 0;
  for (uint32_t i = 0; i < n; ++i) bad += buf[i] != v + i;
  return bad;
}

// Recurses `depth` levels, each with a 16-word local array filled with a
// pattern unique to (thread, level); at the bottom all threads meet, so
// every thread's deepest frames are live together; unwinding checks each
// level's array.
WGI_NOINLINE static uint32_t recurse(uint32_t k, uint32_t depth) {
  volatile uint32_t buf[16];
  const uint32_t v = k * 0x10000u + depth * 64u;
  fill(buf, 16, v);
  uint32_t bad = 0;
  if (depth == 0) {
    wgi_barrier_wait(&stack_barrier);
  } else {
    bad += recurse(k, depth - 1);
  }
  return bad + check(buf, 16, v);
}

static uint32_t stack_depth;
static void stack_fn(void* arg) {
  inc(&started);
  __atomic_add_fetch(&stack_failures, recurse((uint32_t)(uintptr_t)arg, stack_depth), __ATOMIC_SEQ_CST);
}

// n threads and the main thread recurse `depth` levels; returns the number
// of corrupted words (0).
WGI_EXPORT("stack_check") int32_t stack_check(uint32_t n, uint32_t depth) {
  if (n > MAX_THREADS) return -2;
  store(&stack_failures, 0);
  stack_depth = depth;
  wgi_barrier_init(&stack_barrier, n + 1);
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < n; ++i) tids[i] = wgi_spawn(stack_fn, (void*)(uintptr_t)(i + 1));
  const uint32_t bad = recurse(0, depth);
  for (uint32_t i = 0; i < n; ++i) wgi_join(tids[i]);
  return (int32_t)(load(&stack_failures) + bad);
}

// ---- joins ----------------------------------------------------------------------------

static void nop_fn(void* unused) {
  (void)unused;
  inc(&started);
}

// The errno of joining thread id `tid` (never created, or the main thread).
WGI_EXPORT("join_id") int32_t join_id(uint32_t tid) { return wgi_try_join(tid); }

// Joins one thread twice: returns first * 16 + second errno (0 then 1).
WGI_EXPORT("join_twice") int32_t join_twice(void) {
  uint32_t tid = wgi_spawn(nop_fn, NULL);
  int32_t first = wgi_try_join(tid);
  int32_t second = wgi_try_join(tid);
  return first * 16 + second;
}

static uint32_t self_tid;
static uint32_t self_join_done;
static int32_t self_join_result;
static void join_self_fn(void* unused) {
  (void)unused;
  inc(&started);
  uint32_t me;
  while ((me = load(&self_tid)) == 0) wgi_wait(&self_tid, 0, -1);
  self_join_result = wgi_try_join(me);
  store(&self_join_done, 1);
  wgi_wake(&self_join_done, UINT32_MAX);
}

// A thread joins itself: its errno. (The main thread joins it only
// afterwards: a join claims the thread, and the self-join would then find
// it already claimed.)
WGI_EXPORT("join_self") int32_t join_self(void) {
  uint32_t tid = wgi_spawn(join_self_fn, NULL);
  store(&self_tid, tid);
  wgi_wake(&self_tid, UINT32_MAX);
  wgi_wait_while(&self_join_done, 0);
  wgi_join(tid);
  return self_join_result;
}

// ---- stopping the program ---------------------------------------------------------------

static uint32_t blocked_count;
static void announce_and_block(void* unused) {
  (void)unused;
  inc(&started);
  inc(&blocked_count);
  wgi_wake(&blocked_count, UINT32_MAX);
  block_forever();
}
// Waits until n threads have announced they are about to block, then gives
// them a moment to get there.
static void await_blocked(uint32_t n) {
  for (uint32_t b; (b = load(&blocked_count)) < n;) wgi_wait(&blocked_count, b, -1);
  wgi_sleep_ms(30);
}

// Two threads block in wait32 forever; then the main thread panics.
WGI_EXPORT("panic_main") void panic_main(int32_t code) {
  wgi_spawn(announce_and_block, NULL);
  wgi_spawn(announce_and_block, NULL);
  await_blocked(2);
  wgi_panic(code);
}

static int32_t panic_code;
static void panic_after_others_block(void* arg) {
  inc(&started);
  await_blocked((uint32_t)(uintptr_t)arg);
  wgi_panic(panic_code);
}

// Thread 1 blocks in wait32 forever; thread 2 panics once it and the main
// thread are blocked: the main thread in wait32 (how 0) or in
// thread_join(1) (how 1).
WGI_EXPORT("panic_child") void panic_child(uint32_t how, int32_t code) {
  panic_code = code;
  uint32_t blocker = wgi_spawn(announce_and_block, NULL);
  wgi_spawn(panic_after_others_block, (void*)(uintptr_t)1);
  if (how == 0) {
    block_forever();
  } else {
    wgi_join(blocker);
  }
}

// A function of its own so the trap's backtrace can name it.
WGI_NOINLINE void tl_crash(uint32_t how) {
  if (how == 0) __builtin_trap();
  // Both operands volatile: with a constant numerator the compiler may
  // replace the division (1 / x becomes x == 1).
  volatile uint32_t num = 7, zero = 0;
  volatile uint32_t q = num / zero;
  (void)q;
}

static uint32_t blocker_tid;
static void join_blocker(void* unused) {
  (void)unused;
  inc(&started);
  inc(&blocked_count);
  wgi_wake(&blocked_count, UINT32_MAX);
  wgi_join(blocker_tid);
}
static void crash_after_others_block(void* arg) {
  inc(&started);
  await_blocked(2);
  tl_crash((uint32_t)(uintptr_t)arg);
}

// Thread 1 blocks in wait32, thread 2 in thread_join(1), and the main
// thread in thread_join(3); thread 3 traps (how 0: unreachable, 1: integer
// divide by zero).
WGI_EXPORT("trap_child") void trap_child(uint32_t how) {
  blocker_tid = wgi_spawn(announce_and_block, NULL);
  wgi_spawn(join_blocker, NULL);
  uint32_t crasher = wgi_spawn(crash_after_others_block, (void*)(uintptr_t)how);
  wgi_join(crasher);
}

// The main thread traps while a thread is blocked.
WGI_EXPORT("trap_main") void trap_main(void) {
  wgi_spawn(announce_and_block, NULL);
  await_blocked(1);
  tl_crash(0);
}

// Another signature than a start routine's (void*) -> void.
WGI_NOINLINE static int64_t other_type(int64_t x) { return x + 1; }

// A thread whose start routine is not a valid function: `how` 0: the
// closure's function pointer is not in the table (call_indirect "undefined
// element"); 1: it names a function of another type ("indirect call type
// mismatch"); 2: the start routine points outside the memory (thread_start
// reads it: "out of bounds memory access"). The main thread joins it.
WGI_EXPORT("bad_start_routine") int32_t bad_start_routine(uint32_t how) {
  uint32_t routine;
  if (how == 2) {
    routine = 0xFFFFFFF0u;
  } else {
    wgi_closure* c = wgi_malloc(sizeof *c);
    c->fn = how == 0 ? (void (*)(void*))(uintptr_t)0x7FFFu : (void (*)(void*))(uintptr_t)&other_type;
    c->arg = NULL;
    routine = (uint32_t)(uintptr_t)c;
  }
  uint32_t tid;
  int32_t err = wgi_thread_create(&tid, routine);
  if (err != WGI_OK) return err;
  return wgi_try_join(tid);
}

// ---- limits and arguments ----------------------------------------------------------------

static uint32_t gate;
static void wait_gate(void* unused) {
  (void)unused;
  inc(&started);
  wgi_wait_while(&gate, 0);
}

// Creates threads (which wait at a gate) until thread_create fails or n
// exist; returns created * 16 + the failing errno. Then opens the gate,
// joins them all and checks that one more thread can be created (else -1):
// the limit counts threads that are running, not threads ever created.
WGI_EXPORT("create_until_limit") int32_t create_until_limit(uint32_t n) {
  if (n > MAX_THREADS) return -2;
  store(&gate, 0);
  uint32_t tids[MAX_THREADS];
  uint32_t created = 0;
  int32_t err = 0;
  while (created < n && (err = wgi_try_spawn(wait_gate, NULL, &tids[created])) == WGI_OK) ++created;
  store(&gate, 1);
  wgi_wake(&gate, UINT32_MAX);
  for (uint32_t i = 0; i < created; ++i) wgi_join(tids[i]);
  uint32_t again;
  if (wgi_try_spawn(nop_fn, NULL, &again) != WGI_OK) return -1;
  wgi_join(again);
  return (int32_t)(created * 16 + (uint32_t)err);
}

// thread_create with tid_ptr `ptr`: returns its errno.
static int32_t create_at(uint32_t ptr) {
  wgi_closure* c = wgi_malloc(sizeof *c);
  c->fn = nop_fn;
  c->arg = NULL;
  int32_t err = wgi_thread_create((uint32_t*)(uintptr_t)ptr, (uint32_t)(uintptr_t)c);
  if (err != WGI_OK) wgi_free(c, sizeof *c);
  return err;
}

// Creates and joins a thread; returns its id.
static uint32_t spawn_join(void) {
  uint32_t tid = wgi_spawn(nop_fn, NULL);
  wgi_join(tid);
  return tid;
}

// thread_create with tid_ptr out of bounds: at the memory's end, straddling
// it, and near 4 GiB. Returns the three errnos as decimal digits, then the
// difference of the ids of the threads created before and after (1: the
// failed calls used no id), then how many threads ran (2): 44412.
WGI_EXPORT("create_out_of_bounds") uint32_t create_out_of_bounds(void) {
  const uint32_t before = spawn_join();  // may grow the memory: size after it
  const uint32_t size = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
  const int32_t e1 = create_at(size);
  const int32_t e2 = create_at(size - 2);
  const int32_t e3 = create_at(0xFFFFFFFCu);
  const uint32_t after = spawn_join();
  return (uint32_t)(e1 * 10000 + e2 * 1000 + e3 * 100) + (after - before) * 10 + load(&started);
}


// Creates and joins n threads one after the other; returns the growth of the
// heap in bytes. Stacks and TLS blocks given back are reused, so it stays
// at a few stacks' worth however large n is.
WGI_EXPORT("churn") uint32_t churn(uint32_t n) {
  const uint32_t before = (uint32_t)wgi_heap_top();
  for (uint32_t i = 0; i < n; ++i) wgi_join(wgi_spawn(nop_fn, NULL));
  return (uint32_t)wgi_heap_top() - before;
}

// The allocator on its own, from several threads at once: each thread
// allocates blocks of many sizes, fills them with its own pattern, checks
// and frees them. Returns the number of corrupted bytes (0).
static uint32_t alloc_failures;
static void alloc_fn(void* arg) {
  const uint32_t k = (uint32_t)(uintptr_t)arg;
  inc(&started);
  for (uint32_t round = 0; round < 50; ++round) {
    uint8_t* blocks[12];
    for (uint32_t s = 0; s < 12; ++s) {
      const uint32_t size = 1u + (13u * s * s + round) % 3000u;
      blocks[s] = wgi_malloc_aligned(size, 1u << (s % 7));
      if (blocks[s] == NULL || ((uintptr_t)blocks[s] & ((1u << (s % 7)) - 1)) != 0) {
        inc(&alloc_failures);
        return;
      }
      for (uint32_t i = 0; i < size; ++i) blocks[s][i] = (uint8_t)(k + s + i);
    }
    for (uint32_t s = 0; s < 12; ++s) {
      const uint32_t size = 1u + (13u * s * s + round) % 3000u;
      for (uint32_t i = 0; i < size; ++i)
        if (blocks[s][i] != (uint8_t)(k + s + i)) inc(&alloc_failures);
      wgi_free_aligned(blocks[s], size, 1u << (s % 7));
    }
  }
}
WGI_EXPORT("alloc_stress") int32_t alloc_stress(uint32_t n) {
  if (n > MAX_THREADS) return -2;
  store(&alloc_failures, 0);
  uint32_t tids[MAX_THREADS];
  for (uint32_t i = 0; i < n; ++i) tids[i] = wgi_spawn(alloc_fn, (void*)(uintptr_t)(i + 1));
  for (uint32_t i = 0; i < n; ++i) wgi_join(tids[i]);
  return (int32_t)load(&alloc_failures);
}
