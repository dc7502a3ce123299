// What the preview1 functions share (internal to src/wasi): the program's
// WASI state (Wasi::Context) and one call's view of it (Call).
//
// Each function is `Errno name(Call&)`, declared here from preview1.def and
// defined in the file of its area: args_clock.cc (args, environ, clocks,
// random, proc, sched), fd.cc (fd_*), path.cc (path_*), poll.cc
// (poll_oneoff), sock.cc (sock_*). wasi.cc turns the list into host
// functions: it reads the arguments' slots, calls the function and stores
// the errno it returns.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>
#include <vector>

#include "interp/event_log.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "interp/trap.h"
#include "interp/value.h"
#include "wasi/errno.h"
#include "wasi/fd_table.h"
#include "wasi/guest_memory.h"
#include "wasi/wasi.h"

namespace wgi::wasi {

struct Wasi::Context {
  WasiConfig config;
  FdTable fds;
  interp::Store store;  // owns the host functions define() creates
};

// One call of a preview1 function.
struct Call {
  Wasi::Context& cx;
  interp::Thread& thread;
  GuestMemory mem;
  const interp::Slot* args;
  // Set by a function that ends the program (proc_exit) instead of
  // returning to the guest.
  interp::TrapKind trap = interp::TrapKind::None;

  uint32_t u32(int i) const { return static_cast<uint32_t>(args[i]); }
  int32_t i32(int i) const { return static_cast<int32_t>(u32(i)); }
  uint64_t u64(int i) const { return static_cast<uint64_t>(args[i]); }

  // The descriptor `fd` when it holds `needed` (fd_table.h).
  std::shared_ptr<FileDesc> fd(uint32_t fd, uint64_t needed, Errno* error) const {
    return cx.fds.get(fd, needed, error);
  }
};

// The host's errno now, as WASI's.
Errno host_error();

// A host time as preview1's timestamp (nanoseconds).
inline uint64_t timespec_ns(const struct timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

// The guest's iovec array [iovs, iovs + 8 * count) as (ptr, len) pairs,
// each range checked; Errno::Fault when any is out of bounds, Errno::Inval
// when the total exceeds what one call may move (2^31 - 1 bytes, as
// POSIX's SSIZE_MAX on 32-bit guests).
struct GuestBuf {
  uint32_t ptr, len;
};
Errno read_iovecs(const GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<GuestBuf>* out);

// Calls that cannot hand guest memory to the host directly (a shared
// memory, sockets) copy through a host buffer of at most kMaxBounce bytes a
// call: a short read or write, which POSIX allows and libc's loops expect,
// rather than a host buffer as big as whatever the guest asks for.
inline constexpr uint64_t kMaxBounce = 1 << 20;
// The bytes of `bufs`, in order, up to kMaxBounce.
std::vector<uint8_t> gather(const GuestMemory& mem, const std::vector<GuestBuf>& bufs);
// Spreads data[0..n) over `bufs`, in order.
void scatter(const GuestMemory& mem, const std::vector<GuestBuf>& bufs, const uint8_t* data, uint64_t n);
// The room in `bufs`, up to kMaxBounce.
uint64_t bounce_size(const std::vector<GuestBuf>& bufs);

// Writes the filestat struct (64 bytes) for `st` (a struct stat*) at ptr.
bool store_filestat(const GuestMemory& mem, uint32_t ptr, const void* st);

// The two timespecs for futimens/utimensat from preview1's times and
// fstflags (1 atim, 2 atim_now, 4 mtim, 8 mtim_now); false when the flags
// contradict each other or have unknown bits (Errno::Inval).
bool times_from_flags(uint64_t atim, uint64_t mtim, uint32_t flags, struct timespec out[2]);

#define WGI_WASI_FUNC(name, params, returns_errno) Errno name(Call& c);
#include "wasi/preview1.def"
#undef WGI_WASI_FUNC

}  // namespace wgi::wasi
