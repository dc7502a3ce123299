// util/json.h: the pull reader (json_quote is tested with the metadata).
#include "util/json.h"

#include <gtest/gtest.h>

namespace wgi {
namespace {

TEST(JsonReader, WalksADocument) {
  JsonReader r(R"( {"a": [1, 2, {"b": null}], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "t": true,
                    "f": false, "n": -1.5e3, "big": 18446744073709551615, "o": {}, "e": []} )");
  std::string key, s;
  uint64_t u = 0;
  bool b = false;
  ASSERT_TRUE(r.begin_object());
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "a");
  EXPECT_EQ(r.peek(), JsonReader::Kind::Array);
  ASSERT_TRUE(r.begin_array());
  ASSERT_TRUE(r.next_item());
  ASSERT_TRUE(r.read_u64(&u));
  EXPECT_EQ(u, 1u);
  ASSERT_TRUE(r.next_item());
  ASSERT_TRUE(r.read_u64(&u));
  EXPECT_EQ(u, 2u);
  ASSERT_TRUE(r.next_item());
  EXPECT_EQ(r.peek(), JsonReader::Kind::Object);
  ASSERT_TRUE(r.skip());
  EXPECT_FALSE(r.next_item());
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "s");
  ASSERT_TRUE(r.read_string(&s));
  EXPECT_EQ(s, "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
  ASSERT_TRUE(r.next_member(&key));
  ASSERT_TRUE(r.read_bool(&b));
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.next_member(&key));
  ASSERT_TRUE(r.read_bool(&b));
  EXPECT_FALSE(b);
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(r.peek(), JsonReader::Kind::Number);
  ASSERT_TRUE(r.skip());
  ASSERT_TRUE(r.next_member(&key));
  ASSERT_TRUE(r.read_u64(&u));
  EXPECT_EQ(u, UINT64_MAX);
  ASSERT_TRUE(r.next_member(&key));
  ASSERT_TRUE(r.skip());
  ASSERT_TRUE(r.next_member(&key));
  EXPECT_EQ(key, "e");
  ASSERT_TRUE(r.skip());
  EXPECT_FALSE(r.next_member(&key));
  EXPECT_FALSE(r.failed());
  EXPECT_TRUE(r.end());
}

TEST(JsonReader, ErrorsSayWhatAndWhere) {
  auto err = [](std::string_view text, auto&& walk) {
    JsonReader r(text);
    walk(r);
    EXPECT_FALSE(r.end()) << text;
    return r.error() + " @" + std::to_string(r.error_offset());
  };
  auto skip = [](JsonReader& r) { r.skip(); };
  EXPECT_EQ(err("[1 2]", skip), "expected ',' or ']' @3");
  EXPECT_EQ(err("{\"a\" 1}", skip), "expected ':' @5");
  EXPECT_EQ(err("\"abc", skip), "unterminated string @4");
  EXPECT_EQ(err("[1,", skip), "unexpected end @3");
  EXPECT_EQ(err("tru", skip), "expected true @0");
  EXPECT_EQ(err("18446744073709551616", [](JsonReader& r) {
              uint64_t u;
              r.read_u64(&u);
            }),
            "number too big @19");
  EXPECT_EQ(err("1.5", [](JsonReader& r) {
              uint64_t u;
              r.read_u64(&u);
            }),
            "expected an integer @1");
  EXPECT_EQ(err("{} {}", skip), "unexpected text after the document @3");
  // A caller's own complaint stops the walk; the first error stays.
  EXPECT_EQ(err("[7]", [](JsonReader& r) {
              r.begin_array();
              r.next_item();
              r.fail("seven is not allowed");
              r.fail("second");
              uint64_t u;
              EXPECT_FALSE(r.read_u64(&u));
            }),
            "seven is not allowed @1");
  // Deep nesting is refused, not a stack overflow.
  EXPECT_EQ(err(std::string(100, '['), skip), "nested too deeply @64");
}

}  // namespace
}  // namespace wgi
