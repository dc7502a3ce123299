// JSON: writing string literals (the metadata and report writers), and a
// small pull reader for the files wgi writes itself (trace.json).
//
// The reader keeps no tree: trace.json lists one object per variable, and
// big traces have millions of them, so the caller walks the document
// member by member and keeps only what it needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wgi {

// `s` as a JSON string literal, quotes included. UTF-8 passes through.
std::string json_quote(std::string_view s);

// Reads one JSON document front to back. Every call returns false once the
// text is not what it asked for (or not JSON); error() then says what and
// where, and every later call returns false too. Typical use:
//
//     JsonReader r(text);
//     std::string key;
//     if (!r.begin_object()) ...
//     while (r.next_member(&key)) {
//       if (key == "n") r.read_u64(&n);
//       else r.skip();
//     }
//     if (!r.end()) ... r.error() ...
class JsonReader {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object, Bad };

  explicit JsonReader(std::string_view text) : s_(text) {}

  // The kind of the next value (without consuming it).
  Kind peek();
  // '{', then members until next_member returns false (having consumed '}').
  bool begin_object();
  bool next_member(std::string* key);
  // '[', then items until next_item returns false (having consumed ']').
  bool begin_array();
  bool next_item();
  bool read_null();
  bool read_bool(bool* out);
  // A non-negative integer that fits 64 bits.
  bool read_u64(uint64_t* out);
  bool read_string(std::string* out);
  // Any one value.
  bool skip();
  // Only whitespace is left; true when no error happened.
  bool end();

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }
  // Fails (unless failed already) with `what` at the current position: for
  // a caller that finds a value it cannot use. Returns false.
  bool fail(const std::string& what);

 private:
  void space();
  bool expect(char c, const char* what);
  bool literal(std::string_view word);
  bool skip_number();
  bool next(char close);  // the separator logic of next_member / next_item

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
  // Per open container: is the next element the first one? (bit stack)
  uint64_t first_ = 0;
  unsigned depth_ = 0;
};

}  // namespace wgi
