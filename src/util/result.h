// Error and Result<T>: how every fallible step in wgi reports failure.
//
// Errors are values. Each carries a category (malformed binary, invalid module,
// link failure, ...), the absolute byte offset in the input file where the
// problem was found, and a message in the spec's vocabulary ("unexpected end",
// "type mismatch", ...), so the spec runner can compare categories and the CLI
// can print `file:0xOFFSET: message`. std::expected is C++23, hence this type.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace wgi {

enum class ErrorCode : uint8_t {
  Malformed,   // the bytes do not follow the binary format
  Invalid,     // well-formed, but fails validation
  Unlinkable,  // an import cannot be resolved or has the wrong type
  Io,          // a file could not be read or written
  Usage,       // bad command-line input
  Runtime,     // anything else found while running (not a trap)
  Unsupported, // valid Wasm that this interpreter cannot execute (yet)
};

const char* error_code_name(ErrorCode code);

inline constexpr uint64_t kNoOffset = ~uint64_t{0};
inline constexpr uint32_t kNoFunc = ~uint32_t{0};

struct Error {
  ErrorCode code = ErrorCode::Malformed;
  uint64_t offset = kNoOffset;  // absolute offset in the input file
  std::string message;
  uint32_t func_index = kNoFunc;  // set by the validator for body errors
};

// A success value or an Error. Deliberately tiny: ok(), error(), value(),
// and `*`/`->` access. Callers propagate with WGI_TRY / WGI_TRY_ASSIGN.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : failed_(true), error_(std::move(error)) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  bool failed_ = false;
  Error error_;
};

inline Error make_error(ErrorCode code, uint64_t offset, std::string message) {
  return Error{code, offset, std::move(message), kNoFunc};
}

}  // namespace wgi

// Propagate a failed Result<...> from the enclosing function.
#define WGI_TRY(expr)                                 \
  do {                                                \
    auto wgi_try_r_ = (expr);                         \
    if (!wgi_try_r_.ok()) return std::move(wgi_try_r_).error(); \
  } while (0)

#define WGI_CONCAT_INNER_(a, b) a##b
#define WGI_CONCAT_(a, b) WGI_CONCAT_INNER_(a, b)
// `WGI_TRY_ASSIGN(auto x, f());` declares x from a successful result.
#define WGI_TRY_ASSIGN(decl, expr) \
  WGI_TRY_ASSIGN_IMPL_(WGI_CONCAT_(wgi_try_v_, __LINE__), decl, expr)
#define WGI_TRY_ASSIGN_IMPL_(tmp, decl, expr)             \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return std::move(tmp).error();           \
  decl = std::move(tmp).value()
