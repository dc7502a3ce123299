#include "interp/value_text.h"

#include <bit>
#include <cctype>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace wgi::interp {

namespace {

bool parse_uint(std::string_view s, uint64_t max, uint64_t& out) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return false;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return false;
  out = v;
  return true;
}

// Two's complement bits of an integer of `bits` width from text.
bool parse_int(std::string_view s, unsigned bits, uint64_t& out) {
  const uint64_t umax = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t mag;
  if (neg) {
    const uint64_t limit = uint64_t{1} << (bits - 1);  // |INT_MIN|
    if (!parse_uint(s, limit, mag)) return false;
    out = (~mag + 1) & umax;
  } else {
    if (!parse_uint(s, umax, mag)) return false;
    out = mag;
  }
  return true;
}

template <class F, class B>
bool parse_float(std::string_view s, B& out) {
  constexpr unsigned kMantBits = sizeof(F) == 4 ? 23 : 52;
  constexpr B kExpMask = sizeof(F) == 4 ? B(0x7F800000u) : B(0x7FF0000000000000ull);
  constexpr B kSign = B(1) << (sizeof(F) * 8 - 1);
  bool neg = false;
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") {
    out = kExpMask | (neg ? kSign : 0);
    return true;
  }
  if (body == "nan") {
    out = kExpMask | (B(1) << (kMantBits - 1)) | (neg ? kSign : 0);
    return true;
  }
  if (body.substr(0, 4) == "nan:") {
    uint64_t payload;
    const uint64_t max = (uint64_t{1} << kMantBits) - 1;
    if (!parse_uint(body.substr(4), max, payload) || payload == 0) return false;
    out = kExpMask | B(payload) | (neg ? kSign : 0);
    return true;
  }
  // The rest must be a decimal or hex number: strtod/strtof would also
  // skip leading blanks and read their own spellings of inf and nan
  // ("INF", "nan(...)"), which are not values of the text format.
  if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.'))
    return false;
  for (char c : body)
    if (c == 'n' || c == 'N' || c == 'i' || c == 'I' || c == '(') return false;
  // strtod/strtof handle decimal and hex floats with correct rounding (to
  // nearest, ties to even), directly in the target precision.
  std::string str(s);
  char* end = nullptr;
  F v;
  if constexpr (sizeof(F) == 4) v = std::strtof(str.c_str(), &end);
  else v = std::strtod(str.c_str(), &end);
  if (end == str.c_str() || *end != '\0') return false;
  out = std::bit_cast<B>(v);
  // A finite literal that rounds to infinity is out of range, as in the
  // text format (tiny ones round to zero or a subnormal, which is fine).
  if ((out & kExpMask) == kExpMask) return false;
  return true;
}

template <class F, class B>
std::string format_float(B bits) {
  constexpr unsigned kMantBits = sizeof(F) == 4 ? 23 : 52;
  constexpr B kExpMask = sizeof(F) == 4 ? B(0x7F800000u) : B(0x7FF0000000000000ull);
  constexpr B kSign = B(1) << (sizeof(F) * 8 - 1);
  constexpr B kMant = (B(1) << kMantBits) - 1;
  const bool neg = bits & kSign;
  if ((bits & kExpMask) == kExpMask && (bits & kMant) != 0) {
    const B payload = bits & kMant;
    std::string s = neg ? "-nan" : "nan";
    if (payload != (B(1) << (kMantBits - 1))) {
      char buf[32];
      std::snprintf(buf, sizeof buf, ":0x%" PRIx64, static_cast<uint64_t>(payload));
      s += buf;
    }
    return s;
  }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, std::bit_cast<F>(bits));
  return std::string(buf, p);
}

}  // namespace

std::optional<std::string> parse_value(ValType t, std::string_view text, Slot* slots) {
  slots[0] = 0;
  switch (t) {
    case ValType::I32: {
      uint64_t v;
      if (!parse_int(text, 32, v)) return "not an i32: '" + std::string(text) + "'";
      slots[0] = v;
      return std::nullopt;
    }
    case ValType::I64: {
      uint64_t v;
      if (!parse_int(text, 64, v)) return "not an i64: '" + std::string(text) + "'";
      slots[0] = v;
      return std::nullopt;
    }
    case ValType::F32: {
      uint32_t b;
      if (!parse_float<float>(text, b)) return "not an f32: '" + std::string(text) + "'";
      slots[0] = b;
      return std::nullopt;
    }
    case ValType::F64: {
      uint64_t b;
      if (!parse_float<double>(text, b)) return "not an f64: '" + std::string(text) + "'";
      slots[0] = b;
      return std::nullopt;
    }
    case ValType::FuncRef:
    case ValType::ExternRef:
      if (text == "null") return std::nullopt;
      return std::string("only 'null' can be passed as a ") + valtype_name(t);
    default:
      return std::string("cannot pass a ") + valtype_name(t) + " on the command line";
  }
}

std::string format_value(ValType t, const Slot* slots) {
  switch (t) {
    case ValType::I32: return std::to_string(static_cast<int32_t>(static_cast<uint32_t>(slots[0])));
    case ValType::I64: return std::to_string(static_cast<int64_t>(slots[0]));
    case ValType::F32: return format_float<float>(static_cast<uint32_t>(slots[0]));
    case ValType::F64: return format_float<double>(slots[0]);
    case ValType::V128: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "0x%016" PRIx64 "%016" PRIx64, static_cast<uint64_t>(slots[1]),
                    static_cast<uint64_t>(slots[0]));
      return buf;
    }
    case ValType::FuncRef: return slots[0] ? "ref.func" : "null";
    case ValType::ExternRef: return slots[0] ? "ref.extern" : "null";
    default: return "?";
  }
}

}  // namespace wgi::interp
