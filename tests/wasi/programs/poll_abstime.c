// poll_oneoff with absolute clock times (subscription_clock_abstime):
// monotonic and realtime times in the past fire at once, a monotonic time
// 30 ms ahead after 30 ms (checked as 25 ms: the same slack as poll.c).
//
// Compared with poll_abstime.expected, not with node: node (uvwasi)
// takes every absolute time as realtime and subtracts the current time
// without checking for the past, so a time in the past, or any monotonic
// one, wraps to a wait of centuries (README: known node deviations).
#include "wasi_test.h"

#define MS 1000000ull

static __wasi_timestamp_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  if (__wasi_clock_time_get(id, 1, &t) != 0) return 0;
  return t;
}

static void wait_until(const char* check, __wasi_clockid_t id, __wasi_timestamp_t when, uint64_t at_least_ms) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = 5;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = when;
  s.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  __wasi_event_t ev;
  memset(&ev, 0, sizeof ev);
  __wasi_size_t n = 0;
  __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
  __wasi_errno_t e = __wasi_poll_oneoff(&s, &ev, 1, &n);
  __wasi_timestamp_t waited = now(__WASI_CLOCKID_MONOTONIC) - t0;
  if (e) {
    say_wasi(check, e);
    return;
  }
  say(check, "%u events; userdata %llu type %u error %s; waited at least %llu ms %s, less than 5 s %s", (unsigned)n,
      (unsigned long long)ev.userdata, (unsigned)ev.type, errno_name(ev.error), (unsigned long long)at_least_ms,
      waited >= at_least_ms * MS ? "yes" : "no", waited < 5000 * MS ? "yes" : "no");
}

int main(void) {
  __wasi_timestamp_t m = now(__WASI_CLOCKID_MONOTONIC);
  wait_until("poll_oneoff monotonic absolute 1 s ago", __WASI_CLOCKID_MONOTONIC, m > 1000 * MS ? m - 1000 * MS : 0, 0);
  wait_until("poll_oneoff monotonic absolute 0", __WASI_CLOCKID_MONOTONIC, 0, 0);
  wait_until("poll_oneoff realtime absolute 1 s ago", __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) - 1000 * MS,
             0);
  wait_until("poll_oneoff monotonic absolute 30 ms ahead", __WASI_CLOCKID_MONOTONIC,
             now(__WASI_CLOCKID_MONOTONIC) + 30 * MS, 25);
  return 0;
}
