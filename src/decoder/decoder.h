// decode_module: binary bytes -> wgi::Module (structure only; see validator.h).
#pragma once

#include <cstdint>
#include <vector>

#include "decoder/module.h"
#include "util/result.h"

namespace wgi {

// Proposals beyond Wasm 2.0 that change what the decoder accepts.
struct Features {
  bool threads = true;  // the shared flag of memory limits, the Atomic ops
};

// Decodes every section. Function bodies are only split off here (locals
// decoded, instruction bytes located); their instructions are decoded by the
// validator in one pass. Errors are ErrorCode::Malformed with the absolute
// offset where decoding stopped.
Result<Module> decode_module(std::vector<uint8_t> bytes, const Features& features = {});

}  // namespace wgi
