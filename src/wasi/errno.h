// WASI preview1's errno values, one list: the enum, the host errno each
// one stands for, and its name in the witx definition.
//
// Host calls report failures as host errno values; to_wasi() maps them to
// the guest's numbering, which is the one the guest's libc reads. Errors
// that have no host counterpart (notcapable: a path or right the sandbox
// refuses) are made by the WASI layer itself.
#pragma once

#include <cerrno>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace wgi::wasi {

// X(Enum, value, host errno (0: none), witx name)
#define WGI_WASI_ERRNOS(X) \
  X(Success, 0, 0, "success") \
  X(TooBig, 1, E2BIG, "2big") \
  X(Acces, 2, EACCES, "acces") \
  X(Addrinuse, 3, EADDRINUSE, "addrinuse") \
  X(Addrnotavail, 4, EADDRNOTAVAIL, "addrnotavail") \
  X(Afnosupport, 5, EAFNOSUPPORT, "afnosupport") \
  X(Again, 6, EAGAIN, "again") \
  X(Already, 7, EALREADY, "already") \
  X(Badf, 8, EBADF, "badf") \
  X(Badmsg, 9, EBADMSG, "badmsg") \
  X(Busy, 10, EBUSY, "busy") \
  X(Canceled, 11, ECANCELED, "canceled") \
  X(Child, 12, ECHILD, "child") \
  X(Connaborted, 13, ECONNABORTED, "connaborted") \
  X(Connrefused, 14, ECONNREFUSED, "connrefused") \
  X(Connreset, 15, ECONNRESET, "connreset") \
  X(Deadlk, 16, EDEADLK, "deadlk") \
  X(Destaddrreq, 17, EDESTADDRREQ, "destaddrreq") \
  X(Dom, 18, EDOM, "dom") \
  X(Dquot, 19, EDQUOT, "dquot") \
  X(Exist, 20, EEXIST, "exist") \
  X(Fault, 21, EFAULT, "fault") \
  X(Fbig, 22, EFBIG, "fbig") \
  X(Hostunreach, 23, EHOSTUNREACH, "hostunreach") \
  X(Idrm, 24, EIDRM, "idrm") \
  X(Ilseq, 25, EILSEQ, "ilseq") \
  X(Inprogress, 26, EINPROGRESS, "inprogress") \
  X(Intr, 27, EINTR, "intr") \
  X(Inval, 28, EINVAL, "inval") \
  X(Io, 29, EIO, "io") \
  X(Isconn, 30, EISCONN, "isconn") \
  X(Isdir, 31, EISDIR, "isdir") \
  X(Loop, 32, ELOOP, "loop") \
  X(Mfile, 33, EMFILE, "mfile") \
  X(Mlink, 34, EMLINK, "mlink") \
  X(Msgsize, 35, EMSGSIZE, "msgsize") \
  X(Multihop, 36, EMULTIHOP, "multihop") \
  X(Nametoolong, 37, ENAMETOOLONG, "nametoolong") \
  X(Netdown, 38, ENETDOWN, "netdown") \
  X(Netreset, 39, ENETRESET, "netreset") \
  X(Netunreach, 40, ENETUNREACH, "netunreach") \
  X(Nfile, 41, ENFILE, "nfile") \
  X(Nobufs, 42, ENOBUFS, "nobufs") \
  X(Nodev, 43, ENODEV, "nodev") \
  X(Noent, 44, ENOENT, "noent") \
  X(Noexec, 45, ENOEXEC, "noexec") \
  X(Nolck, 46, ENOLCK, "nolck") \
  X(Nolink, 47, ENOLINK, "nolink") \
  X(Nomem, 48, ENOMEM, "nomem") \
  X(Nomsg, 49, ENOMSG, "nomsg") \
  X(Noprotoopt, 50, ENOPROTOOPT, "noprotoopt") \
  X(Nospc, 51, ENOSPC, "nospc") \
  X(Nosys, 52, ENOSYS, "nosys") \
  X(Notconn, 53, ENOTCONN, "notconn") \
  X(Notdir, 54, ENOTDIR, "notdir") \
  X(Notempty, 55, ENOTEMPTY, "notempty") \
  X(Notrecoverable, 56, ENOTRECOVERABLE, "notrecoverable") \
  X(Notsock, 57, ENOTSOCK, "notsock") \
  X(Notsup, 58, ENOTSUP, "notsup") \
  X(Notty, 59, ENOTTY, "notty") \
  X(Nxio, 60, ENXIO, "nxio") \
  X(Overflow, 61, EOVERFLOW, "overflow") \
  X(Ownerdead, 62, EOWNERDEAD, "ownerdead") \
  X(Perm, 63, EPERM, "perm") \
  X(Pipe, 64, EPIPE, "pipe") \
  X(Proto, 65, EPROTO, "proto") \
  X(Protonosupport, 66, EPROTONOSUPPORT, "protonosupport") \
  X(Prototype, 67, EPROTOTYPE, "prototype") \
  X(Range, 68, ERANGE, "range") \
  X(Rofs, 69, EROFS, "rofs") \
  X(Spipe, 70, ESPIPE, "spipe") \
  X(Srch, 71, ESRCH, "srch") \
  X(Stale, 72, ESTALE, "stale") \
  X(Timedout, 73, ETIMEDOUT, "timedout") \
  X(Txtbsy, 74, ETXTBSY, "txtbsy") \
  X(Xdev, 75, EXDEV, "xdev") \
  X(Notcapable, 76, 0, "notcapable")

enum class Errno : uint16_t {
#define WGI_X(e, v, host, name) e = v,
  WGI_WASI_ERRNOS(WGI_X)
#undef WGI_X
};

// The WASI errno for a host errno (Errno::Io for one WASI has no name for).
// A scan of the list: only failing calls come here.
constexpr Errno to_wasi(int host_errno) {
  if (host_errno == 0) return Errno::Success;
  if (host_errno == EWOULDBLOCK) return Errno::Again;
  if (host_errno == EOPNOTSUPP) return Errno::Notsup;
  struct Pair {
    int host;
    Errno wasi;
  };
  constexpr Pair kPairs[] = {
#define WGI_X(e, v, host, name) {host, Errno::e},
      WGI_WASI_ERRNOS(WGI_X)
#undef WGI_X
  };
  for (const Pair& p : kPairs)
    if (p.host != 0 && p.host == host_errno) return p.wasi;
  return Errno::Io;
}

// "noent", "notcapable", ... ; "unknown" for a value outside the list.
constexpr std::string_view errno_name(Errno e) {
  switch (e) {
#define WGI_X(e, v, host, name) \
  case Errno::e:                \
    return name;
    WGI_WASI_ERRNOS(WGI_X)
#undef WGI_X
  }
  return "unknown";
}

}  // namespace wgi::wasi
