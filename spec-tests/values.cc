#include "values.h"

#include <bit>
#include <charconv>
#include <cstring>
#include <vector>

#include "interp/numeric.h"
#include "interp/value_text.h"

namespace wgi::spec {

namespace {

using interp::Slot;

// A lane shape of v128: bytes per lane and whether lanes are floats.
struct LaneShape {
  unsigned bytes = 0;
  bool is_float = false;
};

std::optional<LaneShape> lane_shape(std::string_view lane_type) {
  if (lane_type == "i8") return LaneShape{1, false};
  if (lane_type == "i16") return LaneShape{2, false};
  if (lane_type == "i32") return LaneShape{4, false};
  if (lane_type == "i64") return LaneShape{8, false};
  if (lane_type == "f32") return LaneShape{4, true};
  if (lane_type == "f64") return LaneShape{8, true};
  return std::nullopt;
}

// The bits of a `bits`-wide value written in decimal: unsigned up to
// 2^bits - 1, or negative down to -2^(bits-1) (two's complement).
bool parse_bits(std::string_view s, unsigned bits, uint64_t& out) {
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  if (s.empty()) return false;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (ec != std::errc() || p != s.data() + s.size()) return false;
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  if (neg) {
    if (v > (uint64_t{1} << (bits - 1))) return false;
    v = (~v + 1) & mask;
  } else if (v > mask) {
    return false;
  }
  out = v;
  return true;
}

bool is_nan_pattern(std::string_view s) { return s == "nan:canonical" || s == "nan:arithmetic"; }

// Does a float of `bytes` bytes with these bits match the expected lane
// text (a bit pattern or a NaN pattern)? Integers compare bits only.
std::optional<std::string> match_scalar(std::string_view text, unsigned bytes, bool is_float,
                                        uint64_t actual) {
  if (is_float && is_nan_pattern(text)) {
    const bool canonical = text == "nan:canonical";
    bool ok;
    if (bytes == 4) {
      const float f = std::bit_cast<float>(static_cast<uint32_t>(actual));
      ok = canonical ? interp::num::is_canonical_nan(f) : interp::num::is_arithmetic_nan(f);
    } else {
      const double d = std::bit_cast<double>(actual);
      ok = canonical ? interp::num::is_canonical_nan(d) : interp::num::is_arithmetic_nan(d);
    }
    if (ok) return std::nullopt;
    return std::string("not a ") + (canonical ? "canonical" : "arithmetic") + " NaN";
  }
  uint64_t want;
  if (!parse_bits(text, bytes * 8, want))
    return "unreadable expected value \"" + std::string(text) + "\"";
  if (want != actual) return std::string("different bits");
  return std::nullopt;
}

void v128_bytes(const Slot* slots, uint8_t out[16]) {
  std::memcpy(out, &slots[0], 8);
  std::memcpy(out + 8, &slots[1], 8);
}

uint64_t lane_bits(const uint8_t bytes[16], unsigned lane, unsigned width) {
  uint64_t v = 0;
  std::memcpy(&v, bytes + lane * width, width);  // little-endian host (x86-64, aarch64)
  return v;
}

std::string join_lanes(const std::vector<std::string>& lanes) {
  std::string s;
  for (const auto& l : lanes) s += " " + l;
  return s;
}

}  // namespace

std::optional<ValType> valtype_from_name(std::string_view name) {
  if (name == "i32") return ValType::I32;
  if (name == "i64") return ValType::I64;
  if (name == "f32") return ValType::F32;
  if (name == "f64") return ValType::F64;
  if (name == "v128") return ValType::V128;
  if (name == "funcref") return ValType::FuncRef;
  if (name == "externref") return ValType::ExternRef;
  return std::nullopt;
}

std::optional<std::string> value_to_slots(const Value& v, ValType t, Slot* slots) {
  slots[0] = 0;
  if (t == ValType::V128) slots[1] = 0;
  if (valtype_from_name(v.type) != t)
    return "argument of type " + v.type + " for a parameter of type " + valtype_name(t);
  if (t == ValType::V128) {
    const auto shape = lane_shape(v.lane_type);
    if (!shape) return "v128 argument with lane type \"" + v.lane_type + "\"";
    if (v.lanes.size() * shape->bytes != 16)
      return "v128 argument with " + std::to_string(v.lanes.size()) + " " + v.lane_type + " lanes";
    uint8_t bytes[16];
    for (size_t i = 0; i < v.lanes.size(); ++i) {
      uint64_t bits;
      if (!parse_bits(v.lanes[i], shape->bytes * 8, bits))
        return "unreadable v128 lane \"" + v.lanes[i] + "\"";
      std::memcpy(bytes + i * shape->bytes, &bits, shape->bytes);
    }
    std::memcpy(&slots[0], bytes, 8);
    std::memcpy(&slots[1], bytes + 8, 8);
    return std::nullopt;
  }
  if (v.lanes.size() != 1) return "argument of type " + v.type + " without a value";
  const std::string& text = v.lanes[0];
  switch (t) {
    case ValType::I32:
    case ValType::F32:
    case ValType::I64:
    case ValType::F64: {
      const unsigned bits = t == ValType::I32 || t == ValType::F32 ? 32 : 64;
      if (!parse_bits(text, bits, slots[0]))
        return "unreadable " + v.type + " argument \"" + text + "\"";
      return std::nullopt;
    }
    case ValType::FuncRef:
      // Only null is expressible: the suite has no syntax for a function.
      if (text == "null") return std::nullopt;
      return "funcref argument \"" + text + "\" (only null can be passed)";
    case ValType::ExternRef: {
      if (text == "null") return std::nullopt;
      uint64_t n;
      if (!parse_bits(text, 64, n) || extern_ref(n) == interp::kNullRef)
        return "unreadable externref argument \"" + text + "\"";
      slots[0] = extern_ref(n);
      return std::nullopt;
    }
    default:
      return std::string("argument of unsupported type ") + valtype_name(t);
  }
}

std::optional<std::string> match_value(const Value& expected, ValType t, const Slot* slots) {
  if (valtype_from_name(expected.type) != t)
    return std::string("result has type ") + valtype_name(t) + ", expected " + expected.type;
  if (t == ValType::V128) {
    const auto shape = lane_shape(expected.lane_type);
    if (!shape) return "expected v128 with lane type \"" + expected.lane_type + "\"";
    if (expected.lanes.size() * shape->bytes != 16)
      return "expected v128 with " + std::to_string(expected.lanes.size()) + " lanes";
    uint8_t bytes[16];
    v128_bytes(slots, bytes);
    for (size_t i = 0; i < expected.lanes.size(); ++i) {
      const uint64_t actual = lane_bits(bytes, unsigned(i), shape->bytes);
      if (auto why = match_scalar(expected.lanes[i], shape->bytes, shape->is_float, actual))
        return "lane " + std::to_string(i) + ": " + *why;
    }
    return std::nullopt;
  }
  if (is_ref(t)) {
    // No value: any non-null reference (the text format's `(ref.extern)`,
    // `(ref.func)` without an index).
    if (expected.lanes.empty())
      return slots[0] != interp::kNullRef ? std::nullopt
                                          : std::optional<std::string>("null reference");
    const std::string& text = expected.lanes[0];
    if (text == "null")
      return slots[0] == interp::kNullRef ? std::nullopt
                                          : std::optional<std::string>("non-null reference");
    uint64_t n;
    if (t != ValType::ExternRef || !parse_bits(text, 64, n))
      return "unreadable expected " + expected.type + " \"" + text + "\"";
    if (slots[0] == extern_ref(n)) return std::nullopt;
    return std::string(slots[0] == interp::kNullRef ? "null reference" : "a different reference");
  }
  // Numbers. No value: any value (not used by assert_return today).
  if (expected.lanes.empty()) return std::nullopt;
  if (expected.lanes.size() != 1) return "expected " + expected.type + " with several values";
  const bool is32 = t == ValType::I32 || t == ValType::F32;
  const uint64_t actual = is32 ? static_cast<uint32_t>(slots[0]) : slots[0];
  return match_scalar(expected.lanes[0], is32 ? 4 : 8, t == ValType::F32 || t == ValType::F64,
                      actual);
}

std::string format_expected(const Value& v) {
  if (v.type == "v128") return "v128 " + v.lane_type + "x" + std::to_string(v.lanes.size()) +
                               join_lanes(v.lanes);
  if (v.lanes.empty()) return v.type + (v.type == "funcref" || v.type == "externref"
                                            ? " (any non-null)" : " (any)");
  return v.type + join_lanes(v.lanes);
}

std::string format_actual(ValType t, const Slot* slots, std::string_view lane_type) {
  const std::string name = valtype_name(t);
  switch (t) {
    case ValType::I32:
    case ValType::F32: {
      const uint32_t bits = static_cast<uint32_t>(slots[0]);
      const Slot s = bits;
      return name + " " + std::to_string(bits) + " (" + interp::format_value(t, &s) + ")";
    }
    case ValType::I64:
    case ValType::F64:
      return name + " " + std::to_string(slots[0]) + " (" + interp::format_value(t, slots) + ")";
    case ValType::V128: {
      auto shape = lane_shape(lane_type);
      if (!shape) shape = LaneShape{4, false}, lane_type = "i32";
      uint8_t bytes[16];
      v128_bytes(slots, bytes);
      std::string s = "v128 " + std::string(lane_type) + "x" + std::to_string(16 / shape->bytes);
      for (unsigned i = 0; i < 16 / shape->bytes; ++i) {
        s += ' ';
        s += std::to_string(lane_bits(bytes, i, shape->bytes));
      }
      return s;
    }
    case ValType::FuncRef:
      return slots[0] == interp::kNullRef ? "funcref null" : "funcref (a function)";
    case ValType::ExternRef:
      return slots[0] == interp::kNullRef
                 ? "externref null"
                 : "externref " + std::to_string(extern_number(slots[0]));
    default:
      return name + " ?";
  }
}

}  // namespace wgi::spec
