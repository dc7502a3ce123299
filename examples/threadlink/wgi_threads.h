// wgi_threads.h: the guest side of the wasm_threadlink ABI for C programs
// compiled with clang --target=wasm32 and no libc (see wgi_wasm_c.cmake for
// the flags, src/threads/threadlink.h for the ABI as the runtime sees it).
//
// Include it in exactly one C file per program: besides declarations it
// defines the functions the runtime calls (the exports below).
//
//   imports  wasm_threadlink.thread_create / thread_join / panic
//            wasm_threadlink.start_lock / finish_lock / start_unlock /
//                finish_unlock, only when WGI_TRACE_HOOKS is 1
//   exports  thread_start(closure)      runs a thread's closure
//            __wasmgrind_malloc(size, align) -> ptr
//            __wasmgrind_free(ptr, size, align)
//
// What a program gets:
//   wgi_spawn(fn, arg)       start a thread running fn(arg); its id, or
//                            panic with the runtime's errno on failure
//   wgi_join(tid)            wait for it; panic on failure
//   wgi_try_spawn / wgi_try_join   the same, returning the errno instead
//   wgi_mutex                a lock on memory.atomic.wait32/notify, with
//                            the tracing hooks around lock and unlock
//   wgi_cond                 a condition variable to go with it
//   wgi_barrier, wgi_wait_while, wgi_wake, wgi_sleep_ms
//   wgi_malloc / wgi_free    the allocator the runtime also uses
//
// The threading model follows what Rust's std does on this ABI: a thread's
// start routine is a pointer to a heap-allocated closure (function and
// argument), which thread_start takes ownership of; the runtime gives every
// thread after the first its own stack and TLS block, allocated with
// __wasmgrind_malloc, and hands them back with __wasmgrind_free.
//
// Knobs (define before including):
//   WGI_TRACE_HOOKS 1        import and call the four lock-tracing hooks
//   WGI_OMIT_THREAD_START 1  leave out the thread_start export (for tests of
//                            the runtime's error path)
#ifndef WGI_THREADS_H
#define WGI_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WGI_TRACE_HOOKS
#define WGI_TRACE_HOOKS 0
#endif
#ifndef WGI_OMIT_THREAD_START
#define WGI_OMIT_THREAD_START 0
#endif

#define WGI_EXPORT(name) __attribute__((export_name(name)))
#define WGI_IMPORT(name) __attribute__((import_module("wasm_threadlink"), import_name(name)))
#define WGI_NOINLINE __attribute__((noinline))

// ---- the runtime's imports ------------------------------------------------

// The runtime's error codes (threadlink.h, enum Errno).
enum {
  WGI_OK = 0,
  WGI_ETHREAD_NOT_FOUND = 1,
  WGI_EJOIN_FAILED = 2,
  WGI_ETHREAD_FAILED = 3,
  WGI_EOUT_OF_BOUNDS = 4,
};

// Starts a thread that runs thread_start(start_routine); writes its id at
// *tid first. Returns an errno (0 on success).
WGI_IMPORT("thread_create") int32_t wgi_thread_create(uint32_t* tid, uint32_t start_routine);
// Waits until thread tid has finished. Returns an errno (0 on success).
WGI_IMPORT("thread_join") int32_t wgi_thread_join(uint32_t tid);
// Stops the whole program with errno `code`; does not return.
WGI_IMPORT("panic") void wgi_panic_import(int32_t code);

static inline __attribute__((noreturn)) void wgi_panic(int32_t code) {
  wgi_panic_import(code);
  __builtin_unreachable();
}

#if WGI_TRACE_HOOKS
WGI_IMPORT("start_lock") void wgi_hook_start_lock(uint32_t lock);
WGI_IMPORT("finish_lock") void wgi_hook_finish_lock(uint32_t lock);
WGI_IMPORT("start_unlock") void wgi_hook_start_unlock(uint32_t lock);
WGI_IMPORT("finish_unlock") void wgi_hook_finish_unlock(uint32_t lock);
#define WGI_HOOK(name, lock) wgi_hook_##name((uint32_t)(uintptr_t)(lock))
#else
#define WGI_HOOK(name, lock) ((void)(lock))
#endif

// ---- waiting on a word ------------------------------------------------------

