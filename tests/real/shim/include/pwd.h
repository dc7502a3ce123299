/* <pwd.h> for the wasm32-wasi builds of the real programs (first on the
 * include path; tests/real/README.md). wasi-libc has none, and with
 * Debian's --sysroot=/usr clang would otherwise find glibc's
 * /usr/include/pwd.h, which does not compile for wasm32. sqlite's shell
 * includes it to look up the home directory with getpwuid(getuid()); WASI
 * has no user database, so wasi_shim.c's getpwuid finds no one and the
 * shell falls back to $HOME, as it does natively for an unknown user. */
#ifndef WGI_REAL_PWD_H
#define WGI_REAL_PWD_H
#include <sys/types.h>

struct passwd {
  char *pw_name;
  char *pw_passwd;
  uid_t pw_uid;
  gid_t pw_gid;
  char *pw_gecos;
  char *pw_dir;
  char *pw_shell;
};

struct passwd *getpwuid(uid_t uid);
#endif
