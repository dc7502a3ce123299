// Wasi: start-up (stdio, preopens) and the host functions made from
// preview1.def. The functions themselves live in the files context.h lists.
#include "wasi/wasi.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "wasi/context.h"

namespace wgi::wasi {

bool uses_wasi(const Module& m) {
  for (const Import& imp : m.imports)
    if (imp.module == kModuleName) return true;
  return false;
}

Errno host_error() { return to_wasi(errno); }

void record_guest_access(interp::Thread& thread, interp::EventOp op, uint32_t ptr, uint64_t len) {
  interp::EventLog* log = thread.trace_;
  if (log == nullptr || len == 0) return;
  if (!log->push_range(op, ptr, len, log->call_site)) return;
  // The log found a race and asks where: the Wasm frames that called us.
  // (Every frame gets the caller's instance: a WASI program is one module,
  // and the log needs only to know that a frame is Wasm code.)
  std::vector<interp::BacktraceFrame> frames;
  for (const interp::Thread::RawFrame& f : thread.caller_frames()) {
    const interp::Thread::CodeLocation loc = interp::Thread::resolve(f);
    frames.push_back(interp::BacktraceFrame{thread.caller_instance(), loc.func_index, loc.offset, {}});
  }
  log->backtrace_ready(frames);
}

Errno read_iovecs(const GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<GuestBuf>* out) {
  if (!mem.in_bounds(iovs, uint64_t{count} * 8)) return Errno::Fault;
  out->clear();
  out->reserve(count);
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t ptr = *mem.load<uint32_t>(iovs + 8 * i);
    const uint32_t len = *mem.load<uint32_t>(iovs + 8 * i + 4);
    if (!mem.in_bounds(ptr, len)) return Errno::Fault;
    total += len;
    if (total > 0x7FFFFFFF) return Errno::Inval;
    out->push_back({ptr, len});
  }
  return Errno::Success;
}

uint64_t bounce_size(const std::vector<GuestBuf>& bufs) {
  uint64_t total = 0;
  for (const GuestBuf& b : bufs) total += b.len;
  return std::min<uint64_t>(total, kMaxBounce);
}

std::vector<uint8_t> gather(const GuestMemory& mem, const std::vector<GuestBuf>& bufs) {
  std::vector<uint8_t> out(bounce_size(bufs));
  uint64_t at = 0;
  for (const GuestBuf& b : bufs) {
    const uint64_t part = std::min<uint64_t>(b.len, out.size() - at);
    mem.read(b.ptr, out.data() + at, part);
    at += part;
  }
  return out;
}

void scatter(const GuestMemory& mem, const std::vector<GuestBuf>& bufs, const uint8_t* data, uint64_t n) {
  uint64_t at = 0;
  for (const GuestBuf& b : bufs) {
    if (at >= n) break;
    const uint64_t part = std::min<uint64_t>(b.len, n - at);
    mem.write(b.ptr, data + at, part);
    at += part;
  }
}

bool store_filestat(const GuestMemory& mem, uint32_t ptr, const void* raw) {
  const struct stat& st = *static_cast<const struct stat*>(raw);
  if (!mem.in_bounds(ptr, 64)) return false;
  mem.store<uint64_t>(ptr + 0, st.st_dev);
  mem.store<uint64_t>(ptr + 8, st.st_ino);
  mem.store<uint64_t>(ptr + 16, static_cast<uint8_t>(file_type_of_mode(st.st_mode)));  // and padding
  mem.store<uint64_t>(ptr + 24, st.st_nlink);
  mem.store<uint64_t>(ptr + 32, st.st_size);
  mem.store<uint64_t>(ptr + 40, timespec_ns(st.st_atim));
  mem.store<uint64_t>(ptr + 48, timespec_ns(st.st_mtim));
  mem.store<uint64_t>(ptr + 56, timespec_ns(st.st_ctim));
  return true;
}

namespace {

// stdin/stdout/stderr: the rights of their host type, not owned.
std::shared_ptr<FileDesc> stdio(int host_fd) {
  const FileType type = file_type_of_fd(host_fd);
  // A terminal or pipe, or a file or socket it was redirected from or to.
  return std::make_shared<FileDesc>(host_fd, false, type, rights_of_fd(host_fd, type), 0);
}

FuncType signature(const char* params, bool returns_errno) {
  FuncType t;
  for (const char* p = params; *p; ++p) t.params.push_back(*p == 'I' ? ValType::I64 : ValType::I32);
  if (returns_errno) t.results.push_back(ValType::I32);
  return t;
}

}  // namespace

Result<std::unique_ptr<Wasi>> Wasi::create(const WasiConfig& config) {
  auto cx = std::make_unique<Context>();
  cx->config = config;
  cx->fds.put(0, stdio(config.stdin_fd));
  cx->fds.put(1, stdio(config.stdout_fd));
  cx->fds.put(2, stdio(config.stderr_fd));
  uint32_t fd = 3;
  for (const Preopen& p : config.preopens) {
    const int host = ::open(p.host.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0)
      return make_error(ErrorCode::Io, kNoOffset, "cannot preopen directory \"" + p.host + "\": " + std::strerror(errno));
    auto desc = std::make_shared<FileDesc>(host, true, FileType::Directory, rights::Directory,
                                           rights::DirectoryInheriting);
    desc->preopen = p.guest;
    cx->fds.put(fd++, std::move(desc));
  }
  return std::unique_ptr<Wasi>(new Wasi(std::move(cx)));
}

Wasi::Wasi(std::unique_ptr<Context> cx) : cx_(std::move(cx)) {}
Wasi::~Wasi() = default;

void Wasi::define(interp::Linker& linker) {
  using Fn = Errno (*)(Call&);
  struct Entry {
    const char* name;
    const char* params;
    bool returns_errno;
    Fn fn;
  };
  static constexpr Entry kEntries[] = {
#define WGI_WASI_FUNC(name, params, returns_errno) {#name, params, returns_errno, &name},
#include "wasi/preview1.def"
#undef WGI_WASI_FUNC
  };
  Context* cx = cx_.get();
  for (const Entry& e : kEntries) {
    const Entry entry = e;
    interp::HostFn host = [cx, entry](interp::Thread& t, interp::Slot* slots) {
      interp::Instance* inst = t.caller_instance();
      Call call{*cx, t, GuestMemory(inst ? inst->memory : nullptr, &t), slots};
      const Errno err = entry.fn(call);
      if (entry.returns_errno) slots[0] = static_cast<uint32_t>(err);
      return call.trap;
    };
    interp::FuncInst* f = cx->store.add_host_func(signature(e.params, e.returns_errno), std::move(host),
                                                 std::string(kModuleName) + "." + e.name);
    linker.define(kModuleName, e.name, interp::ExternVal::of(f));
  }
}

}  // namespace wgi::wasi
