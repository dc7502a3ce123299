// Compile-time checks of errno.h's list against this host's errno values.
#include "wasi/errno.h"

namespace wgi::wasi {
namespace {

// Every host errno stands for one WASI errno: a duplicate would make
// to_wasi() give the first of two names for the same failure.
constexpr bool host_errnos_distinct() {
  constexpr int kHost[] = {
#define WGI_X(e, v, host, name) host,
      WGI_WASI_ERRNOS(WGI_X)
#undef WGI_X
  };
  for (size_t i = 0; i < std::size(kHost); ++i)
    for (size_t j = i + 1; j < std::size(kHost); ++j)
      if (kHost[i] != 0 && kHost[i] == kHost[j]) return false;
  return true;
}
static_assert(host_errnos_distinct());
static_assert(to_wasi(ENOENT) == Errno::Noent && to_wasi(EBADF) == Errno::Badf);
static_assert(static_cast<int>(Errno::Notcapable) == 76);
static_assert(errno_name(Errno::TooBig) == "2big");

}  // namespace
}  // namespace wgi::wasi
