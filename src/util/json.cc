#include "util/json.h"

#include <cstdio>

namespace wgi {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through (names are UTF-8 by the spec)
        }
    }
  }
  return out + "\"";
}

}  // namespace wgi

namespace wgi {

bool JsonReader::fail(const std::string& what) {
  if (error_.empty()) {
    error_ = what;
    error_offset_ = pos_;
  }
  return false;
}

void JsonReader::space() {
  while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
}

bool JsonReader::expect(char c, const char* what) {
  if (failed()) return false;
  space();
  if (pos_ >= s_.size() || s_[pos_] != c) return fail(std::string("expected ") + what);
  ++pos_;
  return true;
}

JsonReader::Kind JsonReader::peek() {
  if (failed()) return Kind::Bad;
  space();
  if (pos_ >= s_.size()) return Kind::Bad;
  switch (s_[pos_]) {
    case 'n': return Kind::Null;
    case 't':
    case 'f': return Kind::Bool;
    case '"': return Kind::String;
    case '[': return Kind::Array;
    case '{': return Kind::Object;
    default: return s_[pos_] == '-' || (s_[pos_] >= '0' && s_[pos_] <= '9') ? Kind::Number : Kind::Bad;
  }
}

bool JsonReader::begin_object() {
  if (depth_ >= 64) return fail("nested too deeply");
  if (!expect('{', "an object")) return false;
  first_ |= uint64_t{1} << depth_++;
  return true;
}

bool JsonReader::begin_array() {
  if (depth_ >= 64) return fail("nested too deeply");
  if (!expect('[', "an array")) return false;
  first_ |= uint64_t{1} << depth_++;
  return true;
}

bool JsonReader::next(char close) {
  if (failed() || depth_ == 0) return false;
  space();
  const uint64_t bit = uint64_t{1} << (depth_ - 1);
  if (pos_ < s_.size() && s_[pos_] == close) {
    ++pos_;
    first_ &= ~bit;
    --depth_;
    return false;
  }
  if (!(first_ & bit) && !expect(',', close == '}' ? "',' or '}'" : "',' or ']'")) return false;
  first_ &= ~bit;
  return true;
}

bool JsonReader::next_member(std::string* key) {
  return next('}') && read_string(key) && expect(':', "':'");
}

bool JsonReader::next_item() { return next(']'); }

bool JsonReader::literal(std::string_view word) {
  if (failed()) return false;
  space();
  if (s_.substr(pos_, word.size()) != word) return fail("expected " + std::string(word));
  pos_ += word.size();
  return true;
}

bool JsonReader::read_null() { return literal("null"); }

bool JsonReader::read_bool(bool* out) {
  if (peek() != Kind::Bool) return fail("expected true or false");
  *out = s_[pos_] == 't';
  return literal(*out ? "true" : "false");
}

bool JsonReader::read_u64(uint64_t* out) {
  if (failed()) return false;
  space();
  const size_t start = pos_;
  uint64_t v = 0;
  while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
    const unsigned d = static_cast<unsigned>(s_[pos_] - '0');
    if (v > (UINT64_MAX - d) / 10) return fail("number too big");
    v = v * 10 + d;
    ++pos_;
  }
  if (pos_ == start) return fail("expected a non-negative integer");
  if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E'))
    return fail("expected an integer");
  *out = v;
  return true;
}

bool JsonReader::read_string(std::string* out) {
  if (!expect('"', "a string")) return false;
  out->clear();
  while (pos_ < s_.size() && s_[pos_] != '"') {
    char c = s_[pos_++];
    if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (pos_ >= s_.size()) break;
    c = s_[pos_++];
    switch (c) {
      case '"': case '\\': case '/': out->push_back(c); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        // \uXXXX (a surrogate pair when the first is a high surrogate), as UTF-8.
        auto hex4 = [&](uint32_t* v) {
          if (pos_ + 4 > s_.size()) return false;
          *v = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            *v <<= 4;
            if (h >= '0' && h <= '9') *v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') *v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') *v |= static_cast<uint32_t>(h - 'A' + 10);
            else return false;
          }
          return true;
        };
        uint32_t cp = 0;
        if (!hex4(&cp)) return fail("bad \\u escape");
        if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(pos_, 2) == "\\u") {
          pos_ += 2;
          uint32_t lo = 0;
          if (!hex4(&lo) || lo < 0xDC00 || lo >= 0xE000) return fail("bad surrogate pair");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp < 0x80) {
          out->push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out->push_back(static_cast<char>(0xC0 | cp >> 6));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
          out->push_back(static_cast<char>(0xE0 | cp >> 12));
          out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out->push_back(static_cast<char>(0xF0 | cp >> 18));
          out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default: return fail("bad escape in a string");
    }
  }
  if (pos_ >= s_.size()) return fail("unterminated string");
  ++pos_;
  return true;
}

bool JsonReader::skip_number() {
  space();
  const size_t start = pos_;
  if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
  auto digits = [&] {
    const size_t from = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    return pos_ > from;
  };
  if (!digits()) return fail("bad number");
  if (pos_ < s_.size() && s_[pos_] == '.' && (++pos_, !digits())) return fail("bad number");
  if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
    if (!digits()) return fail("bad number");
  }
  return pos_ > start;
}

bool JsonReader::skip() {
  std::string scratch;
  bool b = false;
  switch (peek()) {
    case Kind::Null: return read_null();
    case Kind::Bool: return read_bool(&b);
    case Kind::Number: return skip_number();
    case Kind::String: return read_string(&scratch);
    case Kind::Array:
      if (!begin_array()) return false;
      while (next_item())
        if (!skip()) return false;
      return !failed();
    case Kind::Object:
      if (!begin_object()) return false;
      while (next_member(&scratch))
        if (!skip()) return false;
      return !failed();
    case Kind::Bad: break;
  }
  return fail(pos_ >= s_.size() ? "unexpected end" : "expected a value");
}

bool JsonReader::end() {
  if (failed()) return false;
  space();
  if (pos_ != s_.size()) return fail("unexpected text after the document");
  return true;
}

}  // namespace wgi
