// poll_oneoff: relative clock timeouts that expire; an absolute one
// ahead on the realtime clock; fd_read and fd_write subscriptions on regular files (always
// ready at once); a clock and fds together (the fds win); no
// subscriptions; an unknown event type. And libc's poll() and
// nanosleep()/usleep(), which wasi-libc builds on poll_oneoff.
//
// Reads data/in.txt (24 bytes); writes poll/out.txt.
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "wasi_test.h"

#define MS 1000000ull

// The waits are checked against their length less 5 ms: node's timers
// count whole milliseconds from a loop time read before the call, so
// they may fire up to a millisecond early.

static __wasi_timestamp_t mono(void) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0) return 0;
  return t;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t ud, __wasi_clockid_t id, __wasi_timestamp_t timeout,
                                       __wasi_subclockflags_t flags) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.precision = 0;
  s.u.u.clock.flags = flags;
  return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  if (type == __WASI_EVENTTYPE_FD_READ) s.u.u.fd_read.file_descriptor = fd;
  else s.u.u.fd_write.file_descriptor = fd;
  return s;
}

static const char* type_name(__wasi_eventtype_t t) {
  switch (t) {
    case __WASI_EVENTTYPE_CLOCK: return "clock";
    case __WASI_EVENTTYPE_FD_READ: return "fd_read";
    case __WASI_EVENTTYPE_FD_WRITE: return "fd_write";
    default: return "bad";
  }
}

// Prints the events sorted by userdata (their order is not specified).
static void say_events(const char* check, __wasi_errno_t e, const __wasi_event_t* ev, __wasi_size_t n) {
  if (e) {
    say_wasi(check, e);
    return;
  }
  __wasi_event_t sorted[8];
  if (n > 8) n = 8;
  memcpy(sorted, ev, n * sizeof *ev);
  for (__wasi_size_t i = 1; i < n; ++i)
    for (__wasi_size_t j = i; j > 0 && sorted[j - 1].userdata > sorted[j].userdata; --j) {
      __wasi_event_t t = sorted[j];
      sorted[j] = sorted[j - 1];
      sorted[j - 1] = t;
    }
  printf("%s: %u events", check, (unsigned)n);
  for (__wasi_size_t i = 0; i < n; ++i) {
    printf("; userdata %llu %s error %s", (unsigned long long)sorted[i].userdata, type_name(sorted[i].type),
           errno_name(sorted[i].error));
    // nbytes of fd_read on a regular file: the bytes left after the
    // offset; of fd_write: not printed (no defined value for a file).
    if (sorted[i].type == __WASI_EVENTTYPE_FD_READ)
      printf(" nbytes %llu", (unsigned long long)sorted[i].fd_readwrite.nbytes);
    if (sorted[i].type != __WASI_EVENTTYPE_CLOCK) printf(" flags %u", (unsigned)sorted[i].fd_readwrite.flags);
  }
  printf("\n");
}

