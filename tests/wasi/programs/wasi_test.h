// What the WASI test programs share (tests/wasi/programs/README.md).
//
// Every program prints one line per check on stdout, `<check>: <result>`,
// with no ": " inside <check> (the harness's per-line overrides key on the
// text before the first ": "). Results are deterministic: no timestamps,
// inode numbers, random bytes or addresses, only properties of them.
//
// The sandbox is the one pre-opened directory, named SANDBOX in the guest
// (fd 3); the harness fills it with the fixture tree the README lists.
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define SANDBOX "/sandbox"
#define SANDBOX_FD 3

// stdout is line-buffered, so that a program that hangs or traps has
// printed every check it finished (a pipe's stdout is fully buffered).
__attribute__((constructor)) static void line_buffered_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

// The witx name of a WASI errno. wasi-libc's errno values are WASI's, so
// this names both a libc errno and a __wasi_errno_t.
static inline const char* errno_name(int e) {
  static const char* const names[] = {
      "success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport", "again", "already",
      "badf", "badmsg", "busy", "canceled", "child", "connaborted", "connrefused", "connreset",
      "deadlk", "destaddrreq", "dom", "dquot", "exist", "fault", "fbig", "hostunreach",
      "idrm", "ilseq", "inprogress", "intr", "inval", "io", "isconn", "isdir",
      "loop", "mfile", "mlink", "msgsize", "multihop", "nametoolong", "netdown", "netreset",
      "netunreach", "nfile", "nobufs", "nodev", "noent", "noexec", "nolck", "nolink",
      "nomem", "nomsg", "noprotoopt", "nospc", "nosys", "notconn", "notdir", "notempty",
      "notrecoverable", "notsock", "notsup", "notty", "nxio", "overflow", "ownerdead", "perm",
      "pipe", "proto", "protonosupport", "prototype", "range", "rofs", "spipe", "srch",
      "stale", "timedout", "txtbsy", "xdev", "notcapable"};
  if (e >= 0 && e < (int)(sizeof names / sizeof names[0])) return names[e];
  return "unknown";
}

// "check: RESULT" for printf-style RESULT.
static inline void say(const char* check, const char* fmt, ...) {
  printf("%s: ", check);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}

// A raw WASI call's result: "check: ok" or "check: errno 44 noent".
static inline void say_wasi(const char* check, __wasi_errno_t e) {
  if (e == 0) say(check, "ok");
  else say(check, "errno %d %s", (int)e, errno_name(e));
}

// A libc call's result: "check: ok" when it returned r >= 0, else the errno.
static inline void say_libc(const char* check, long r) {
  if (r >= 0) say(check, "ok");
  else say(check, "errno %d %s", errno, errno_name(errno));
}

// The errno of a libc call that must fail: "check: errno N name", or
// "check: UNEXPECTED success" when it did not fail.
static inline void say_fails(const char* check, long r) {
  if (r >= 0) say(check, "UNEXPECTED success (%ld)", r);
  else say(check, "errno %d %s", errno, errno_name(errno));
}

static inline const char* filetype_name(__wasi_filetype_t t) {
  switch (t) {
    case __WASI_FILETYPE_UNKNOWN: return "unknown";
    case __WASI_FILETYPE_BLOCK_DEVICE: return "block_device";
    case __WASI_FILETYPE_CHARACTER_DEVICE: return "character_device";
    case __WASI_FILETYPE_DIRECTORY: return "directory";
    case __WASI_FILETYPE_REGULAR_FILE: return "regular_file";
    case __WASI_FILETYPE_SOCKET_DGRAM: return "socket_dgram";
    case __WASI_FILETYPE_SOCKET_STREAM: return "socket_stream";
    case __WASI_FILETYPE_SYMBOLIC_LINK: return "symbolic_link";
    default: return "bad";
  }
}

// Opens PATH (relative to the sandbox's fd) with the raw call, all rights
// the sandbox grants asked for.
static inline __wasi_errno_t open_raw(const char* path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags,
                                      __wasi_rights_t base, __wasi_rights_t inheriting,
                                      __wasi_fdflags_t fdflags, __wasi_fd_t* fd) {
  return __wasi_path_open(SANDBOX_FD, lookup, path, oflags, base, inheriting, fdflags, fd);
}

// Every right a file or directory can have (the rights wasi-libc asks for).
#define ALL_RIGHTS ((__wasi_rights_t)0x1fffffff)

// The whole of a file in the sandbox (path relative to it), read with libc,
// into buf (NUL-terminated); the length or -1.
static inline long slurp(const char* path, char* buf, size_t size) {
  FILE* f = fopen(path, "rb");
  if (!f) return -1;
  size_t n = fread(buf, 1, size - 1, f);
  buf[n] = 0;
  fclose(f);
  return (long)n;
}
