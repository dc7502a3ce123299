// isatty() on stdin, stdout and stderr, and the fdstat that wasi-libc
// decides it from (a character device without fd_seek and fd_tell is a
// terminal). Run with stdin a regular file and with stdin /dev/null, a
// character device that is not a terminal. stdout and stderr are pipes,
// whose type runtimes report differently (node: socket_stream): only
// stdin's type is printed.
#include <stdio.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
  for (int fd = 0; fd < 3; ++fd) {
    __wasi_fdstat_t st;
    const __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
    const int seeks = e == 0 && (st.fs_rights_base & (__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)) != 0;
    printf("fd %d: isatty %d, seek/tell %d", fd, isatty(fd), seeks);
    if (fd == 0) printf(", type %d", e == 0 ? st.fs_filetype : -1);
    printf("\n");
  }
  return 0;
}