// Blocks while *word == value (spurious returns are possible: loop).
// timeout_ns < 0 waits forever. Returns the wait32 result: 0 woken,
// 1 not equal, 2 timed out.
static inline int wgi_wait(uint32_t* word, uint32_t value, int64_t timeout_ns) {
  return __builtin_wasm_memory_atomic_wait32((int32_t*)word, (int32_t)value, timeout_ns);
}
// Wakes up to `count` threads waiting on word (UINT32_MAX: all).
static inline uint32_t wgi_wake(uint32_t* word, uint32_t count) {
  return __builtin_wasm_memory_atomic_notify((int32_t*)word, count);
}
// Blocks until *word != value.
static inline void wgi_wait_while(uint32_t* word, uint32_t value) {
  while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == value) wgi_wait(word, value, -1);
}
// Sleeps about ms milliseconds (a wait on a private word that nobody wakes).
static inline void wgi_sleep_ms(uint32_t ms) {
  uint32_t never = 0;
  wgi_wait(&never, 0, (int64_t)ms * 1000000);
}

// ---- mutex ------------------------------------------------------------------

// A three-state futex lock: 0 unlocked, 1 locked, 2 locked and maybe
// contended. Only a contended unlock pays for a notify. Zero-initialised
// means unlocked. Tracing builds report each lock operation to the runtime
// with the lock's address: start_lock before trying to take it, finish_lock
// once held, start_unlock / finish_unlock around the release.
typedef struct {
  uint32_t state;
} wgi_mutex;
#define WGI_MUTEX_INIT {0}

static inline void wgi_mutex_lock(wgi_mutex* m) {
  WGI_HOOK(start_lock, m);
  uint32_t c = 0;
  if (!__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
    // Contended: mark it so the holder's unlock wakes someone, then sleep
    // until an exchange finds it free (the winner keeps state 2, which may
    // cost one needless notify, never a lost wake-up).
    if (c != 2) c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
      wgi_wait(&m->state, 2, -1);
      c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
    }
  }
  WGI_HOOK(finish_lock, m);
}

static inline void wgi_mutex_unlock(wgi_mutex* m) {
  WGI_HOOK(start_unlock, m);
  if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2) wgi_wake(&m->state, 1);
  WGI_HOOK(finish_unlock, m);
}

// ---- condition variable -----------------------------------------------------------

// A sequence number that every signal bumps: a waiter reads it while holding
// the mutex, unlocks, and sleeps only if no signal has bumped it since, so a
// signal between the unlock and the wait is never lost. Wake-ups may be
// spurious: wait in a loop that rechecks the condition.
typedef struct {
  uint32_t seq;
} wgi_cond;
#define WGI_COND_INIT {0}

static inline void wgi_cond_wait(wgi_cond* c, wgi_mutex* m) {
  const uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
  wgi_mutex_unlock(m);
  wgi_wait(&c->seq, seq, -1);
  wgi_mutex_lock(m);
}
static inline void wgi_cond_signal(wgi_cond* c) {
  __atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&c->seq, 1);
}
static inline void wgi_cond_broadcast(wgi_cond* c) {
  __atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
  wgi_wake(&c->seq, UINT32_MAX);
}

// ---- barrier ----------------------------------------------------------------

// Reusable barrier for `count` threads: the last to arrive starts a new
// generation and wakes the others.
typedef struct {
  uint32_t count;
  uint32_t arrived;
  uint32_t generation;
} wgi_barrier;

static inline void wgi_barrier_init(wgi_barrier* b, uint32_t count) {
  b->count = count;
  __atomic_store_n(&b->arrived, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&b->generation, 0, __ATOMIC_SEQ_CST);
}

static inline void wgi_barrier_wait(wgi_barrier* b) {
  uint32_t gen = __atomic_load_n(&b->generation, __ATOMIC_SEQ_CST);
  if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_SEQ_CST) == b->count) {
    __atomic_store_n(&b->arrived, 0, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&b->generation, 1, __ATOMIC_SEQ_CST);
    wgi_wake(&b->generation, UINT32_MAX);
    return;
  }
  wgi_wait_while(&b->generation, gen);
}

// ---- allocator ----------------------------------------------------------------

// Size classes of powers of two, from 16 bytes up, each with a free list
// threaded through the free blocks' first word; fresh blocks come from a
// bump pointer that starts at __heap_base and grows the memory as needed.
// One lock guards it all (the runtime calls it rarely: a stack and a TLS
// block per thread). Blocks are aligned to max(16, align); a free block is
// reused only if it happens to satisfy the requested alignment.
#define WGI_HEAP_MIN_CLASS 4
#define WGI_HEAP_CLASSES 32

extern unsigned char __heap_base;

static struct {
  wgi_mutex lock;
  uintptr_t top;                     // bump pointer; 0 until first use
  uintptr_t free[WGI_HEAP_CLASSES];  // free-list heads by class
} wgi_heap;

