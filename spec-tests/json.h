// A small JSON reader, just enough for the command files wast2json writes.
//
// The spec runner must not depend on a third-party JSON library, and the
// input is machine-generated, so this is a plain recursive-descent parser
// that keeps the whole document as a tree. Numbers keep their source text
// (wast2json writes integers only, and the runner wants exact values);
// strings are decoded to UTF-8, including \uXXXX escapes and surrogate pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wgi::spec {

class Json {
 public:
  enum class Kind : uint8_t { Null, Bool, Number, String, Array, Object };

  Json() = default;
  static Json null() { return Json(); }
  static Json boolean(bool b) { Json j; j.kind_ = Kind::Bool; j.bool_ = b; return j; }
  static Json number(std::string text) { Json j; j.kind_ = Kind::Number; j.text_ = std::move(text); return j; }
  static Json string(std::string s) { Json j; j.kind_ = Kind::String; j.text_ = std::move(s); return j; }
  static Json array() { Json j; j.kind_ = Kind::Array; return j; }
  static Json object() { Json j; j.kind_ = Kind::Object; return j; }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_number() const { return kind_ == Kind::Number; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_object() const { return kind_ == Kind::Object; }

  // String contents, or a number's source text; empty for other kinds.
  const std::string& text() const { return text_; }
  bool as_bool() const { return bool_; }
  // A number as an integer, when it is one and fits.
  std::optional<int64_t> as_int() const;

  const std::vector<Json>& items() const { return items_; }
  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }
  // The member called key, or nullptr (also for non-objects).
  const Json* find(std::string_view key) const;

  void push(Json item) { items_.push_back(std::move(item)); }
  void add(std::string key, Json value) { members_.emplace_back(std::move(key), std::move(value)); }

 private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  std::string text_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

struct JsonError {
  size_t offset = 0;  // byte offset in the input
  std::string message;
};

// Parses a complete document (trailing whitespace only). On failure returns
// nullopt and fills *error.
std::optional<Json> parse_json(std::string_view text, JsonError* error);

}  // namespace wgi::spec
