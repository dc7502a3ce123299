// queue.c: producers and consumers of many small items through one bounded
// queue under a mutex.
//
//   wgi run --race queue.wasm --invoke queue 200000 4
//
// threads / 2 producers (at least one) and the rest as consumers (at least
// one; threads >= 2) share a ring of 32 two-word items guarded by a
// wgi_mutex, with condition variables for "not full" and "not empty". The
// producers put the items 0..n-1 between them (each a contiguous range), as
// (number, tag) pairs; the consumers take them out and fold a hash of each
// into a local sum. When the producers are joined, the main thread puts one
// stop item per consumer; each consumer then adds its sum and count to the
// shared totals under the same mutex. The checksum is the sum of the hashes
// plus the count: whoever put or took which item, it is the same.
#include "wgi_threads.h"

#define SLOTS 32u
#define MAX_THREADS 16u
#define STOP 0xffffffffu

typedef struct {
  uint32_t seq, tag;
} item;

static struct {
  wgi_mutex lock;
  wgi_cond not_full, not_empty;
  item items[SLOTS];
  uint32_t head, count;  // next to take, number queued
  uint32_t total, taken;
} q;

static uint32_t range[MAX_THREADS + 1];  // producer p puts range[p] .. range[p + 1] - 1

static void put(item v) {
  wgi_mutex_lock(&q.lock);
  while (q.count == SLOTS) wgi_cond_wait(&q.not_full, &q.lock);
  q.items[(q.head + q.count) % SLOTS] = v;
  ++q.count;
  wgi_cond_signal(&q.not_empty);
  wgi_mutex_unlock(&q.lock);
}

static item take(void) {
  wgi_mutex_lock(&q.lock);
  while (q.count == 0) wgi_cond_wait(&q.not_empty, &q.lock);
  const item v = q.items[q.head];
  q.head = (q.head + 1) % SLOTS;
  --q.count;
  wgi_cond_signal(&q.not_full);
  wgi_mutex_unlock(&q.lock);
  return v;
}

static uint32_t hash(item v) {
  uint32_t h = v.seq * 0x9e3779b9u ^ v.tag;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

static void producer(void* arg) {
  const uint32_t p = (uint32_t)(uintptr_t)arg;
  for (uint32_t i = range[p]; i < range[p + 1]; ++i) put((item){i, i % 1021u});
}

static void consumer(void* unused) {
  (void)unused;
  uint32_t sum = 0, count = 0;
  for (item v; (v = take()).tag != STOP;) {
    sum += hash(v);
    ++count;
  }
  wgi_mutex_lock(&q.lock);
  q.total += sum;
  q.taken += count;
  wgi_mutex_unlock(&q.lock);
}

WGI_EXPORT("queue") uint32_t queue(uint32_t n, uint32_t threads) {
  if (threads < 2 || threads > MAX_THREADS) wgi_panic(WGI_ETHREAD_FAILED);
  const uint32_t producers = threads / 2, consumers = threads - producers;
  q.head = q.count = q.total = q.taken = 0;
  uint32_t tids[MAX_THREADS];
  for (uint32_t p = 0; p <= producers; ++p) range[p] = (uint32_t)((uint64_t)n * p / producers);
  for (uint32_t p = 0; p < producers; ++p) tids[p] = wgi_spawn(producer, (void*)(uintptr_t)p);
  for (uint32_t c = 0; c < consumers; ++c) tids[producers + c] = wgi_spawn(consumer, NULL);
  for (uint32_t p = 0; p < producers; ++p) wgi_join(tids[p]);
  for (uint32_t c = 0; c < consumers; ++c) put((item){0, STOP});
  for (uint32_t c = 0; c < consumers; ++c) wgi_join(tids[producers + c]);
  return q.total + q.taken;
}
