#include "json.h"

#include <charconv>

namespace wgi::spec {

std::optional<int64_t> Json::as_int() const {
  if (kind_ != Kind::Number) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), v);
  if (ec != std::errc() || end != text_.data() + text_.size()) return std::nullopt;
  return v;
}

const Json* Json::find(std::string_view key) const {
  for (const auto& [k, v] : members_)
    if (k == key) return &v;
  return nullptr;
}

namespace {

// Nesting limit: wast2json documents are three or four levels deep; the limit
// only keeps a corrupt file from overflowing the C++ stack.
constexpr int kMaxDepth = 64;

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  std::optional<Json> document(JsonError* error) {
    std::optional<Json> v = value(0);
    if (v) {
      skip_ws();
      if (pos_ != s_.size()) {
        v.reset();
        fail("trailing characters after the document");
      }
    }
    if (!v && error) *error = error_;
    return v;
  }

 private:
  std::optional<Json> value(int depth) {
    if (depth > kMaxDepth) return fail("nesting too deep");
    skip_ws();
    if (pos_ >= s_.size()) return fail("unexpected end of input");
    char c = s_[pos_];
    switch (c) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': {
        std::string str;
        if (!string(str)) return std::nullopt;
        return Json::string(std::move(str));
      }
      case 't': return literal("true", Json::boolean(true));
      case 'f': return literal("false", Json::boolean(false));
      case 'n': return literal("null", Json::null());
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        return fail("unexpected character");
    }
  }

  std::optional<Json> object(int depth) {
    Json obj = Json::object();
    ++pos_;  // '{'
    skip_ws();
    if (consume('}')) return obj;
    for (;;) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') return fail("expected a member name");
      std::string key;
      if (!string(key)) return std::nullopt;
      skip_ws();
      if (!consume(':')) return fail("expected ':'");
      auto v = value(depth + 1);
      if (!v) return std::nullopt;
      obj.add(std::move(key), std::move(*v));
      skip_ws();
      if (consume('}')) return obj;
      if (!consume(',')) return fail("expected ',' or '}'");
    }
  }

  std::optional<Json> array(int depth) {
    Json arr = Json::array();
    ++pos_;  // '['
    skip_ws();
    if (consume(']')) return arr;
    for (;;) {
      auto v = value(depth + 1);
      if (!v) return std::nullopt;
      arr.push(std::move(*v));
      skip_ws();
      if (consume(']')) return arr;
      if (!consume(',')) return fail("expected ',' or ']'");
    }
  }

  std::optional<Json> number() {
    const size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    size_t digits = 0;
    while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_, ++digits;
    if (digits == 0) return fail("malformed number");
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      digits = 0;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_, ++digits;
      if (digits == 0) return fail("malformed number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      digits = 0;
      while (pos_ < s_.size() && is_digit(s_[pos_])) ++pos_, ++digits;
      if (digits == 0) return fail("malformed number");
    }
    return Json::number(std::string(s_.substr(start, pos_ - start)));
  }

  // Reads a string literal at pos_ (which is at the opening quote) into out.
  bool string(std::string& out) {
    ++pos_;  // '"'
    for (;;) {
      if (pos_ >= s_.size()) return fail_bool("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) {
        --pos_;  // report the character itself
        return fail_bool("control character in string");
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      if (pos_ >= s_.size()) return fail_bool("unterminated string");
      char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // A high surrogate must be followed by an escaped low surrogate.
            uint32_t lo;
            if (pos_ + 1 >= s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u')
              return fail_bool("unpaired surrogate in \\u escape");
            pos_ += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail_bool("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail_bool("unpaired surrogate in \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return fail_bool("unknown escape in string");
      }
    }
  }

  bool hex4(uint32_t& cp) {
    if (s_.size() - pos_ < 4) return fail_bool("truncated \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') cp |= h - '0';
      else if (h >= 'a' && h <= 'f') cp |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') cp |= h - 'A' + 10;
      else return fail_bool("bad hex digit in \\u escape");
    }
    return true;
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::optional<Json> literal(std::string_view word, Json v) {
    if (s_.substr(pos_, word.size()) != word) return fail("unexpected character");
    pos_ += word.size();
    return v;
  }

  void skip_ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
      ++pos_;
  }
  bool consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // The first error wins; later ones are consequences of it.
  std::nullopt_t fail(const char* msg) {
    fail_bool(msg);
    return std::nullopt;
  }
  bool fail_bool(const char* msg) {
    if (!failed_) {
      failed_ = true;
      error_ = JsonError{pos_, msg};
    }
    return false;
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool failed_ = false;
  JsonError error_;
};

}  // namespace

std::optional<Json> parse_json(std::string_view text, JsonError* error) {
  return Parser(text).document(error);
}

}  // namespace wgi::spec
