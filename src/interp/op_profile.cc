#include "interp/op_profile.h"

#ifdef WGI_OP_PROFILE

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include "interp/code.h"
#include "interp/code_dump.h"

namespace wgi::interp {

namespace {

// Pair counts of executed instructions, printed at exit (sorted).
struct OpProfile {
  std::vector<uint64_t> pairs = std::vector<uint64_t>(size_t(kIOpCount) * kIOpCount);
  std::vector<uint64_t> singles = std::vector<uint64_t>(kIOpCount);
  unsigned prev = 0;

  ~OpProfile() {
    uint64_t total = 0;
    for (uint64_t c : singles) total += c;
    std::fprintf(stderr, "op profile: %llu instructions\n", (unsigned long long)total);
    if (total == 0) return;
    auto top = [](const std::vector<uint64_t>& counts) {
      std::vector<std::pair<uint64_t, unsigned>> v;
      for (unsigned i = 0; i < counts.size(); ++i)
        if (counts[i]) v.push_back({counts[i], i});
      std::sort(v.rbegin(), v.rend());
      return v;
    };
    const auto s1 = top(singles);
    for (size_t i = 0; i < s1.size() && i < 25; ++i)
      std::fprintf(stderr, "  %5.2f%%  %s\n", 100.0 * s1[i].first / total, iop_name(IOp(s1[i].second)));
    const auto s2 = top(pairs);
    for (size_t i = 0; i < s2.size() && i < 40; ++i)
      std::fprintf(stderr, "  %5.2f%%  %s -> %s\n", 100.0 * s2[i].first / total,
                   iop_name(IOp(s2[i].second / kIOpCount)), iop_name(IOp(s2[i].second % kIOpCount)));
  }
};

OpProfile g_profile;

}  // namespace

void op_profile_hit(const void* h) {
  const IOp op = iop_at_handler(h);
  if (op == kNoIOp) return;  // every dispatched address is a handler's
  const unsigned cur = static_cast<unsigned>(op);
  ++g_profile.singles[cur];
  ++g_profile.pairs[size_t(g_profile.prev) * kIOpCount + cur];
  g_profile.prev = cur;
}

}  // namespace wgi::interp

#endif
