// File metadata: fd_filestat_get, path_filestat_get (symlinks followed or
// not), fd_filestat_set_times and path_filestat_set_times (given times,
// "now", one of the two left alone), fd_filestat_set_size,
// and libc's stat/fstat/lstat/utimensat/futimens/truncate over them.
// Timestamps are printed only when the program set them; times it did
// not set are checked for properties (within a minute of the clock).
// Invalid fstflags are in times_flags.c (node cannot run them).
//
// Reads data/in.txt, data/empty.txt, data/sub, link_in; writes st/*.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_test.h"

#define SEC 1000000000ull
#define T1 (1600000000ull * SEC)          // 2020-09-13T12:26:40Z
#define T2 (1700000000ull * SEC)          // 2023-11-14T22:13:20Z
#define T3 (1650000000ull * SEC + 123456789ull)  // with nanoseconds

static void say_stat(const char* check, __wasi_errno_t e, const __wasi_filestat_t* st) {
  if (e) {
    say_wasi(check, e);
    return;
  }
  if (st->filetype == __WASI_FILETYPE_DIRECTORY)  // sizes and link counts of directories vary by file system
    say(check, "%s, ino nonzero %s", filetype_name(st->filetype), st->ino ? "yes" : "no");
  else
    say(check, "%s, size %llu, nlink %llu, ino nonzero %s", filetype_name(st->filetype), (unsigned long long)st->size,
        (unsigned long long)st->nlink, st->ino ? "yes" : "no");
}

static void say_times(const char* check, const char* path, __wasi_lookupflags_t flags) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get(SANDBOX_FD, flags, path, &st);
  if (e) say_wasi(check, e);
  else say(check, "atim %llu, mtim %llu", (unsigned long long)st.atim, (unsigned long long)st.mtim);
}

static __wasi_timestamp_t now(void) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t) != 0) return 0;
  return t;
}

static const char* near_now(__wasi_timestamp_t t) {
  __wasi_timestamp_t n = now();
  return (t + 60 * SEC > n && t < n + 60 * SEC) ? "yes" : "no";
}

static void make_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

