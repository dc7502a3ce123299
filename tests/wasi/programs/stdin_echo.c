// fd_read on stdin until end of file, echoed to stdout with fd_write;
// a summary on stderr. Reads in chunks of odd sizes through several
// iovecs, and reads again after the end (0 bytes each time). Then stdout
// and stderr through libc, interleaved (each stream is compared on its
// own).
#include <unistd.h>

#include "wasi_test.h"

int main(void) {
  static uint8_t buf[1000];
  unsigned long total = 0, lines = 0, calls = 0, hash = 0;
  for (;;) {
    __wasi_iovec_t iov[2] = {{buf, 333}, {buf + 333, 667}};
    __wasi_size_t n = 0;
    __wasi_errno_t e = __wasi_fd_read(0, iov, 2, &n);
    if (e) {
      fflush(stdout);
      fprintf(stderr, "stdin_echo: fd_read: errno %d %s\n", e, errno_name(e));
      return 1;
    }
    if (n == 0) break;
    calls++;
    for (__wasi_size_t i = 0; i < n; ++i) {
      hash = hash * 31 + buf[i];
      if (buf[i] == '\n') lines++;
    }
    total += n;
    // Echo, perhaps in more than one write.
    size_t done = 0;
    while (done < n) {
      __wasi_ciovec_t c = {buf + done, n - done};
      __wasi_size_t w = 0;
      e = __wasi_fd_write(1, &c, 1, &w);
      if (e) {
        fprintf(stderr, "stdin_echo: fd_write: errno %d %s\n", e, errno_name(e));
        return 1;
      }
      done += w;
    }
  }
  // At the end: more reads give 0 bytes.
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_size_t n = 99;
  __wasi_errno_t e1 = __wasi_fd_read(0, &iov, 1, &n);
  __wasi_size_t n2 = 99;
  __wasi_errno_t e2 = __wasi_fd_read(0, &iov, 1, &n2);
  fprintf(stderr, "stdin_echo: %lu bytes, %lu lines, hash %lu, more than one read %s\n", total, lines, hash,
          calls > 1 ? "yes" : "no");
  fprintf(stderr, "stdin_echo: read after the end: %s %u, again: %s %u\n", errno_name(e1), (unsigned)n,
          errno_name(e2), (unsigned)n2);
  // stdio on both streams.
  printf("\n-- after the echo --\n");
  fflush(stdout);
  for (int i = 0; i < 3; ++i) {
    printf("stdout line %d\n", i);
    fflush(stdout);
    fprintf(stderr, "stderr line %d\n", i);
  }
  // A large write to stderr in one call.
  static char big[20000];
  for (size_t i = 0; i < sizeof big; ++i) big[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
  __wasi_ciovec_t c = {(const uint8_t*)big, sizeof big};
  __wasi_size_t w = 0;
  __wasi_errno_t e = __wasi_fd_write(2, &c, 1, &w);
  fprintf(stderr, "\nstdin_echo: wrote %u bytes to stderr in one fd_write: %s\n", (unsigned)w, errno_name(e));
  // fd_write on stdin (opened for reading): fails; no output.
  __wasi_ciovec_t x = {(const uint8_t*)"x", 1};
  e = __wasi_fd_write(0, &x, 1, &w);
  printf("fd_write on stdin: errno %d %s\n", e, errno_name(e));
  return 0;
}
