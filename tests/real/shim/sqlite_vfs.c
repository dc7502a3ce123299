/* sqlite's VFS for the wasm32-wasi sqlite3 shell (tests/real/README.md);
 * linked into that build only. */
#include "sqlite3.h"

/* Compiled into sqlite3.c with -DSQLITE_EXTRA_INIT=wgi_wasi_sqlite_init:
 * sqlite3_initialize() calls it once, after registering its unix VFSes.
 * The default VFS, "unix", locks files with fcntl(F_SETLK), which WASI
 * preview1 does not have (wasi-libc's fcntl rejects it, and every open
 * would fail with SQLITE_IOERR_LOCK). sqlite's own "unix-none" VFS is the
 * same file I/O without locks: make it the default. One process works on
 * each database here, so nothing is lost. */
int wgi_wasi_sqlite_init(const char *unused) {
  (void)unused;
  sqlite3_vfs *none = sqlite3_vfs_find("unix-none");
  return none ? sqlite3_vfs_register(none, 1) : SQLITE_ERROR;
}
