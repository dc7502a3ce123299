// format_func_type and quote_name: the text other layers print for types and names.
#include "decoder/format.h"

#include <gtest/gtest.h>

namespace wgi {
namespace {

constexpr ValType I32 = ValType::I32, I64 = ValType::I64, F64 = ValType::F64;

TEST(Format, FuncTypeParenthesisesAllButASingleResult) {
  EXPECT_EQ(format_func_type(FuncType{}), "() -> ()");
  EXPECT_EQ(format_func_type(FuncType{{I32, I32}, {I32}}), "(i32, i32) -> i32");
  EXPECT_EQ(format_func_type(FuncType{{F64}, {I32, I64}}), "(f64) -> (i32, i64)");
  EXPECT_EQ(format_func_type(FuncType{{ValType::FuncRef}, {}}), "(funcref) -> ()");
}

TEST(Format, QuoteNameEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(quote_name("main"), "\"main\"");
  EXPECT_EQ(quote_name(""), "\"\"");
  EXPECT_EQ(quote_name("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote_name(std::string_view("\n\x1f\x7f\0", 4)), "\"\\0a\\1f\\7f\\00\"");
  EXPECT_EQ(quote_name("h\xC3\xA9"), "\"h\xC3\xA9\"");  // UTF-8 passes through
}

}  // namespace
}  // namespace wgi
