// Directories: path_create_directory, path_remove_directory, path_open
// with oflags directory, fd_readdir (a whole listing in a buffer that
// holds everything, then in small buffers resumed from saved cookies,
// and from a cookie saved in the middle), and libc's opendir/readdir/
// seekdir/telldir over them. Names are printed sorted; "." and ".." are
// left out (node's uvwasi never reports them, wasmtime does, the spec
// says nothing).
//
// Lists data/list (25 files file_00.txt ... file_24.txt and the
// directory dir_entry); makes and removes directories under made/.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_test.h"

#define MAX_NAMES 64

struct Names {
  int count;
  char name[MAX_NAMES][64];
  int type[MAX_NAMES];
};

static int compare_names(const void* a, const void* b) { return strcmp((const char*)a, (const char*)b); }

static void add(struct Names* n, const char* name, size_t len, int type) {
  if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) return;
  if (n->count >= MAX_NAMES || len >= 64) return;
  memcpy(n->name[n->count], name, len);
  n->name[n->count][len] = 0;
  n->type[n->count] = type;
  n->count++;
}

// Sorts and prints "check: N entries: a(type) b(type) ...".
static void say_names(const char* check, struct Names* n) {
  // Sort names with their types: sort an index.
  char sorted[MAX_NAMES][80];
  for (int i = 0; i < n->count; ++i)
    snprintf(sorted[i], sizeof sorted[i], "%s(%s)", n->name[i], filetype_name((__wasi_filetype_t)n->type[i]));
  qsort(sorted, (size_t)n->count, sizeof sorted[0], compare_names);
  printf("%s: %d entries:", check, n->count);
  for (int i = 0; i < n->count; ++i) printf(" %s", sorted[i]);
  printf("\n");
}

// Reads entries from a buffer fd_readdir filled: adds the complete ones,
// returns the cookie after the last complete one (*last), and how many
// were complete.
static int parse(const uint8_t* buf, size_t used, struct Names* n, __wasi_dircookie_t* last) {
  size_t off = 0;
  int complete = 0;
  while (off + sizeof(__wasi_dirent_t) <= used) {
    __wasi_dirent_t d;
    memcpy(&d, buf + off, sizeof d);
    if (off + sizeof d + d.d_namlen > used) break;  // a name cut short
    add(n, (const char*)buf + off + sizeof d, d.d_namlen, d.d_type);
    *last = d.d_next;
    off += sizeof d + d.d_namlen;
    complete++;
  }
  return complete;
}

static __wasi_fd_t open_dir(const char* path) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_fd_fdstat_get(SANDBOX_FD, &st) != 0) return fd;
  // The rights wasi-libc asks for with O_RDONLY | O_DIRECTORY: all but
  // those of writing (node opens a directory O_RDWR, and fails, if asked
  // for fd_write).
  const __wasi_rights_t no_write = ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_ALLOCATE |
                                     __WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  __wasi_errno_t e = open_raw(path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_DIRECTORY,
                              st.fs_rights_inheriting & no_write, st.fs_rights_inheriting, 0, &fd);
  if (e) {
    say_wasi("open_dir", e);
    return (__wasi_fd_t)-1;
  }
  return fd;
}

