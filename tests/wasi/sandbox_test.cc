// wasi/sandbox.h: path resolution beneath a preopen. Each test builds a tree
// under a fresh mkdtemp() directory:
//
//   base/x                  "parent-x"   (the preopen's parent has an x)
//   base/outside/secret     "secret"     (never to be reached)
//   base/root/...           the preopen (see SetUp)
//
// Nothing here depends on permissions (CI runs as root, which ignores them).
#include "wasi/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace wgi::wasi {
namespace {

using namespace std::string_view_literals;

std::string read_all(int fd) {
  std::string out;
  char buf[256];
  for (off_t off = 0;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, off);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    off += n;
  }
  return out;
}

// The host path an fd stands for, as the kernel tells it.
std::string fd_path(int fd) {
  char buf[PATH_MAX];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  return n < 0 ? std::string("?") : std::string(buf, static_cast<size_t>(n));
}

int count_open_fds() {
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return -1;
  int n = 0;
  while (::readdir(d) != nullptr) ++n;
  ::closedir(d);
  return n;
}

const Walk kWalks[] = {Walk::Components, Walk::Openat2, Walk::Auto};

const char* walk_name(Walk w) {
  switch (w) {
    case Walk::Components:
      return "components";
    case Walk::Openat2:
      return "openat2";
    case Walk::Auto:
      return "auto";
  }
  return "?";
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wgi-sandbox-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_path_ = base_ + "/root";
    outside_ = base_ + "/outside";
    mkdir("root");
    mkdir("outside");
    write("x", "parent-x");
    write("outside/secret", "secret");

    write("root/file", "file");
    mkdir("root/d");
    write("root/d/file2", "file2");
    mkdir("root/d/nested");
    write("root/d/nested/deep", "deep");
    link("..", "root/d/nested/up1");             // root/d
    link("../../..", "root/d/nested/up3");       // above root
    link("../file2", "root/d/nested/tofile");    // root/d/file2
    link("d", "root/ld");
    link("d/nested", "root/deeplink");
    link("file", "root/lf");
    link("file/", "root/lfslash");
    link("d/", "root/ldslash");
    link("../outside", "root/esc");              // climbs out
    link("../outside/secret", "root/escsecret");
    link("../x", "root/escx");
    link("chain2", "root/chain1");               // chain1 -> chain2 -> chain3 -> esc
    link("d/nested/chain3", "root/chain2");
    link("../../esc", "root/d/nested/chain3");
    link(root_path_ + "/file", "root/abs_in");   // inside, but by its absolute host path
    link(root_path_ + "/d", "root/abs_dir");
    link(outside_ + "/secret", "root/abs_out");
    link("missing", "root/dangling");
    link("../outside/newfile", "root/dangling_out");
    link("self", "root/self");
    link("loop_b", "root/loop_a");
    link("loop_a", "root/loop_b");
    link("d/dloop2", "root/dloop");
    link("../dloop", "root/d/dloop2");
    link(".", "root/dotlink");
    link("d/..", "root/dotdotlink");
    // k0 -> k1 -> ... -> k40 -> file: following k1 takes 40 expansions (the
    // limit), k0 one too many. kd* the same, ending at the directory d.
    for (int i = 0; i < kMaxSymlinkExpansions; ++i) {
      link("k" + std::to_string(i + 1), "root/k" + std::to_string(i));
      link("kd" + std::to_string(i + 1), "root/kd" + std::to_string(i));
    }
    link("file", "root/k" + std::to_string(kMaxSymlinkExpansions));
    link("d", "root/kd" + std::to_string(kMaxSymlinkExpansions));

    root_.reset(::open(root_path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_.valid());
    openat2_ = resolve(root_.get(), "d/nested/deep", false, Walk::Openat2).error != Errno::Nosys;
  }

  void TearDown() override {
    root_.reset();
    if (!base_.empty()) {
      ::nftw(
          base_.c_str(), [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
          FTW_DEPTH | FTW_PHYS);
    }
  }

  std::string host(const std::string& rel) const { return base_ + "/" + rel; }
  void mkdir(const std::string& rel) { ASSERT_EQ(::mkdir(host(rel).c_str(), 0755), 0) << rel; }
  void write(const std::string& rel, std::string_view content) {
    int fd = ::open(host(rel).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0) << rel;
    ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    ::close(fd);
  }
  void link(const std::string& target, const std::string& rel) {
    ASSERT_EQ(::symlink(target.c_str(), host(rel).c_str()), 0) << rel;
  }
  std::string content(const std::string& rel) {
    UniqueFd fd(::open(host(rel).c_str(), O_RDONLY | O_CLOEXEC));
    return fd ? read_all(fd.get()) : "<missing>";
  }
  bool exists(const std::string& rel) {
    struct stat st;
    return ::lstat(host(rel).c_str(), &st) == 0;
  }

  // "root/d:file2" (the directory, relative to base, and the name; a
  // trailing "/" when trailing_slash), or the error's name.
  std::string describe(const Resolution& r) const {
    if (!r.ok()) return std::string(errno_name(r.error));
    std::string dir = fd_path(r.value.dir.get());
    if (dir.starts_with(base_ + "/")) dir = dir.substr(base_.size() + 1);
    return dir + ":" + r.value.name + (r.value.trailing_slash ? "/" : "");
  }
  std::string res(std::string_view path, bool follow, Walk walk = Walk::Auto) {
    return describe(resolve(root_.get(), path, follow, walk));
  }

  // What opening `path` read-only gives: its content, or the error's name.
  std::string open_read(std::string_view path, bool follow, Walk walk = Walk::Auto, int flags = O_RDONLY) {
    Opened o = open_beneath(root_.get(), path, flags, 0644, follow, walk);
    if (!o.ok()) return std::string(errno_name(o.error));
    struct stat st;
    if (::fstat(o.fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
      return "<dir " + fd_path(o.fd.get()).substr(base_.size() + 1) + ">";
    return read_all(o.fd.get());
  }

  std::string base_, root_path_, outside_;
  UniqueFd root_;
  bool openat2_ = false;
};

// ---- UniqueFd ---------------------------------------------------------------

TEST(UniqueFdTest, ClosesMovesAndReleases) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  ::close(fds[1]);
  {
    UniqueFd a(fds[0]);
    EXPECT_TRUE(a.valid());
    UniqueFd b(std::move(a));
    EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    EXPECT_EQ(b.get(), fds[0]);
    UniqueFd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), fds[0]);
    c = std::move(c);  // self-move keeps the fd
    EXPECT_EQ(c.get(), fds[0]);
  }
  EXPECT_EQ(::fcntl(fds[0], F_GETFD), -1);  // closed by the destructor
  EXPECT_EQ(errno, EBADF);

  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  UniqueFd r(fds[0]);
  int raw = r.release();
  EXPECT_FALSE(r.valid());
  EXPECT_NE(::fcntl(raw, F_GETFD), -1);  // release() did not close it
  r.reset(raw);
  r.reset(fds[1]);  // closes raw
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
}

