#include "script.h"

#include <string_view>

#include "json.h"

namespace wgi::spec {

namespace {

struct KindName {
  CommandKind kind;
  const char* name;
};

constexpr KindName kKindNames[] = {
    {CommandKind::Module, "module"},
    {CommandKind::Register, "register"},
    {CommandKind::Action, "action"},
    {CommandKind::AssertReturn, "assert_return"},
    {CommandKind::AssertTrap, "assert_trap"},
    {CommandKind::AssertExhaustion, "assert_exhaustion"},
    {CommandKind::AssertInvalid, "assert_invalid"},
    {CommandKind::AssertMalformed, "assert_malformed"},
    {CommandKind::AssertUnlinkable, "assert_unlinkable"},
    {CommandKind::AssertUninstantiable, "assert_uninstantiable"},
};

CommandKind kind_from_name(std::string_view s) {
  for (const auto& k : kKindNames)
    if (s == k.name) return k.kind;
  return CommandKind::Unknown;
}

std::string string_member(const Json& obj, std::string_view key) {
  const Json* v = obj.find(key);
  return v && v->is_string() ? v->text() : std::string();
}

bool parse_value(const Json& j, Value& out, std::string* error) {
  if (!j.is_object()) {
    *error = "a value is not an object";
    return false;
  }
  out.type = string_member(j, "type");
  out.lane_type = string_member(j, "lane_type");
  const Json* v = j.find("value");
  if (!v) return true;  // e.g. an expected ref type with any value
  if (v->is_array()) {
    for (const Json& lane : v->items()) out.lanes.push_back(lane.text());
  } else {
    out.lanes.push_back(v->text());
  }
  return true;
}

bool parse_values(const Json* arr, std::vector<Value>& out, std::string* error) {
  if (!arr) return true;
  if (!arr->is_array()) {
    *error = "a value list is not an array";
    return false;
  }
  for (const Json& item : arr->items()) {
    Value v;
    if (!parse_value(item, v, error)) return false;
    out.push_back(std::move(v));
  }
  return true;
}

}  // namespace

const char* command_kind_name(CommandKind k) {
  for (const auto& e : kKindNames)
    if (e.kind == k) return e.name;
  return "unknown";
}

bool Command::is_text_module() const {
  if (module_type == "text") return true;
  return filename.size() >= 4 && filename.compare(filename.size() - 4, 4, ".wat") == 0;
}

std::optional<Script> parse_script(std::string_view text, std::string* error) {
  JsonError jerr;
  std::optional<Json> doc = parse_json(text, &jerr);
  if (!doc) {
    *error = "JSON error at byte " + std::to_string(jerr.offset) + ": " + jerr.message;
    return std::nullopt;
  }
  const Json* commands = doc->find("commands");
  if (!commands || !commands->is_array()) {
    *error = "no \"commands\" array";
    return std::nullopt;
  }
  Script script;
  script.source_filename = string_member(*doc, "source_filename");
  for (const Json& c : commands->items()) {
    if (!c.is_object()) {
      *error = "a command is not an object";
      return std::nullopt;
    }
    Command cmd;
    cmd.type = string_member(c, "type");
    cmd.kind = kind_from_name(cmd.type);
    if (const Json* line = c.find("line"); line && line->as_int()) cmd.line = int(*line->as_int());
    cmd.filename = string_member(c, "filename");
    cmd.module_type = string_member(c, "module_type");
    cmd.name = string_member(c, "name");
    cmd.as = string_member(c, "as");
    cmd.text = string_member(c, "text");
    if (const Json* a = c.find("action"); a && a->is_object()) {
      Action action;
      action.type = string_member(*a, "type");
      action.module = string_member(*a, "module");
      action.field = string_member(*a, "field");
      if (!parse_values(a->find("args"), action.args, error)) return std::nullopt;
      cmd.action = std::move(action);
    }
    if (!parse_values(c.find("expected"), cmd.expected, error)) return std::nullopt;
    script.commands.push_back(std::move(cmd));
  }
  return script;
}

}  // namespace wgi::spec
