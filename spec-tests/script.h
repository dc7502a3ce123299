// The command list of one .wast script, as wast2json writes it to JSON.
//
// wast2json turns `foo.wast` into `foo.json` plus one `foo.N.wasm` (or
// `foo.N.wat` for text-format modules) per module it contains. The JSON is
//   {"source_filename": ..., "commands": [ {"type": "module", "line": 3,
//    "filename": "foo.0.wasm"}, {"type": "assert_return", "line": 5,
//    "action": {...}, "expected": [...]}, ... ]}
// This file turns that into typed Commands; the runner never looks at raw
// JSON. Values keep the suite's text (decimal bit patterns, "nan:canonical",
// "null") so the interpreter milestone can convert them exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wgi::spec {

enum class CommandKind : uint8_t {
  Module,
  Register,
  Action,
  AssertReturn,
  AssertTrap,
  AssertExhaustion,
  AssertInvalid,
  AssertMalformed,
  AssertUnlinkable,
  AssertUninstantiable,
  Unknown,  // a type this runner does not know; always reported as a failure
};

const char* command_kind_name(CommandKind k);  // the JSON spelling, "assert_return"

// A Wasm value as the suite spells it. Scalars have one lane; v128 values
// have lane_type set and one string per lane.
struct Value {
  std::string type;       // "i32", "f64", "v128", "funcref", "externref", ...
  std::string lane_type;  // v128 only: "i8", "i16", "i32", "i64", "f32", "f64"
  std::vector<std::string> lanes;  // decimal bit patterns, "nan:canonical", "null", ...
};

struct Action {
  std::string type;    // "invoke" or "get"
  std::string module;  // a module name ("$M"), or empty for the current module
  std::string field;   // export name
  std::vector<Value> args;
};

struct Command {
  CommandKind kind = CommandKind::Unknown;
  std::string type;         // the JSON "type" string, kept for unknown kinds
  int line = 0;             // line of the command in the .wast file
  std::string filename;     // the module file, relative to the JSON's directory
  std::string module_type;  // "binary" or "text" (assert_malformed/invalid/...)
  std::string name;         // module: its $name; register: the module registered
  std::string as;           // register: the name other modules import it as
  std::string text;         // assert_*: the expected error text
  std::optional<Action> action;
  std::vector<Value> expected;

  // True when the command's module is in the text format (a .wat file):
  // out of scope for a binary-only engine.
  bool is_text_module() const;
};

struct Script {
  std::string source_filename;
  std::vector<Command> commands;
};

// Parses a wast2json document. On failure returns nullopt and sets *error.
std::optional<Script> parse_script(std::string_view json, std::string* error);

}  // namespace wgi::spec
