#include "decoder/opcodes.h"

#include <array>

namespace wgi {

namespace {

constexpr uint16_t kNone = 0xFFFF;

// Dense reverse tables, one per prefix. Codes after 0xFC/0xFE are small;
// SIMD codes go up to 0xFF.
struct Lookup {
  std::array<uint16_t, 256> single{};
  std::array<uint16_t, 256> fc{}, fd{}, fe{};
};

constexpr Lookup build_lookup() {
  Lookup t{};
  t.single.fill(kNone);
  t.fc.fill(kNone);
  t.fd.fill(kNone);
  t.fe.fill(kNone);
  for (uint16_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    auto& row = info.prefix == 0x00   ? t.single
                : info.prefix == 0xFC ? t.fc
                : info.prefix == 0xFD ? t.fd
                                      : t.fe;
    row[info.code] = i;
  }
  return t;
}

constexpr Lookup kLookup = build_lookup();

// Every row of the table must be reachable from its (prefix, code) pair:
// catches duplicated codes in opcodes.def at compile time.
constexpr bool lookup_is_consistent() {
  unsigned count = 0;
  for (auto* row : {&kLookup.single, &kLookup.fc, &kLookup.fd, &kLookup.fe})
    for (uint16_t v : *row)
      if (v != kNone) ++count;
  return count == kOpCount;
}
static_assert(lookup_is_consistent(), "duplicate (prefix, code) in opcodes.def");

}  // namespace

std::optional<Op> lookup_op(uint8_t prefix, uint32_t code) {
  if (code > 0xFF) return std::nullopt;
  uint16_t v;
  switch (prefix) {
    case 0x00: v = kLookup.single[code]; break;
    case 0xFC: v = kLookup.fc[code]; break;
    case 0xFD: v = kLookup.fd[code]; break;
    case 0xFE: v = kLookup.fe[code]; break;
    default: return std::nullopt;
  }
  if (v == kNone) return std::nullopt;
  return static_cast<Op>(v);
}

}  // namespace wgi
