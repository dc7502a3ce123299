#include "decoder/format.h"

namespace wgi {

std::string quote_name(std::string_view name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "\"";
  for (unsigned char c : name) {
    if (c == '"' || c == '\\') {
      s += '\\';
      s += char(c);
    } else if (c < 0x20 || c == 0x7F) {
      s += '\\';
      s += kHex[c >> 4];
      s += kHex[c & 0xF];
    } else {
      s += char(c);  // UTF-8 passes through: names are valid UTF-8
    }
  }
  return s + "\"";
}

std::string format_type_list(std::span<const ValType> types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ", ";
    s += valtype_name(types[i]);
  }
  return s + ")";
}

std::string format_func_type(const FuncType& type) {
  // One result stands alone; none or several are parenthesised.
  const std::string results =
      type.results.size() == 1 ? valtype_name(type.results[0]) : format_type_list(type.results);
  return format_type_list(type.params) + " -> " + results;
}

}  // namespace wgi
