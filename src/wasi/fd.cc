// preview1: the fd_* functions (descriptors already open).
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "wasi/context.h"

namespace wgi::wasi {

namespace {

uint16_t fdflags_of_host(int fl) {
  uint16_t f = 0;
  if (fl & O_APPEND) f |= fdflags::Append;
  if (fl & O_NONBLOCK) f |= fdflags::Nonblock;
  if (fl & O_DSYNC) f |= fdflags::Dsync;
  if ((fl & O_SYNC) == O_SYNC) f |= fdflags::Sync | fdflags::Rsync;
  return f;
}

// A blocking read or write on a terminal, pipe or socket may wait for ever:
// wait for readiness in slices, so that a thread the runtime stops (a trap
// in another thread, SIGINT) returns instead of keeping the program alive.
// Regular files and non-blocking descriptors never wait here.
Errno wait_ready(Call& c, const FileDesc& d, short events) {
  if (d.type == FileType::RegularFile || d.type == FileType::Directory) return Errno::Success;
  const int fl = fcntl(d.host, F_GETFL);
  if (fl >= 0 && (fl & O_NONBLOCK)) return Errno::Success;
  for (;;) {
    if (c.thread.interrupt_requested()) {
      c.trap = interp::TrapKind::Interrupted;
      return Errno::Intr;
    }
    struct pollfd p = {d.host, events, 0};
    const int n = poll(&p, 1, 100);
    if (n > 0) return Errno::Success;  // ready, or an error the read itself reports
    if (n < 0 && errno != EINTR) return host_error();
  }
}

// Moves bytes between the descriptor and the guest's iovecs: read (into
// guest memory) or write, at the file position or at `offset`. An unshared
// memory is handed to the host call directly; a shared one goes through a
// bounce buffer, copied race-free (guest_memory.h).
Errno transfer(Call& c, const FileDesc& d, bool write, uint32_t iovs, uint32_t count, const int64_t* offset,
               uint32_t* done) {
  std::vector<GuestBuf> bufs;
  if (Errno e = read_iovecs(c.mem, iovs, count, &bufs); e != Errno::Success) return e;
  if (!offset) {
    if (Errno e = wait_ready(c, d, write ? POLLOUT : POLLIN); e != Errno::Success) return e;
  }
  ssize_t n;
  if (!c.mem.shared()) {
    std::vector<iovec> host(bufs.size());
    for (size_t i = 0; i < bufs.size(); ++i) host[i] = {c.mem.host(bufs[i].ptr), bufs[i].len};
    const int cnt = static_cast<int>(std::min<size_t>(host.size(), IOV_MAX));
    do {
      if (write) n = offset ? pwritev(d.host, host.data(), cnt, *offset) : writev(d.host, host.data(), cnt);
      else n = offset ? preadv(d.host, host.data(), cnt, *offset) : readv(d.host, host.data(), cnt);
    } while (n < 0 && errno == EINTR);
  } else {
    std::vector<uint8_t> bounce = write ? gather(c.mem, bufs) : std::vector<uint8_t>(bounce_size(bufs));
    const uint64_t total = bounce.size();
    do {
      if (write) n = offset ? pwrite(d.host, bounce.data(), total, *offset) : ::write(d.host, bounce.data(), total);
      else n = offset ? pread(d.host, bounce.data(), total, *offset) : ::read(d.host, bounce.data(), total);
    } while (n < 0 && errno == EINTR);
    if (!write && n > 0) scatter(c.mem, bufs, bounce.data(), static_cast<uint64_t>(n));
  }
  if (n < 0) return host_error();
  *done = static_cast<uint32_t>(n);
  // Unshared memory went to the host directly: record what moved, the
  // first n bytes of the buffers in order (gather and scatter recorded
  // the bounce buffer's copies).
  uint64_t left = c.mem.shared() ? 0 : static_cast<uint64_t>(n);
  for (const GuestBuf& b : bufs) {
    if (left == 0) break;
    const uint64_t part = std::min<uint64_t>(b.len, left);
    record_guest_access(c.thread, write ? interp::EventOp::Read : interp::EventOp::Write, b.ptr, part);
    left -= part;
  }
  return Errno::Success;
}

Errno rw(Call& c, bool write, bool positioned) {
  // fd, iovs, iovs_len, [offset,] result ptr
  const int result_arg = positioned ? 4 : 3;
  uint64_t needed = write ? rights::FdWrite : rights::FdRead;
  if (positioned) needed |= rights::FdSeek;
  Errno e;
  auto d = c.fd(c.u32(0), needed, &e);
  if (!d) return e;
  if (d->type == FileType::Directory) return Errno::Isdir;
  const int64_t off = static_cast<int64_t>(c.u64(3));
  if (positioned && off < 0) return Errno::Inval;
  if (!c.mem.in_bounds(c.u32(result_arg), 4)) return Errno::Fault;
  uint32_t done = 0;
  if (Errno t = transfer(c, *d, write, c.u32(1), c.u32(2), positioned ? &off : nullptr, &done);
      t != Errno::Success)
    return t;
  c.mem.store<uint32_t>(c.u32(result_arg), done);
  return Errno::Success;
}

}  // namespace

Errno fd_read(Call& c) { return rw(c, false, false); }
Errno fd_write(Call& c) { return rw(c, true, false); }
Errno fd_pread(Call& c) { return rw(c, false, true); }
Errno fd_pwrite(Call& c) { return rw(c, true, true); }

Errno fd_close(Call& c) { return c.cx.fds.close(c.u32(0)); }
Errno fd_renumber(Call& c) { return c.cx.fds.renumber(c.u32(0), c.u32(1)); }

Errno fd_advise(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdAdvise, &e);
  if (!d) return e;
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  const uint32_t advice = c.u32(3);
  if (advice >= std::size(kAdvice)) return Errno::Inval;
  if (d->type == FileType::Directory) return Errno::Badf;
  const int rc = posix_fadvise(d->host, static_cast<off_t>(c.u64(1)), static_cast<off_t>(c.u64(2)), kAdvice[advice]);
  return rc == 0 || rc == ESPIPE ? Errno::Success : to_wasi(rc);
}