// ---- The table: every walk gives the same answers ---------------------------

struct Case {
  std::string path;
  bool follow;
  std::string expect;
};

std::vector<Case> table() {
  const std::string long_name(300, 'n');
  std::string long_path;
  while (long_path.size() < PATH_MAX) long_path += "d/../";
  std::string dots;  // long but under PATH_MAX, and fine
  for (int i = 0; i < 1000; ++i) dots += "./";
  return {
      // Plain files and nested directories.
      {"file", false, "root:file"},
      {"file", true, "root:file"},
      {"d", false, "root:d"},
      {"d/file2", true, "root/d:file2"},
      {"d/nested/deep", false, "root/d/nested:deep"},
      {"./file", false, "root:file"},
      {"d//nested///deep", false, "root/d/nested:deep"},
      {dots + "d/file2", false, "root/d:file2"},
      // A missing last component is fine (the caller may create it); a
      // missing or non-directory directory component is not.
      {"missing", false, "root:missing"},
      {"missing", true, "root:missing"},
      {"d/missing", true, "root/d:missing"},
      {"missing/x", false, "noent"},
      {"file/x", false, "notdir"},
      {"d/nested/deep/x", true, "notdir"},
      // "." and ".." within the tree; a path naming a directory gives it and ".".
      {".", false, "root:."},
      {".", true, "root:."},
      {"d/.", false, "root/d:."},
      {"d/..", false, "root:."},
      {"d/nested/..", true, "root/d:."},
      {"d/../file", false, "root:file"},
      {"d/nested/../../file", false, "root:file"},
      {"d/.//nested/../../d/nested/../nested///./deep", false, "root/d/nested:deep"},
      // ".." above root: direct, after descending, transiently.
      {"..", false, "notcapable"},
      {"../x", false, "notcapable"},
      {"../root/file", false, "notcapable"},
      {"d/../..", false, "notcapable"},
      {"d/../../x", false, "notcapable"},
      {"d/nested/../../../outside/secret", true, "notcapable"},
      // Absolute paths.
      {"/file", false, "notcapable"},
      {"/", false, "notcapable"},
      {"//file", true, "notcapable"},
      // Relative symlinks climbing out, as a directory or followed last; not
      // followed, the link itself is named (readlink and unlink need that).
      {"esc/secret", false, "notcapable"},
      {"esc", true, "notcapable"},
      {"esc", false, "root:esc"},
      {"escsecret", true, "notcapable"},
      {"escx", true, "notcapable"},
      {"d/nested/up3", true, "notcapable"},
      {"d/nested/up3/x", false, "notcapable"},
      {"chain1/secret", false, "notcapable"},
      {"chain1", true, "notcapable"},
      {"ld/nested/chain3", true, "notcapable"},
      // Absolute symlinks, even to inside the root.
      {"abs_in", true, "notcapable"},
      {"abs_in", false, "root:abs_in"},
      {"abs_dir/file2", false, "notcapable"},
      {"abs_out", true, "notcapable"},
      // Symlinks inside: as a directory component, followed last, with ".."
      // after them (physical: ".." of where the link led).
      {"ld/file2", false, "root/d:file2"},
      {"ld/nested/deep", true, "root/d/nested:deep"},
      {"ld", true, "root:d"},
      {"ld", false, "root:ld"},
      {"lf", true, "root:file"},
      {"ld/../file", false, "root:file"},
      {"deeplink/../file2", false, "root/d:file2"},
      {"d/nested/up1/file2", false, "root/d:file2"},
      {"d/nested/up1", true, "root/d:."},
      {"d/nested/tofile", true, "root/d:file2"},
      {"d/nested/up1/nested/up1/nested/tofile", true, "root/d:file2"},
      {"dotlink", true, "root:."},
      {"dotlink/file", false, "root:file"},
      {"dotdotlink", true, "root:."},
      {"dotdotlink/d/file2", false, "root/d:file2"},
      // Loops and the expansion limit.
      {"self", true, "loop"},
      {"self", false, "root:self"},
      {"self/x", false, "loop"},
      {"loop_a", true, "loop"},
      {"loop_a/x", false, "loop"},
      {"dloop", true, "loop"},
      {"k1", true, "root:file"},
      {"k0", true, "loop"},
      {"kd1/file2", false, "root/d:file2"},
      {"kd0/file2", false, "loop"},
      // Dangling symlinks: followed, the missing target (creatable); not, the link.
      {"dangling", true, "root:missing"},
      {"dangling", false, "root:dangling"},
      {"dangling_out", true, "notcapable"},
      // Trailing slashes: a directory, or nothing yet; a file or an unfollowed
      // symlink is Notdir.
      {"file/", false, "notdir"},
      {"file/", true, "notdir"},
      {"file//", false, "notdir"},
      {"file/.", false, "notdir"},
      {"d/", false, "root:d/"},
      {"d/nested///", true, "root/d:nested/"},
      {"missing/", false, "root:missing/"},
      {"ld/", false, "notdir"},
      {"ld/", true, "root:d/"},
      {"lf/", true, "notdir"},
      {"lfslash", true, "notdir"},
      {"lfslash", false, "root:lfslash"},
      {"ldslash", true, "root:d/"},
      {"./", false, "root:./"},
      // Empty, NUL, too long.
      {"", false, "noent"},
      {"", true, "noent"},
      {std::string("file\0x"sv), false, "inval"},
      {std::string("file\0"sv), true, "inval"},
      {std::string("\0"sv), false, "inval"},
      {std::string("/\0"sv), false, "inval"},
      {long_name, true, "nametoolong"},
      {long_name + "/x", false, "nametoolong"},
      {"d/" + long_name + "/", false, "nametoolong"},
      {long_path, false, "nametoolong"},
  };
}

