// sock_accept, sock_recv, sock_send and sock_shutdown on descriptors that
// are not sockets (a file, the preopened directory) and on one that is
// not open. With no sockets in a preview1 program's world, these are the
// only calls a test can make; what each gives is node's: notcapable
// (the fd lacks the sock_* rights) or badf, and notsup from
// sock_shutdown whatever the fd. The same calls on stdin and stdout crash
// node: they are in sockets_stdio.c.
#include <sys/socket.h>
#include <unistd.h>

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
  __wasi_fd_t file = (__wasi_fd_t)-1;
  say_wasi("path_open data/in.txt",
           open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &file));
  try_fd("a file", file);
  try_fd("the preopen", SANDBOX_FD);
  try_fd("fd 99 (not open)", 99);
  // libc's wrappers.
  char c;
  say_fails("recv() on a file", recv((int)file, &c, 1, 0));
  say_fails("send() on a file", send((int)file, "x", 1, 0));
  say_fails("shutdown() on a file", shutdown((int)file, SHUT_RDWR));
  say_fails("accept() on the preopen", accept(SANDBOX_FD, NULL, NULL));
  // The file is unchanged (the harness compares the trees).
  return 0;
}
