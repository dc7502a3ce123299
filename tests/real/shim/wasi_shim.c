/* The few POSIX functions Debian's wasi-libc (2022) lacks and the real
 * programs' wasm32-wasi builds call (tests/real/README.md); wasi_shim.h
 * declares them. Linked into the wasm sqlite3 shell and bzip2, never into
 * the native builds. Each piece says why it exists. */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <pwd.h>

#include "wasi_shim.h"

/* WASI preview1 has no permission bits to change. sqlite calls fchmod
 * on a database file it creates whose permissions are not the ones it
 * wants (under WASI, fstat shows none) and ignores the result; bzip2
 * gives its output file the input's mode with fchmod and fails if that
 * fails; the shell's writefile(PATH, DATA, MODE) calls chmod when given a
 * MODE. Report success: there is nothing to change. */
int chmod(const char *path, mode_t mode) {
  (void)path;
  (void)mode;
  return 0;
}

int fchmod(int fd, mode_t mode) {
  (void)fd;
  (void)mode;
  return 0;
}

/* WASI has no users or owners. sqlite calls fchown only when geteuid()
 * is 0 (to give a journal the database's owner), which it is not here;
 * bzip2 calls fchown to give its output the input's owner and ignores the
 * result; the shell calls getuid only to pass it to getpwuid. An id that
 * is not root's, and fchown fails as unsupported. */
uid_t getuid(void) { return 1; }
uid_t geteuid(void) { return 1; }

int fchown(int fd, uid_t owner, gid_t group) {
  (void)fd;
  (void)owner;
  (void)group;
  errno = ENOSYS;
  return -1;
}

/* No user database: the shell then looks at $HOME, and the tests give it
 * -init FILE, so it reads no ~/.sqliterc in either build. */
struct passwd *getpwuid(uid_t uid) {
  (void)uid;
  return NULL;
}
