// clock_res_get and clock_time_get for the four clocks (realtime,
// monotonic, process_cputime, thread_cputime) and a clock that does not
// exist; random_get; sched_yield. Only deterministic properties are
// printed: a resolution above zero, a monotonic clock that does not go
// back, a realtime clock after 2020, the errno of the calls that fail.
#include <sys/random.h>
#include <time.h>

#include "wasi_test.h"

static const struct {
  __wasi_clockid_t id;
  const char* name;
} kClocks[] = {
    {__WASI_CLOCKID_REALTIME, "realtime"},
    {__WASI_CLOCKID_MONOTONIC, "monotonic"},
    {__WASI_CLOCKID_PROCESS_CPUTIME_ID, "process_cputime"},
    {__WASI_CLOCKID_THREAD_CPUTIME_ID, "thread_cputime"},
};

// 2020-01-01T00:00:00Z in nanoseconds.
#define Y2020_NS 1577836800000000000ull

static volatile uint64_t sink;

// A little work between two readings of a clock.
static void burn(void) {
  for (int i = 0; i < 2000000; ++i) sink += (uint64_t)i * i;
}

int main(void) {
  char check[96];
  for (size_t i = 0; i < sizeof kClocks / sizeof kClocks[0]; ++i) {
    __wasi_timestamp_t res = 0;
    __wasi_errno_t e = __wasi_clock_res_get(kClocks[i].id, &res);
    snprintf(check, sizeof check, "clock_res_get %s", kClocks[i].name);
    if (e) say_wasi(check, e);
    else say(check, "ok, positive %s, at most 1 s %s", res > 0 ? "yes" : "no", res <= 1000000000ull ? "yes" : "no");

    __wasi_timestamp_t t1 = 0, t2 = 0;
    __wasi_errno_t e1 = __wasi_clock_time_get(kClocks[i].id, 1, &t1);
    burn();
    __wasi_errno_t e2 = __wasi_clock_time_get(kClocks[i].id, 1, &t2);
    snprintf(check, sizeof check, "clock_time_get %s", kClocks[i].name);
    if (e1 || e2) {
      say_wasi(check, e1 ? e1 : e2);
    } else {
      say(check, "ok, second reading not earlier %s", t2 >= t1 ? "yes" : "no");
      if (kClocks[i].id == __WASI_CLOCKID_REALTIME) {
        snprintf(check, sizeof check, "clock_time_get %s after 2020", kClocks[i].name);
        say(check, "%s", t1 > Y2020_NS ? "yes" : "no");
      }
    }
  }
  // A large precision is only a hint.
  {
    __wasi_timestamp_t t = 0;
    say_wasi("clock_time_get monotonic, precision 1 s", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1000000000ull, &t));
  }
  // Clocks that do not exist: inval (the spec: "for unsupported clocks, return errno::inval").
  {
    __wasi_timestamp_t t = 0;
    say_wasi("clock_res_get clock 4", __wasi_clock_res_get(4, &t));
    say_wasi("clock_time_get clock 4", __wasi_clock_time_get(4, 1, &t));
    say_wasi("clock_time_get clock 0xffffffff", __wasi_clock_time_get(0xffffffffu, 1, &t));
  }

  // Through libc: clock_gettime, clock_getres, time, clock().
  {
    struct timespec a, b;
    int r1 = clock_gettime(CLOCK_MONOTONIC, &a);
    burn();
    int r2 = clock_gettime(CLOCK_MONOTONIC, &b);
    say_libc("clock_gettime CLOCK_MONOTONIC", r1 < 0 ? r1 : r2);
    say("clock_gettime CLOCK_MONOTONIC not earlier", "%s",
        (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)) ? "yes" : "no");
    say("clock_gettime tv_nsec in range", "%s", a.tv_nsec >= 0 && a.tv_nsec < 1000000000 ? "yes" : "no");
    struct timespec r;
    say_libc("clock_getres CLOCK_REALTIME", clock_getres(CLOCK_REALTIME, &r));
    say("time() after 2020", "%s", time(NULL) > 1577836800 ? "yes" : "no");
  }

  // random_get: lengths 0, 1, 16 and 4096; only the success and a
  // property that holds but for a 2^-32768 chance (not all 4096 bytes
  // zero; two 16-byte draws differ).
  {
    uint8_t none[1] = {0x5A};
    say_wasi("random_get 0 bytes", __wasi_random_get(none, 0));
    say("random_get 0 bytes leaves the buffer", "%s", none[0] == 0x5A ? "yes" : "no");
    uint8_t one[2] = {0, 0x5A};
    say_wasi("random_get 1 byte", __wasi_random_get(one, 1));
    say("random_get 1 byte stays in bounds", "%s", one[1] == 0x5A ? "yes" : "no");
    uint8_t a[16], b[16];
    __wasi_errno_t ea = __wasi_random_get(a, sizeof a), eb = __wasi_random_get(b, sizeof b);
    say_wasi("random_get 16 bytes", ea ? ea : eb);
    say("random_get two 16-byte draws differ", "%s", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
    static uint8_t big[4096];
    say_wasi("random_get 4096 bytes", __wasi_random_get(big, sizeof big));
    int nonzero = 0;
    for (size_t i = 0; i < sizeof big; ++i) nonzero |= big[i];
    say("random_get 4096 bytes not all zero", "%s", nonzero ? "yes" : "no");
    // wasi-libc's arc4random and getentropy use random_get.
    uint8_t g[32];
    say_libc("getentropy 32", getentropy(g, sizeof g));
  }

  say_wasi("sched_yield", __wasi_sched_yield());
  say_wasi("sched_yield again", __wasi_sched_yield());
  return 0;
}
