// The guest's file descriptors: what each number stands for on the host,
// its type and its rights.
//
// Rights are preview1's capability bits: every operation on a descriptor
// needs its right (fd_read needs FdRead, path_open on a directory needs
// PathOpen, ...), and a descriptor opened through a directory gets at most
// that directory's inheriting rights. fd_fdstat_set_rights can only drop
// rights. A missing right is Errno::Notcapable.
//
// Threads of one program (wasi-threads) share the table, so it is guarded
// by a mutex, and an entry is held by shared_ptr: a thread reading from a
// descriptor that another thread closes keeps the host descriptor open
// until its read returns, instead of reading from whatever the host number
// was reused for.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wasi/errno.h"

namespace wgi::wasi {

enum class FileType : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

// preview1's rights, bit by bit.
namespace rights {
inline constexpr uint64_t FdDatasync = 1ull << 0;
inline constexpr uint64_t FdRead = 1ull << 1;
inline constexpr uint64_t FdSeek = 1ull << 2;
inline constexpr uint64_t FdFdstatSetFlags = 1ull << 3;
inline constexpr uint64_t FdSync = 1ull << 4;
inline constexpr uint64_t FdTell = 1ull << 5;
inline constexpr uint64_t FdWrite = 1ull << 6;
inline constexpr uint64_t FdAdvise = 1ull << 7;
inline constexpr uint64_t FdAllocate = 1ull << 8;
inline constexpr uint64_t PathCreateDirectory = 1ull << 9;
inline constexpr uint64_t PathCreateFile = 1ull << 10;
inline constexpr uint64_t PathLinkSource = 1ull << 11;
inline constexpr uint64_t PathLinkTarget = 1ull << 12;
inline constexpr uint64_t PathOpen = 1ull << 13;
inline constexpr uint64_t FdReaddir = 1ull << 14;
inline constexpr uint64_t PathReadlink = 1ull << 15;
inline constexpr uint64_t PathRenameSource = 1ull << 16;
inline constexpr uint64_t PathRenameTarget = 1ull << 17;
inline constexpr uint64_t PathFilestatGet = 1ull << 18;
inline constexpr uint64_t PathFilestatSetSize = 1ull << 19;
inline constexpr uint64_t PathFilestatSetTimes = 1ull << 20;
inline constexpr uint64_t FdFilestatGet = 1ull << 21;
inline constexpr uint64_t FdFilestatSetSize = 1ull << 22;
inline constexpr uint64_t FdFilestatSetTimes = 1ull << 23;
inline constexpr uint64_t PathSymlink = 1ull << 24;
inline constexpr uint64_t PathRemoveDirectory = 1ull << 25;
inline constexpr uint64_t PathUnlinkFile = 1ull << 26;
inline constexpr uint64_t PollFdReadwrite = 1ull << 27;
inline constexpr uint64_t SockShutdown = 1ull << 28;
inline constexpr uint64_t SockAccept = 1ull << 29;
inline constexpr uint64_t All = (1ull << 30) - 1;

// What applies to a regular file, a directory, a terminal or pipe, and a
// socket: a descriptor never holds rights that cannot apply to it, and
// fd_fdstat_get reports them so.
inline constexpr uint64_t RegularFile = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell |
                                        FdWrite | FdAdvise | FdAllocate | FdFilestatGet | FdFilestatSetSize |
                                        FdFilestatSetTimes | PollFdReadwrite;
inline constexpr uint64_t Directory = FdFdstatSetFlags | FdSync | PathCreateDirectory | PathCreateFile |
                                      PathLinkSource | PathLinkTarget | PathOpen | FdReaddir | PathReadlink |
                                      PathRenameSource | PathRenameTarget | PathFilestatGet |
                                      PathFilestatSetSize | PathFilestatSetTimes | FdFilestatGet |
                                      FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile;
inline constexpr uint64_t DirectoryInheriting = Directory | RegularFile;
inline constexpr uint64_t Stream = FdRead | FdFdstatSetFlags | FdWrite | FdFilestatGet | PollFdReadwrite;
inline constexpr uint64_t Socket = Stream | SockShutdown | SockAccept;
}  // namespace rights

// preview1's fdflags.
namespace fdflags {
inline constexpr uint16_t Append = 1 << 0;
inline constexpr uint16_t Dsync = 1 << 1;
inline constexpr uint16_t Nonblock = 1 << 2;
inline constexpr uint16_t Rsync = 1 << 3;
inline constexpr uint16_t Sync = 1 << 4;
}  // namespace fdflags

struct FileDesc {
  FileDesc(int host_fd, bool owns, FileType t, uint64_t base, uint64_t inheriting)
      : host(host_fd), owned(owns), type(t), rights_base(base), rights_inheriting(inheriting) {}
  ~FileDesc();
  FileDesc(const FileDesc&) = delete;
  FileDesc& operator=(const FileDesc&) = delete;

