// Text for the module-level things other layers name in their messages:
// function types and names from the module. They live apart from the
// disassembler, so that the runtime, the thread linker and the CLI can print
// a type or a name without depending on the validator behind it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "decoder/types.h"

namespace wgi {

// "(i32, i32) -> i32", "() -> ()", "(f64) -> (i32, i32)".
std::string format_func_type(const FuncType& type);
// "(i32, f64)", "()": a parameter or result list.
std::string format_type_list(std::span<const ValType> types);
// A name from the name section, quoted, with control characters escaped.
std::string quote_name(std::string_view name);

}  // namespace wgi
