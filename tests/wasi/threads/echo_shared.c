// Copies stdin to stdout through fd_read and fd_write on a shared memory
// (the host copies through its bounce buffer, at most 1 MiB a call), with
// odd-sized buffers so that reads and writes are split across them and
// come back short.
#include "wasi_threads.h"

WASI_IMPORT("wasi_snapshot_preview1", "fd_read") int32_t fd_read(int32_t fd, const void* iovs, int32_t n, int32_t* got);

static uint8_t a[3], b[5], c[3 << 20];

static void write_all(const uint8_t* p, uint32_t n) {
  while (n > 0) {
    const uint32_t iov[2] = {(uint32_t)(uintptr_t)p, n};
    int32_t written = 0;
    if (fd_write(1, iov, 1, &written) != 0 || written <= 0) proc_exit(2);
    p += written;
    n -= (uint32_t)written;
  }
}

EXPORT("_start") void _start(void) {
  const uint32_t iovs[6] = {(uint32_t)(uintptr_t)a, sizeof a, (uint32_t)(uintptr_t)b, sizeof b,
                            (uint32_t)(uintptr_t)c, sizeof c};
  for (;;) {
    int32_t got = 0;
    if (fd_read(0, iovs, 3, &got) != 0) proc_exit(1);
    if (got == 0) break;
    uint32_t left = (uint32_t)got, n;
    n = left < sizeof a ? left : sizeof a;
    write_all(a, n);
    left -= n;
    n = left < sizeof b ? left : sizeof b;
    write_all(b, n);
    left -= n;
    write_all(c, left);
  }
}
