// The race corpus's labels, the report `wgi run --race --report OUT.json`
// writes, and the check of one against the other (tests/race/README.md).
// Header-only: corpus_test.cc runs the corpus, race_check_test.cc tests the
// parsing and the check on made-up reports.
//
// Labels, in a program's source (exactly one form):
//
//   // expect: race-free
//   // expect-race: SYMBOL OFFSET LENGTH      (one or more lines)
//
// The report (one JSON object; numbers decimal, func_name may be null):
//
//   {"races": [{"addr": A, "size": N,
//               "access":   {"thread": T, "kind": "write", "atomic": false,
//                            "addr": A1, "size": N1, "func": F,
//                            "func_name": "worker", "offset": O,
//                            "backtrace": [{"func": F, "func_name": ..., "offset": O}, ...]},
//               "previous": {...the same fields; "addr" and "size" may be null...}}],
//    "races_total": 1}
//
// A race's addr/size are the bytes both accesses touch (the intersection of
// the accesses' own ranges). wgi's checker keeps no address for the earlier
// access, and no width for a bulk one: an access's "addr" and "size" may be
// null. Other members ("format", a race's "variable" and "count", ...) are
// read where useful and otherwise ignored.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json.h"  // spec-tests/json.h: wgi::spec::Json, parse_json