TEST_F(SandboxTest, ComponentWalkAnswersTheTable) {
  for (const Case& c : table())
    EXPECT_EQ(res(c.path, c.follow, Walk::Components), c.expect) << "path '" << c.path << "' follow " << c.follow;
}

TEST_F(SandboxTest, Openat2WalkAnswersTheSameTable) {
  if (!openat2_) GTEST_SKIP() << "no openat2() on this kernel";
  for (const Case& c : table())
    EXPECT_EQ(res(c.path, c.follow, Walk::Openat2), c.expect) << "path '" << c.path << "' follow " << c.follow;
}

TEST_F(SandboxTest, AutoAnswersTheSameTable) {
  for (const Case& c : table())
    EXPECT_EQ(res(c.path, c.follow, Walk::Auto), c.expect) << "path '" << c.path << "' follow " << c.follow;
}

TEST_F(SandboxTest, UnfollowedLongNameIsNotLookedUp) {
  // The caller's *at() call reports it then.
  const std::string long_name(300, 'n');
  for (Walk w : kWalks) {
    if (w == Walk::Openat2 && !openat2_) continue;
    Resolution r = resolve(root_.get(), long_name, false, w);
    ASSERT_TRUE(r.ok()) << walk_name(w);
    EXPECT_EQ(::mkdirat(r.value.dir.get(), r.value.name.c_str(), 0755), -1);
    EXPECT_EQ(errno, ENAMETOOLONG);
  }
}