int main(void) {
  if (chdir(SANDBOX) != 0) return 99;
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);

  // ---- the fixture's files ----
  say_stat("path_filestat_get data/in.txt", __wasi_path_filestat_get(SANDBOX_FD, 0, "data/in.txt", &st), &st);
  say("path_filestat_get data/in.txt times near now", "atim %s, mtim %s, ctim %s", near_now(st.atim), near_now(st.mtim),
      near_now(st.ctim));
  say_stat("path_filestat_get data/empty.txt", __wasi_path_filestat_get(SANDBOX_FD, 0, "data/empty.txt", &st), &st);
  say_stat("path_filestat_get data/sub", __wasi_path_filestat_get(SANDBOX_FD, 0, "data/sub", &st), &st);
  say_stat("path_filestat_get . (the preopen)", __wasi_path_filestat_get(SANDBOX_FD, 0, ".", &st), &st);
  say_stat("path_filestat_get link_in nofollow", __wasi_path_filestat_get(SANDBOX_FD, 0, "link_in", &st), &st);
  say_stat("path_filestat_get link_in follow",
           __wasi_path_filestat_get(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_in", &st), &st);
  say_stat("path_filestat_get data/missing", __wasi_path_filestat_get(SANDBOX_FD, 0, "data/missing", &st), &st);
  say_stat("path_filestat_get data/in.txt/x (through a file)",
           __wasi_path_filestat_get(SANDBOX_FD, 0, "data/in.txt/x", &st), &st);
  say_stat("path_filestat_get empty path", __wasi_path_filestat_get(SANDBOX_FD, 0, "", &st), &st);
  say_stat("fd_filestat_get the preopen", __wasi_fd_filestat_get(SANDBOX_FD, &st), &st);
  say_stat("fd_filestat_get fd 99", __wasi_fd_filestat_get(99, &st), &st);
  {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    __wasi_filestat_t a, b;
    say_wasi("path_open data/in.txt",
             open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0, &fd));
    say_stat("fd_filestat_get data/in.txt", __wasi_fd_filestat_get(fd, &a), &a);
    __wasi_errno_t e = __wasi_path_filestat_get(SANDBOX_FD, 0, "data/in.txt", &b);
    say("fd and path filestat agree (dev, ino, size, mtim)", "%s",
        !e && a.dev == b.dev && a.ino == b.ino && a.size == b.size && a.mtim == b.mtim ? "yes" : "no");
    (void)__wasi_fd_close(fd);
  }
  // libc.
  {
    struct stat sb;
    say_libc("stat data/in.txt", stat("data/in.txt", &sb));
    say("stat data/in.txt", "regular %s, size %lld, nlink %lld", S_ISREG(sb.st_mode) ? "yes" : "no", (long long)sb.st_size,
        (long long)sb.st_nlink);
    say_libc("lstat link_in", lstat("link_in", &sb));
    say("lstat link_in", "symlink %s, size %lld", S_ISLNK(sb.st_mode) ? "yes" : "no", (long long)sb.st_size);
    say_libc("stat link_in", stat("link_in", &sb));
    say("stat link_in", "regular %s, size %lld", S_ISREG(sb.st_mode) ? "yes" : "no", (long long)sb.st_size);
    say_fails("stat data/missing", stat("data/missing", &sb));
    say_fails("stat link_dangling", stat("link_dangling", &sb));
    say_libc("lstat link_dangling", lstat("link_dangling", &sb));
    int fd = open("data/empty.txt", O_RDONLY);
    say_libc("fstat data/empty.txt", fstat(fd, &sb));
    say("fstat data/empty.txt", "regular %s, size %lld", S_ISREG(sb.st_mode) ? "yes" : "no", (long long)sb.st_size);
    close(fd);
  }

  // ---- setting times ----
  say_libc("mkdir st", mkdir("st", 0755));
  make_file("st/f.txt", "times\n");
  make_file("st/g.txt", "more times\n");
  say_wasi("path_filestat_set_times st/f.txt atim T1 mtim T2",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/f.txt", T1, T2,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  say_times("st/f.txt times", "st/f.txt", 0);
  say_wasi("path_filestat_set_times st/f.txt mtim T1 only",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/f.txt", 0, T1, __WASI_FSTFLAGS_MTIM));
  say_times("st/f.txt times (atim unchanged)", "st/f.txt", 0);
  say_wasi("path_filestat_set_times st/f.txt atim T2 only",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/f.txt", T2, 0, __WASI_FSTFLAGS_ATIM));
  say_times("st/f.txt times (mtim unchanged)", "st/f.txt", 0);
  say_wasi("path_filestat_set_times st/f.txt nothing",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/f.txt", 0, 0, 0));
  say_times("st/f.txt times (both unchanged)", "st/f.txt", 0);
  say_wasi("path_filestat_set_times st/f.txt mtim now",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/f.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  (void)__wasi_path_filestat_get(SANDBOX_FD, 0, "st/f.txt", &st);
  say("st/f.txt after mtim now", "atim %llu, mtim near now %s", (unsigned long long)st.atim, near_now(st.mtim));
  say_wasi("path_filestat_set_times st/missing",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/missing", T1, T1,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  // Nanoseconds are kept (node keeps only whole seconds: a known deviation).
  say_wasi("path_filestat_set_times st/g.txt T3 (with nanoseconds)",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/g.txt", T3, T3,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  say_times("st/g.txt times (nanoseconds)", "st/g.txt", 0);

  // A symlink's own times (nofollow) and its target's (follow).
  say_wasi("path_symlink st/link -> f.txt", __wasi_path_symlink("f.txt", SANDBOX_FD, "st/link"));
  say_wasi("path_filestat_set_times st/link follow atim T2 mtim T2",
           __wasi_path_filestat_set_times(SANDBOX_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "st/link", T2, T2,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  say_times("st/f.txt times (set through the link)", "st/f.txt", 0);
  say_wasi("path_filestat_set_times st/link nofollow atim T1 mtim T1",
           __wasi_path_filestat_set_times(SANDBOX_FD, 0, "st/link", T1, T1,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  say_times("st/link own times", "st/link", 0);
  say_times("st/f.txt times (not changed by the link's)", "st/f.txt", 0);

  // fd_filestat_set_times and fd_filestat_set_size.
  {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    say_wasi("path_open st/g.txt", open_raw("st/g.txt", 0, 0,
                                            __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_GET |
                                                __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE,
                                            0, 0, &fd));
    say_wasi("fd_filestat_set_times atim T2 mtim T1",
             __wasi_fd_filestat_set_times(fd, T2, T1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    (void)__wasi_fd_filestat_get(fd, &st);
    say("fd_filestat_get after set_times", "atim %llu, mtim %llu", (unsigned long long)st.atim,
        (unsigned long long)st.mtim);
    say_wasi("fd_filestat_set_times atim now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM_NOW));
    (void)__wasi_fd_filestat_get(fd, &st);
    say("fd_filestat_get after atim now", "atim near now %s, mtim %llu", near_now(st.atim),
        (unsigned long long)st.mtim);
    say_wasi("fd_filestat_set_size 3", __wasi_fd_filestat_set_size(fd, 3));
    (void)__wasi_fd_filestat_get(fd, &st);
    say("size after fd_filestat_set_size 3", "%llu", (unsigned long long)st.size);
    say_wasi("fd_filestat_set_size 12", __wasi_fd_filestat_set_size(fd, 12));
    (void)__wasi_fd_filestat_get(fd, &st);
    say("size after fd_filestat_set_size 12", "%llu", (unsigned long long)st.size);
    say("mtim changed by set_size (now)", "%s", near_now(st.mtim));
    (void)__wasi_fd_close(fd);
    say_wasi("fd_filestat_set_times closed fd",
             __wasi_fd_filestat_set_times(fd, T1, T1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    say_wasi("fd_filestat_set_size closed fd", __wasi_fd_filestat_set_size(fd, 0));
    // set_size on a directory and on a read-only file.
    say_wasi("fd_filestat_set_size the preopen (a directory)", __wasi_fd_filestat_set_size(SANDBOX_FD, 0));
    __wasi_fd_t ro = (__wasi_fd_t)-1;
    say_wasi("path_open data/in.txt read-only",
             open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0, &ro));
    say_wasi("fd_filestat_set_size on a read-only fd", __wasi_fd_filestat_set_size(ro, 0));
    (void)__wasi_fd_close(ro);
  }
  // libc: utimensat, futimens, truncate.
  {
    struct timespec ts[2] = {{1500000000, 0}, {1400000000, 0}};
    say_libc("utimensat st/f.txt", utimensat(AT_FDCWD, "st/f.txt", ts, 0));
    say_times("st/f.txt times after utimensat", "st/f.txt", 0);
    struct timespec omit[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
    say_libc("utimensat st/f.txt atime UTIME_OMIT", utimensat(AT_FDCWD, "st/f.txt", omit, 0));
    say_times("st/f.txt times after UTIME_OMIT", "st/f.txt", 0);
    int fd = open("st/f.txt", O_WRONLY);
    struct timespec ts2[2] = {{1200000000, 0}, {1100000000, 0}};
    say_libc("futimens st/f.txt", futimens(fd, ts2));
    close(fd);
    say_times("st/f.txt times after futimens", "st/f.txt", 0);
    say_libc("truncate st/f.txt 2", truncate("st/f.txt", 2));
    struct stat sb;
    stat("st/f.txt", &sb);
    say("st/f.txt size after truncate", "%lld", (long long)sb.st_size);
    say_fails("truncate st/missing", truncate("st/missing", 0));
  }
  return 0;
}
