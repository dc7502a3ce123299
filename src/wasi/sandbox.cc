// Path resolution beneath a preopen: see sandbox.h for the why.
#include "wasi/sandbox.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <utility>
#include <vector>

namespace wgi::wasi {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

// How often an openat2() that failed with EAGAIN is tried again. The kernel
// says EAGAIN when a rename or mount somewhere raced with a `..` and it could
// not prove the `..` stayed beneath the start; a retry normally succeeds.
constexpr int kOpenat2Retries = 8;

Resolution fail(Errno e) {
  Resolution r;
  r.error = e;
  return r;
}

bool ends_with_slash(std::string_view s) { return !s.empty() && s.back() == '/'; }

// What is wrong with a guest path before any lookup, if anything. The length
// limit is the kernel's (paths of PATH_MAX bytes or more are ENAMETOOLONG), so
// that the walk, which never hands the whole path to the kernel, answers as
// openat2() does, and so that what one walk holds stays bounded (link texts
// are below PATH_MAX too, and at most 40 of them are spliced in).
Errno check_path(std::string_view path) {
  if (path.empty()) return Errno::Noent;
  // Guests pass byte strings; the host's C strings would end at the NUL and
  // name something else.
  if (path.find('\0') != std::string_view::npos) return Errno::Inval;
  if (path.front() == '/') return kEscapeErrno;
  if (path.size() >= PATH_MAX) return Errno::Nametoolong;
  return Errno::Success;
}

// Pushes the non-empty components of `text` onto `pending`, the first one on
// top (pending is a stack of what is still to walk, so a symlink's text is
// spliced in front of the rest by pushing it).
void push_components(std::string_view text, std::vector<std::string>& pending) {
  size_t end = text.size();
  while (end > 0) {
    size_t slash = text.rfind('/', end - 1);
    size_t begin = slash == std::string_view::npos ? 0 : slash + 1;
    if (begin < end) pending.emplace_back(text.substr(begin, end - begin));
    if (slash == std::string_view::npos) break;
    end = slash;
  }
}

// A new O_PATH fd for the directory `root` itself: the result owns its fd,
// and the caller's preopen stays the caller's. Also checks that it is one.
Errno reopen_dir(int root, UniqueFd* out) {
  int fd = ::openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return to_wasi(errno);
  out->reset(fd);
  return Errno::Success;
}

// The text of the symlink `name` in `dir` (Inval: it is not a symlink).
Errno read_link(int dir, const char* name, std::string* text) {
  char buf[PATH_MAX];
  ssize_t n = ::readlinkat(dir, name, buf, sizeof buf);
  if (n < 0) return to_wasi(errno);
  if (static_cast<size_t>(n) >= sizeof buf) return Errno::Nametoolong;  // cannot happen on Linux
  text->assign(buf, static_cast<size_t>(n));
  return Errno::Success;
}

// Whether a symlink's text may be spliced into the walk; counts it.
Errno admit_link(const std::string& text, int* expansions) {
  if (++*expansions > kMaxSymlinkExpansions) return Errno::Loop;
  if (text.empty()) return Errno::Noent;  // as the kernel says for an empty link
  if (text.front() == '/') return kEscapeErrno;
  return Errno::Success;
}

// What to do with a walk's last component (never "." or ".."): it is the
// answer (Done), a symlink to follow (Link, with its text), or it changed
// between two looks and must be looked at again (Again).
enum class Last { Done, Link, Again };
struct LastStep {
  Errno error = Errno::Success;
  Last kind = Last::Done;
  std::string link;
};

LastStep examine_last(int dir, const std::string& name, bool follow, bool trailing) {
  LastStep step;
  // Nothing to decide: the caller's *at() call will find out what is there.
  if (!follow && !trailing) return step;
  if (follow) {
    Errno e = read_link(dir, name.c_str(), &step.link);
    if (e == Errno::Success) {
      step.kind = Last::Link;
      return step;
    }
    if (e == Errno::Noent) return step;  // absent: the caller may be creating it
    if (e != Errno::Inval) {
      step.error = e;
      return step;
    }
    if (!trailing) return step;  // not a symlink
  }
  // A trailing slash: what is there must be a directory (or nothing yet).
  struct stat st;
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT) step.error = to_wasi(errno);
    return step;
  }
  if (S_ISLNK(st.st_mode)) {
    if (follow) {
      step.kind = Last::Again;  // swapped in since readlinkat() said it was none
    } else {
      step.error = Errno::Notdir;  // an unfollowed link is not a directory
    }
  } else if (!S_ISDIR(st.st_mode)) {
    step.error = Errno::Notdir;
  }
  return step;
}