int main(void) {
  if (chdir(SANDBOX) != 0) return 99;
  __wasi_fd_t dir = open_dir("data/list");
  say("path_open data/list directory", "%s", dir == (__wasi_fd_t)-1 ? "failed" : "ok");

  // One call, a buffer that holds everything: bufused < buf_len.
  {
    static uint8_t buf[8192];
    __wasi_size_t used = 0;
    say_wasi("fd_readdir big buffer", __wasi_fd_readdir(dir, buf, sizeof buf, __WASI_DIRCOOKIE_START, &used));
    say("fd_readdir big buffer not full", "%s", used < sizeof buf ? "yes" : "no");
    struct Names n = {0};
    __wasi_dircookie_t last = 0;
    parse(buf, used, &n, &last);
    say_names("fd_readdir big buffer", &n);
    // Resuming from the last entry's cookie: nothing more (at most . or ..).
    struct Names rest = {0};
    __wasi_size_t used2 = 0;
    say_wasi("fd_readdir from the last cookie", __wasi_fd_readdir(dir, buf, sizeof buf, last, &used2));
    parse(buf, used2, &rest, &last);
    say_names("fd_readdir from the last cookie", &rest);
  }

  // Small buffers (100 bytes: a few entries, the last one cut short),
  // each call resumed from the cookie of the last complete entry.
  {
    struct Names n = {0};
    __wasi_dircookie_t cookie = __WASI_DIRCOOKIE_START;
    int calls = 0, full_calls = 0, ok = 1;
    for (;;) {
      uint8_t buf[100];
      __wasi_size_t used = 0;
      __wasi_errno_t e = __wasi_fd_readdir(dir, buf, sizeof buf, cookie, &used);
      if (e) {
        say_wasi("fd_readdir small buffer", e);
        ok = 0;
        break;
      }
      calls++;
      if (used > sizeof buf) {
        say("fd_readdir small buffer bufused", "%u > buf_len", (unsigned)used);
        ok = 0;
        break;
      }
      __wasi_dircookie_t last = cookie;
      int complete = parse(buf, used, &n, &last);
      if (used < sizeof buf) break;  // the end of the directory
      full_calls++;
      if (complete == 0) {
        say("fd_readdir small buffer", "no complete entry in a full buffer");
        ok = 0;
        break;
      }
      cookie = last;
      if (calls > 200) {
        say("fd_readdir small buffer", "does not end");
        ok = 0;
        break;
      }
    }
    say("fd_readdir small buffers", "%s, several calls %s", ok ? "ok" : "failed", calls > 3 ? "yes" : "no");
    say_names("fd_readdir small buffers", &n);
  }

  // A cookie saved after 10 entries: a listing resumed from it gives the
  // rest, and the two parts make the whole, with nothing twice.
  {
    static uint8_t buf[8192];
    __wasi_size_t used = 0;
    __wasi_errno_t e = __wasi_fd_readdir(dir, buf, sizeof buf, __WASI_DIRCOOKIE_START, &used);
    size_t off = 0;
    int seen = 0;
    __wasi_dircookie_t saved = 0;
    struct Names first = {0};
    while (!e && off + sizeof(__wasi_dirent_t) <= used && seen < 10) {
      __wasi_dirent_t d;
      memcpy(&d, buf + off, sizeof d);
      add(&first, (const char*)buf + off + sizeof d, d.d_namlen, d.d_type);
      saved = d.d_next;
      off += sizeof d + d.d_namlen;
      seen++;
    }
    struct Names second = {0};
    __wasi_dircookie_t last = 0;
    e = __wasi_fd_readdir(dir, buf, sizeof buf, saved, &used);
    say_wasi("fd_readdir from a saved cookie", e);
    parse(buf, used, &second, &last);
    struct Names all = first;
    int dup = 0;
    for (int i = 0; i < second.count; ++i) {
      for (int j = 0; j < first.count; ++j)
        if (strcmp(second.name[i], first.name[j]) == 0) dup = 1;
      add(&all, second.name[i], strlen(second.name[i]), second.type[i]);
    }
    say("fd_readdir resumed parts overlap", "%s", dup ? "yes" : "no");
    say_names("fd_readdir both parts", &all);
  }

  // fd_readdir on a file, on a closed fd.
  {
    uint8_t buf[256];
    __wasi_size_t used = 0;
    __wasi_fd_t file = (__wasi_fd_t)-1;
    __wasi_errno_t e = open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, 0, &file);
    say_wasi("path_open data/in.txt (for readdir)", e);
    say_wasi("fd_readdir on a regular file", __wasi_fd_readdir(file, buf, sizeof buf, 0, &used));
    say_wasi("fd_close file", __wasi_fd_close(file));
    say_wasi("fd_close dir", __wasi_fd_close(dir));
    say_wasi("fd_readdir on a closed fd", __wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  }

  // libc: opendir/readdir/telldir/seekdir/rewinddir.
  {
    DIR* d = opendir("data/list");
    say("opendir data/list", "%s", d ? "ok" : errno_name(errno));
    struct Names n = {0};
    struct dirent* ent;
    long pos_after_5 = -1;
    int count = 0;
    while (d && (ent = readdir(d)) != NULL) {
      add(&n, ent->d_name, strlen(ent->d_name), ent->d_type == DT_DIR ? __WASI_FILETYPE_DIRECTORY
                                                   : ent->d_type == DT_REG ? __WASI_FILETYPE_REGULAR_FILE
                                                                           : __WASI_FILETYPE_UNKNOWN);
      if (++count == 5) pos_after_5 = telldir(d);
    }
    say_names("readdir data/list", &n);
    if (d) {
      seekdir(d, pos_after_5);
      int rest = 0;
      while ((ent = readdir(d)) != NULL) rest++;
      say("readdir after seekdir(telldir after 5)", "%d entries (all: %d)", rest, count);
      rewinddir(d);
      int again = 0;
      while ((ent = readdir(d)) != NULL) again++;
      say("readdir after rewinddir", "%d entries (all: %d)", again, count);
      closedir(d);
    }
    say("opendir data/in.txt", "%s", opendir("data/in.txt") ? "UNEXPECTED success" : errno_name(errno));
    say("opendir data/missing", "%s", opendir("data/missing") ? "UNEXPECTED success" : errno_name(errno));
    say("opendir link_dir (a symlink to data)", "%s", (d = opendir("link_dir")) ? "ok" : errno_name(errno));
    if (d) closedir(d);
  }

  // path_create_directory / path_remove_directory.
  say_wasi("path_create_directory made", __wasi_path_create_directory(SANDBOX_FD, "made"));
  say_wasi("path_create_directory made/a", __wasi_path_create_directory(SANDBOX_FD, "made/a"));
  say_wasi("path_create_directory made/a/b", __wasi_path_create_directory(SANDBOX_FD, "made/a/b"));
  say_wasi("path_create_directory made (exists)", __wasi_path_create_directory(SANDBOX_FD, "made"));
  say_wasi("path_create_directory data/in.txt (a file)", __wasi_path_create_directory(SANDBOX_FD, "data/in.txt"));
  say_wasi("path_create_directory made/x/y (no parent)", __wasi_path_create_directory(SANDBOX_FD, "made/x/y"));
  say_wasi("path_create_directory made/gone", __wasi_path_create_directory(SANDBOX_FD, "made/gone"));
  say_wasi("path_create_directory made/keep", __wasi_path_create_directory(SANDBOX_FD, "made/keep"));
  say_wasi("path_remove_directory made/a (not empty)", __wasi_path_remove_directory(SANDBOX_FD, "made/a"));
  say_wasi("path_remove_directory made/gone", __wasi_path_remove_directory(SANDBOX_FD, "made/gone"));
  say_wasi("path_remove_directory made/gone (gone)", __wasi_path_remove_directory(SANDBOX_FD, "made/gone"));
  say_wasi("path_remove_directory data/in.txt (a file)", __wasi_path_remove_directory(SANDBOX_FD, "data/in.txt"));
  say_wasi("path_remove_directory made/a/b", __wasi_path_remove_directory(SANDBOX_FD, "made/a/b"));
  {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    say_wasi("path_open data/in.txt with oflags directory",
             open_raw("data/in.txt", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd));
    say_wasi("path_open made with oflags directory",
             open_raw("made", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0,
                      &fd));
    __wasi_filestat_t st;
    say_wasi("fd_filestat_get made", __wasi_fd_filestat_get(fd, &st));
    say("fd_filestat_get made filetype", "%s", filetype_name(st.filetype));
    say_wasi("fd_close made", __wasi_fd_close(fd));
    // A directory made through a directory fd other than the preopen.
    __wasi_fd_t made = open_dir("made");
    say_wasi("path_create_directory made/viafd (relative to made's fd)", __wasi_path_create_directory(made, "viafd"));
    say_wasi("fd_close made's fd", __wasi_fd_close(made));
    __wasi_fd_t file = (__wasi_fd_t)-1;
    say_wasi("path_open data/in.txt", open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &file));
    say_wasi("path_create_directory relative to a file's fd", __wasi_path_create_directory(file, "x"));
    say_wasi("fd_close data/in.txt", __wasi_fd_close(file));
  }
  // libc: mkdir, rmdir, and the trailing slash.
  say_libc("mkdir made/libc", mkdir("made/libc", 0755));
  say_fails("mkdir made/libc again", mkdir("made/libc", 0755));
  say_libc("mkdir made/libc2/ (trailing slash)", mkdir("made/libc2/", 0755));
  say_libc("rmdir made/libc2/", rmdir("made/libc2/"));
  say_fails("rmdir made (not empty)", rmdir("made"));
  say_fails("rmdir data/in.txt", rmdir("data/in.txt"));
  struct stat sb;
  say_libc("stat made/keep", stat("made/keep", &sb));
  say("stat made/keep is a directory", "%s", S_ISDIR(sb.st_mode) ? "yes" : "no");
  return 0;
}
