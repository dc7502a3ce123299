/* Forced into every wasm32-wasi compile of the real programs (clang
 * -include wasi_shim.h; tests/real/README.md). Debian's wasi-libc (2022)
 * leaves out a few POSIX declarations and constants that sqlite 3.40's
 * unix VFS and shell and bzip2 1.0.8 refer to unconditionally; this header
 * declares them, wasi_shim.c defines the functions. Nothing here is used
 * by the native builds. */
#ifndef WGI_REAL_WASI_SHIM_H
#define WGI_REAL_WASI_SHIM_H
#include <sys/types.h>
#include <fcntl.h>

#ifdef __cplusplus
extern "C" {
#endif

/* WASI preview1 has no users, owners or permission bits; wasi-libc hides
 * these declarations (#ifdef __wasilibc_unmodified_upstream). sqlite's
 * os_unix.c takes the address of fchmod, fchown and geteuid for its
 * system-call table whatever it is built with (vxworks.h defines
 * HAVE_FCHOWN on every non-VxWorks system); the shell calls chmod (its
 * writefile() SQL function) and getuid (to find the home directory);
 * bzip2 gives its output file the input's mode and owner (fchmod, fchown). */
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
int fchown(int fd, uid_t owner, gid_t group);
uid_t getuid(void);
uid_t geteuid(void);

/* POSIX record-lock commands and types, which wasi-libc's <fcntl.h> leaves
 * out (WASI preview1 has no file locks). os_unix.c's posix-lock code must
 * compile; it does not run, as sqlite_vfs.c makes the lock-free
 * "unix-none" VFS the default. The values are only names: wasi-libc's
 * fcntl() rejects them (EINVAL). */
#ifndef F_GETLK
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#endif
#ifndef F_RDLCK
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#endif

#ifdef __cplusplus
}
#endif
#endif
