// Wasm values as text, for the command line: parsing arguments by their
// parameter type and printing results.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "decoder/types.h"
#include "interp/value.h"

namespace wgi::interp {

// Parses `text` as a value of type t into slots[0] (and slots[1] for v128).
//   i32/i64: decimal (optionally negative) or 0x-hexadecimal; for i32 any
//            value in [-2^31, 2^32) is accepted (the bits are what matter).
//   f32/f64: decimal or hex float (rounded to nearest), inf/-inf, nan,
//            nan:0xPAYLOAD (non-zero, fits the mantissa); a finite number
//            too large for the type is an error, not infinity.
//   funcref/externref: only "null".
// Returns an error message, or nullopt on success.
std::optional<std::string> parse_value(ValType t, std::string_view text, Slot* slots);

// Formats a value: integers as signed decimal, floats in the shortest form
// that reads back to the same bits (nan, -nan, nan:0x..., inf, -inf),
// references as null / ref.func / ref.extern.
std::string format_value(ValType t, const Slot* slots);

}  // namespace wgi::interp