int main(void) {
  if (chdir(SANDBOX) != 0) return 99;
  __wasi_event_t ev[8];
  __wasi_size_t n = 0;

  // A relative timeout of 50 ms on the monotonic clock: one clock event,
  // after at least 50 ms.
  {
    __wasi_subscription_t s = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 50 * MS, 0);
    __wasi_timestamp_t t0 = mono();
    __wasi_errno_t e = __wasi_poll_oneoff(&s, ev, 1, &n);
    __wasi_timestamp_t t1 = mono();
    say_events("poll_oneoff relative 50 ms", e, ev, n);
    say("poll_oneoff relative 50 ms waited at least 45 ms", "%s", t1 - t0 >= 45 * MS ? "yes" : "no");
    say("poll_oneoff relative 50 ms waited less than 10 s", "%s", t1 - t0 < 10000 * MS ? "yes" : "no");
  }
  // A relative timeout on the realtime clock.
  {
    __wasi_subscription_t s = clock_sub(43, __WASI_CLOCKID_REALTIME, 20 * MS, 0);
    say_events("poll_oneoff realtime relative 20 ms", __wasi_poll_oneoff(&s, ev, 1, &n), ev, n);
  }
  // Zero timeout.
  {
    __wasi_subscription_t s = clock_sub(44, __WASI_CLOCKID_MONOTONIC, 0, 0);
    say_events("poll_oneoff relative 0", __wasi_poll_oneoff(&s, ev, 1, &n), ev, n);
  }
  // An absolute time 30 ms ahead on the realtime clock. (Absolute times
  // on the monotonic clock, and absolute times in the past, are in
  // poll_abstime.c: node hangs on them.)
  {
    __wasi_timestamp_t now = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now);
    __wasi_timestamp_t t0 = mono();
    __wasi_subscription_t s =
        clock_sub(46, __WASI_CLOCKID_REALTIME, now + 30 * MS, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    __wasi_errno_t e = __wasi_poll_oneoff(&s, ev, 1, &n);
    __wasi_timestamp_t t1 = mono();
    say_events("poll_oneoff realtime absolute 30 ms ahead", e, ev, n);
    say("poll_oneoff realtime absolute 30 ms ahead waited at least 20 ms", "%s", t1 - t0 >= 20 * MS ? "yes" : "no");
  }
  // Two clocks: the earlier one fires (only it).
  {
    __wasi_subscription_t s[2] = {clock_sub(1, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0),
                                  clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0)};
    __wasi_timestamp_t t0 = mono();
    __wasi_errno_t e = __wasi_poll_oneoff(s, ev, 2, &n);
    say_events("poll_oneoff two clocks (5 s, 10 ms)", e, ev, n);
    say("poll_oneoff two clocks returned before 5 s", "%s", mono() - t0 < 5000 * MS ? "yes" : "no");
  }

  // Regular files are always ready: fd_read reports the bytes left to read.
  __wasi_fd_t in = (__wasi_fd_t)-1, out = (__wasi_fd_t)-1;
  say_wasi("path_open data/in.txt",
           open_raw("data/in.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_POLL_FD_READWRITE,
                    0, 0, &in));
  say_wasi("path_create_directory poll", __wasi_path_create_directory(SANDBOX_FD, "poll"));
  say_wasi("path_open poll/out.txt creat",
           open_raw("poll/out.txt", 0, __WASI_OFLAGS_CREAT,
                    __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_POLL_FD_READWRITE, 0, 0, &out));
  {
    __wasi_subscription_t s = fd_sub(7, __WASI_EVENTTYPE_FD_READ, in);
    say_events("poll_oneoff fd_read regular file", __wasi_poll_oneoff(&s, ev, 1, &n), ev, n);
    __wasi_filesize_t pos;
    (void)__wasi_fd_seek(in, 10, __WASI_WHENCE_SET, &pos);
    say_events("poll_oneoff fd_read regular file at offset 10", __wasi_poll_oneoff(&s, ev, 1, &n), ev, n);
  }
  {
    __wasi_subscription_t s = fd_sub(8, __WASI_EVENTTYPE_FD_WRITE, out);
    say_events("poll_oneoff fd_write regular file", __wasi_poll_oneoff(&s, ev, 1, &n), ev, n);
  }
  {
    __wasi_subscription_t s[3] = {clock_sub(9, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0),
                                  fd_sub(10, __WASI_EVENTTYPE_FD_READ, in), fd_sub(11, __WASI_EVENTTYPE_FD_WRITE, out)};
    __wasi_timestamp_t t0 = mono();
    __wasi_errno_t e = __wasi_poll_oneoff(s, ev, 3, &n);
    say_events("poll_oneoff clock 5 s + fd_read + fd_write", e, ev, n);
    say("poll_oneoff clock + fds returned before 5 s", "%s", mono() - t0 < 5000 * MS ? "yes" : "no");
  }
  {
    // No subscriptions: inval (the spec: "If nsubscriptions is 0, returns errno::inval").
    __wasi_subscription_t s = clock_sub(14, __WASI_CLOCKID_MONOTONIC, 0, 0);
    say_wasi("poll_oneoff no subscriptions", __wasi_poll_oneoff(&s, ev, 0, &n));
  }
  {
    // An unknown event type.
    __wasi_subscription_t s = clock_sub(15, __WASI_CLOCKID_MONOTONIC, 0, 0);
    s.u.tag = 3;
    say_wasi("poll_oneoff event type 3", __wasi_poll_oneoff(&s, ev, 1, &n));
  }
  (void)__wasi_fd_close(in);
  (void)__wasi_fd_close(out);

  // libc on top of poll_oneoff.
  {
    __wasi_timestamp_t t0 = mono();
    struct timespec ts = {0, 30 * 1000 * 1000};
    say_libc("nanosleep 30 ms", nanosleep(&ts, NULL));
    say("nanosleep 30 ms waited at least 25 ms", "%s", mono() - t0 >= 25 * MS ? "yes" : "no");
    t0 = mono();
    say_libc("usleep 20000", usleep(20000));
    say("usleep 20000 waited at least 15 ms", "%s", mono() - t0 >= 15 * MS ? "yes" : "no");
    t0 = mono();
    say_libc("clock_nanosleep monotonic 10 ms",
             -clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 10 * 1000 * 1000}, NULL));
    say("clock_nanosleep 10 ms waited at least 5 ms", "%s", mono() - t0 >= 5 * MS ? "yes" : "no");
    t0 = mono();
    say_libc("poll() no fds 40 ms", poll(NULL, 0, 40));
    say("poll() no fds 40 ms waited at least 35 ms", "%s", mono() - t0 >= 35 * MS ? "yes" : "no");
  }
  return 0;
}
