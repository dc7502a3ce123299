// preview1: the path_* functions. Every path is resolved beneath the
// directory descriptor it is relative to (sandbox.h): the host call that
// acts on it gets the directory holding the last component and that one
// component, so it cannot be led outside either.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/context.h"
#include "wasi/sandbox.h"

namespace wgi::wasi {

namespace {

constexpr uint32_t kSymlinkFollow = 1;  // lookupflags

// The guest's path argument, or Fault.
Errno guest_path(const Call& c, uint32_t ptr, uint32_t len, std::string* out) {
  std::optional<std::string> s = c.mem.string(ptr, len);
  if (!s) return Errno::Fault;
  *out = std::move(*s);
  return Errno::Success;
}

// The directory `fd` (with `right`), the path at (ptr, len) and its
// resolution beneath it.
Errno resolve_at(Call& c, uint32_t fd, uint64_t right, uint32_t ptr, uint32_t len, bool follow, Resolved* out) {
  Errno e;
  auto d = c.fd(fd, right, &e);
  if (!d) return e;
  if (d->type != FileType::Directory) return Errno::Notdir;
  std::string path;
  if (Errno pe = guest_path(c, ptr, len, &path); pe != Errno::Success) return pe;
  Resolution r = resolve(d->host, path, follow);
  if (!r.ok()) return r.error;
  *out = std::move(r.value);
  return Errno::Success;
}

Errno result(int rc) { return rc == 0 ? Errno::Success : host_error(); }

}  // namespace

Errno path_open(Call& c) {
  const uint32_t dirflags = c.u32(1), oflags = c.u32(4), fdflags_in = c.u32(7), fd_ptr = c.u32(8);
  const uint64_t want_base = c.u64(5), want_inheriting = c.u64(6);
  if (oflags & ~uint32_t{0xF}) return Errno::Inval;
  if (fdflags_in & ~uint32_t{0x1F}) return Errno::Inval;
  uint64_t needed = rights::PathOpen;
  if (oflags & 1) needed |= rights::PathCreateFile;
  if (oflags & 8) needed |= rights::PathFilestatSetSize;
  Errno e;
  auto dir = c.fd(c.u32(0), needed, &e);
  if (!dir) return e;
  if (dir->type != FileType::Directory) return Errno::Notdir;
  if (!c.mem.in_bounds(fd_ptr, 4)) return Errno::Fault;
  std::string path;
  if (Errno pe = guest_path(c, c.u32(2), c.u32(3), &path); pe != Errno::Success) return pe;

  // The new descriptor may hold what the directory lets it inherit, and
  // no more: asking for more is refused (as node does; the spec allows
  // fewer rights than asked for only where they cannot apply, below).
  const uint64_t dir_inheriting = dir->rights_inheriting.load();
  if ((want_base & ~dir_inheriting) || (want_inheriting & ~dir_inheriting)) return Errno::Notcapable;
  const uint64_t base = want_base;
  const uint64_t inheriting = want_inheriting;
  const bool reads = base & (rights::FdRead | rights::FdReaddir);
  const bool writes = base & (rights::FdWrite | rights::FdDatasync | rights::FdAllocate | rights::FdFilestatSetSize);
  int flags = writes ? (reads ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & 1) flags |= O_CREAT;
  if (oflags & 2) flags = (flags & ~O_ACCMODE) | O_RDONLY | O_DIRECTORY;
  if (oflags & 4) flags |= O_EXCL;
  if (oflags & 8) flags |= O_TRUNC;
  if (fdflags_in & fdflags::Append) flags |= O_APPEND;
  if (fdflags_in & fdflags::Dsync) flags |= O_DSYNC;
  if (fdflags_in & fdflags::Nonblock) flags |= O_NONBLOCK;
  if (fdflags_in & fdflags::Rsync) flags |= O_RSYNC;
  if (fdflags_in & fdflags::Sync) flags |= O_SYNC;
  Opened o = open_beneath(dir->host, path, flags, 0666, dirflags & kSymlinkFollow);
  if (!o.ok()) return o.error;
  const FileType type = file_type_of_fd(o.fd.get());
  // And no right that cannot apply to what was opened.
  auto desc = std::make_shared<FileDesc>(o.fd.get(), true, type, base & rights_of_fd(o.fd.get(), type),
                                         type == FileType::Directory ? inheriting : 0);
  o.fd.release();  // the descriptor owns it now
  const std::optional<uint32_t> fd = c.cx.fds.insert(std::move(desc), &e);
  if (!fd) return e;
  c.mem.store<uint32_t>(fd_ptr, *fd);
  return Errno::Success;
}

Errno path_create_directory(Call& c) {
  Resolved r;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathCreateDirectory, c.u32(1), c.u32(2), false, &r);
      e != Errno::Success)
    return e;
  return result(mkdirat(r.dir.get(), r.name.c_str(), 0777));
}

