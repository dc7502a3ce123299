// The WASI sandbox's path resolution: how a guest path, relative to a
// preopened directory, becomes something on the host, without ever leaving
// that directory.
//
// Every path_* function of wasi_snapshot_preview1 names a preopen (an open
// host directory fd) and a guest path, a byte string the guest fully
// controls. The host must act on the file that path names *beneath* the
// preopen, and on nothing else, whatever the path or the symlinks in the tree
// say and whatever a concurrent writer does to the tree meanwhile. Handing the
// whole path to openat() would not do: `..`, absolute paths and symlinks all
// lead out, and checking a path textually before opening it is racy.
//
// So the walk here never lets the kernel resolve more than one component at
// a time, and never lets it follow a symlink:
//
//  * The walk opens each directory component with
//    openat(dir, component, O_PATH | O_DIRECTORY | O_NOFOLLOW), keeping a
//    stack of the directory fds it went through. `..` pops that stack (it is
//    never asked of the kernel), so it cannot climb above the preopen; popping
//    the preopen itself is an escape.
//  * A component that is a symlink is not followed by the kernel: its text is
//    read with readlinkat() and spliced in front of the components still to
//    walk, and the walk goes on from the directory that holds the link, inside
//    the same sandbox. Absolute link text is an escape, like an absolute path.
//    What a racing writer swaps in between two calls is at worst another
//    symlink, which is read and resolved the same way.
//  * An escape fails with Errno::Notcapable (kEscapeErrno) and touches
//    nothing outside the preopen.
//
// When the kernel has openat2(), RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS lets
// it walk the directory part in one call with the same guarantee (it refuses
// `..` above the start and absolute symlinks with EXDEV, read here as an
// escape); Walk::Auto uses it and falls back to the walk above when the
// syscall is missing. Both give the same answers (but for two corners noted
// in sandbox.cc); Walk picks one for tests.
//
// The result is, for most operations, the *parent* directory (an owned fd)
// and the last component's name, so that the caller performs the operation
// itself with the *at() call (mkdirat, unlinkat, renameat, linkat, symlinkat,
// readlinkat, fstatat with AT_SYMLINK_NOFOLLOW, utimensat with
// AT_SYMLINK_NOFOLLOW, openat with O_NOFOLLOW): a single component, never
// `..`, and never followed if a symlink, so the kernel cannot be led out at
// that step either. Whether a symlink as the last component is followed is
// the caller's choice (lookupflags.symlink_follow); following happens here,
// inside the sandbox, and the result then names what the link leads to.
//
// Caveats, as for every fd-based sandbox (cap-std's too): a directory the
// walk is inside, moved out of the preopen by someone else on the host (the
// guest cannot: its renames stay beneath its preopens), takes the walk with
// it. And the walk holds one fd per directory level it is inside (that is
// what lets `..` pop without the kernel), so a path (with its symlinks) deep
// enough to exhaust the process's fd table fails with Mfile meanwhile.
//
// Thread-safe: no global state; every fd made here is O_CLOEXEC; none leaks.
// Errors are values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "wasi/errno.h"

namespace wgi::wasi {

// What an attempt to leave the preopen fails with: `..` above it, an absolute
// path, a symlink whose text is absolute or climbs above it. Notcapable is
// WASI's errno for "the sandbox refuses"; uvwasi (node) says it for these too,
// while wasmtime's preview1 (cap-std) says Perm. One constant, to change it.
inline constexpr Errno kEscapeErrno = Errno::Notcapable;

// Symlinks expanded in one resolution before it fails with Errno::Loop: the
// kernel's limit (MAXSYMLINKS), so both walks agree.
inline constexpr int kMaxSymlinkExpansions = 40;

// An owned host fd, closed on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  // Gives up ownership: the caller closes the fd.
  [[nodiscard]] int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the fd held (if any) and holds `fd` instead.
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// The outcome of a resolution: the directory that holds the last component,
// and that component.
struct Resolved {
  // Beneath the preopen (or the preopen itself); O_PATH | O_DIRECTORY. Use it
  // only as the dirfd of *at() calls.
  UniqueFd dir;
  // One component, never empty, never containing '/', never "..". "." when
  // the path names `dir` itself (".", "d/..", "d/."): mkdirat then gives
  // EEXIST, unlinkat(AT_REMOVEDIR) EINVAL, openat and fstatat act on `dir`.
  std::string name;
  // The path ended in '/' (or a followed final symlink's text did): the
  // entry must be a directory. If `name` exists and is not one (an unfollowed
  // symlink included, as Linux's rmdir/unlink/rename("link/") say), the
  // resolution already failed with Notdir; so this is set only when `name` is
  // a directory or absent (mkdir "new/" is fine), and the caller may still
  // need it: unlink_file of "dir/" must fail (Isdir), open needs O_DIRECTORY.
  bool trailing_slash = false;
};

struct Resolution {
  Errno error = Errno::Success;
  Resolved value;  // meaningful only when ok()
  bool ok() const { return error == Errno::Success; }
};

struct Opened {
  Errno error = Errno::Success;
  UniqueFd fd;  // valid only when ok()
  bool ok() const { return error == Errno::Success; }
};

// Which walk a resolution uses. Auto is the one to use; the others exist so
// that tests can run each on its own (Openat2 fails with Nosys on a kernel
// without the syscall).
enum class Walk : uint8_t { Auto, Components, Openat2 };

// Resolves `path` beneath the directory `root_fd` (not owned; O_PATH or
// readable) to the directory holding its last component and that component's
// name. `follow_last`: a symlink as the last component is followed (inside
// the sandbox, to whatever it leads to); otherwise the result names the link
// itself. Lookups of the last component are done only when needed (to follow
// it, or to check a trailing slash): with follow_last false and no trailing
// slash it need not exist.
//
// Fails with: Noent for an empty path (or a missing directory component);
// Inval for a path with a NUL byte; Notcapable (kEscapeErrno) for any escape;
// Loop after kMaxSymlinkExpansions symlinks; Nametoolong for a path of
// PATH_MAX bytes or more (or a component the host finds too long); Notdir for
// a directory component that is not one or for the trailing slash rule above;
// other host errors as to_wasi() maps them.
//
// A Linux nuance the caller may want: lstat("link/") and open("link/",
// O_NOFOLLOW) follow the link (a trailing slash asks for a directory), while
// rmdir/unlink/rename("link/") fail with ENOTDIR. Here follow_last alone
// decides, so a stat-like caller after Linux's behaviour passes
// `follow || path.ends_with('/')` (open_beneath does so itself).
Resolution resolve(int root_fd, std::string_view path, bool follow_last, Walk walk = Walk::Auto);

// Opens what `path` names beneath `root_fd` with the host open(2) `flags`
// (O_ACCMODE, O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_APPEND, O_NONBLOCK,
// O_SYNC, ...; O_CLOEXEC is always added) and `mode` for O_CREAT. The last
// component is followed as a symlink if `follow_last` (not with O_CREAT |
// O_EXCL: POSIX has that fail on any symlink) or the path ends in '/';
// otherwise opening a symlink fails as O_NOFOLLOW makes it (Loop, or Notdir
// with O_DIRECTORY). A trailing slash adds O_DIRECTORY, and with O_CREAT
// fails with Isdir, as Linux does. A final symlink swapped in by a racing
// writer after the resolution is caught (the final openat() is O_NOFOLLOW)
// and resolved again.
Opened open_beneath(int root_fd, std::string_view path, int flags, mode_t mode, bool follow_last,
                    Walk walk = Walk::Auto);

}  // namespace wgi::wasi