namespace wgi::race_test {

// ---- labels -----------------------------------------------------------------

// One `// expect-race: SYMBOL OFFSET LENGTH` line: bytes [OFFSET, OFFSET +
// LENGTH) of the global SYMBOL race.
struct ExpectedRace {
  std::string symbol;
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct Labels {
  bool race_free = false;
  std::vector<ExpectedRace> races;  // empty when race_free
};

namespace detail {

inline bool is_ident(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// A decimal number without sign or leading zeros (tests/race/race_corpus.cmake
// accepts the same).
inline std::optional<uint32_t> parse_u32(std::string_view s) {
  if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(v);
}

inline std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace detail

// Reads the label lines of a program's source: lines starting with
// "// expect: " or "// expect-race:". Anything else is ignored. Returns
// nullopt and sets *error when a label line is malformed, or the source has
// neither exactly one race-free line nor one or more expect-race lines.
inline std::optional<Labels> parse_labels(std::string_view source, std::string* error) {
  Labels labels;
  int race_free_lines = 0;
  size_t pos = 0;
  int line_no = 0;
  while (pos < source.size()) {
    size_t end = source.find('\n', pos);
    if (end == std::string_view::npos) end = source.size();
    std::string_view line = source.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    ++line_no;
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (line.starts_with("// expect: ")) {
      if (line != "// expect: race-free") {
        *error = where + "the only `// expect:` label is `// expect: race-free`, found `" + std::string(line) + "`";
        return std::nullopt;
      }
      ++race_free_lines;
    } else if (line.starts_with("// expect-race:")) {
      std::string_view rest = line.substr(std::string_view("// expect-race:").size());
      const auto fields = detail::split_spaces(rest);
      // rest starts with one space: fields are "", SYMBOL, OFFSET, LENGTH.
      std::optional<uint32_t> offset, length;
      if (fields.size() == 4 && fields[0].empty() && detail::is_ident(fields[1])) {
        offset = detail::parse_u32(fields[2]);
        length = detail::parse_u32(fields[3]);
      }
      if (!offset || !length || *length == 0) {
        *error = where + "malformed label `" + std::string(line) + "` (want `// expect-race: SYMBOL OFFSET LENGTH`, LENGTH > 0)";
        return std::nullopt;
      }
      labels.races.push_back({std::string(fields[1]), *offset, *length});
    }
  }
  if (race_free_lines == 1 && labels.races.empty()) {
    labels.race_free = true;
    return labels;
  }
  if (race_free_lines == 0 && !labels.races.empty()) return labels;
  *error = "needs exactly one `// expect: race-free` line or one or more `// expect-race: SYMBOL OFFSET LENGTH` "
           "lines, found " + std::to_string(race_free_lines) + " and " + std::to_string(labels.races.size());
  return std::nullopt;
}

// An expected race resolved to memory: [addr, addr + label.length), where
// addr is the symbol's address plus label.offset.
struct ExpectedRange {
  ExpectedRace label;
  uint64_t addr = 0;

  uint64_t end() const { return addr + label.length; }
  std::string name() const {
    return label.symbol + "[" + std::to_string(label.offset) + ", " + std::to_string(label.offset + label.length) +
           ") = [" + std::to_string(addr) + ", " + std::to_string(end()) + ")";
  }
};

// ---- the report ---------------------------------------------------------------

struct Frame {
  uint32_t func = 0;
  std::optional<std::string> func_name;  // null in the report: no name
  uint64_t offset = 0;
};

struct ReportedAccess {
  uint32_t thread = 0;
  std::string kind;  // "read" or "write"
  bool atomic = false;
  std::optional<uint64_t> addr;  // null in the report: not known
  std::optional<uint64_t> size;  // null in the report: not known
  Frame where;  // func, func_name, offset
  std::vector<Frame> backtrace;  // may be empty (optional in the report)

  bool has_range() const { return addr && size; }
  uint64_t end() const { return *addr + *size; }
};

struct ReportedRace {
  uint64_t addr = 0;
  uint64_t size = 0;
  std::optional<std::string> variable;  // the checker's name for addr, if it gives one
  ReportedAccess access;
  ReportedAccess previous;

  uint64_t end() const { return addr + size; }
};

struct Report {
  std::vector<ReportedRace> races;
  uint64_t races_total = 0;
};

namespace detail {

inline bool get_u64(const spec::Json& obj, std::string_view key, uint64_t* out, std::string* error,
                    const std::string& where) {
  const spec::Json* v = obj.find(key);
  std::optional<int64_t> n = v ? v->as_int() : std::nullopt;
  if (!n || *n < 0) {
    *error = where + ": \"" + std::string(key) + "\" must be a non-negative integer";
    return false;
  }
  *out = static_cast<uint64_t>(*n);
  return true;
}

// A non-negative integer or null (nullopt); false, with *error set, for
// anything else or a missing member.
inline bool get_opt_u64(const spec::Json& obj, std::string_view key, std::optional<uint64_t>* out, std::string* error,
                        const std::string& where) {
  const spec::Json* v = obj.find(key);
  if (v && v->is_null()) {
    out->reset();
    return true;
  }
  uint64_t n = 0;
  if (!get_u64(obj, key, &n, error, where)) {
    *error += " or null";
    return false;
  }
  *out = n;
  return true;
}

inline bool get_frame(const spec::Json& obj, Frame* f, std::string* error, const std::string& where) {
  uint64_t func = 0;
  if (!get_u64(obj, "func", &func, error, where) || !get_u64(obj, "offset", &f->offset, error, where)) return false;
  if (func > UINT32_MAX) {
    *error = where + ": \"func\" out of range";
    return false;
  }
  f->func = static_cast<uint32_t>(func);
  const spec::Json* name = obj.find("func_name");
  if (name && name->is_string()) {
    f->func_name = name->text();
  } else if (name && !name->is_null()) {
    *error = where + ": \"func_name\" must be a string or null";
    return false;
  }
  return true;
}

inline bool get_access(const spec::Json& race, std::string_view key, ReportedAccess* a, std::string* error,
                       const std::string& where_race) {
  const std::string where = where_race + "." + std::string(key);
  const spec::Json* obj = race.find(key);
  if (!obj || !obj->is_object()) {
    *error = where + ": missing or not an object";
    return false;
  }
  uint64_t thread = 0;
  if (!get_u64(*obj, "thread", &thread, error, where) || !get_opt_u64(*obj, "addr", &a->addr, error, where) ||
      !get_opt_u64(*obj, "size", &a->size, error, where) || !get_frame(*obj, &a->where, error, where))
    return false;
  a->thread = static_cast<uint32_t>(thread);
  const spec::Json* kind = obj->find("kind");
  if (!kind || !kind->is_string() || (kind->text() != "read" && kind->text() != "write")) {
    *error = where + ": \"kind\" must be \"read\" or \"write\"";
    return false;
  }
  a->kind = kind->text();
  const spec::Json* atomic = obj->find("atomic");
  if (!atomic || atomic->kind() != spec::Json::Kind::Bool) {
    *error = where + ": \"atomic\" must be true or false";
    return false;
  }
  a->atomic = atomic->as_bool();
  if (const spec::Json* bt = obj->find("backtrace")) {
    if (!bt->is_array()) {
      *error = where + ": \"backtrace\" must be an array";
      return false;
    }
    for (size_t i = 0; i < bt->items().size(); ++i) {
      Frame f;
      const spec::Json& item = bt->items()[i];
      const std::string fwhere = where + ".backtrace[" + std::to_string(i) + "]";
      if (!item.is_object()) {
        *error = fwhere + ": not an object";
        return false;
      }
      if (!get_frame(item, &f, error, fwhere)) return false;
      a->backtrace.push_back(std::move(f));
    }
  }
  return true;
}

}  // namespace detail

// Parses the report (the layout at the top of this file). Returns nullopt
// and sets *error when it is not valid JSON or lacks a field.
inline std::optional<Report> parse_report(std::string_view text, std::string* error) {
  spec::JsonError je;
  std::optional<spec::Json> doc = spec::parse_json(text, &je);
  if (!doc) {
    *error = "not JSON: " + je.message + " at byte " + std::to_string(je.offset);
    return std::nullopt;
  }
  if (!doc->is_object()) {
    *error = "the report is not a JSON object";
    return std::nullopt;
  }
  Report report;
  const spec::Json* races = doc->find("races");
  if (!races || !races->is_array()) {
    *error = "\"races\" is missing or not an array";
    return std::nullopt;
  }
  if (!detail::get_u64(*doc, "races_total", &report.races_total, error, "report")) return std::nullopt;
  for (size_t i = 0; i < races->items().size(); ++i) {
    const spec::Json& r = races->items()[i];
    const std::string where = "races[" + std::to_string(i) + "]";
    if (!r.is_object()) {
      *error = where + ": not an object";
      return std::nullopt;
    }
    ReportedRace race;
    if (!detail::get_u64(r, "addr", &race.addr, error, where) || !detail::get_u64(r, "size", &race.size, error, where) ||
        !detail::get_access(r, "access", &race.access, error, where) ||
        !detail::get_access(r, "previous", &race.previous, error, where))
      return std::nullopt;
    if (const spec::Json* v = r.find("variable"); v && v->is_string()) race.variable = v->text();
    report.races.push_back(std::move(race));
  }
  return report;
}

// ---- describing and checking ----------------------------------------------------

// "worker (func 12) at offset 1201 (0x4b1)"
inline std::string describe(const Frame& f) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(f.offset));
  return (f.func_name ? *f.func_name : std::string("<no name>")) + " (func " + std::to_string(f.func) +
         ") at offset " + std::to_string(f.offset) + " (" + hex + ")";
}

// "thread 2 plain write of [1176, 1180) in worker (func 12) at offset ...";
// "of 4 bytes" / "of ?" when the report leaves the address / the size out.
inline std::string describe(const ReportedAccess& a) {
  std::string what = a.has_range() ? "[" + std::to_string(*a.addr) + ", " + std::to_string(a.end()) + ")"
                     : a.size  ? std::to_string(*a.size) + " bytes"
                               : std::string("?");
  std::string s = "thread " + std::to_string(a.thread) + " " + (a.atomic ? "atomic " : "plain ") + a.kind + " of " +
                  what + " in " + describe(a.where);
  if (a.backtrace.size() > 1) {
    s += ", called from";
    for (size_t i = 1; i < a.backtrace.size() && i < 4; ++i) s += (i > 1 ? " <- " : " ") + describe(a.backtrace[i]);
    if (a.backtrace.size() > 4) s += " <- ...";
  }
  return s;
}

// Where an address is, in terms of the labelled symbols: "counter+2" when a
// label's symbol starts at or below it (the nearest such), else "".
inline std::string symbolize(uint64_t addr, const std::vector<ExpectedRange>& expected) {
  const ExpectedRange* best = nullptr;
  uint64_t best_base = 0;
  for (const ExpectedRange& e : expected) {
    const uint64_t base = e.addr - e.label.offset;
    if (base <= addr && (!best || base > best_base)) {
      best = &e;
      best_base = base;
    }
  }
  if (!best) return "";
  return best->label.symbol + "+" + std::to_string(addr - best_base);
}

inline std::string describe(const ReportedRace& r, const std::vector<ExpectedRange>& expected) {
  std::string s = "race on [" + std::to_string(r.addr) + ", " + std::to_string(r.end()) + ")";
  if (r.variable) s += " (\"" + *r.variable + "\")";
  if (std::string sym = symbolize(r.addr, expected); !sym.empty()) s += " (" + sym + ", nearest labelled symbol)";
  return s + ": " + describe(r.access) + "; previous: " + describe(r.previous);
}

// Checks a report against the expected ranges (none for a race-free
// program). Returns one message per problem; empty when the report matches:
//  - every race is well formed: at least one byte, its range is the
//    intersection of its accesses' ranges (as far as the report gives them:
//    inside each range given, no wider than each size given), the accesses
//    are in different threads, at least one writes and at least one is not
//    atomic;
//  - every race's [addr, addr + size) lies inside one expected range;
//  - every expected range intersects at least one race.
//  - races_total is at least the number of races listed.
inline std::vector<std::string> check_races(const std::vector<ExpectedRange>& expected, const Report& report) {
  std::vector<std::string> problems;
  for (const ReportedRace& r : report.races) {
    bool range_ok = r.size > 0;
    if (r.access.has_range() && r.previous.has_range()) {
      const uint64_t lo = std::max(*r.access.addr, *r.previous.addr);
      const uint64_t hi = std::min(r.access.end(), r.previous.end());
      range_ok = range_ok && lo < hi && r.addr == lo && r.end() == hi;
    } else {
      for (const ReportedAccess* a : {&r.access, &r.previous}) {
        if (a->has_range()) range_ok = range_ok && *a->addr <= r.addr && r.end() <= a->end();
        else if (a->size) range_ok = range_ok && r.size <= *a->size;
      }
    }
    if (!range_ok)
      problems.push_back("malformed report: the race's range is not the (nonempty) intersection of its accesses' "
                         "ranges: " + describe(r, expected));
    if (r.access.thread == r.previous.thread)
      problems.push_back("malformed report: both accesses are in the same thread: " + describe(r, expected));
    if (r.access.kind != "write" && r.previous.kind != "write")
      problems.push_back("malformed report: neither access writes: " + describe(r, expected));
    if (r.access.atomic && r.previous.atomic)
      problems.push_back("malformed report: both accesses are atomic: " + describe(r, expected));
    const bool inside = std::any_of(expected.begin(), expected.end(), [&](const ExpectedRange& e) {
      return e.addr <= r.addr && r.end() <= e.end();
    });
    if (!inside) {
      problems.push_back(std::string(expected.empty() ? "unexpected race (the program is labelled race-free): "
                                                      : "unexpected race (outside every expected range): ") +
                         describe(r, expected));
    }
  }
  for (const ExpectedRange& e : expected) {
    const bool hit = std::any_of(report.races.begin(), report.races.end(), [&](const ReportedRace& r) {
      return r.addr < e.end() && e.addr < r.end();
    });
    if (!hit) problems.push_back("missed race: no reported race touches " + e.name());
  }
  if (report.races_total < report.races.size())
    problems.push_back("malformed report: races_total " + std::to_string(report.races_total) + " < " +
                       std::to_string(report.races.size()) + " races listed");
  return problems;
}

}  // namespace wgi::race_test
