// The modules a script has defined so far.
//
// A .wast script refers to modules three ways: the most recent one (actions
// without a module name), by `$name` (`(module $M ...)`, `(invoke $M "f")`),
// and by the name another module imports it as (`(register "M" $M)`). The
// registry keeps all three, per script. The instances themselves live in the
// script's interp::Store; the names under which other modules import them
// live in the script's interp::Linker (see ScriptRunner).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "decoder/module.h"
#include "interp/runtime.h"

namespace wgi::spec {

struct ModuleEntry {
  std::shared_ptr<const Module> module;
  int line = 0;  // where the script defined it
  // The instance, when the module was instantiated. Otherwise `unavailable`
  // says why not, and `skipped` tells whether commands that need the
  // instance are skipped for that reason (a text-format module, --cli mode)
  // or fail (the module command itself failed).
  interp::Instance* instance = nullptr;
  std::string unavailable;
  bool skipped = false;
};

class Registry {
 public:
  // A `module` command: the new current module, also known as `name` if set.
  void define(const std::string& name, std::shared_ptr<const ModuleEntry> entry) {
    current_ = entry;
    if (!name.empty()) named_[name] = std::move(entry);
  }
  // A module command that failed: actions on "the current module" must not
  // silently hit the previous one.
  void clear_current() { current_.reset(); }

  // `(register "as" $name)`, or the current module when name is empty.
  // Returns the module registered, or null when there is no such module.
  std::shared_ptr<const ModuleEntry> register_as(const std::string& as, const std::string& name) {
    auto e = find(name);
    if (e) registered_[as] = e;
    return e;
  }

  // The module called name (a `$name`), or the current one for "".
  std::shared_ptr<const ModuleEntry> find(std::string_view name) const {
    if (name.empty()) return current_;
    auto it = named_.find(std::string(name));
    return it == named_.end() ? nullptr : it->second;
  }
  // The module registered under `as` (what an import's module name refers to).
  std::shared_ptr<const ModuleEntry> registered(std::string_view as) const {
    auto it = registered_.find(std::string(as));
    return it == registered_.end() ? nullptr : it->second;
  }

 private:
  std::shared_ptr<const ModuleEntry> current_;
  std::map<std::string, std::shared_ptr<const ModuleEntry>> named_;
  std::map<std::string, std::shared_ptr<const ModuleEntry>> registered_;
};

}  // namespace wgi::spec
