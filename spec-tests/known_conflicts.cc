#include "known_conflicts.h"

#include <charconv>
#include <sstream>

#include "module_source.h"

namespace wgi::spec {

bool KnownConflicts::load(const std::filesystem::path& path, std::string* error) {
  std::string text;
  if (!read_file(path, text, error)) return false;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream fields(line);
    KnownConflict c;
    std::string number;
    if (!(fields >> c.file)) continue;  // blank or comment-only
    auto bad = [&](const char* what) {
      *error = path.string() + ":" + std::to_string(lineno) + ": " + what;
      return false;
    };
    if (!(fields >> number)) return bad("expected <file> <line> <reason>");
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), c.line);
    if (ec != std::errc() || end != number.data() + number.size() || c.line <= 0)
      return bad("the line number is not a positive integer");
    std::getline(fields >> std::ws, c.reason);
    if (c.reason.empty()) return bad("every entry needs a reason");
    entries_.push_back(std::move(c));
  }
  return true;
}

KnownConflict* KnownConflicts::match(const std::string& file, int line) {
  for (auto& c : entries_) {
    if (c.file == file && c.line == line) {
      c.seen = true;
      return &c;
    }
  }
  return nullptr;
}

}  // namespace wgi::spec