static inline uint32_t wgi_size_class(uint32_t size) {
  if (size <= (1u << WGI_HEAP_MIN_CLASS)) return WGI_HEAP_MIN_CLASS;
  return 32 - (uint32_t)__builtin_clz(size - 1);  // ceil(log2(size))
}

WGI_EXPORT("__wasmgrind_malloc") void* wgi_malloc_aligned(uint32_t size, uint32_t align) {
  if (size > 0x80000000u || (align & (align - 1)) != 0) return NULL;
  if (align < 16) align = 16;
  const uint32_t k = wgi_size_class(size);
  void* result = NULL;
  wgi_mutex_lock(&wgi_heap.lock);
  for (uintptr_t* link = &wgi_heap.free[k]; *link != 0; link = (uintptr_t*)*link) {
    if ((*link & (align - 1)) == 0) {
      result = (void*)*link;
      *link = *(uintptr_t*)*link;
      break;
    }
  }
  if (result == NULL) {
    if (wgi_heap.top == 0) wgi_heap.top = (uintptr_t)&__heap_base;
    const uint64_t p = ((uint64_t)wgi_heap.top + align - 1) & ~(uint64_t)(align - 1);
    const uint64_t end = p + ((uint64_t)1 << k);
    const uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536;
    if (end <= 0x100000000ull &&
        (end <= have || __builtin_wasm_memory_grow(0, (uintptr_t)((end - have + 65535) / 65536)) != (size_t)-1)) {
      wgi_heap.top = (uintptr_t)end;
      result = (void*)(uintptr_t)p;
    }
  }
  wgi_mutex_unlock(&wgi_heap.lock);
  return result;
}

WGI_EXPORT("__wasmgrind_free") void wgi_free_aligned(void* ptr, uint32_t size, uint32_t align) {
  (void)align;
  if (ptr == NULL) return;
  const uint32_t k = wgi_size_class(size);
  wgi_mutex_lock(&wgi_heap.lock);
  *(uintptr_t*)ptr = wgi_heap.free[k];
  wgi_heap.free[k] = (uintptr_t)ptr;
  wgi_mutex_unlock(&wgi_heap.lock);
}

static inline void* wgi_malloc(uint32_t size) { return wgi_malloc_aligned(size, 16); }
static inline void wgi_free(void* ptr, uint32_t size) { wgi_free_aligned(ptr, size, 16); }

// The end of the heap so far (for programs that check the allocator).
static inline uintptr_t wgi_heap_top(void) {
  wgi_mutex_lock(&wgi_heap.lock);
  uintptr_t top = wgi_heap.top ? wgi_heap.top : (uintptr_t)&__heap_base;
  wgi_mutex_unlock(&wgi_heap.lock);
  return top;
}

// ---- threads ------------------------------------------------------------------

// A start routine: what thread_create's second argument points to.
typedef struct {
  void (*fn)(void*);
  void* arg;
} wgi_closure;

#if !WGI_OMIT_THREAD_START
// Called by the runtime as the first function of every new thread.
WGI_EXPORT("thread_start") void wgi_thread_start(uint32_t start_routine) {
  wgi_closure* c = (wgi_closure*)(uintptr_t)start_routine;
  wgi_closure local = *c;
  wgi_free(c, sizeof *c);
  local.fn(local.arg);
}
#endif

// Starts fn(arg) on a new thread and stores its id at *tid. Returns the
// runtime's errno; on failure no thread runs and the closure is freed.
static inline int32_t wgi_try_spawn(void (*fn)(void*), void* arg, uint32_t* tid) {
  wgi_closure* c = (wgi_closure*)wgi_malloc(sizeof *c);
  if (c == NULL) return WGI_ETHREAD_FAILED;
  c->fn = fn;
  c->arg = arg;
  int32_t err = wgi_thread_create(tid, (uint32_t)(uintptr_t)c);
  if (err != WGI_OK) wgi_free(c, sizeof *c);
  return err;
}

static inline uint32_t wgi_spawn(void (*fn)(void*), void* arg) {
  uint32_t tid = 0;
  int32_t err = wgi_try_spawn(fn, arg, &tid);
  if (err != WGI_OK) wgi_panic(err);
  return tid;
}

static inline int32_t wgi_try_join(uint32_t tid) { return wgi_thread_join(tid); }

static inline void wgi_join(uint32_t tid) {
  int32_t err = wgi_thread_join(tid);
  if (err != WGI_OK) wgi_panic(err);
}

#endif  // WGI_THREADS_H
