// Descriptors: fd_prestat_get and fd_prestat_dir_name (the preopen, and
// fds that are not preopens), fd_fdstat_get (file types, flags, rights),
// fd_fdstat_set_flags (append on, off), fd_fdstat_set_rights (dropping
// rights, and failing to add them back), fd_renumber, fd_close of a
// preopen, and fd_seek/fd_tell on stdout. Writes one line to stderr.
//
// stdin is a regular file under the harness (its input, possibly empty),
// stdout and stderr are pipes. Writes fdm/*.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_test.h"

// Prints the file type (if show_type), the flags and four rights (if
// show_rights).
static void say_fdstat2(const char* check, __wasi_fd_t fd, int show_type, int show_rights) {
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
  if (e) {
    say_wasi(check, e);
    return;
  }
  char type[48] = "";
  if (show_type) snprintf(type, sizeof type, "%s, ", filetype_name(st.fs_filetype));
  if (!show_rights) {
    say(check, "%sflags 0x%x", type, (unsigned)st.fs_flags);
    return;
  }
  say(check, "%sflags 0x%x, rights fd_read %s fd_write %s path_open %s fd_readdir %s", type, (unsigned)st.fs_flags,
      (st.fs_rights_base & __WASI_RIGHTS_FD_READ) ? "yes" : "no",
      (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no",
      (st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) ? "yes" : "no",
      (st.fs_rights_base & __WASI_RIGHTS_FD_READDIR) ? "yes" : "no");
}

static void say_fdstat(const char* check, __wasi_fd_t fd, int show_type) { say_fdstat2(check, fd, show_type, 1); }

static void say_contents(const char* check, const char* path) {
  char buf[256];
  long n = slurp(path, buf, sizeof buf);
  if (n < 0) {
    say(check, "errno %d %s", errno, errno_name(errno));
    return;
  }
  for (char* p = buf; *p; ++p)
    if (*p == '\n') *p = '|';
  say(check, "[%s]", buf);
}

static __wasi_fd_t make(const char* path, const char* text, __wasi_rights_t rights, __wasi_fdflags_t flags) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_errno_t e = open_raw(path, 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, rights, 0, flags, &fd);
  if (e) {
    say_wasi(path, e);
    return fd;
  }
  __wasi_ciovec_t c = {(const uint8_t*)text, strlen(text)};
  __wasi_size_t n = 0;
  (void)__wasi_fd_write(fd, &c, 1, &n);
  return fd;
}

static void write_str(const char* check, __wasi_fd_t fd, const char* text) {
  __wasi_ciovec_t c = {(const uint8_t*)text, strlen(text)};
  __wasi_size_t n = 0;
  say_wasi(check, __wasi_fd_write(fd, &c, 1, &n));
}

// Opens PATH under the directory fd DIR, read-only with RIGHTS.
static __wasi_errno_t open_raw_at(__wasi_fd_t dir, const char* path, __wasi_rights_t rights, __wasi_fd_t* fd) {
  return __wasi_path_open(dir, 0, path, 0, rights, 0, 0, fd);
}

#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
            __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_FILESTAT_GET)

