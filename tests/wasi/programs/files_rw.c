// Reading and writing regular files: path_open (oflags creat, excl, trunc;
// fdflags append; read-only and write-only rights), fd_read, fd_write
// (several iovecs), fd_seek, fd_tell, fd_pread, fd_pwrite,
// fd_filestat_set_size, fd_allocate, fd_advise, fd_sync, fd_datasync,
// fd_close; and the errors: a closed fd, a read-only fd written, a
// write-only fd read, a bad whence, a negative offset.
//
// Reads data/in.txt ("hello, wasi\nsecond line\n", 24 bytes); writes
// out/*.txt (the harness compares the trees afterwards).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_test.h"

// Prints a buffer, escaped: printable ASCII as is, the rest as \xNN.
static void say_bytes(const char* check, const uint8_t* p, size_t n) {
  printf("%s: %zu bytes [", check, n);
  for (size_t i = 0; i < n; ++i) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') putchar(p[i]);
    else printf("\\x%02x", p[i]);
  }
  printf("]\n");
}

static __wasi_rights_t inheriting(void) {
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_fd_fdstat_get(SANDBOX_FD, &st) != 0) return 0;
  return st.fs_rights_inheriting;
}

#define R_READ (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_ADVISE)
#define R_WRITE (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET | \
                 __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_ADVISE)

static __wasi_fd_t open_or_say(const char* check, const char* path, __wasi_oflags_t oflags, __wasi_rights_t rights,
                               __wasi_fdflags_t fdflags) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_errno_t e = open_raw(path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, oflags, rights & inheriting(), 0, fdflags, &fd);
  say_wasi(check, e);
  return e ? (__wasi_fd_t)-1 : fd;
}

static void say_size(const char* check, __wasi_fd_t fd) {
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_fd_filestat_get(fd, &st);
  if (e) say_wasi(check, e);
  else say(check, "%llu", (unsigned long long)st.size);
}

static void say_file(const char* check, const char* path) {
  static char buf[4096];
  long n = slurp(path, buf, sizeof buf);
  if (n < 0) say(check, "cannot read (errno %d %s)", errno, errno_name(errno));
  else say_bytes(check, (const uint8_t*)buf, (size_t)n);
}

