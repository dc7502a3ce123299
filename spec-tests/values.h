// Values between the suite's JSON and the interpreter's slots.
//
// wast2json spells every value as text: integers and floats as the decimal
// value of their bit pattern ("4294967295" is i32 -1, "2143289344" is the
// f32 canonical NaN), the NaN patterns of an expected result as
// "nan:canonical" / "nan:arithmetic", references as "null" or, for
// externref, the host number N of `ref.extern N`. v128 values carry a lane
// type and one such string per lane.
//
// The interpreter keeps values in 64-bit slots (interp/value.h). This file
// converts arguments into slots and checks result slots against expected
// values, exactly by bits, with NaN patterns matched by class.
//
// `ref.extern N` is the non-null host word N + 1 (the interpreter's null is
// 0), so the encoding is reversible and never null. (N = 2^64-1 would wrap;
// the suite's numbers are small, and such an argument is reported as an
// error rather than silently passing null.)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "decoder/types.h"
#include "interp/value.h"
#include "script.h"

namespace wgi::spec {

// The ValType a JSON type name denotes ("i32", "funcref", ...), or nullopt.
std::optional<ValType> valtype_from_name(std::string_view name);

// The host word for `ref.extern n`, and back.
constexpr interp::Ref extern_ref(uint64_t n) { return n + 1; }
constexpr uint64_t extern_number(interp::Ref r) { return r - 1; }

// Writes argument `v`, which must be of type `t`, to slots[0] (and slots[1]
// for v128). Returns an error message, or nullopt on success. NaN patterns
// are not arguments and are rejected.
std::optional<std::string> value_to_slots(const Value& v, ValType t, interp::Slot* slots);

// Checks a result of type `t` held in `slots` against the expected value.
// Returns nullopt when it matches, else why not (one short phrase).
std::optional<std::string> match_value(const Value& expected, ValType t,
                                       const interp::Slot* slots);

// How a failure report shows values: the suite's spelling for expected
// values ("i32 4294967295", "f32 nan:canonical", "v128 i32x4 1 2 3 4",
// "externref 3", "funcref null"), the same shape plus a readable form for
// actual ones ("i32 4294967295 (-1)", "f32 2143289344 (nan)"). For v128,
// `lane_type` picks the lane shape (the expected value's), default i32.
std::string format_expected(const Value& v);
std::string format_actual(ValType t, const interp::Slot* slots, std::string_view lane_type = {});

}  // namespace wgi::spec