Errno path_remove_directory(Call& c) {
  Resolved r;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathRemoveDirectory, c.u32(1), c.u32(2), false, &r);
      e != Errno::Success)
    return e;
  return result(unlinkat(r.dir.get(), r.name.c_str(), AT_REMOVEDIR));
}

Errno path_unlink_file(Call& c) {
  Resolved r;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathUnlinkFile, c.u32(1), c.u32(2), false, &r);
      e != Errno::Success)
    return e;
  if (r.trailing_slash) return Errno::Isdir;  // "dir/" names a directory, which unlink does not remove
  return result(unlinkat(r.dir.get(), r.name.c_str(), 0));
}

Errno path_filestat_get(Call& c) {
  const uint32_t flags = c.u32(1);
  if (!c.mem.in_bounds(c.u32(4), 64)) return Errno::Fault;
  Resolved r;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathFilestatGet, c.u32(2), c.u32(3), flags & kSymlinkFollow, &r);
      e != Errno::Success)
    return e;
  struct stat st;
  if (fstatat(r.dir.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return host_error();
  store_filestat(c.mem, c.u32(4), &st);
  return Errno::Success;
}

Errno path_filestat_set_times(Call& c) {
  const uint32_t flags = c.u32(1);
  struct timespec ts[2];
  if (!times_from_flags(c.u64(4), c.u64(5), c.u32(6), ts)) return Errno::Inval;
  Resolved r;
  if (Errno e =
          resolve_at(c, c.u32(0), rights::PathFilestatSetTimes, c.u32(2), c.u32(3), flags & kSymlinkFollow, &r);
      e != Errno::Success)
    return e;
  return result(utimensat(r.dir.get(), r.name.c_str(), ts, AT_SYMLINK_NOFOLLOW));
}

Errno path_link(Call& c) {
  Resolved from, to;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathLinkSource, c.u32(2), c.u32(3), c.u32(1) & kSymlinkFollow,
                           &from);
      e != Errno::Success)
    return e;
  if (Errno e = resolve_at(c, c.u32(4), rights::PathLinkTarget, c.u32(5), c.u32(6), false, &to); e != Errno::Success)
    return e;
  return result(linkat(from.dir.get(), from.name.c_str(), to.dir.get(), to.name.c_str(), 0));
}

Errno path_rename(Call& c) {
  Resolved from, to;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathRenameSource, c.u32(1), c.u32(2), false, &from);
      e != Errno::Success)
    return e;
  if (Errno e = resolve_at(c, c.u32(3), rights::PathRenameTarget, c.u32(4), c.u32(5), false, &to);
      e != Errno::Success)
    return e;
  return result(renameat(from.dir.get(), from.name.c_str(), to.dir.get(), to.name.c_str()));
}

Errno path_symlink(Call& c) {
  std::string target;
  if (Errno e = guest_path(c, c.u32(0), c.u32(1), &target); e != Errno::Success) return e;
  if (target.find('\0') != std::string::npos) return Errno::Inval;
  // A link the sandbox could never follow is refused when it is made.
  if (!target.empty() && target[0] == '/') return kEscapeErrno;
  Resolved r;
  if (Errno e = resolve_at(c, c.u32(2), rights::PathSymlink, c.u32(3), c.u32(4), false, &r); e != Errno::Success)
    return e;
  return result(symlinkat(target.c_str(), r.dir.get(), r.name.c_str()));
}

Errno path_readlink(Call& c) {
  const uint32_t buf = c.u32(3), buf_len = c.u32(4), used_ptr = c.u32(5);
  if (!c.mem.in_bounds(buf, buf_len) || !c.mem.in_bounds(used_ptr, 4)) return Errno::Fault;
  Resolved r;
  if (Errno e = resolve_at(c, c.u32(0), rights::PathReadlink, c.u32(1), c.u32(2), false, &r); e != Errno::Success)
    return e;
  std::string text(4096, '\0');
  const ssize_t n = readlinkat(r.dir.get(), r.name.c_str(), text.data(), text.size());
  if (n < 0) return host_error();
  // As readlink(2): cut to the buffer, no NUL.
  const uint32_t used = std::min<uint32_t>(buf_len, static_cast<uint32_t>(n));
  c.mem.write(buf, text.data(), used);
  c.mem.store<uint32_t>(used_ptr, used);
  return Errno::Success;
}

}  // namespace wgi::wasi
