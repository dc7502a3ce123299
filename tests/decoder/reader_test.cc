// Reader: LEB128 bounds, fixed-width reads, sub-readers, names and UTF-8.
#include "decoder/reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace wgi {
namespace {

using Bytes = std::vector<uint8_t>;

// Runs one read over `bytes` and reports the value or the error, plus where
// the reader stopped.
template <class T>
struct Outcome {
  bool ok = false;
  T value{};
  std::string message;
  uint64_t offset = 0;
  size_t pos = 0;
};

template <class T, class F>
Outcome<T> run(const Bytes& bytes, F read) {
  Reader r(bytes.data(), 0, bytes.size());
  Result<T> res = read(r);
  Outcome<T> out;
  out.pos = r.pos();
  if (res.ok()) {
    out.ok = true;
    out.value = *res;
  } else {
    out.message = res.error().message;
    out.offset = res.error().offset;
    EXPECT_EQ(res.error().code, ErrorCode::Malformed);
  }
  return out;
}

Outcome<uint32_t> u32(const Bytes& b) { return run<uint32_t>(b, [](Reader& r) { return r.u32(); }); }
Outcome<uint64_t> u64(const Bytes& b) { return run<uint64_t>(b, [](Reader& r) { return r.u64(); }); }
Outcome<int32_t> s32(const Bytes& b) { return run<int32_t>(b, [](Reader& r) { return r.s32(); }); }
Outcome<int64_t> s64(const Bytes& b) { return run<int64_t>(b, [](Reader& r) { return r.s64(); }); }
Outcome<int64_t> s33(const Bytes& b) { return run<int64_t>(b, [](Reader& r) { return r.s33(); }); }

template <class T>
void expect_value(const Outcome<T>& o, T value, size_t consumed) {
  EXPECT_TRUE(o.ok) << o.message;
  EXPECT_EQ(o.value, value);
  EXPECT_EQ(o.pos, consumed);
}

template <class T>
void expect_error(const Outcome<T>& o, const char* message, uint64_t offset) {
  EXPECT_FALSE(o.ok) << "decoded " << o.value;
  EXPECT_EQ(o.message, message);
  EXPECT_EQ(o.offset, offset);
}

constexpr char kTooLong[] = "integer representation too long";
constexpr char kTooLarge[] = "integer too large";
constexpr char kEnd[] = "unexpected end";

// ---- unsigned ---------------------------------------------------------------

TEST(ReaderU32, SmallValues) {
  expect_value(u32({0x00}), 0u, 1);
  expect_value(u32({0x7F}), 127u, 1);
  expect_value(u32({0x80, 0x01}), 128u, 2);
  expect_value(u32({0xE5, 0x8E, 0x26}), 624485u, 3);
}

TEST(ReaderU32, ExactBounds) {
  expect_value(u32({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 0xFFFFFFFFu, 5);
  expect_value(u32({0x80, 0x80, 0x80, 0x80, 0x08}), 0x80000000u, 5);
}

TEST(ReaderU32, NonMinimalEncodingsAreAccepted) {
  expect_value(u32({0x80, 0x00}), 0u, 2);
  expect_value(u32({0x82, 0x80, 0x80, 0x80, 0x00}), 2u, 5);
}

TEST(ReaderU32, UnusedBitsOfLastByteMustBeZero) {
  expect_error(u32({0x80, 0x80, 0x80, 0x80, 0x10}), kTooLarge, 0);  // 2^32
  expect_error(u32({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}), kTooLarge, 0);
  expect_error(u32({0x82, 0x80, 0x80, 0x80, 0x70}), kTooLarge, 0);
  expect_error(u32({0x82, 0x80, 0x80, 0x80, 0x40}), kTooLarge, 0);
}

TEST(ReaderU32, AtMostFiveBytes) {
  expect_error(u32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong, 0);
  expect_error(u32({0x82, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong, 0);
}

TEST(ReaderU32, Truncated) {
  expect_error(u32({}), kEnd, 0);
  expect_error(u32({0x80}), kEnd, 1);
  expect_error(u32({0xFF, 0xFF, 0xFF, 0xFF}), kEnd, 4);
}

TEST(ReaderU32, OffsetsAreAbsolute) {
  const Bytes b = {0xAA, 0xAA, 0xAA, 0x80, 0x80, 0x80, 0x80, 0x10};
  Reader r(b.data(), 3, b.size());
  auto v = r.u32();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().offset, 3u);
  EXPECT_EQ(v.error().message, kTooLarge);

  // A reader limited to a sub-range stops at its own end.
  Reader limited(b.data(), 3, 5);
  auto w = limited.u32();
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message, kEnd);
  EXPECT_EQ(w.error().offset, 5u);
}

TEST(Reader, SectionEndIsNamedAsSuch) {
  // section() marks the reader (and every sub() of it) as ending with a
  // section, so running off it uses the spec's wording for that end.
  const Bytes b = {0x80, 0x80, 0x80, 0x80, 0x80};
  Reader file(b.data(), 0, b.size());
  auto content = file.section(3);
  ASSERT_TRUE(content.ok());
  ASSERT_TRUE(content->skip(1).ok());
  auto entry = content->sub(2);
  ASSERT_TRUE(entry.ok());
  auto v = entry->u32();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::Malformed);
  EXPECT_EQ(v.error().offset, 3u);
  EXPECT_EQ(v.error().message, "unexpected end of section or function");
  // The reader it came from still ends with the input.
  EXPECT_EQ(file.u64_fixed().error().message, kEnd);
}

TEST(ReaderU64, Bounds) {
  expect_value(u64({0x00}), uint64_t{0}, 1);
  expect_value(u64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}),
               std::numeric_limits<uint64_t>::max(), 10);
  expect_value(u64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), uint64_t{0}, 10);
  expect_value(u64({0x80, 0x80, 0x80, 0x80, 0x10}), uint64_t{1} << 32, 5);
  expect_error(u64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}), kTooLarge, 0);
  expect_error(u64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E}), kTooLarge, 0);
  expect_error(u64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong, 0);
  expect_error(u64({0x80, 0x80, 0x80}), kEnd, 3);
}

