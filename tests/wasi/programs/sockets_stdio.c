// sock_accept, sock_recv, sock_send and sock_shutdown on stdin (a file
// under the harness) and stdout (a pipe), raw and through libc.
//
// Compared with sockets_stdio.expected, not with node: node 20 crashes
// (SIGSEGV) on sock_accept, sock_recv and sock_send with a stdio fd (its
// stdio fds carry every right, and uvwasi then treats them as libuv
// streams). The expected errnos are POSIX's for a descriptor that is not
// a socket (notsock), except sock_shutdown, which gives notsup as node
// gives it for every fd (sockets.c).
#include <sys/socket.h>

#include "wasi_test.h"

static void try_fd(const char* name, __wasi_fd_t fd) {
  char check[96];
  __wasi_fd_t conn = (__wasi_fd_t)-1;
  snprintf(check, sizeof check, "sock_accept %s", name);
  say_wasi(check, __wasi_sock_accept(fd, 0, &conn));

  uint8_t buf[16];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_size_t n = 0;
  __wasi_roflags_t roflags = 0;
  snprintf(check, sizeof check, "sock_recv %s", name);
  say_wasi(check, __wasi_sock_recv(fd, &iov, 1, 0, &n, &roflags));

  __wasi_ciovec_t ciov = {(const uint8_t*)"sock\n", 5};
  snprintf(check, sizeof check, "sock_send %s", name);
  say_wasi(check, __wasi_sock_send(fd, &ciov, 1, 0, &n));

  snprintf(check, sizeof check, "sock_shutdown %s", name);
  say_wasi(check, __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR));
}

int main(void) {
  try_fd("stdin", 0);
  try_fd("stdout", 1);
  char c;
  say_fails("recv() on stdin", recv(0, &c, 1, 0));
  say_fails("send() on stdout", send(1, "x", 1, 0));
  say_fails("shutdown() on stdout", shutdown(1, SHUT_RDWR));
  return 0;
}
