// preview1: sock_accept, sock_recv, sock_send, sock_shutdown.
//
// wgi preopens no sockets, so a guest meets one only if it inherits it
// (a descriptor passed as stdin, say). Any other descriptor lacks the
// socket's capabilities: accept, recv and send answer Errno::Notcapable,
// shutdown Errno::Notsup (as node:wasi does: the differential tests'
// oracle).
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "wasi/context.h"

namespace wgi::wasi {

namespace {

bool is_socket(const FileDesc& d) { return d.type == FileType::SocketStream || d.type == FileType::SocketDgram; }

// The socket `fd`, holding `needed`: Badf, Notcapable (not a socket, or
// without the right) or `not_socket` otherwise.
std::shared_ptr<FileDesc> socket_fd(Call& c, uint32_t fd, uint64_t needed, Errno* e,
                                    Errno not_socket = Errno::Notcapable) {
  auto d = c.fd(fd, 0, e);
  if (!d) return nullptr;
  if (!is_socket(*d)) {
    *e = not_socket;
    return nullptr;
  }
  if ((d->rights_base.load() & needed) != needed) {
    *e = Errno::Notcapable;
    return nullptr;
  }
  return d;
}

}  // namespace

Errno sock_accept(Call& c) {
  Errno e;
  auto d = socket_fd(c, c.u32(0), rights::SockAccept, &e);
  if (!d) return e;
  const uint32_t flags = c.u32(1);
  if (flags & ~uint32_t{fdflags::Nonblock}) return Errno::Inval;
  if (!c.mem.in_bounds(c.u32(2), 4)) return Errno::Fault;
  const int host = accept4(d->host, nullptr, nullptr, SOCK_CLOEXEC | (flags & fdflags::Nonblock ? SOCK_NONBLOCK : 0));
  if (host < 0) return host_error();
  auto desc = std::make_shared<FileDesc>(host, true, FileType::SocketStream, rights_of_type(FileType::SocketStream), 0);
  const std::optional<uint32_t> fd = c.cx.fds.insert(std::move(desc), &e);
  if (!fd) return e;
  c.mem.store<uint32_t>(c.u32(2), *fd);
  return Errno::Success;
}

Errno sock_recv(Call& c) {
  Errno e;
  auto d = socket_fd(c, c.u32(0), rights::FdRead, &e);
  if (!d) return e;
  std::vector<GuestBuf> bufs;
  if (Errno r = read_iovecs(c.mem, c.u32(1), c.u32(2), &bufs); r != Errno::Success) return r;
  const uint32_t riflags = c.u32(3);
  if (riflags & ~uint32_t{3}) return Errno::Inval;
  const uint32_t len_ptr = c.u32(4), flags_ptr = c.u32(5);
  if (!c.mem.in_bounds(len_ptr, 4) || !c.mem.in_bounds(flags_ptr, 2)) return Errno::Fault;
  std::vector<uint8_t> bounce(bounce_size(bufs));
  struct iovec iov = {bounce.data(), bounce.size()};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  const int host_flags = (riflags & 1 ? MSG_PEEK : 0) | (riflags & 2 ? MSG_WAITALL : 0);
  ssize_t n;
  do n = recvmsg(d->host, &msg, host_flags);
  while (n < 0 && errno == EINTR);
  if (n < 0) return host_error();
  scatter(c.mem, bufs, bounce.data(), static_cast<uint64_t>(n));
  c.mem.store<uint32_t>(len_ptr, static_cast<uint32_t>(n));
  c.mem.store<uint16_t>(flags_ptr, (msg.msg_flags & MSG_TRUNC) ? 1 : 0);
  return Errno::Success;
}

Errno sock_send(Call& c) {
  Errno e;
  auto d = socket_fd(c, c.u32(0), rights::FdWrite, &e);
  if (!d) return e;
  std::vector<GuestBuf> bufs;
  if (Errno r = read_iovecs(c.mem, c.u32(1), c.u32(2), &bufs); r != Errno::Success) return r;
  if (c.u32(3) != 0) return Errno::Inval;  // siflags: none defined
  if (!c.mem.in_bounds(c.u32(4), 4)) return Errno::Fault;
  const std::vector<uint8_t> bounce = gather(c.mem, bufs);
  ssize_t n;
  do n = send(d->host, bounce.data(), bounce.size(), MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) return host_error();
  c.mem.store<uint32_t>(c.u32(4), static_cast<uint32_t>(n));
  return Errno::Success;
}

Errno sock_shutdown(Call& c) {
  Errno e;
  auto d = socket_fd(c, c.u32(0), rights::SockShutdown, &e, Errno::Notsup);
  if (!d) return e;
  static constexpr int kHow[] = {-1, SHUT_RD, SHUT_WR, SHUT_RDWR};
  const uint32_t how = c.u32(1);
  if (how == 0 || how > 3) return Errno::Inval;
  return shutdown(d->host, kHow[how]) == 0 ? Errno::Success : host_error();
}

}  // namespace wgi::wasi