// ---- signed -------------------------------------------------------------------

TEST(ReaderS32, SignExtension) {
  expect_value(s32({0x00}), 0, 1);
  expect_value(s32({0x3F}), 63, 1);
  expect_value(s32({0x40}), -64, 1);
  expect_value(s32({0x7F}), -1, 1);
  expect_value(s32({0xC0, 0x00}), 64, 2);
  expect_value(s32({0x80, 0x7F}), -128, 2);
  expect_value(s32({0xFF, 0x7F}), -1, 2);  // non-minimal
  expect_value(s32({0x80, 0x80, 0x80, 0x80, 0x00}), 0, 5);
}

TEST(ReaderS32, ExactBounds) {
  expect_value(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x07}), std::numeric_limits<int32_t>::max(), 5);
  expect_value(s32({0x80, 0x80, 0x80, 0x80, 0x78}), std::numeric_limits<int32_t>::min(), 5);
  expect_value(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), -1, 5);
}

TEST(ReaderS32, UnusedBitsMustExtendTheSign) {
  expect_error(s32({0x80, 0x80, 0x80, 0x80, 0x70}), kTooLarge, 0);  // 0 with unused bits set
  expect_error(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), kTooLarge, 0);  // -1 with unused bits unset
  expect_error(s32({0x80, 0x80, 0x80, 0x80, 0x1F}), kTooLarge, 0);
  expect_error(s32({0xFF, 0xFF, 0xFF, 0xFF, 0x4F}), kTooLarge, 0);
  expect_error(s32({0x80, 0x80, 0x80, 0x80, 0x08}), kTooLarge, 0);  // 2^31
}

TEST(ReaderS32, AtMostFiveBytes) {
  expect_error(s32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong, 0);
  expect_error(s32({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), kTooLong, 0);
  expect_error(s32({0xFF}), kEnd, 1);
}

TEST(ReaderS64, Bounds) {
  expect_value(s64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}),
               std::numeric_limits<int64_t>::max(), 10);
  expect_value(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}),
               std::numeric_limits<int64_t>::min(), 10);
  expect_value(s64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), int64_t{-1}, 10);
  expect_value(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), int64_t{0}, 10);
  expect_value(s64({0x80, 0x80, 0x80, 0x80, 0x78}), int64_t{-(int64_t{1} << 31)}, 5);
  expect_value(s64({0x80, 0x80, 0x80, 0x80, 0x08}), int64_t{1} << 31, 5);
  expect_error(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E}), kTooLarge, 0);
  expect_error(s64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), kTooLarge, 0);
  expect_error(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}), kTooLarge, 0);
  expect_error(s64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x41}), kTooLarge, 0);
  expect_error(s64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong,
               0);
  expect_error(s64({0x80, 0x80}), kEnd, 2);
}

