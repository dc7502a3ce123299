// A minimal wasi-threads runtime for the test programs of this directory,
// without a libc: Debian's wasi-libc predates wasi-threads (no pthreads),
// and a module with a shared memory cannot link its objects (they are not
// built with atomics). So the programs call the ABI themselves:
//   wasi.thread-spawn(start_arg) -> tid (> 0), or < 0 on failure
//   wasi_thread_start(tid, start_arg), exported, runs the new thread
// and print with preview1's fd_write.
//
// Every thread needs its own shadow stack (clang keeps address-taken locals
// in linear memory below the global __stack_pointer): spawn() hands the new
// thread the top of a stack block in its start argument, and
// wasi_thread_start sets __stack_pointer to it before any C code runs that
// might use the stack. wasi-libc's own wasi_thread_start does the same in
// assembly.
#pragma once

#include <stdint.h>

#define WASI_IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

WASI_IMPORT("wasi", "thread-spawn") int32_t wasi_thread_spawn(void* start_arg);
WASI_IMPORT("wasi_snapshot_preview1", "proc_exit") _Noreturn void proc_exit(int32_t status);
WASI_IMPORT("wasi_snapshot_preview1", "fd_write") int32_t fd_write(int32_t fd, const void* iovs, int32_t n, int32_t* written);

struct thread {
  uint8_t* stack_top;     // read by wasi_thread_start before anything else
  void (*fn)(struct thread*);
  int32_t tid;            // from wasi_thread_spawn
  volatile int32_t done;  // set (and notified) when fn returns
  int64_t arg, result;
};

EXPORT("wasi_thread_start") void wasi_thread_start(int32_t tid, struct thread* t) {
  __asm__ volatile(".globaltype __stack_pointer, i32\n\tlocal.get %0\n\tglobal.set __stack_pointer" ::"r"(
      t->stack_top));
  t->tid = tid;
  t->fn(t);
  __atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify((int32_t*)&t->done, 1);
}

#define STACK_SIZE 16384
static uint8_t stacks[8][STACK_SIZE] __attribute__((aligned(16)));
static int next_stack;

// Starts fn(t) on a new thread; exits with status 100 when spawning fails.
static inline void spawn(struct thread* t, void (*fn)(struct thread*)) {
  t->stack_top = stacks[next_stack++] + STACK_SIZE;
  t->fn = fn;
  t->done = 0;
  if (wasi_thread_spawn(t) <= 0) proc_exit(100);
}

// Waits until t's function has returned.
static inline void join(struct thread* t) {
  while (!__atomic_load_n(&t->done, __ATOMIC_SEQ_CST))
    __builtin_wasm_memory_atomic_wait32((int32_t*)&t->done, 0, -1);
}

static inline void print(const char* s) {
  uint32_t n = 0;
  while (s[n]) ++n;
  const uint32_t iov[2] = {(uint32_t)(uintptr_t)s, n};
  int32_t written;
  fd_write(1, iov, 1, &written);
}

static inline void print_num(int64_t v) {
  char buf[24];
  int i = 23;
  buf[i] = 0;
  int neg = v < 0;
  uint64_t u = neg ? -(uint64_t)v : (uint64_t)v;
  do buf[--i] = (char)('0' + u % 10), u /= 10;
  while (u);
  if (neg) buf[--i] = '-';
  print(buf + i);
}