// The walk, one component at a time (see sandbox.h).
Resolution walk_components(int root, std::string_view path, bool follow_last) {
  if (Errno e = check_path(path); e != Errno::Success) return fail(e);
  // The directories entered beneath root, innermost last: `..` pops one, and
  // popping root itself is an escape. Asking the kernel for ".." instead
  // would be racy (the directory may have been moved meanwhile).
  std::vector<UniqueFd> stack;
  auto cur = [&] { return stack.empty() ? root : stack.back().get(); };
  std::vector<std::string> pending;  // components still to walk, next on top
  push_components(path, pending);
  bool trailing = ends_with_slash(path);
  int expansions = 0;
  std::string name = ".";  // if the path ends in "." or "..", it names cur()
  while (!pending.empty()) {
    std::string c = std::move(pending.back());
    pending.pop_back();
    if (c == ".") continue;
    if (c == "..") {
      if (stack.empty()) return fail(kEscapeErrno);
      stack.pop_back();
      continue;
    }
    if (pending.empty()) {  // the last component
      LastStep step = examine_last(cur(), c, follow_last, trailing);
      if (step.error != Errno::Success) return fail(step.error);
      if (step.kind == Last::Done) {
        name = std::move(c);
        break;
      }
      if (step.kind == Last::Again) {
        if (++expansions > kMaxSymlinkExpansions) return fail(Errno::Loop);
        pending.push_back(std::move(c));
        continue;
      }
      if (Errno e = admit_link(step.link, &expansions); e != Errno::Success) return fail(e);
      // "link/" and a link to "d/" both ask for a directory at the end.
      trailing = trailing || ends_with_slash(step.link);
      push_components(step.link, pending);
      continue;
    }
    // A directory to enter. O_NOFOLLOW: if it is a symlink, the kernel must
    // not follow it (with O_DIRECTORY it then fails with ENOTDIR; ELOOP on
    // some kernels).
    int fd = ::openat(cur(), c.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      stack.emplace_back(fd);
      continue;
    }
    int err = errno;
    if (err != ENOTDIR && err != ELOOP) return fail(to_wasi(err));
    std::string link;
    Errno e = read_link(cur(), c.c_str(), &link);
    if (e == Errno::Inval) {
      // Not a symlink: a file, unless a racing writer just replaced the
      // entry (then it is a directory or a symlink now: look again).
      struct stat st;
      if (::fstatat(cur(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return fail(to_wasi(errno));
      if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) return fail(Errno::Notdir);
      if (++expansions > kMaxSymlinkExpansions) return fail(Errno::Loop);
      pending.push_back(std::move(c));
      continue;
    }
    if (e != Errno::Success) return fail(e);
    if (Errno admitted = admit_link(link, &expansions); admitted != Errno::Success) return fail(admitted);
    push_components(link, pending);
  }
  Resolution r;
  if (stack.empty()) {
    if (Errno e = reopen_dir(root, &r.value.dir); e != Errno::Success) return fail(e);
  } else {
    r.value.dir = std::move(stack.back());
  }
  r.value.name = std::move(name);
  r.value.trailing_slash = trailing;
  return r;
}

// openat2(root, path, O_PATH | O_DIRECTORY) confined beneath root. Nosys when
// the syscall itself is refused: by an old kernel (ENOSYS) or by a seccomp
// filter (some say EPERM, which a path lookup with O_PATH never does).
Errno open_dir_beneath(int root, const std::string& path, UniqueFd* out) {
  open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    long fd = ::syscall(SYS_openat2, root, path.c_str(), &how, sizeof how);
    if (fd >= 0) {
      out->reset(static_cast<int>(fd));
      return Errno::Success;
    }
    int err = errno;
    if (err == EAGAIN && attempt < kOpenat2Retries) continue;
    if (err == EXDEV) return kEscapeErrno;  // RESOLVE_BENEATH's word for an escape
    if (err == ENOSYS || err == EPERM) return Errno::Nosys;
    return to_wasi(err);
  }
}

// The same resolution with the kernel walking the directory part: the path
// is split textually into directory part and last component, the first
// opened by openat2(), the second examined as walk_components() does. A
// final symlink being followed becomes "directory part/link text", resolved
// again from root (not from the link's directory: its text may hold `..`s
// that climb above that directory yet stay beneath root).
//
// Two corners where the answers may differ from walk_components(): the
// kernel counts the symlinks of each openat2() call on its own (to the same
// limit of 40), so a final link leading through a directory chain of nearly
// 40 links may pass here and be Loop there; and the spliced path may reach
// PATH_MAX (Nametoolong here) where the walk has no such limit.
Resolution walk_openat2(int root, std::string_view path, bool follow_last) {
  if (Errno e = check_path(path); e != Errno::Success) return fail(e);
  std::string p(path);
  bool trailing = false;
  while (ends_with_slash(p)) {  // leaves at least one byte: the path is relative
    p.pop_back();
    trailing = true;
  }
  int expansions = 0;
  for (;;) {
    size_t slash = p.rfind('/');
    std::string parent = slash == std::string::npos ? "" : p.substr(0, slash);
    std::string last = slash == std::string::npos ? p : p.substr(slash + 1);
    Resolution r;
    if (last == "." || last == "..") {  // the path names a directory: all of it is the kernel's
      if (Errno e = open_dir_beneath(root, p, &r.value.dir); e != Errno::Success) return fail(e);
      r.value.name.assign(1, '.');  // (not = ".": g++ 12 warns falsely, -Wrestrict)
      r.value.trailing_slash = trailing;
      return r;
    }
    Errno opened = parent.empty() ? reopen_dir(root, &r.value.dir) : open_dir_beneath(root, parent, &r.value.dir);
    if (opened != Errno::Success) return fail(opened);
    LastStep step = examine_last(r.value.dir.get(), last, follow_last, trailing);
    if (step.error != Errno::Success) return fail(step.error);
    if (step.kind == Last::Done) {
      r.value.name = std::move(last);
      r.value.trailing_slash = trailing;
      return r;
    }
    if (step.kind == Last::Again) {
      if (++expansions > kMaxSymlinkExpansions) return fail(Errno::Loop);
      continue;
    }
    if (Errno e = admit_link(step.link, &expansions); e != Errno::Success) return fail(e);
    std::string& link = step.link;
    while (ends_with_slash(link)) {  // leaves at least one byte: the text is relative
      link.pop_back();
      trailing = true;
    }
    p = parent.empty() ? std::move(link) : parent + "/" + link;
  }
}

}  // namespace

