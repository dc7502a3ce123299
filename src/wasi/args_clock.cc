// preview1: arguments, environment, clocks, random bytes, proc_exit,
// proc_raise, sched_yield.
#include <sched.h>
#include <sys/random.h>
#include <time.h>

#include <cstring>

#include "wasi/context.h"

namespace wgi::wasi {

namespace {

// args_get / environ_get: a pointer per string at `ptrs`, the strings
// (NUL-terminated) one after another at `buf`.
Errno put_strings(const GuestMemory& mem, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
  uint64_t total = 0;
  for (const std::string& s : list) total += s.size() + 1;
  if (!mem.in_bounds(ptrs, uint64_t{4} * list.size()) || !mem.in_bounds(buf, total)) return Errno::Fault;
  uint32_t at = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    mem.store<uint32_t>(ptrs + 4 * static_cast<uint32_t>(i), at);
    mem.write(at, list[i].c_str(), list[i].size() + 1);
    at += static_cast<uint32_t>(list[i].size() + 1);
  }
  return Errno::Success;
}

Errno put_sizes(const GuestMemory& mem, const std::vector<std::string>& list, uint32_t count_ptr,
                uint32_t size_ptr) {
  uint64_t total = 0;
  for (const std::string& s : list) total += s.size() + 1;
  if (!mem.in_bounds(count_ptr, 4) || !mem.in_bounds(size_ptr, 4)) return Errno::Fault;
  mem.store<uint32_t>(count_ptr, static_cast<uint32_t>(list.size()));
  mem.store<uint32_t>(size_ptr, static_cast<uint32_t>(total));
  return Errno::Success;
}

// preview1's clock ids, as the host's.
bool host_clock(uint32_t id, clockid_t* out) {
  switch (id) {
    case 0: *out = CLOCK_REALTIME; return true;
    case 1: *out = CLOCK_MONOTONIC; return true;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

}  // namespace

Errno args_get(Call& c) { return put_strings(c.mem, c.cx.config.args, c.u32(0), c.u32(1)); }
Errno args_sizes_get(Call& c) { return put_sizes(c.mem, c.cx.config.args, c.u32(0), c.u32(1)); }
Errno environ_get(Call& c) { return put_strings(c.mem, c.cx.config.env, c.u32(0), c.u32(1)); }
Errno environ_sizes_get(Call& c) { return put_sizes(c.mem, c.cx.config.env, c.u32(0), c.u32(1)); }

Errno clock_res_get(Call& c) {
  clockid_t id;
  if (!host_clock(c.u32(0), &id)) return Errno::Inval;
  struct timespec ts;
  if (clock_getres(id, &ts) != 0) return host_error();
  if (!c.mem.store<uint64_t>(c.u32(1), timespec_ns(ts)))
    return Errno::Fault;
  return Errno::Success;
}

Errno clock_time_get(Call& c) {
  clockid_t id;
  if (!host_clock(c.u32(0), &id)) return Errno::Inval;
  // The precision argument is a hint; the host's clocks are as precise as
  // they are.
  struct timespec ts;
  if (clock_gettime(id, &ts) != 0) return host_error();
  if (!c.mem.store<uint64_t>(c.u32(2), timespec_ns(ts)))
    return Errno::Fault;
  return Errno::Success;
}

Errno random_get(Call& c) {
  const uint32_t ptr = c.u32(0), len = c.u32(1);
  if (!c.mem.in_bounds(ptr, len)) return Errno::Fault;
  uint8_t chunk[256];
  for (uint32_t done = 0; done < len;) {
    const size_t want = std::min<size_t>(sizeof chunk, len - done);
    const ssize_t got = getrandom(chunk, want, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return host_error();
    }
    c.mem.write(ptr + done, chunk, static_cast<uint64_t>(got));
    done += static_cast<uint32_t>(got);
  }
  return Errno::Success;
}

Errno proc_exit(Call& c) {
  c.thread.exit_status = c.i32(0);
  c.trap = interp::TrapKind::Exit;
  return Errno::Success;
}

// Signals are not part of the sandbox's world (wasmtime and later WASI
// versions dropped proc_raise).
Errno proc_raise(Call&) { return Errno::Nosys; }

Errno sched_yield(Call&) {
  ::sched_yield();
  return Errno::Success;
}

}  // namespace wgi::wasi