TEST_F(SandboxTest, DeepTree) {
  std::string rel = "root";
  std::string path;
  for (int i = 0; i < 64; ++i) {
    rel += "/s";
    path += i == 0 ? "s" : "/s";
    mkdir(rel);
  }
  write(rel + "/leaf", "leaf");
  for (Walk w : kWalks) {
    if (w == Walk::Openat2 && !openat2_) continue;
    EXPECT_EQ(open_read(path + "/leaf", false, w), "leaf") << walk_name(w);
    std::string up = path;
    for (int i = 0; i < 64; ++i) up += "/..";
    EXPECT_EQ(res(up + "/file", false, w), "root:file") << walk_name(w);
    EXPECT_EQ(res(up + "/../x", false, w), "notcapable") << walk_name(w);
  }
}

// A kernel without openat2() (or a seccomp filter refusing it, with ENOSYS or
// EPERM), made on one thread by a seccomp filter of its own: Auto falls back
// to the component walk and still answers the table; Openat2 says Nosys.
TEST_F(SandboxTest, AutoFallsBackWithoutOpenat2) {
  for (int refusal : {ENOSYS, EPERM}) {
    std::string outcome;
    std::vector<std::string> mismatches;
    std::thread([&] {
      // Filters and no_new_privs belong to this thread alone (no TSYNC).
      struct sock_filter filter[] = {
          BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
          BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
          BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<unsigned>(refusal) & SECCOMP_RET_DATA)),
          BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      };
      struct sock_fprog prog = {static_cast<unsigned short>(std::size(filter)), filter};
      if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
          ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
        outcome = "no seccomp";
        return;
      }
      outcome = describe(resolve(root_.get(), "d/nested/deep", false, Walk::Openat2));
      for (const Case& c : table()) {
        std::string got = res(c.path, c.follow, Walk::Auto);
        if (got != c.expect) mismatches.push_back(c.path + ": " + got + " != " + c.expect);
      }
    }).join();
    if (outcome == "no seccomp") GTEST_SKIP() << "seccomp filters unavailable";
    EXPECT_EQ(outcome, "nosys");
    EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " mismatches, first: " << mismatches.front();
  }
}

// ---- Bad roots --------------------------------------------------------------

TEST_F(SandboxTest, BadRoot) {
  for (Walk w : kWalks) {
    EXPECT_EQ(resolve(-1, "file", false, w).error, Errno::Badf);
    EXPECT_EQ(resolve(AT_FDCWD, "file", false, w).error, Errno::Badf);  // never the host's cwd
    UniqueFd file(::open(host("root/file").c_str(), O_RDONLY | O_CLOEXEC));
    EXPECT_EQ(resolve(file.get(), "x", false, w).error, Errno::Notdir);
    EXPECT_EQ(resolve(file.get(), "x/y", false, w).error, Errno::Notdir);
  }
}