Resolution resolve(int root_fd, std::string_view path, bool follow_last, Walk walk) {
  // A negative root would be AT_FDCWD (the host's working directory) or no fd.
  if (root_fd < 0) return fail(Errno::Badf);
  switch (walk) {
    case Walk::Components:
      return walk_components(root_fd, path, follow_last);
    case Walk::Openat2:
      return walk_openat2(root_fd, path, follow_last);
    case Walk::Auto:
      break;
  }
  Resolution r = walk_openat2(root_fd, path, follow_last);
  // No openat2() here, or one that kept saying "try again": the walk needs neither.
  if (r.error == Errno::Nosys || r.error == Errno::Again) return walk_components(root_fd, path, follow_last);
  return r;
}

Opened open_beneath(int root_fd, std::string_view path, int flags, mode_t mode, bool follow_last, Walk walk) {
  // POSIX: O_CREAT | O_EXCL fails on a symlink, whatever it points to.
  bool excl_create = (flags & O_CREAT) && (flags & O_EXCL);
  // A trailing slash asks for the directory a link leads to, as open(2) does.
  bool follow = (follow_last && !excl_create) || ends_with_slash(path);
  // More attempts than one only when a racing writer puts a symlink where the
  // resolution had followed one to its end.
  for (int attempt = 0; attempt <= kMaxSymlinkExpansions; ++attempt) {
    Resolution r = resolve(root_fd, path, follow, walk);
    Opened result;
    if (!r.ok()) {
      result.error = r.error;
      return result;
    }
    // O_NOFOLLOW always: the name is one component, not "..", so the kernel
    // looks up nothing but that entry of a directory beneath root, and never
    // follows it.
    int host_flags = flags | O_CLOEXEC | O_NOFOLLOW;
    if (r.value.trailing_slash) {
      if (flags & O_CREAT) {  // Linux: open("x/", O_CREAT) is EISDIR, x there or not
        result.error = Errno::Isdir;
        return result;
      }
      host_flags |= O_DIRECTORY;
    }
    int fd = ::openat(r.value.dir.get(), r.value.name.c_str(), host_flags, mode);
    if (fd >= 0) {
      result.fd.reset(fd);
      return result;
    }
    int err = errno;
    if (follow && (err == ELOOP || err == ENOTDIR)) {
      struct stat st;
      if (::fstatat(r.value.dir.get(), r.value.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        continue;  // a symlink swapped in after the resolution: resolve again
    }
    result.error = to_wasi(err);
    return result;
  }
  Opened looped;
  looped.error = Errno::Loop;
  return looped;
}

}  // namespace wgi::wasi