Errno fd_allocate(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdAllocate, &e);
  if (!d) return e;
  if (d->type == FileType::Directory) return Errno::Badf;
  const int rc = posix_fallocate(d->host, static_cast<off_t>(c.u64(1)), static_cast<off_t>(c.u64(2)));
  return to_wasi(rc);
}

Errno fd_datasync(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdDatasync, &e);
  if (!d) return e;
  return fdatasync(d->host) == 0 ? Errno::Success : host_error();
}

Errno fd_sync(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdSync, &e);
  if (!d) return e;
  return fsync(d->host) == 0 ? Errno::Success : host_error();
}

Errno fd_fdstat_get(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), 0, &e);
  if (!d) return e;
  const uint32_t p = c.u32(1);
  if (!c.mem.in_bounds(p, 24)) return Errno::Fault;
  const int fl = fcntl(d->host, F_GETFL);
  c.mem.store<uint64_t>(p, static_cast<uint8_t>(d->type));  // filetype, padding and flags (0)
  c.mem.store<uint16_t>(p + 2, fl < 0 ? 0 : fdflags_of_host(fl));
  c.mem.store<uint64_t>(p + 8, d->rights_base.load());
  c.mem.store<uint64_t>(p + 16, d->rights_inheriting.load());
  return Errno::Success;
}

Errno fd_fdstat_set_flags(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdFdstatSetFlags, &e);
  if (!d) return e;
  const uint32_t f = c.u32(1);
  if (f & ~uint32_t{0x1F}) return Errno::Inval;
  // Linux cannot change the sync flags of an open file.
  if (f & (fdflags::Dsync | fdflags::Rsync | fdflags::Sync)) return Errno::Notsup;
  int fl = fcntl(d->host, F_GETFL);
  if (fl < 0) return host_error();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (f & fdflags::Append) fl |= O_APPEND;
  if (f & fdflags::Nonblock) fl |= O_NONBLOCK;
  return fcntl(d->host, F_SETFL, fl) == 0 ? Errno::Success : host_error();
}

