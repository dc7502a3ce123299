#include "wasi/fd_table.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wgi::wasi {

FileDesc::~FileDesc() {
  // closedir closes the descriptor the stream was opened on (a duplicate
  // of `host`, readdir.cc), not `host` itself.
  if (dir_stream) closedir(static_cast<DIR*>(dir_stream));
  if (owned && host >= 0) ::close(host);
}

FileType file_type_of_mode(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFBLK: return FileType::BlockDevice;
    case S_IFCHR: return FileType::CharacterDevice;
    case S_IFDIR: return FileType::Directory;
    case S_IFREG: return FileType::RegularFile;
    case S_IFSOCK: return FileType::SocketStream;
    case S_IFLNK: return FileType::SymbolicLink;
    default: return FileType::Unknown;  // FIFOs too, as wasmtime reports them
  }
}

FileType file_type_of_fd(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return FileType::Unknown;
  return file_type_of_mode(st.st_mode);
}

uint64_t rights_of_fd(int fd, FileType type) {
  uint64_t r = rights_of_type(type);
  if (type == FileType::CharacterDevice && !isatty(fd)) r |= rights::FdSeek | rights::FdTell;
  return r;
}

std::shared_ptr<FileDesc> FdTable::get(uint32_t fd, uint64_t needed, Errno* error) {
  std::lock_guard g(mu_);
  if (fd >= fds_.size() || !fds_[fd]) {
    *error = Errno::Badf;
    return nullptr;
  }
  if ((fds_[fd]->rights_base & needed) != needed) {
    *error = Errno::Notcapable;
    return nullptr;
  }
  *error = Errno::Success;
  return fds_[fd];
}

std::optional<uint32_t> FdTable::insert(std::shared_ptr<FileDesc> desc, Errno* error) {
  std::lock_guard g(mu_);
  for (uint32_t i = 0; i < fds_.size(); ++i) {
    if (!fds_[i]) {
      fds_[i] = std::move(desc);
      return i;
    }
  }
  if (fds_.size() >= kMaxFds) {
    *error = Errno::Mfile;
    return std::nullopt;
  }
  fds_.push_back(std::move(desc));
  return static_cast<uint32_t>(fds_.size() - 1);
}

void FdTable::put(uint32_t fd, std::shared_ptr<FileDesc> desc) {
  std::lock_guard g(mu_);
  if (fd >= fds_.size()) fds_.resize(fd + 1);
  fds_[fd] = std::move(desc);
}

Errno FdTable::close(uint32_t fd) {
  std::shared_ptr<FileDesc> gone;  // released after the lock
  std::lock_guard g(mu_);
  if (fd >= fds_.size() || !fds_[fd]) return Errno::Badf;
  gone = std::move(fds_[fd]);
  return Errno::Success;
}

Errno FdTable::renumber(uint32_t from, uint32_t to) {
  std::shared_ptr<FileDesc> gone;
  std::lock_guard g(mu_);
  if (from >= fds_.size() || !fds_[from] || to >= fds_.size() || !fds_[to]) return Errno::Badf;
  if (from == to) return Errno::Success;
  gone = std::move(fds_[to]);
  fds_[to] = std::move(fds_[from]);
  return Errno::Success;
}

Errno FdTable::set_rights(uint32_t fd, uint64_t base, uint64_t inheriting) {
  std::lock_guard g(mu_);
  if (fd >= fds_.size() || !fds_[fd]) return Errno::Badf;
  FileDesc& d = *fds_[fd];
  if ((base & ~d.rights_base) != 0 || (inheriting & ~d.rights_inheriting) != 0) return Errno::Notcapable;
  d.rights_base = base;
  d.rights_inheriting = inheriting;
  return Errno::Success;
}

}  // namespace wgi::wasi
