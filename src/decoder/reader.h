// Reader: a bounds-checked cursor over the module bytes.
//
// Every read checks the remaining length first, so malformed input can never
// read out of bounds. Offsets are absolute positions in the file (the reader
// may be limited to a sub-range, e.g. one section, but pos() stays absolute).
// LEB128 decoding is exact: a u32 takes at most 5 bytes, and the unused bits
// of the last byte must be zero (unsigned) or a sign extension (signed).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "decoder/messages.h"
#include "util/result.h"

namespace wgi {

class Reader {
 public:
  Reader(const uint8_t* data, size_t begin, size_t end) : data_(data), pos_(begin), end_(end) {}

  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  bool at_end() const { return pos_ >= end_; }
  size_t remaining() const { return end_ - pos_; }
  const uint8_t* data() const { return data_; }

  // A reader over the next n bytes (which must exist); advances past them.
  Result<Reader> sub(size_t n) {
    if (n > remaining()) return fail_end();
    Reader r(data_, pos_, pos_ + n);
    r.in_section_ = in_section_;
    pos_ += n;
    return r;
  }
  // Like sub(), for the n bytes of a section's content.
  Result<Reader> section(size_t n) {
    WGI_TRY_ASSIGN(Reader r, sub(n));
    r.in_section_ = true;
    return r;
  }

  Result<uint8_t> u8() {
    if (at_end()) return fail_end();
    return data_[pos_++];
  }

  // Fixed-width little-endian values (float bits), copied as they are:
  // wgi assumes a little-endian host.
  Result<uint32_t> u32_fixed() { return fixed<uint32_t>(); }
  Result<uint64_t> u64_fixed() { return fixed<uint64_t>(); }
  Result<void> bytes(void* out, size_t n) {
    if (n > remaining()) return fail_end();
    std::memcpy(out, data_ + pos_, n);
    pos_ += n;
    return {};
  }
  Result<void> skip(size_t n) {
    if (n > remaining()) return fail_end();
    pos_ += n;
    return {};
  }
  // Advances past n bytes the caller has already checked are there.
  void advance(size_t n) { pos_ += n; }

  Result<uint32_t> u32() { return leb<uint32_t>(32); }
  Result<uint64_t> u64() { return leb<uint64_t>(64); }
  Result<int32_t> s32() { return leb<int32_t>(32); }
  Result<int64_t> s64() { return leb<int64_t>(64); }
  // Block types are s33: a negative one-byte type code or a type index.
  Result<int64_t> s33() { return leb<int64_t>(33); }

  // A name: vec(byte) that must be valid UTF-8.
  Result<std::string> name();

  Error fail_end() const {
    return in_section_ ? msg::unexpected_end_of_section(pos_) : msg::unexpected_end(pos_);
  }

 private:
  template <class T>
  Result<T> fixed() {
    T v{};
    WGI_TRY(bytes(&v, sizeof v));
    return v;
  }

  // LEB128 of a `bits`-wide integer (T holds it; signed T reads the signed
  // encoding). One byte carries 7 bits, so at most ceil(bits / 7) bytes; the
  // last possible byte may not continue and may hold only the bits left.
  template <class T>
  Result<T> leb(unsigned bits) {
    constexpr bool kSigned = std::is_signed_v<T>;
    uint64_t result = 0;
    unsigned shift = 0;
    const size_t start = pos_;
    const unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0;; ++i) {
      if (at_end()) return fail_end();
      const uint8_t b = data_[pos_++];
      const bool last = i + 1 == max_bytes;
      if (last) {
        if (b & 0x80) return msg::integer_too_long(start);
        if (!last_byte_fits(b, bits - shift, kSigned)) return msg::integer_too_large(start);
      }
      result |= uint64_t(b & 0x7F) << shift;
      shift += 7;
      if (last || !(b & 0x80)) break;
    }
    if constexpr (kSigned) {
      // Sign-extend from the last byte's top payload bit.
      if (shift < 64 && (result >> (shift - 1)) & 1) result |= ~uint64_t{0} << shift;
      return static_cast<T>(static_cast<int64_t>(result));
    } else {
      return static_cast<T>(result);
    }
  }

  // Whether the last byte b (continuation bit clear) of a LEB128 integer
  // fits in the `used` bits the integer has left: the bits above them must
  // be zero (unsigned) or copies of the sign bit, which is the top used bit
  // (signed).
  static bool last_byte_fits(uint8_t b, unsigned used, bool is_signed) {
    if (used >= 7) return true;
    if (!is_signed) return (b >> used) == 0;
    const int8_t payload = static_cast<int8_t>(b << 1) >> 1;  // sign-extend the 7 bits
    const int8_t top = payload >> (used - 1);                  // the sign bit and all above
    return top == 0 || top == -1;
  }

  const uint8_t* data_;
  size_t pos_;
  size_t end_;
  // Whether this reader ends where a section (or a function body inside
  // one) ends, rather than where the input does: the spec words running off
  // the two differently. Readers taken from it by sub() inherit it.
  bool in_section_ = false;
};

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace wgi
