// The spec runner's JSON reader (spec-tests/json.cc) and script model
// (spec-tests/script.cc).
#include <gtest/gtest.h>

#include "json.h"
#include "script.h"

namespace wgi::spec {
namespace {

TEST(Json, ParsesNestedValues) {
  JsonError err;
  auto j = parse_json(R"( {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}} )", &err);
  ASSERT_TRUE(j) << err.message;
  const Json* a = j->find("a");
  ASSERT_TRUE(a && a->is_array());
  ASSERT_EQ(a->items().size(), 5u);
  EXPECT_EQ(a->items()[0].as_int(), 1);
  EXPECT_EQ(a->items()[1].text(), "-2.5e3");
  EXPECT_FALSE(a->items()[1].as_int());
  EXPECT_TRUE(a->items()[2].as_bool());
  EXPECT_TRUE(a->items()[4].is_null());
  EXPECT_EQ(j->find("b")->find("c")->text(), "d");
  EXPECT_EQ(j->find("missing"), nullptr);
}

TEST(Json, DecodesEscapesToUtf8) {
  JsonError err;
  auto j = parse_json(R"(["\"\\\/\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude00", "\u0000"])", &err);
  ASSERT_TRUE(j) << err.message;
  EXPECT_EQ(j->items()[0].text(), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(j->items()[1].text(), "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(j->items()[2].text(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(j->items()[3].text(), std::string(1, '\0'));
}

TEST(Json, RejectsMalformedInputWithOffset) {
  struct Case {
    const char* text;
    size_t offset;
  };
  for (const Case& c : {Case{"", 0}, Case{"[1,]", 3}, Case{"{\"a\" 1}", 5}, Case{"\"abc", 4},
                        Case{"[1] x", 4}, Case{"\"\\ud800\"", 7}, Case{"-", 1}, Case{"tru", 0},
                        Case{"\"a\nb\"", 2}}) {
    JsonError err;
    EXPECT_FALSE(parse_json(c.text, &err)) << c.text;
    EXPECT_EQ(err.offset, c.offset) << c.text << ": " << err.message;
  }
}

TEST(Json, LimitsNesting) {
  JsonError err;
  EXPECT_FALSE(parse_json(std::string(10000, '['), &err));
  EXPECT_EQ(err.message, "nesting too deep");
}

TEST(Script, ReadsWast2JsonCommands) {
  std::string error;
  auto s = parse_script(R"({"source_filename": "x.wast", "commands": [
    {"type": "module", "line": 1, "name": "$M", "filename": "x.0.wasm"},
    {"type": "assert_malformed", "line": 4, "filename": "x.1.wat", "text": "unexpected token", "module_type": "text"},
    {"type": "assert_return", "line": 7, "action": {"type": "invoke", "module": "$M", "field": "f",
      "args": [{"type": "i32", "value": "1"}]},
      "expected": [{"type": "v128", "lane_type": "i16", "value": ["1", "2", "3", "4", "5", "6", "7", "8"]}]},
    {"type": "register", "line": 9, "name": "$M", "as": "m"},
    {"type": "assert_something_new", "line": 11}]})",
                        &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->source_filename, "x.wast");
  ASSERT_EQ(s->commands.size(), 5u);
  const Command& m = s->commands[0];
  EXPECT_EQ(m.kind, CommandKind::Module);
  EXPECT_EQ(m.name, "$M");
  EXPECT_EQ(m.filename, "x.0.wasm");
  EXPECT_FALSE(m.is_text_module());
  EXPECT_TRUE(s->commands[1].is_text_module());
  const Command& r = s->commands[2];
  EXPECT_EQ(r.kind, CommandKind::AssertReturn);
  ASSERT_TRUE(r.action);
  EXPECT_EQ(r.action->module, "$M");
  EXPECT_EQ(r.action->args[0].lanes, std::vector<std::string>{"1"});
  EXPECT_EQ(r.expected[0].lane_type, "i16");
  EXPECT_EQ(r.expected[0].lanes.size(), 8u);
  EXPECT_EQ(s->commands[3].as, "m");
  EXPECT_EQ(s->commands[4].kind, CommandKind::Unknown);
  EXPECT_EQ(s->commands[4].type, "assert_something_new");
  EXPECT_EQ(s->commands[4].line, 11);
}

TEST(Script, RejectsADocumentWithoutCommands) {
  std::string error;
  EXPECT_FALSE(parse_script(R"({"source_filename": "x.wast"})", &error));
  EXPECT_EQ(error, "no \"commands\" array");
}

}  // namespace
}  // namespace wgi::spec