Errno fd_fdstat_set_rights(Call& c) { return c.cx.fds.set_rights(c.u32(0), c.u64(1), c.u64(2)); }

Errno fd_filestat_get(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdFilestatGet, &e);
  if (!d) return e;
  struct stat st;
  if (fstat(d->host, &st) != 0) return host_error();
  return store_filestat(c.mem, c.u32(1), &st) ? Errno::Success : Errno::Fault;
}

Errno fd_filestat_set_size(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdFilestatSetSize, &e);
  if (!d) return e;
  if (static_cast<int64_t>(c.u64(1)) < 0) return Errno::Inval;
  return ftruncate(d->host, static_cast<off_t>(c.u64(1))) == 0 ? Errno::Success : host_error();
}

// fstflags: 1 atim, 2 atim_now, 4 mtim, 8 mtim_now.
bool times_from_flags(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec out[2]) {
  if ((flags & ~uint32_t{0xF}) || ((flags & 1) && (flags & 2)) || ((flags & 4) && (flags & 8))) return false;
  auto one = [](uint64_t ns, bool set, bool now, struct timespec* ts) {
    if (now) {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_NOW;
    } else if (set) {
      ts->tv_sec = static_cast<time_t>(ns / 1000000000u);
      ts->tv_nsec = static_cast<long>(ns % 1000000000u);
    } else {
      ts->tv_sec = 0;
      ts->tv_nsec = UTIME_OMIT;
    }
  };
  one(atim, flags & 1, flags & 2, &out[0]);
  one(mtim, flags & 4, flags & 8, &out[1]);
  return true;
}

Errno fd_filestat_set_times(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdFilestatSetTimes, &e);
  if (!d) return e;
  struct timespec ts[2];
  if (!times_from_flags(c.u64(1), c.u64(2), c.u32(3), ts)) return Errno::Inval;
  return futimens(d->host, ts) == 0 ? Errno::Success : host_error();
}

Errno fd_prestat_get(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), 0, &e);
  if (!d) return e;
  if (!d->preopen) return Errno::Badf;
  const uint32_t p = c.u32(1);
  if (!c.mem.in_bounds(p, 8)) return Errno::Fault;
  c.mem.store<uint32_t>(p, 0);  // tag: dir (and padding)
  c.mem.store<uint32_t>(p + 4, static_cast<uint32_t>(d->preopen->size()));
  return Errno::Success;
}

Errno fd_prestat_dir_name(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), 0, &e);
  if (!d) return e;
  if (!d->preopen) return Errno::Badf;
  if (c.u32(2) < d->preopen->size()) return Errno::Nametoolong;
  return c.mem.write(c.u32(1), d->preopen->data(), d->preopen->size()) ? Errno::Success : Errno::Fault;
}

Errno fd_seek(Call& c) {
  const int64_t offset = static_cast<int64_t>(c.u64(1));
  const uint32_t whence = c.u32(2);
  // A seek that only asks where it is needs just the right to tell.
  const uint64_t needed = offset == 0 && whence == 1 ? rights::FdTell : rights::FdSeek;
  Errno e;
  auto d = c.fd(c.u32(0), needed, &e);
  if (!d) return e;
  static constexpr int kWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  if (whence > 2) return Errno::Inval;
  if (!c.mem.in_bounds(c.u32(3), 8)) return Errno::Fault;
  const off_t at = lseek(d->host, offset, kWhence[whence]);
  if (at < 0) return host_error();
  c.mem.store<uint64_t>(c.u32(3), static_cast<uint64_t>(at));
  return Errno::Success;
}

