#include "crash_guard.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace wgi::spec {

namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction g_previous[std::size(kSignals)];

char g_label[512];
std::atomic<size_t> g_label_len{0};

void write_all(const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, p, n);
    if (w <= 0) return;
    p += w;
    n -= size_t(w);
  }
}

void on_fatal_signal(int sig, siginfo_t* info, void*) {
  // Only async-signal-safe calls from here on.
  const char* name = sig == SIGSEGV ? "SIGSEGV"
                     : sig == SIGBUS ? "SIGBUS"
                     : sig == SIGFPE ? "SIGFPE"
                     : sig == SIGILL ? "SIGILL"
                                     : "SIGABRT";
  static const char kHead[] = "\nwgi-spec: fatal signal ";
  write_all(kHead, sizeof kHead - 1);
  write_all(name, std::strlen(name));
  static const char kWhile[] = " while running ";
  write_all(kWhile, sizeof kWhile - 1);
  const size_t n = g_label_len.load(std::memory_order_acquire);
  if (n) write_all(g_label, n);
  else write_all("(no command)", 12);
  write_all("\n", 1);

  for (size_t i = 0; i < std::size(kSignals); ++i)
    if (kSignals[i] == sig) sigaction(sig, &g_previous[i], nullptr);
  // A fault raised by the CPU happens again when the handler returns, now
  // reaching the previous handler at the faulting instruction; a signal
  // sent by software (abort, kill) has to be sent again.
  if (info == nullptr || info->si_code <= 0 || sig == SIGABRT) raise(sig);
}

}  // namespace

void install_crash_guard() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fatal_signal;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &sa, &g_previous[i]);
}

void note_current_command(std::string_view label) {
  const size_t n = std::min(label.size(), sizeof g_label);
  g_label_len.store(0, std::memory_order_release);
  if (n) std::memcpy(g_label, label.data(), n);
  g_label_len.store(n, std::memory_order_release);
}

}  // namespace wgi::spec
