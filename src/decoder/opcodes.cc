#include "decoder/opcodes.h"

#include <array>

namespace wgi {

namespace {

constexpr OpLookup build_lookup() {
  OpLookup t{};
  for (auto* row : {t.single, t.fc, t.fd, t.fe})
    for (unsigned c = 0; c < 256; ++c) row[c] = kNoOpIndex;
  for (uint16_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    uint16_t* row = info.prefix == 0x00   ? t.single
                    : info.prefix == 0xFC ? t.fc
                    : info.prefix == 0xFD ? t.fd
                                          : t.fe;
    row[info.code] = i;
  }
  return t;
}

constexpr OpLookup kLookup = build_lookup();

// Every row of the table must be reachable from its (prefix, code) pair:
// catches duplicated codes in opcodes.def at compile time.
constexpr bool lookup_is_consistent() {
  unsigned count = 0;
  for (const uint16_t* row : {kLookup.single, kLookup.fc, kLookup.fd, kLookup.fe})
    for (unsigned c = 0; c < 256; ++c)
      if (row[c] != kNoOpIndex) ++count;
  return count == kOpCount;
}
static_assert(lookup_is_consistent(), "duplicate (prefix, code) in opcodes.def");

}  // namespace

const OpLookup kOpLookup = kLookup;

}  // namespace wgi
