#include "util/result.h"

namespace wgi {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::Malformed: return "malformed";
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::Unlinkable: return "unlinkable";
    case ErrorCode::Io: return "io";
    case ErrorCode::Usage: return "usage";
    case ErrorCode::Runtime: return "runtime";
    case ErrorCode::Unsupported: return "unsupported";
  }
  return "unknown";
}

}  // namespace wgi
