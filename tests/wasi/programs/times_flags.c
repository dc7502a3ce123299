// Invalid fstflags for path_filestat_set_times and fd_filestat_set_times:
// a time and "now" for the same timestamp (atim|atim_now,
// mtim|mtim_now) and an unknown bit: inval, nothing changed, and the fds
// work as before afterwards.
//
// Compared with times_flags.expected, not with node: node returns inval
// but leaves the fd's lock held, so the next call on that fd hangs, and
// node aborts at exit destroying the held lock (README: known node
// deviations).
//
// Sets the times of data/empty.txt (the trees compared leave times out).
#include <unistd.h>

#include "wasi_test.h"

#define SEC 1000000000ull
#define T1 (1600000000ull * SEC)
#define T2 (1700000000ull * SEC)

static void say_times(const char* check, const char* path) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(SANDBOX_FD, 0, path, &st);
  if (e) say_wasi(check, e);
  else say(check, "atim %llu, mtim %llu", (unsigned long long)st.atim, (unsigned long long)st.mtim);
}

int main(void) {
  if (chdir(SANDBOX) != 0) return 99;
  say_wasi("path_filestat_set_times data/empty.txt atim T1 mtim T2",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "data/empty.txt", T1, T2,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  say_wasi("path_filestat_set_times atim|atim_now",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "data/empty.txt", T2, 0,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  say_wasi("path_filestat_set_times mtim|mtim_now",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "data/empty.txt", 0, T1,
                                          __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  say_wasi("path_filestat_set_times unknown flag 16",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "data/empty.txt", 0, 0, 16));
  say_times("data/empty.txt times (unchanged)", "data/empty.txt");
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  say_wasi("path_open data/empty.txt", __wasi_path_open(SANDBOX_FD, 0, "data/empty.txt", 0,
                                                  __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_GET,
                                                  0, 0, &fd));
  say_wasi("fd_filestat_set_times atim|atim_now",
           __wasi_fd_filestat_set_times(fd, T2, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  say_wasi("fd_filestat_set_times mtim|mtim_now",
           __wasi_fd_filestat_set_times(fd, 0, T1, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  say_wasi("fd_filestat_set_times unknown flag 32", __wasi_fd_filestat_set_times(fd, 0, 0, 32));
  say_times("data/empty.txt times (still unchanged)", "data/empty.txt");
  // The fd and the preopen still work.
  say_wasi("fd_filestat_set_times atim T2 mtim T1",
           __wasi_fd_filestat_set_times(fd, T2, T1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  say_times("data/empty.txt times (set)", "data/empty.txt");
  say_wasi("fd_close", __wasi_fd_close(fd));
  return 0;
}