int main(void) {
  // ---- preopens ----
  {
    __wasi_prestat_t ps;
    memset(&ps, 0, sizeof ps);
    __wasi_errno_t e = __wasi_fd_prestat_get(SANDBOX_FD, &ps);
    if (e) say_wasi("fd_prestat_get 3", e);
    else say("fd_prestat_get 3", "ok, tag %u, name length %u", (unsigned)ps.tag, (unsigned)ps.u.dir.pr_name_len);
    char name[64];
    memset(name, '#', sizeof name);
    e = __wasi_fd_prestat_dir_name(SANDBOX_FD, (uint8_t*)name, 8);
    if (e) say_wasi("fd_prestat_dir_name 3", e);
    else say("fd_prestat_dir_name 3", "ok [%.8s], byte after the name %s", name, name[8] == '#' ? "untouched" : "written");
    say_wasi("fd_prestat_dir_name 3 buffer of 3", __wasi_fd_prestat_dir_name(SANDBOX_FD, (uint8_t*)name, 3));
    say_wasi("fd_prestat_get 4 (none)", __wasi_fd_prestat_get(4, &ps));
    say_wasi("fd_prestat_get 0 (stdin)", __wasi_fd_prestat_get(0, &ps));
    say_wasi("fd_prestat_dir_name 4 (none)", __wasi_fd_prestat_dir_name(4, (uint8_t*)name, sizeof name));
  }

  // ---- fdstat ----
  // stdin's rights: node gives a read-only stdin fd_write too (an upper
  // bound; a runtime may well leave it out): not printed.
  say_fdstat2("fd_fdstat_get stdin", 0, 1, 0);
  {
    // stdout and stderr: pipes, whose file type WASI has no name for
    // (node says socket_stream, others unknown): not printed.
    __wasi_fdstat_t st;
    say_wasi("fd_fdstat_get stdout", __wasi_fd_fdstat_get(1, &st));
    say("fd_fdstat_get stdout fd_write right", "%s", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no");
    say_wasi("fd_fdstat_get stderr", __wasi_fd_fdstat_get(2, &st));
    say("fd_fdstat_get stderr fd_write right", "%s", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) ? "yes" : "no");
  }
  say_fdstat("fd_fdstat_get the preopen", SANDBOX_FD, 1);
  say_fdstat("fd_fdstat_get fd 42 (not open)", 42, 1);
  if (chdir(SANDBOX) != 0) return 99;
  say_libc("mkdir fdm", mkdir("fdm", 0755));
  {
    __wasi_fd_t ro = (__wasi_fd_t)-1;
    say_wasi("path_open data/in.txt read-only",
             open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0, 0, &ro));
    say_fdstat("fd_fdstat_get read-only file", ro, 1);
    (void)__wasi_fd_close(ro);
    __wasi_fd_t app = make("fdm/append.txt", "a\n", RW, __WASI_FDFLAGS_APPEND);
    say_fdstat("fd_fdstat_get file opened with append", app, 1);
    (void)__wasi_fd_close(app);
    __wasi_fd_t dir = (__wasi_fd_t)-1;
    say_wasi("path_open data directory",
             open_raw("data", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0, 0, &dir));
    say_fdstat("fd_fdstat_get data directory", dir, 1);
    (void)__wasi_fd_close(dir);
  }

  // ---- fd_fdstat_set_flags ----
  {
    __wasi_fd_t fd = make("fdm/flags.txt", "0123456789\n", RW, 0);
    __wasi_filesize_t pos = 0;
    say_wasi("fd_seek set 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    write_str("fd_write at 0 (no append)", fd, "AB");
    say_wasi("fd_fdstat_set_flags append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    say_fdstat("fd_fdstat_get after set_flags append", fd, 0);
    say_wasi("fd_seek set 0 again", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    write_str("fd_write with append", fd, "end\n");
    say_wasi("fd_tell after the append", __wasi_fd_tell(fd, &pos));
    say("fd_tell after the append value", "%llu", (unsigned long long)pos);
    say_wasi("fd_fdstat_set_flags none", __wasi_fd_fdstat_set_flags(fd, 0));
    say_fdstat("fd_fdstat_get after set_flags none", fd, 0);
    say_wasi("fd_seek set 2", __wasi_fd_seek(fd, 2, __WASI_WHENCE_SET, &pos));
    write_str("fd_write at 2 (append off)", fd, "cd");
    (void)__wasi_fd_close(fd);
    say_contents("fdm/flags.txt", "fdm/flags.txt");
    say_wasi("fd_fdstat_set_flags closed fd", __wasi_fd_fdstat_set_flags(fd, 0));
    // libc: fcntl F_GETFL/F_SETFL.
    int lfd = open("fdm/flags.txt", O_WRONLY);
    int fl = fcntl(lfd, F_GETFL);
    say("fcntl F_GETFL O_WRONLY", "access mode write-only %s, append %s", (fl & O_ACCMODE) == O_WRONLY ? "yes" : "no",
        (fl & O_APPEND) ? "yes" : "no");
    say_libc("fcntl F_SETFL O_APPEND", fcntl(lfd, F_SETFL, O_APPEND));
    fl = fcntl(lfd, F_GETFL);
    say("fcntl F_GETFL after F_SETFL O_APPEND", "append %s", (fl & O_APPEND) ? "yes" : "no");
    say_libc("write after F_SETFL O_APPEND", write(lfd, "libc\n", 5));
    close(lfd);
    say_contents("fdm/flags.txt after libc append", "fdm/flags.txt");
  }

  // ---- fd_fdstat_set_rights ----
  {
    __wasi_fd_t fd = make("fdm/rights.txt", "rights\n", RW, 0);
    __wasi_fdstat_t st;
    memset(&st, 0, sizeof st);
    (void)__wasi_fd_fdstat_get(fd, &st);
    say_wasi("fd_fdstat_set_rights without fd_write",
             __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE, st.fs_rights_inheriting));
    say_fdstat("fd_fdstat_get after dropping fd_write", fd, 0);
    write_str("fd_write without the right", fd, "more\n");
    __wasi_filesize_t pos = 0;
    say_wasi("fd_seek (right kept)", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    say_wasi("fd_fdstat_set_rights adding fd_write back",
             __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base, st.fs_rights_inheriting));
    say_wasi("fd_fdstat_set_rights without fd_seek",
             __wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK),
                                         st.fs_rights_inheriting));
    say_wasi("fd_seek without the right", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    say_wasi("fd_fdstat_set_rights none", __wasi_fd_fdstat_set_rights(fd, 0, 0));
    say_fdstat("fd_fdstat_get with no rights", fd, 1);
    say_wasi("fd_close with no rights", __wasi_fd_close(fd));
    say_wasi("fd_fdstat_set_rights closed fd", __wasi_fd_fdstat_set_rights(fd, 0, 0));
    say_contents("fdm/rights.txt", "fdm/rights.txt");
    // A directory fd without path_open cannot open files under it.
    __wasi_fd_t dir = (__wasi_fd_t)-1;
    say_wasi("path_open data directory (for rights)",
             open_raw("data", 0, __WASI_OFLAGS_DIRECTORY,
                      __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_FILESTAT_GET,
                      __WASI_RIGHTS_FD_READ, 0, &dir));
    __wasi_fd_t f = (__wasi_fd_t)-1;
    say_wasi("path_open in.txt under it", open_raw_at(dir, "in.txt", __WASI_RIGHTS_FD_READ, &f));
    if (f != (__wasi_fd_t)-1) (void)__wasi_fd_close(f);
    say_wasi("path_open in.txt under it asking for fd_write (not inheritable)",
             open_raw_at(dir, "in.txt", __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, &f));
    say_wasi("fd_fdstat_set_rights drop path_open",
             __wasi_fd_fdstat_set_rights(dir, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_FILESTAT_GET,
                                         __WASI_RIGHTS_FD_READ));
    f = (__wasi_fd_t)-1;
    say_wasi("path_open in.txt under it without path_open", open_raw_at(dir, "in.txt", __WASI_RIGHTS_FD_READ, &f));
    __wasi_filestat_t fst;
    say_wasi("path_filestat_get in.txt under it (right kept)", __wasi_path_filestat_get(dir, 0, "in.txt", &fst));
    (void)__wasi_fd_close(dir);
  }

  // ---- fd_renumber ----
  {
    __wasi_fd_t a = make("fdm/a.txt", "file a\n", RW, 0);
    __wasi_fd_t b = make("fdm/b.txt", "file b\n", RW, 0);
    say("two new fds", "%s", a != b && a > 2 && b > 2 ? "distinct, above 2" : "odd");
    say_wasi("fd_renumber a -> b", __wasi_fd_renumber(a, b));
    write_str("fd_write to b (now file a)", b, "via b\n");
    write_str("fd_write to a (closed by the renumber)", a, "via a\n");
    say_wasi("fd_renumber b -> b (itself)", __wasi_fd_renumber(b, b));
    write_str("fd_write to b after renumbering to itself", b, "still b\n");
    say_wasi("fd_renumber b -> 50 (not open)", __wasi_fd_renumber(b, 50));
    say_wasi("fd_renumber 51 (not open) -> b", __wasi_fd_renumber(51, b));
    say_wasi("fd_close b", __wasi_fd_close(b));
    say_contents("fdm/a.txt", "fdm/a.txt");
    say_contents("fdm/b.txt", "fdm/b.txt");
  }

  // ---- stdout: not seekable; stderr output ----
  {
    fflush(stdout);
    __wasi_filesize_t pos = 0;
    say_wasi("fd_seek stdout", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos));
    say_wasi("fd_tell stdout", __wasi_fd_tell(1, &pos));
    fprintf(stderr, "fd_misc: a line on stderr\n");
    say_wasi("fd_datasync stdout", __wasi_fd_datasync(1));
  }

  // ---- closing the preopen: later path calls on it fail ----
  say_wasi("fd_close the preopen", __wasi_fd_close(SANDBOX_FD));
  {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    say_wasi("path_open after closing the preopen", open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    __wasi_prestat_t ps;
    say_wasi("fd_prestat_get after closing the preopen", __wasi_fd_prestat_get(SANDBOX_FD, &ps));
  }
  return 0;
}
