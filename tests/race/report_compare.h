// Comparing two race reports (`wgi run --race --report` and `wgi trace
// races --report`): the races as a multiset, each the same whichever of
// its two accesses the detector met first, and the report headlines.
#pragma once

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "json.h"
#include "support/trace_data.h"

namespace wgi::race::compare {

// One race of a --report file, the same whichever of its two accesses the
// detector met first: the bytes, and the two sides (thread, kind, atomic,
// function, offset) in order.
using Side = std::tuple<int64_t, std::string, bool, int64_t, std::string, int64_t>;
using Race = std::tuple<int64_t, int64_t, Side, Side>;

inline Side side(const spec::Json& a) {
  auto num = [&](const char* key) {
    const spec::Json* v = a.find(key);
    return v && v->is_number() ? *v->as_int() : -1;
  };
  const spec::Json* name = a.find("func_name");
  return {num("thread"), a.find("kind")->text(), a.find("atomic")->as_bool(), num("func"),
          name && name->is_string() ? name->text() : "", num("offset")};
}

struct Report {
  std::multiset<Race> races;
  int64_t total = -1, distinct = -1;
};

inline Report read_report(const std::filesystem::path& p) {
  Report r;
  spec::JsonError err;
  auto json = spec::parse_json(test::slurp(p), &err);
  EXPECT_TRUE(json) << p << ": " << err.message << " at " << err.offset;
  if (!json) return r;
  EXPECT_EQ(json->find("format")->text(), "wgi-report");
  for (const spec::Json& race : json->find("races")->items()) {
    Side a = side(*race.find("access")), b = side(*race.find("previous"));
    if (b < a) std::swap(a, b);
    r.races.insert({*race.find("addr")->as_int(), *race.find("size")->as_int(), a, b});
  }
  r.total = *json->find("races_total")->as_int();
  r.distinct = *json->find("races_distinct")->as_int();
  return r;
}

// The report headlines ("wgi: data race on 4 bytes at 0x..."), sorted.
inline std::multiset<std::string> headlines(const std::string& err) {
  std::multiset<std::string> out;
  std::istringstream in(err);
  for (std::string l; std::getline(in, l);)
    if (l.rfind("wgi: data race on ", 0) == 0) out.insert(l);
  return out;
}

}  // namespace wgi::race::compare
