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

std::string format_func_type(const FuncType& type) {
  auto list = [](const std::vector<ValType>& types) {
    std::string s;
    for (size_t i = 0; i < types.size(); ++i) {
      if (i) s += ", ";
      s += valtype_name(types[i]);
    }
    return s;
  };
  std::string s = "(" + list(type.params) + ") -> ";
  // One result stands alone; none or several are parenthesised.
  if (type.results.size() == 1) return s + valtype_name(type.results[0]);
  return s + "(" + list(type.results) + ")";
}

}  // namespace wgi
