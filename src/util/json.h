// Writing JSON: the one helper the metadata and report writers share.
#pragma once

#include <string>
#include <string_view>

namespace wgi {

// `s` as a JSON string literal, quotes included. UTF-8 passes through.
std::string json_quote(std::string_view s);

}  // namespace wgi