Errno fd_tell(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdTell, &e);
  if (!d) return e;
  if (!c.mem.in_bounds(c.u32(1), 8)) return Errno::Fault;
  const off_t at = lseek(d->host, 0, SEEK_CUR);
  if (at < 0) return host_error();
  c.mem.store<uint64_t>(c.u32(1), static_cast<uint64_t>(at));
  return Errno::Success;
}

// Cookies are entry indices: the entry a cookie names is the cookie-th the
// host's stream gives from its start ("." and ".." included, as wasmtime
// lists them). The stream stays open between calls, so reading a directory
// from start to end costs one pass; a cookie behind the stream's position
// rewinds it.
Errno fd_readdir(Call& c) {
  Errno e;
  auto d = c.fd(c.u32(0), rights::FdReaddir, &e);
  if (!d) return e;
  if (d->type != FileType::Directory) return Errno::Notdir;
  const uint32_t buf = c.u32(1), buf_len = c.u32(2), used_ptr = c.u32(4);
  const uint64_t cookie = c.u64(3);
  if (!c.mem.in_bounds(buf, buf_len) || !c.mem.in_bounds(used_ptr, 4)) return Errno::Fault;
  std::lock_guard g(d->dir_mu);
  DIR* dir = static_cast<DIR*>(d->dir_stream);
  if (dir == nullptr) {
    const int dup = fcntl(d->host, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) return host_error();
    dir = fdopendir(dup);
    if (dir == nullptr) {
      const Errno err = host_error();
      ::close(dup);
      return err;
    }
    d->dir_stream = dir;
    d->dir_cookie = 0;
  }
  if (cookie < d->dir_cookie) {
    rewinddir(dir);
    d->dir_cookie = 0;
  }
  // Skip to the cookie.
  while (d->dir_cookie < cookie) {
    errno = 0;
    if (readdir(dir) == nullptr) {
      if (errno != 0) return host_error();
      c.mem.store<uint32_t>(used_ptr, 0);  // past the end: nothing more
      return Errno::Success;
    }
    ++d->dir_cookie;
  }
  uint32_t used = 0;
  while (used < buf_len) {
    const long pos = telldir(dir);
    errno = 0;
    const struct dirent* ent = readdir(dir);
    if (ent == nullptr) {
      if (errno != 0) return host_error();
      break;
    }
    FileType type = FileType::Unknown;
    switch (ent->d_type) {
      case DT_BLK: type = FileType::BlockDevice; break;
      case DT_CHR: type = FileType::CharacterDevice; break;
      case DT_DIR: type = FileType::Directory; break;
      case DT_REG: type = FileType::RegularFile; break;
      case DT_SOCK: type = FileType::SocketStream; break;
      case DT_LNK: type = FileType::SymbolicLink; break;
      default: {
        struct stat st;
        if (fstatat(dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) type = file_type_of_mode(st.st_mode);
      }
    }
    const uint32_t namlen = static_cast<uint32_t>(std::strlen(ent->d_name));
    uint8_t header[24] = {};
    const uint64_t next = d->dir_cookie + 1;
    const uint64_t ino = ent->d_ino;
    std::memcpy(header, &next, 8);
    std::memcpy(header + 8, &ino, 8);
    std::memcpy(header + 16, &namlen, 4);
    header[20] = static_cast<uint8_t>(type);
    // As much of the entry as fits; a cut entry fills the buffer, which
    // tells the guest to ask again with a bigger one (from this cookie).
    const uint32_t room = buf_len - used;
    const uint32_t head = std::min<uint32_t>(room, 24);
    c.mem.write(buf + used, header, head);
    used += head;
    const uint32_t name = std::min<uint32_t>(buf_len - used, namlen);
    c.mem.write(buf + used, ent->d_name, name);
    used += name;
    if (head < 24 || name < namlen) {
      seekdir(dir, pos);  // not consumed
      break;
    }
    ++d->dir_cookie;
  }
  c.mem.store<uint32_t>(used_ptr, used);
  return Errno::Success;
}

}  // namespace wgi::wasi