  const int host;          // the host descriptor
  const bool owned;        // closed with the entry (stdio is not)
  const FileType type;
  // Narrowed by fd_fdstat_set_rights (under the table's mutex) while other
  // threads may read them.
  std::atomic<uint64_t> rights_base, rights_inheriting;
  // A preopened directory: the name the guest sees (fd_prestat_dir_name).
  std::optional<std::string> preopen;
  // fd_readdir reads the directory from a cookie; the host stream and the
  // position it stands at are kept between calls (readdir.cc).
  std::mutex dir_mu;
  void* dir_stream = nullptr;  // DIR*, opened on first use
  uint64_t dir_cookie = 0;     // the cookie of the next entry dir_stream gives
};

// The rights that can apply to a descriptor of `type`: those of a
// directory, a regular file, a socket, or else a stream (terminal, pipe).
constexpr uint64_t rights_of_type(FileType type) {
  switch (type) {
    case FileType::Directory: return rights::Directory;
    case FileType::RegularFile: return rights::RegularFile;
    case FileType::SocketStream:
    case FileType::SocketDgram: return rights::Socket;
    default: return rights::Stream;
  }
}

// Host facts -> preview1 values.
FileType file_type_of_mode(unsigned mode);  // st_mode & S_IFMT
// The type of an open host descriptor (fstat), Unknown when it fails.
FileType file_type_of_fd(int fd);
// The rights that can apply to the open host descriptor `fd` of `type`:
// rights_of_type, plus seek and tell for a character device that is not a
// terminal (/dev/null, /dev/zero: they seek). wasi-libc's isatty() is
// "a character device without seek or tell", so a terminal must lack them
// and nothing else may.
uint64_t rights_of_fd(int fd, FileType type);

class FdTable {
 public:
  // The entry for `fd` if it exists and holds every right in `needed`:
  // else Errno::Badf (no such descriptor) or Errno::Notcapable.
  std::shared_ptr<FileDesc> get(uint32_t fd, uint64_t needed, Errno* error);
  // Gives `desc` the lowest free number; Errno::Mfile when the table is full.
  std::optional<uint32_t> insert(std::shared_ptr<FileDesc> desc, Errno* error);
  // Puts `desc` at `fd` (stdio and preopens, at start-up).
  void put(uint32_t fd, std::shared_ptr<FileDesc> desc);
  Errno close(uint32_t fd);
  // fd_renumber: `to` must be open; it is closed and `from` moves there.
  Errno renumber(uint32_t from, uint32_t to);
  // fd_fdstat_set_rights: only drops rights.
  Errno set_rights(uint32_t fd, uint64_t base, uint64_t inheriting);

  // Guest descriptors stop here: the host's own limit on open files is
  // usually lower and reached first (Mfile).
  static constexpr uint32_t kMaxFds = 1u << 20;

 private:
  std::mutex mu_;
  std::vector<std::shared_ptr<FileDesc>> fds_;
};

}  // namespace wgi::wasi