TEST_F(SandboxTest, ReadableRootWorksToo) {
  UniqueFd rd(::open(root_path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(rd.valid());
  Resolution r = resolve(rd.get(), "ld/nested/deep", true);
  EXPECT_EQ(describe(r), "root/d/nested:deep");
  EXPECT_EQ(resolve(rd.get(), "../x", true).error, Errno::Notcapable);
}

// ---- What the caller does with a Resolved -----------------------------------

TEST_F(SandboxTest, ResolvedDirIsAnOPathCloexecFd) {
  for (const char* p : {"d/file2", ".", "file"}) {
    Resolution r = resolve(root_.get(), p, false);
    ASSERT_TRUE(r.ok());
    EXPECT_NE(r.value.dir.get(), root_.get());  // owned, never the caller's preopen
    EXPECT_EQ(::fcntl(r.value.dir.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    EXPECT_EQ(::fcntl(r.value.dir.get(), F_GETFL) & O_PATH, O_PATH);
  }
}

TEST_F(SandboxTest, CallerOperationsWithAtCalls) {
  int root = root_.get();
  // path_create_directory "d/new", then "d/new/" again: EEXIST.
  Resolution r = resolve(root, "d/new", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(::mkdirat(r.value.dir.get(), r.value.name.c_str(), 0755), 0);
  r = resolve(root, "d/new/", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(::mkdirat(r.value.dir.get(), r.value.name.c_str(), 0755), -1);
  EXPECT_EQ(errno, EEXIST);
  // mkdir "new2/" creates new2.
  r = resolve(root, "new2/", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(::mkdirat(r.value.dir.get(), r.value.name.c_str(), 0755), 0);
  EXPECT_TRUE(exists("root/new2"));
  // path_remove_directory "." and "d/..": the directory itself, which rmdir refuses.
  for (const char* p : {".", "d/.."}) {
    r = resolve(root, p, false);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.name, ".");
    EXPECT_EQ(::unlinkat(r.value.dir.get(), r.value.name.c_str(), AT_REMOVEDIR), -1);
    EXPECT_EQ(errno, EINVAL);
  }
  // path_readlink and path_unlink_file act on the link, never its target.
  r = resolve(root, "esc", false);
  ASSERT_TRUE(r.ok());
  char buf[64];
  ssize_t n = ::readlinkat(r.value.dir.get(), r.value.name.c_str(), buf, sizeof buf);
  EXPECT_EQ(std::string(buf, n > 0 ? n : 0), "../outside");
  EXPECT_EQ(::unlinkat(r.value.dir.get(), r.value.name.c_str(), 0), 0);
  EXPECT_FALSE(exists("root/esc"));
  EXPECT_TRUE(exists("outside/secret"));
  // path_rename "d/file2" -> "ld/nested/moved" (both resolved; renameat).
  Resolution from = resolve(root, "d/file2", false);
  Resolution to = resolve(root, "ld/nested/moved", false);
  ASSERT_TRUE(from.ok() && to.ok());
  EXPECT_EQ(::renameat(from.value.dir.get(), from.value.name.c_str(), to.value.dir.get(), to.value.name.c_str()), 0);
  EXPECT_EQ(content("root/d/nested/moved"), "file2");
  // path_filestat_get on "." stats the preopen.
  r = resolve(root, ".", true);
  ASSERT_TRUE(r.ok());
  struct stat a, b;
  ASSERT_EQ(::fstatat(r.value.dir.get(), r.value.name.c_str(), &a, AT_SYMLINK_NOFOLLOW), 0);
  ASSERT_EQ(::stat(root_path_.c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  // path_unlink_file "d/" must fail: trailing_slash tells the caller so.
  r = resolve(root, "d/", false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value.trailing_slash);
}

// ---- open_beneath -----------------------------------------------------------

TEST_F(SandboxTest, OpenBeneath) {
  for (Walk w : kWalks) {
    if (w == Walk::Openat2 && !openat2_) continue;
    SCOPED_TRACE(walk_name(w));
    EXPECT_EQ(open_read("file", false, w), "file");
    EXPECT_EQ(open_read("ld/nested/deep", false, w), "deep");
    EXPECT_EQ(open_read("d/nested/tofile", true, w), "file2");
    EXPECT_EQ(open_read("lf", true, w), "file");
    EXPECT_EQ(open_read("lf", false, w), "loop");  // O_NOFOLLOW on a symlink
    EXPECT_EQ(open_read("ld", false, w, O_RDONLY | O_DIRECTORY), "notdir");
    EXPECT_EQ(open_read("ld", true, w, O_RDONLY | O_DIRECTORY), "<dir root/d>");
    EXPECT_EQ(open_read(".", false, w), "<dir root>");
    EXPECT_EQ(open_read("d/nested/..", false, w), "<dir root/d>");
    EXPECT_EQ(open_read("ld/", false, w), "<dir root/d>");  // a trailing slash follows, as open(2)
    EXPECT_EQ(open_read("d/", false, w), "<dir root/d>");
    EXPECT_EQ(open_read("file/", false, w), "notdir");
    EXPECT_EQ(open_read("file", false, w, O_RDONLY | O_DIRECTORY), "notdir");
    EXPECT_EQ(open_read("missing", true, w), "noent");
    EXPECT_EQ(open_read("dangling", true, w), "noent");
    EXPECT_EQ(open_read("dangling", false, w), "loop");
    EXPECT_EQ(open_read("self", true, w), "loop");
    EXPECT_EQ(open_read("esc/secret", true, w), "notcapable");
    EXPECT_EQ(open_read("abs_in", true, w), "notcapable");
    EXPECT_EQ(open_read("", true, w), "noent");
    EXPECT_EQ(open_read("file\0"sv, true, w), "inval");
  }
}

TEST_F(SandboxTest, OpenBeneathCreates) {
  int root = root_.get();
  Opened o = open_beneath(root, "d/created", O_WRONLY | O_CREAT | O_EXCL, 0600, false);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(::fcntl(o.fd.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  ASSERT_EQ(::write(o.fd.get(), "abc", 3), 3);
  o = open_beneath(root, "d/created", O_WRONLY | O_CREAT | O_EXCL, 0600, false);
  EXPECT_EQ(o.error, Errno::Exist);
  // O_TRUNC honoured.
  o = open_beneath(root, "ld/created", O_WRONLY | O_TRUNC, 0, true);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(content("root/d/created"), "");
  // Through a dangling symlink, followed: creates the target (inside).
  o = open_beneath(root, "dangling", O_WRONLY | O_CREAT, 0600, true);
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(exists("root/missing"));
  ASSERT_EQ(::unlink(host("root/missing").c_str()), 0);
  // O_CREAT | O_EXCL on a symlink fails even when following (POSIX).
  o = open_beneath(root, "dangling", O_WRONLY | O_CREAT | O_EXCL, 0600, true);
  EXPECT_EQ(o.error, Errno::Exist);
  EXPECT_FALSE(exists("root/missing"));
  // Not following: O_CREAT on an existing symlink is ELOOP.
  o = open_beneath(root, "dangling", O_WRONLY | O_CREAT, 0600, false);
  EXPECT_EQ(o.error, Errno::Loop);
  // A trailing slash with O_CREAT: EISDIR, as Linux.
  EXPECT_EQ(open_beneath(root, "newdir/", O_RDONLY | O_CREAT, 0600, false).error, Errno::Isdir);
  EXPECT_EQ(open_beneath(root, "d/", O_RDONLY | O_CREAT, 0600, false).error, Errno::Isdir);
  EXPECT_FALSE(exists("root/newdir"));
  // The root itself.
  EXPECT_EQ(open_beneath(root, ".", O_RDWR, 0, false).error, Errno::Isdir);
  EXPECT_EQ(open_beneath(root, ".", O_RDONLY | O_CREAT, 0600, false).error, Errno::Isdir);
}

// ---- Escapes touch nothing outside ------------------------------------------

TEST_F(SandboxTest, EscapesTouchNothingOutside) {
  // Everything that happens to outside/, outside/* and base/x, and any entry
  // made in or removed from base/, shows up here. O_PATH opens (which read
  // nothing) do not, but the sandbox makes none outside either.
  UniqueFd in(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  ASSERT_TRUE(in.valid());
  ASSERT_GE(::inotify_add_watch(in.get(), outside_.c_str(), IN_ALL_EVENTS), 0);
  ASSERT_GE(::inotify_add_watch(in.get(), host("x").c_str(), IN_ALL_EVENTS), 0);
  ASSERT_GE(::inotify_add_watch(in.get(), base_.c_str(), IN_CREATE | IN_DELETE | IN_MOVE | IN_ATTRIB), 0);
  struct stat before;
  ASSERT_EQ(::stat(host("outside/secret").c_str(), &before), 0);

  const char* escapes[] = {
      "../x", "../outside/secret", "d/../../x", "../outside/newfile", "esc/secret", "esc/newfile", "esc",
      "escsecret", "escx", "chain1", "chain1/secret", "chain1/newfile", "abs_out", "abs_in", "abs_dir/new",
      "dangling_out", "d/nested/up3/x", "d/nested/up3/outside/secret", "/tmp", "esc/", "escx/",
  };
  const int flag_sets[] = {O_RDONLY, O_WRONLY | O_TRUNC, O_RDWR | O_CREAT, O_WRONLY | O_CREAT | O_EXCL,
                           O_RDONLY | O_DIRECTORY, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND};
  for (Walk w : kWalks) {
    if (w == Walk::Openat2 && !openat2_) continue;
    for (const char* p : escapes) {
      for (bool follow : {false, true}) {
        Resolution r = resolve(root_.get(), p, follow, w);
        if (r.ok()) {  // only an unfollowed escaping link itself may resolve, and then inside
          EXPECT_EQ(fd_path(r.value.dir.get()), root_path_) << p;
          EXPECT_FALSE(follow) << p;
        } else if (!follow && std::string_view(p).ends_with('/')) {
          EXPECT_EQ(r.error, Errno::Notdir) << p << " " << walk_name(w);  // an unfollowed link is no directory
        } else {
          EXPECT_EQ(r.error, Errno::Notcapable) << p << " " << walk_name(w);
        }
        for (int flags : flag_sets) {
          Opened o = open_beneath(root_.get(), p, flags, 0644, follow, w);
          EXPECT_FALSE(o.ok()) << p << " flags " << flags << " follow " << follow << " " << walk_name(w);
        }
      }
    }
  }

  char buf[4096];
  ssize_t n = ::read(in.get(), buf, sizeof buf);
  std::string seen;
  for (ssize_t off = 0; n > 0 && off < n;) {
    auto* ev = reinterpret_cast<struct inotify_event*>(buf + off);
    seen += std::to_string(ev->mask) + ":" + (ev->len ? ev->name : "") + " ";
    off += static_cast<ssize_t>(sizeof(struct inotify_event) + ev->len);
  }
  EXPECT_EQ(seen, "") << "something outside the preopen was touched";
  EXPECT_EQ(content("outside/secret"), "secret");
  EXPECT_EQ(content("x"), "parent-x");
  EXPECT_FALSE(exists("outside/newfile"));
  EXPECT_FALSE(exists("root/d/new"));  // abs_dir/new never reached root/d by the host path
  struct stat after;
  ASSERT_EQ(::stat(host("outside/secret").c_str(), &after), 0);
  EXPECT_EQ(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
}

// ---- A racing writer --------------------------------------------------------

// One thread keeps swapping (renameat2 RENAME_EXCHANGE, atomic) the directory
// root/sw with symlinks leading out (one relative, one absolute), and, inside
// that directory, the file g with symlinks to outside/g; meanwhile this
// thread opens paths through sw. No open may ever yield a file outside.
TEST_F(SandboxTest, RacingWriterNeverLeadsOutside) {
  mkdir("root/sw");
  write("root/sw/f", "inside");
  write("root/sw/g", "inside-g");
  link("../../outside/g", "root/sw/grel");
  link(outside_ + "/g", "root/sw/gabs");
  link("../outside", "root/spare_rel");
  link(outside_, "root/spare_abs");
  write("outside/f", "secret");
  write("outside/g", "secret");
  struct stat secret_f, secret_g;
  ASSERT_EQ(::stat(host("outside/f").c_str(), &secret_f), 0);
  ASSERT_EQ(::stat(host("outside/g").c_str(), &secret_g), 0);
  UniqueFd swdir(::open(host("root/sw").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(swdir.valid());
  UniqueFd in(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  ASSERT_TRUE(in.valid());
  ASSERT_GE(::inotify_add_watch(in.get(), outside_.c_str(), IN_ALL_EVENTS), 0);

  const char* paths[] = {"sw/f", "sw/g", "sw/../sw/g", "sw/./f", "sw/grel", "sw/gabs", "sw"};
  // 20k opens in all, most through the component walk, whose per-component
  // steps leave the most room for a race (openat2 does its walk in the kernel).
  auto iterations = [](Walk w) { return w == Walk::Components ? 12000 : w == Walk::Openat2 ? 6000 : 2000; };
  auto t0 = std::chrono::steady_clock::now();
  for (Walk w : kWalks) {
    if (w == Walk::Openat2 && !openat2_) continue;
    SCOPED_TRACE(walk_name(w));
    std::atomic<bool> stop{false};
    std::atomic<long> swaps{0};
    // Stops and joins the racer however this scope is left (a failed ASSERT returns).
    struct Joiner {
      std::atomic<bool>& stop;
      std::thread thread;
      ~Joiner() {
        stop = true;
        if (thread.joinable()) thread.join();
      }
    } racer{stop, std::thread([&] {
      int root = root_.get(), sw = swdir.get();
      auto exchange = [](int dir1, const char* a, int dir2, const char* b) {
        return ::renameat2(dir1, a, dir2, b, RENAME_EXCHANGE) == 0;
      };
      while (!stop.load(std::memory_order_relaxed)) {
        // Each pair puts things back: sw is a directory again after it.
        bool ok = exchange(root, "sw", root, "spare_rel") && exchange(root, "sw", root, "spare_rel") &&
                  exchange(sw, "g", sw, "grel") && exchange(sw, "g", sw, "grel") &&
                  exchange(root, "sw", root, "spare_abs") && exchange(root, "sw", root, "spare_abs") &&
                  exchange(sw, "g", sw, "gabs") && exchange(sw, "g", sw, "gabs");
        if (!ok) {
          ADD_FAILURE() << "renameat2: " << std::strerror(errno);
          return;
        }
        swaps.fetch_add(1, std::memory_order_relaxed);
      }
    })};
    int opened = 0, refused = 0;
    for (int i = 0; i < iterations(w); ++i) {
      const char* p = paths[i % std::size(paths)];
      bool follow = (i / std::size(paths)) % 2 == 0;
      Opened o = open_beneath(root_.get(), p, O_RDONLY, 0, follow, w);
      if (!o.ok()) {
        ++refused;
        continue;
      }
      ++opened;
      struct stat st;
      ASSERT_EQ(::fstat(o.fd.get(), &st), 0);
      ASSERT_FALSE(st.st_ino == secret_f.st_ino && st.st_dev == secret_f.st_dev) << p;
      ASSERT_FALSE(st.st_ino == secret_g.st_ino && st.st_dev == secret_g.st_dev) << p;
      ASSERT_TRUE(fd_path(o.fd.get()).starts_with(root_path_ + "/")) << p << " -> " << fd_path(o.fd.get());
      if (S_ISREG(st.st_mode)) {
        std::string c = read_all(o.fd.get());
        ASSERT_TRUE(c == "inside" || c == "inside-g") << p << ": " << c;
      }
      // The parent+name form too: its directory is always beneath root.
      Resolution r = resolve(root_.get(), p, follow, w);
      if (r.ok()) {
        ASSERT_TRUE(fd_path(r.value.dir.get()).starts_with(root_path_)) << fd_path(r.value.dir.get());
      }
    }
    stop = true;
    racer.thread.join();
    EXPECT_GT(opened, 0);
    EXPECT_GT(swaps.load(), 0);
    std::printf("[   info   ] %s: %d opened, %d refused, %ld swap rounds\n", walk_name(w), opened, refused,
                swaps.load());
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[   info   ] racing: %lld ms\n", static_cast<long long>(ms));
  char buf[4096];
  EXPECT_LT(::read(in.get(), buf, sizeof buf), 0) << "something in outside/ was opened";
}

// ---- Concurrency and fds ----------------------------------------------------

TEST_F(SandboxTest, ConcurrentResolutionsAgree) {
  std::vector<Case> cases = table();
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Walk w = kWalks[t % std::size(kWalks)];
      if (w == Walk::Openat2 && !openat2_) w = Walk::Components;
      for (int round = 0; round < 5; ++round)
        for (const Case& c : cases)
          if (res(c.path, c.follow, w) != c.expect) mismatches.fetch_add(1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(SandboxTest, NoFdLeaks) {
  std::vector<Case> cases = table();
  int before = count_open_fds();
  ASSERT_GT(before, 0);
  for (int round = 0; round < 20; ++round) {
    for (Walk w : kWalks) {
      if (w == Walk::Openat2 && !openat2_) continue;
      for (const Case& c : cases) {
        Resolution r = resolve(root_.get(), c.path, c.follow, w);
        Opened o = open_beneath(root_.get(), c.path, O_RDONLY, 0, c.follow, w);
        Opened d = open_beneath(root_.get(), c.path, O_RDONLY | O_DIRECTORY, 0, c.follow, w);
      }
    }
  }
  EXPECT_EQ(count_open_fds(), before);
}

}  // namespace
}  // namespace wgi::wasi
