// pipeline.c: one producer, several consumers, a bounded queue between them.
//
//   wgi run pipeline.wasm --invoke pipeline 100000 3     prints 5000050000
//
// The main thread produces the numbers 1..n into a ring buffer of 64 slots;
// `consumers` threads take them out and add them up. The queue is guarded
// by a wgi_mutex, with two condition variables (not full, not empty); a 0
// tells a consumer to stop. The result is the sum 1 + ... + n, whoever took
// which number. Each consumer's partial sum lives in its own heap block,
// handed to it through the closure's argument.
#include "wgi_threads.h"

#define SLOTS 64u
#define MAX_CONSUMERS 16u

static struct {
  wgi_mutex lock;
  wgi_cond not_full, not_empty;
  uint32_t items[SLOTS];
  uint32_t head, count;  // next to take, number queued
} q;

static void put(uint32_t v) {
  wgi_mutex_lock(&q.lock);
  while (q.count == SLOTS) wgi_cond_wait(&q.not_full, &q.lock);
  q.items[(q.head + q.count) % SLOTS] = v;
  ++q.count;
  wgi_cond_signal(&q.not_empty);
  wgi_mutex_unlock(&q.lock);
}

static uint32_t take(void) {
  wgi_mutex_lock(&q.lock);
  while (q.count == 0) wgi_cond_wait(&q.not_empty, &q.lock);
  const uint32_t v = q.items[q.head];
  q.head = (q.head + 1) % SLOTS;
  --q.count;
  wgi_cond_signal(&q.not_full);
  wgi_mutex_unlock(&q.lock);
  return v;
}

static void consumer(void* arg) {
  uint64_t* sum = arg;
  for (uint32_t v; (v = take()) != 0;) *sum += v;
}

WGI_EXPORT("pipeline") uint64_t pipeline(uint32_t n, uint32_t consumers) {
  if (consumers < 1 || consumers > MAX_CONSUMERS) wgi_panic(WGI_ETHREAD_FAILED);
  uint32_t tids[MAX_CONSUMERS];
  uint64_t* sums[MAX_CONSUMERS];
  for (uint32_t i = 0; i < consumers; ++i) {
    sums[i] = wgi_malloc(sizeof(uint64_t));
    *sums[i] = 0;
    tids[i] = wgi_spawn(consumer, sums[i]);
  }
  for (uint32_t v = 1; v <= n; ++v) put(v);
  for (uint32_t i = 0; i < consumers; ++i) put(0);
  uint64_t total = 0;
  for (uint32_t i = 0; i < consumers; ++i) {
    wgi_join(tids[i]);
    total += *sums[i];
    wgi_free(sums[i], sizeof(uint64_t));
  }
  return total;
}