TEST(ReaderS33, Bounds) {
  // Block types: a negative one-byte type code or a type index up to 2^32-1.
  expect_value(s33({0x40}), int64_t{-64}, 1);
  expect_value(s33({0x7F}), int64_t{-1}, 1);
  expect_value(s33({0x05}), int64_t{5}, 1);
  expect_value(s33({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), int64_t{0xFFFFFFFF}, 5);
  // The last byte holds bits 28..32 (bit 32 is the sign); bits 5 and 6 of
  // that byte must repeat the sign.
  expect_value(s33({0x80, 0x80, 0x80, 0x80, 0x70}), -(int64_t{1} << 32), 5);
  expect_error(s33({0x80, 0x80, 0x80, 0x80, 0x10}), kTooLarge, 0);
  expect_error(s33({0x80, 0x80, 0x80, 0x80, 0x20}), kTooLarge, 0);
  expect_error(s33({0xFF, 0xFF, 0xFF, 0xFF, 0x6F}), kTooLarge, 0);
  expect_error(s33({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong, 0);
}

// ---- fixed width, sub-readers ------------------------------------------------

TEST(Reader, FixedWidthIsLittleEndian) {
  const Bytes b = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  Reader r(b.data(), 0, b.size());
  auto v = r.u32_fixed();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0x04030201u);
  auto w = r.u32_fixed();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, 0x08070605u);
  EXPECT_TRUE(r.at_end());

  Reader s(b.data(), 0, b.size());
  auto x = s.u64_fixed();
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*x, 0x0807060504030201u);

  Reader t(b.data(), 5, b.size());
  auto y = t.u32_fixed();
  ASSERT_FALSE(y.ok());
  EXPECT_EQ(y.error().message, kEnd);
  EXPECT_EQ(y.error().offset, 5u);
}

TEST(Reader, SubReaderKeepsAbsolutePositions) {
  const Bytes b = {0x00, 0x01, 0x02, 0x03, 0x04};
  Reader r(b.data(), 1, b.size());
  auto sub = r.sub(2);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->pos(), 1u);
  EXPECT_EQ(sub->end(), 3u);
  EXPECT_EQ(r.pos(), 3u);
  EXPECT_EQ(*sub->u8(), 0x01);
  EXPECT_EQ(*sub->u8(), 0x02);
  auto past = sub->u8();
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().offset, 3u);

  auto too_big = r.sub(3);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message, kEnd);
  EXPECT_EQ(r.pos(), 3u);  // a failed sub() does not advance
}

// ---- names and UTF-8 ---------------------------------------------------------

Outcome<std::string> name(const Bytes& b) {
  return run<std::string>(b, [](Reader& r) { return r.name(); });
}

TEST(ReaderName, Valid) {
  expect_value(name({0x00}), std::string(), 1);
  expect_value(name({0x03, 'a', 'b', 'c', 'x'}), std::string("abc"), 4);
  expect_value(name({0x02, 0xC3, 0xA9}), std::string("\xC3\xA9"), 3);
  // A non-minimal length is still a length.
  expect_value(name({0x81, 0x00, 'z'}), std::string("z"), 3);
}

TEST(ReaderName, LengthBeyondTheInput) {
  expect_error(name({0x04, 'a', 'b', 'c'}), "length out of bounds", 0);
  // A length that would need gigabytes is rejected before allocating.
  expect_error(name({0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 'a'}), "length out of bounds", 0);
  expect_error(name({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), kTooLong, 0);
  expect_error(name({}), kEnd, 0);
}

TEST(ReaderName, MalformedUtf8) {
  expect_error(name({0x01, 0x80}), "malformed UTF-8 encoding", 0);
  expect_error(name({0x02, 0xC0, 0x80}), "malformed UTF-8 encoding", 0);
  const Bytes b = {0xAA, 0x03, 0xED, 0xA0, 0x80};  // a surrogate, after one unrelated byte
  Reader r(b.data(), 1, b.size());
  auto n = r.name();
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().message, "malformed UTF-8 encoding");
  EXPECT_EQ(n.error().offset, 1u);
}

TEST(Utf8, WellFormed) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8(std::string_view("\0", 1)));
  EXPECT_TRUE(is_valid_utf8("\x7F"));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));          // U+0080
  EXPECT_TRUE(is_valid_utf8("\xDF\xBF"));          // U+07FF
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));      // U+0800
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("a\xC3\xA9z\xE2\x82\xAC\xF0\x9F\x98\x80"));
}

TEST(Utf8, IllFormed) {
  // Stray continuation bytes and impossible lead bytes.
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("\xBF"));
  EXPECT_FALSE(is_valid_utf8("a\x80z"));
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  // Overlong forms.
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));
  // UTF-16 surrogates and code points above U+10FFFF.
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  // Truncated sequences and bad continuation bytes.
  EXPECT_FALSE(is_valid_utf8("\xC2"));
  EXPECT_FALSE(is_valid_utf8("\xC2\x41"));
  EXPECT_FALSE(is_valid_utf8("\xE1\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE1\x80\xC0"));
  EXPECT_FALSE(is_valid_utf8("\xF1\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF1\x80\x80\x7F"));
  EXPECT_FALSE(is_valid_utf8("ok\xE2\x82"));
}

}  // namespace
}  // namespace wgi