int main(void) {
  if (chdir(SANDBOX) != 0) return 99;
  // ---- reading ----
  __wasi_fd_t in = open_or_say("path_open data/in.txt read-only", "data/in.txt", 0, R_READ, 0);
  uint8_t buf[128];
  {
    uint8_t a[5], b[1], c[100];
    __wasi_iovec_t iov[3] = {{a, sizeof a}, {b, 0}, {c, sizeof c}};
    __wasi_size_t n = 0;
    say_wasi("fd_read 3 iovecs (5, 0, 100)", __wasi_fd_read(in, iov, 3, &n));
    say("fd_read 3 iovecs count", "%u", (unsigned)n);
    say_bytes("fd_read first iovec", a, n < 5 ? n : 5);
    say_bytes("fd_read third iovec", c, n > 5 ? n - 5 : 0);
    say_wasi("fd_read at end of file", __wasi_fd_read(in, iov, 3, &n));
    say("fd_read at end of file count", "%u", (unsigned)n);
    __wasi_iovec_t none = {buf, 0};
    say_wasi("fd_read zero-length iovec", __wasi_fd_read(in, &none, 1, &n));
    say("fd_read zero-length iovec count", "%u", (unsigned)n);
    say_wasi("fd_read no iovecs", __wasi_fd_read(in, &none, 0, &n));
    say("fd_read no iovecs count", "%u", (unsigned)n);
  }
  {
    __wasi_filesize_t pos = 99;
    say_wasi("fd_tell at end", __wasi_fd_tell(in, &pos));
    say("fd_tell at end value", "%llu", (unsigned long long)pos);
    say_wasi("fd_seek set 7", __wasi_fd_seek(in, 7, __WASI_WHENCE_SET, &pos));
    say("fd_seek set 7 value", "%llu", (unsigned long long)pos);
    __wasi_iovec_t iov = {buf, 4};
    __wasi_size_t n = 0;
    say_wasi("fd_read 4 after seek", __wasi_fd_read(in, &iov, 1, &n));
    say_bytes("fd_read 4 after seek data", buf, n);
    say_wasi("fd_seek cur -4", __wasi_fd_seek(in, -4, __WASI_WHENCE_CUR, &pos));
    say("fd_seek cur -4 value", "%llu", (unsigned long long)pos);
    say_wasi("fd_seek cur 0", __wasi_fd_seek(in, 0, __WASI_WHENCE_CUR, &pos));
    say("fd_seek cur 0 value", "%llu", (unsigned long long)pos);
    say_wasi("fd_seek end 0", __wasi_fd_seek(in, 0, __WASI_WHENCE_END, &pos));
    say("fd_seek end 0 value", "%llu", (unsigned long long)pos);
    say_wasi("fd_seek end -5", __wasi_fd_seek(in, -5, __WASI_WHENCE_END, &pos));
    say("fd_seek end -5 value", "%llu", (unsigned long long)pos);
    n = 0;
    say_wasi("fd_read after seek end -5", __wasi_fd_read(in, &iov, 1, &n));
    say_bytes("fd_read after seek end -5 data", buf, n);
    pos = 12345;
    say_wasi("fd_seek set -1", __wasi_fd_seek(in, -1, __WASI_WHENCE_SET, &pos));
    say_wasi("fd_seek cur -1000", __wasi_fd_seek(in, -1000, __WASI_WHENCE_CUR, &pos));
    say_wasi("fd_seek whence 3", __wasi_fd_seek(in, 0, 3, &pos));
    say_wasi("fd_tell after failed seeks", __wasi_fd_tell(in, &pos));
    say("fd_tell after failed seeks value", "%llu", (unsigned long long)pos);
    say_wasi("fd_seek set 100 (past the end)", __wasi_fd_seek(in, 100, __WASI_WHENCE_SET, &pos));
    say("fd_seek set 100 value", "%llu", (unsigned long long)pos);
    n = 99;
    say_wasi("fd_read past the end", __wasi_fd_read(in, &iov, 1, &n));
    say("fd_read past the end count", "%u", (unsigned)n);
  }
  {
    __wasi_filesize_t pos = 0;
    (void)__wasi_fd_seek(in, 3, __WASI_WHENCE_SET, &pos);
    __wasi_iovec_t iov[2] = {{buf, 2}, {buf + 2, 2}};
    __wasi_size_t n = 0;
    say_wasi("fd_pread offset 7", __wasi_fd_pread(in, iov, 2, 7, &n));
    say_bytes("fd_pread offset 7 data", buf, n);
    say_wasi("fd_pread offset 20", __wasi_fd_pread(in, iov, 2, 20, &n));
    say_bytes("fd_pread offset 20 data", buf, n);
    say_wasi("fd_pread offset 1000", __wasi_fd_pread(in, iov, 2, 1000, &n));
    say("fd_pread offset 1000 count", "%u", (unsigned)n);
    say_wasi("fd_tell after pread (unchanged: 3)", __wasi_fd_tell(in, &pos));
    say("fd_tell after pread value", "%llu", (unsigned long long)pos);
  }
  {
    // The fd was opened without fd_write.
    const char msg[] = "nope";
    __wasi_ciovec_t ciov = {(const uint8_t*)msg, 4};
    __wasi_size_t n = 0;
    say_wasi("fd_write on a read-only fd", __wasi_fd_write(in, &ciov, 1, &n));
    say_wasi("fd_pwrite on a read-only fd", __wasi_fd_pwrite(in, &ciov, 1, 0, &n));
  }
  say_wasi("fd_close", __wasi_fd_close(in));
  {
    __wasi_iovec_t iov = {buf, 4};
    __wasi_size_t n = 0;
    say_wasi("fd_read on a closed fd", __wasi_fd_read(in, &iov, 1, &n));
    say_wasi("fd_close again", __wasi_fd_close(in));
    say_wasi("fd_read fd 1000", __wasi_fd_read(1000, &iov, 1, &n));
  }

  // ---- writing ----
  say_libc("mkdir out", mkdir("out", 0755));
  __wasi_fd_t out = open_or_say("path_open out/new.txt creat write-only", "out/new.txt", __WASI_OFLAGS_CREAT, R_WRITE, 0);
  {
    const char* parts[] = {"first ", "", "line\n", "second line\n"};
    __wasi_ciovec_t ciov[4];
    for (int i = 0; i < 4; ++i) ciov[i] = (__wasi_ciovec_t){(const uint8_t*)parts[i], strlen(parts[i])};
    __wasi_size_t n = 0;
    say_wasi("fd_write 4 ciovecs", __wasi_fd_write(out, ciov, 4, &n));
    say("fd_write 4 ciovecs count", "%u", (unsigned)n);
    say_wasi("fd_write no ciovecs", __wasi_fd_write(out, ciov, 0, &n));
    say("fd_write no ciovecs count", "%u", (unsigned)n);
    __wasi_filesize_t pos = 0;
    say_wasi("fd_tell after writes", __wasi_fd_tell(out, &pos));
    say("fd_tell after writes value", "%llu", (unsigned long long)pos);
    // Overwrite "first" with "FIRST" at offset 0; the position stays.
    __wasi_ciovec_t up = {(const uint8_t*)"FIRST", 5};
    say_wasi("fd_pwrite offset 0", __wasi_fd_pwrite(out, &up, 1, 0, &n));
    say("fd_pwrite offset 0 count", "%u", (unsigned)n);
    say_wasi("fd_tell after pwrite", __wasi_fd_tell(out, &pos));
    say("fd_tell after pwrite value", "%llu", (unsigned long long)pos);
    // Past the end: a hole of zeros.
    __wasi_ciovec_t far = {(const uint8_t*)"END", 3};
    say_wasi("fd_pwrite offset 30", __wasi_fd_pwrite(out, &far, 1, 30, &n));
    say_size("size after pwrite offset 30", out);
    __wasi_iovec_t iov = {buf, 4};
    say_wasi("fd_read on a write-only fd", __wasi_fd_read(out, &iov, 1, &n));
    say_wasi("fd_pread on a write-only fd", __wasi_fd_pread(out, &iov, 1, 0, &n));
  }
  say_wasi("fd_sync", __wasi_fd_sync(out));
  say_wasi("fd_datasync", __wasi_fd_datasync(out));
  say_wasi("fd_close out/new.txt", __wasi_fd_close(out));
  say_file("out/new.txt", "out/new.txt");

  // O_EXCL on a file that exists; O_TRUNC; creat on a file that exists.
  {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    say_wasi("path_open out/new.txt creat|excl (exists)",
             open_raw("out/new.txt", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R_WRITE & inheriting(), 0, 0, &fd));
    fd = open_or_say("path_open out/new.txt creat (exists)", "out/new.txt", __WASI_OFLAGS_CREAT, R_WRITE, 0);
    say_size("size after creat (exists)", fd);
    (void)__wasi_fd_close(fd);
    fd = open_or_say("path_open out/excl.txt creat|excl (new)", "out/excl.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL,
                     R_WRITE, 0);
    __wasi_ciovec_t c = {(const uint8_t*)"excl\n", 5};
    __wasi_size_t n = 0;
    say_wasi("fd_write out/excl.txt", __wasi_fd_write(fd, &c, 1, &n));
    (void)__wasi_fd_close(fd);
    fd = open_or_say("path_open out/excl.txt trunc", "out/excl.txt", __WASI_OFLAGS_TRUNC, R_WRITE, 0);
    say_size("size after trunc", fd);
    (void)__wasi_fd_close(fd);
    say_wasi("path_open out/missing.txt without creat",
             open_raw("out/missing.txt", 0, 0, R_READ & inheriting(), 0, 0, &fd));
    say_wasi("path_open out/missing/x.txt creat (no parent)",
             open_raw("out/missing/x.txt", 0, __WASI_OFLAGS_CREAT, R_WRITE & inheriting(), 0, 0, &fd));
  }

  // fdflags append: every write goes to the end, whatever the position.
  {
    __wasi_fd_t fd = open_or_say("path_open out/append.txt creat|trunc append", "out/append.txt",
                                 __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, R_WRITE | R_READ, __WASI_FDFLAGS_APPEND);
    __wasi_ciovec_t c1 = {(const uint8_t*)"one\n", 4}, c2 = {(const uint8_t*)"two\n", 4};
    __wasi_size_t n = 0;
    __wasi_filesize_t pos = 0;
    say_wasi("fd_write append one", __wasi_fd_write(fd, &c1, 1, &n));
    say_wasi("fd_seek set 0 on append fd", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    say_wasi("fd_write append two", __wasi_fd_write(fd, &c2, 1, &n));
    say_wasi("fd_tell after append", __wasi_fd_tell(fd, &pos));
    say("fd_tell after append value", "%llu", (unsigned long long)pos);
    __wasi_fdstat_t st;
    memset(&st, 0, sizeof st);
    say_wasi("fd_fdstat_get append fd", __wasi_fd_fdstat_get(fd, &st));
    say("fd_fdstat_get append fd has append", "%s", (st.fs_flags & __WASI_FDFLAGS_APPEND) ? "yes" : "no");
    (void)__wasi_fd_close(fd);
    say_file("out/append.txt", "out/append.txt");
    // Through libc: fopen "a".
    FILE* f = fopen("out/append.txt", "a");
    say("fopen a", "%s", f ? "ok" : errno_name(errno));
    if (f) {
      fputs("three\n", f);
      fclose(f);
    }
    say_file("out/append.txt after fopen a", "out/append.txt");
  }

  // fd_filestat_set_size, fd_allocate, fd_advise.
  {
    __wasi_fd_t fd = open_or_say("path_open out/size.txt creat", "out/size.txt", __WASI_OFLAGS_CREAT, R_WRITE | R_READ, 0);
    __wasi_ciovec_t c = {(const uint8_t*)"0123456789", 10};
    __wasi_size_t n = 0;
    (void)__wasi_fd_write(fd, &c, 1, &n);
    say_wasi("fd_filestat_set_size 4", __wasi_fd_filestat_set_size(fd, 4));
    say_size("size after set_size 4", fd);
    say_wasi("fd_filestat_set_size 8", __wasi_fd_filestat_set_size(fd, 8));
    say_size("size after set_size 8", fd);
    __wasi_filesize_t pos = 0;
    say_wasi("fd_tell after set_size (unchanged: 10)", __wasi_fd_tell(fd, &pos));
    say("fd_tell after set_size value", "%llu", (unsigned long long)pos);
    say_wasi("fd_allocate 0..4 (inside)", __wasi_fd_allocate(fd, 0, 4));
    say_size("size after allocate inside", fd);
    say_wasi("fd_allocate 4..16 (grows)", __wasi_fd_allocate(fd, 4, 12));
    say_size("size after allocate 4..16", fd);
    const __wasi_advice_t advice[] = {__WASI_ADVICE_NORMAL, __WASI_ADVICE_SEQUENTIAL, __WASI_ADVICE_RANDOM,
                                      __WASI_ADVICE_WILLNEED, __WASI_ADVICE_DONTNEED, __WASI_ADVICE_NOREUSE};
    for (int i = 0; i < 6; ++i) {
      char check[48];
      snprintf(check, sizeof check, "fd_advise advice %d", (int)advice[i]);
      say_wasi(check, __wasi_fd_advise(fd, 0, 16, advice[i]));
    }
    say_wasi("fd_advise advice 6 (no such advice)", __wasi_fd_advise(fd, 0, 16, 6));
    (void)__wasi_fd_close(fd);
    say_file("out/size.txt", "out/size.txt");
    // Through libc: ftruncate, posix_fallocate.
    int lfd = open("out/size.txt", O_RDWR);
    say_libc("open out/size.txt O_RDWR", lfd);
    say_libc("ftruncate 2", ftruncate(lfd, 2));
    struct stat sb;
    fstat(lfd, &sb);
    say("fstat size after ftruncate", "%lld", (long long)sb.st_size);
    int r = posix_fallocate(lfd, 0, 6);
    say("posix_fallocate 0..6", "%s", r == 0 ? "ok" : errno_name(r));
    fstat(lfd, &sb);
    say("fstat size after posix_fallocate", "%lld", (long long)sb.st_size);
    close(lfd);
  }

  // libc stdio: write a larger file in pieces and read it back.
  {
    FILE* f = fopen("out/big.txt", "w");
    say("fopen out/big.txt w", "%s", f ? "ok" : errno_name(errno));
    if (f) {
      for (int i = 0; i < 2000; ++i) fprintf(f, "line %04d of the big file\n", i);
      say("fclose out/big.txt", "%s", fclose(f) == 0 ? "ok" : errno_name(errno));
    }
    f = fopen("out/big.txt", "r");
    unsigned long sum = 0, lines = 0, bytes = 0;
    int ch;
    while (f && (ch = fgetc(f)) != EOF) {
      sum = sum * 31 + (unsigned char)ch;
      bytes++;
      if (ch == '\n') lines++;
    }
    if (f) fclose(f);
    say("out/big.txt read back", "%lu bytes, %lu lines, hash %lu", bytes, lines, sum);
  }
  // libc: write() to a read-only file descriptor, read() from a write-only one.
  {
    int fd = open("data/in.txt", O_RDONLY);
    say_fails("write() on O_RDONLY fd", write(fd, "x", 1));
    close(fd);
    fd = open("out/wo.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char c;
    say_fails("read() on O_WRONLY fd", read(fd, &c, 1));
    say_libc("write() on O_WRONLY fd", write(fd, "wo\n", 3));
    close(fd);
    say_fails("close() again", close(fd));
    say_fails("open missing file", open("data/no_such_file.txt", O_RDONLY));
    errno = 0;
    FILE* f = fopen("data/no_such_file.txt", "r");
    say("fopen missing file", "%s, errno %d %s, strerror [%s]", f ? "opened" : "NULL", errno, errno_name(errno),
        strerror(errno));
  }
  return 0;
}
