#include "decoder/reader.h"

namespace wgi {

Result<std::string> Reader::name() {
  // Errors point at the length field, where the name starts.
  const size_t at = pos_;
  WGI_TRY_ASSIGN(uint32_t len, u32());
  // Check before allocating, so a corrupt length cannot request gigabytes.
  if (len > remaining()) return msg::length_out_of_bounds(at);
  std::string s(reinterpret_cast<const char*>(data_ + pos_), len);
  pos_ += len;
  if (!is_valid_utf8(s)) return msg::malformed_utf8(at);
  return s;
}

// Well-formed sequences (Unicode 15, table 3-7). The second byte carries the
// range restrictions that exclude overlong forms (E0, F0), UTF-16 surrogates
// (ED) and code points above U+10FFFF (F4); later bytes are plain 80..BF.
//
//   lead      count  second byte
//   00..7F    1
//   C2..DF    2      80..BF
//   E0        3      A0..BF
//   E1..EC    3      80..BF
//   ED        3      80..9F
//   EE..EF    3      80..BF
//   F0        4      90..BF
//   F1..F3    4      80..BF
//   F4        4      80..8F
//   anything else (80..C1, F5..FF) is never a valid lead byte.
bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;  // truncated sequence
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    i += len;
  }
  return true;
}

}  // namespace wgi
