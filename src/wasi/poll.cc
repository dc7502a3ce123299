// preview1: poll_oneoff, with clock and fd_read/fd_write subscriptions.
//
// Layouts (wasm32): a subscription is 48 bytes (userdata u64 @0, tag u8 @8,
// then clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16
// @40} or fd_readwrite {fd u32 @16}); an event is 32 bytes (userdata u64
// @0, error u16 @8, type u8 @10, fd_readwrite {nbytes u64 @16, flags u16
// @24}).
//
// Regular files are always ready (as poll(2) says of them); other
// descriptors are polled on the host. The wait is cut into slices so that
// a thread the runtime stops returns (fd.cc's wait_ready says why).
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "wasi/context.h"

namespace wgi::wasi {

namespace {

constexpr uint8_t kClock = 0, kFdRead = 1, kFdWrite = 2;

struct Event {
  uint64_t userdata;
  Errno error;
  uint8_t type;
  uint64_t nbytes;
  uint16_t flags;  // 1: hangup
};

int64_t now_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return static_cast<int64_t>(timespec_ns(ts));
}

}  // namespace

Errno poll_oneoff(Call& c) {
  const uint32_t in = c.u32(0), out = c.u32(1), n = c.u32(2), nevents_ptr = c.u32(3);
  if (n == 0) return Errno::Inval;
  if (!c.mem.in_bounds(in, uint64_t{n} * 48) || !c.mem.in_bounds(out, uint64_t{n} * 32) ||
      !c.mem.in_bounds(nevents_ptr, 4))
    return Errno::Fault;

  struct Waiting {
    uint64_t userdata;
    uint8_t type;
    std::shared_ptr<FileDesc> desc;
  };
  struct Timer {
    uint64_t userdata;
    int64_t deadline;  // CLOCK_MONOTONIC ns
  };
  std::vector<Event> events;
  std::vector<Waiting> waiting;
  std::vector<Timer> timers;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t s = in + 48 * i;
    const uint64_t userdata = *c.mem.load<uint64_t>(s);
    const uint8_t tag = *c.mem.load<uint8_t>(s + 8);
    if (tag == kClock) {
      const uint32_t id = *c.mem.load<uint32_t>(s + 16);
      const uint64_t timeout = *c.mem.load<uint64_t>(s + 24);
      const uint16_t flags = *c.mem.load<uint16_t>(s + 40);
      clockid_t host;
      switch (id) {
        case 0: host = CLOCK_REALTIME; break;
        case 1: host = CLOCK_MONOTONIC; break;
        default:
          // CPU-time clocks cannot be waited on.
          events.push_back({userdata, Errno::Inval, kClock, 0, 0});
          continue;
      }
      // Relative, or absolute on its own clock: the wait is measured on
      // the monotonic clock either way.
      int64_t rel = static_cast<int64_t>(std::min<uint64_t>(timeout, INT64_MAX / 2));
      if (flags & 1) rel = static_cast<int64_t>(std::min<uint64_t>(timeout, INT64_MAX / 2)) - now_ns(host);
      timers.push_back({userdata, now_ns(CLOCK_MONOTONIC) + std::max<int64_t>(rel, 0)});
    } else if (tag == kFdRead || tag == kFdWrite) {
      Errno e;
      auto d = c.fd(*c.mem.load<uint32_t>(s + 16), rights::PollFdReadwrite, &e);
      if (!d) {
        events.push_back({userdata, e, tag, 0, 0});
      } else if (d->type == FileType::RegularFile) {
        uint64_t nbytes = 0;
        if (tag == kFdRead) {
          struct stat st;
          const off_t pos = lseek(d->host, 0, SEEK_CUR);
          if (fstat(d->host, &st) == 0 && pos >= 0 && st.st_size > pos) nbytes = uint64_t(st.st_size - pos);
        }
        events.push_back({userdata, Errno::Success, tag, nbytes, 0});
      } else {
        waiting.push_back({userdata, tag, std::move(d)});
      }
    } else {
      return Errno::Inval;  // no such subscription type: the call is malformed
    }
  }

  if (!waiting.empty() || (events.empty() && !timers.empty())) {
    std::vector<struct pollfd> fds(waiting.size());
    for (size_t i = 0; i < waiting.size(); ++i)
      fds[i] = {waiting[i].desc->host, static_cast<short>(waiting[i].type == kFdRead ? POLLIN : POLLOUT), 0};
    std::optional<int64_t> deadline;
    for (const Timer& t : timers) deadline = std::min(deadline.value_or(INT64_MAX), t.deadline);
    // Ready events already found: just look, do not wait.
    const bool look_only = !events.empty();
    for (;;) {
      if (c.thread.interrupt_requested()) {
        c.trap = interp::TrapKind::Interrupted;
        return Errno::Intr;
      }
      int64_t slice = 100'000'000;  // 100 ms
      if (look_only) slice = 0;
      if (deadline) slice = std::min(slice, std::max<int64_t>(*deadline - now_ns(CLOCK_MONOTONIC), 0));
      const struct timespec ts = {static_cast<time_t>(slice / 1000000000), static_cast<long>(slice % 1000000000)};
      const int r = ppoll(fds.data(), fds.size(), &ts, nullptr);
      if (r < 0 && errno != EINTR) return host_error();
      if (r > 0) {
        for (size_t i = 0; i < fds.size(); ++i) {
          if (fds[i].revents == 0) continue;
          Event ev{waiting[i].userdata, Errno::Success, waiting[i].type, 0, 0};
          if (fds[i].revents & POLLNVAL) ev.error = Errno::Badf;
          if (fds[i].revents & POLLHUP) ev.flags = 1;
          int avail = 0;
          if (waiting[i].type == kFdRead && ioctl(fds[i].fd, FIONREAD, &avail) == 0 && avail > 0)
            ev.nbytes = static_cast<uint64_t>(avail);
          events.push_back(ev);
        }
        break;
      }
      if (look_only) break;
      if (deadline && now_ns(CLOCK_MONOTONIC) >= *deadline) break;
    }
  }
  // Timers that have expired by now.
  const int64_t now = now_ns(CLOCK_MONOTONIC);
  for (const Timer& t : timers)
    if (t.deadline <= now) events.push_back({t.userdata, Errno::Success, kClock, 0, 0});

  for (size_t i = 0; i < events.size(); ++i) {
    const uint32_t e = out + 32 * static_cast<uint32_t>(i);
    const Event& ev = events[i];
    c.mem.store<uint64_t>(e, ev.userdata);
    c.mem.store<uint64_t>(e + 8, 0);  // error, type and padding, set below
    c.mem.store<uint16_t>(e + 8, static_cast<uint16_t>(ev.error));
    c.mem.store<uint8_t>(e + 10, ev.type);
    c.mem.store<uint64_t>(e + 16, ev.nbytes);
    c.mem.store<uint64_t>(e + 24, ev.flags);
  }
  c.mem.store<uint32_t>(nevents_ptr, static_cast<uint32_t>(events.size()));
  return Errno::Success;
}

}  // namespace wgi::wasi
