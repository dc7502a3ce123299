#include "decoder/opcodes.h"

#include <array>

namespace wgi {

namespace {
constexpr ValType I = ValType::I32, L = ValType::I64, F = ValType::F32, D = ValType::F64,
                  V = ValType::V128, X = ValType::Void;
}  // namespace

const SigInfo kSigInfo[] = {
#define WGI_SIG(Name, np, p0, p1, p2, nr, r0) {np, {p0, p1, p2}, nr, r0},
#include "decoder/opcodes.def"
};

const OpInfo kOpInfo[kOpCount] = {
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags) \
  {prefix, code, text, ImmKind::imm, Sig::sig, bytes, flags},
#include "decoder/opcodes.def"
};

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
  uint16_t i = 0;
#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags)        \
  {                                                                     \
    auto& row = (prefix) == 0x00   ? t.single                           \
                : (prefix) == 0xFC ? t.fc                               \
                : (prefix) == 0xFD ? t.fd                               \
                                   : t.fe;                              \
    if ((prefix) != 0xFF) row[(code)] = i;                              \
    ++i;                                                                \
  }
#include "decoder/opcodes.def"
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
