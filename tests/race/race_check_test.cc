// The race corpus's harness without the race checker (race_check.h): label
// parsing, report parsing, and the verdict check on made-up reports, so the
// harness's logic is tested while `wgi run --race` does not exist yet (and
// independently of it afterwards). corpus_test.cc runs the real thing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "race/race_check.h"

namespace wgi::race_test {
namespace {

// ---- labels -------------------------------------------------------------------

TEST(RaceLabels, RaceFree) {
  std::string error;
  auto l = parse_labels("// prog: a comment\n//\n// expect: race-free\n#include \"corpus.h\"\n", &error);
  ASSERT_TRUE(l) << error;
  EXPECT_TRUE(l->race_free);
  EXPECT_TRUE(l->races.empty());
}

TEST(RaceLabels, Races) {
  std::string error;
  auto l = parse_labels("// expect-race: flag 0 4\r\nint x;\n// expect-race: data_2 16 1\n", &error);
  ASSERT_TRUE(l) << error;
  EXPECT_FALSE(l->race_free);
  ASSERT_EQ(l->races.size(), 2u);
  EXPECT_EQ(l->races[0].symbol, "flag");
  EXPECT_EQ(l->races[0].offset, 0u);
  EXPECT_EQ(l->races[0].length, 4u);
  EXPECT_EQ(l->races[1].symbol, "data_2");
  EXPECT_EQ(l->races[1].offset, 16u);
  EXPECT_EQ(l->races[1].length, 1u);
}

TEST(RaceLabels, Rejects) {
  const char* bad[] = {
      "",                                                   // no label
      "int x; // expect: race-free\n",                      // not at the start of a line
      "// expect: race-free\n// expect: race-free\n",       // two race-free lines
      "// expect: race-free\n// expect-race: x 0 4\n",      // both forms
      "// expect: racy\n",                                  // unknown verdict
      "// expect-race: x 0\n",                              // no length
      "// expect-race: x 0 0\n",                            // empty range
      "// expect-race: x 0 4 extra\n",                      // too many fields
      "// expect-race:  x 0 4\n",                           // two spaces
      "// expect-race: 9x 0 4\n",                           // not an identifier
      "// expect-race: x -1 4\n",                           // sign
      "// expect-race: x 01 4\n",                           // leading zero (CMake's regex agrees)
      "// expect-race: x 0 4294967296\n",                   // too big
  };
  for (const char* src : bad) {
    std::string error;
    EXPECT_FALSE(parse_labels(src, &error)) << "accepted: " << src;
    EXPECT_FALSE(error.empty()) << src;
  }
}

// ---- reports ------------------------------------------------------------------

const char* kOneRace = R"({"races": [{"addr": 1234, "size": 4,
  "access": {"thread": 2, "kind": "write", "atomic": false, "addr": 1234, "size": 4,
             "func": 12, "func_name": "worker", "offset": 1201,
             "backtrace": [{"func": 12, "func_name": "worker", "offset": 1201},
                           {"func": 3, "func_name": null, "offset": 90}]},
  "previous": {"thread": 1, "kind": "read", "atomic": false, "addr": 1232, "size": 8,
               "func": 12, "func_name": null, "offset": 1191}}],
  "races_total": 1})";

TEST(RaceReport, Parses) {
  std::string error;
  auto r = parse_report(kOneRace, &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->races_total, 1u);
  ASSERT_EQ(r->races.size(), 1u);
  const ReportedRace& race = r->races[0];
  EXPECT_EQ(race.addr, 1234u);
  EXPECT_EQ(race.size, 4u);
  EXPECT_EQ(race.access.thread, 2u);
  EXPECT_EQ(race.access.kind, "write");
  EXPECT_FALSE(race.access.atomic);
  EXPECT_EQ(race.access.where.func, 12u);
  EXPECT_EQ(race.access.where.func_name, "worker");
  EXPECT_EQ(race.access.where.offset, 1201u);
  ASSERT_EQ(race.access.backtrace.size(), 2u);
  EXPECT_FALSE(race.access.backtrace[1].func_name);
  EXPECT_EQ(race.previous.addr, 1232u);
  EXPECT_EQ(race.previous.size, 8u);
  EXPECT_FALSE(race.previous.where.func_name);
  EXPECT_TRUE(race.previous.backtrace.empty());
  EXPECT_EQ(describe(race.access),
            "thread 2 plain write of [1234, 1238) in worker (func 12) at offset 1201 (0x4b1), called from "
            "<no name> (func 3) at offset 90 (0x5a)");
}

// What wgi's checker writes: members beyond the interface, a variable name,
// and no address (nor, for a bulk operation, size) for the earlier access.
TEST(RaceReport, NullRangeOfThePreviousAccess) {
  const char* text = R"({"format": "wgi-report", "version": 1,
    "races": [{"addr": 1162, "size": 1, "variable": "word+2", "count": 1,
      "access": {"thread": 2, "kind": "write", "atomic": false, "addr": 1162, "size": 1,
                 "func": 11, "func_name": "write_byte2", "offset": 1880, "backtrace": []},
      "previous": {"thread": 1, "kind": "write", "atomic": false, "addr": null, "size": null,
                   "func": 9, "func_name": "write_word", "offset": 1295}}],
    "races_total": 1, "races_distinct": 1, "race_checking": "complete"})";
  std::string error;
  auto r = parse_report(text, &error);
  ASSERT_TRUE(r) << error;
  ASSERT_EQ(r->races.size(), 1u);
  EXPECT_EQ(r->races[0].variable, "word+2");
  EXPECT_FALSE(r->races[0].previous.addr);
  EXPECT_FALSE(r->races[0].previous.size);
  EXPECT_EQ(describe(r->races[0].previous), "thread 1 plain write of ? in write_word (func 9) at offset 1295 (0x50f)");
  EXPECT_TRUE(check_races({ExpectedRange{{"word", 2, 1}, 1162}}, *r).empty());
}

TEST(RaceReport, Empty) {
  std::string error;
  auto r = parse_report(R"({"races": [], "races_total": 0})", &error);
  ASSERT_TRUE(r) << error;
  EXPECT_TRUE(r->races.empty());
}

TEST(RaceReport, Rejects) {
  const char* bad[] = {
      "",
      "[]",
      R"({"races_total": 0})",
      R"({"races": []})",
      R"({"races": [{"addr": 1, "size": 1}], "races_total": 1})",
      R"({"races": [{"addr": 1, "size": 1, "access": {}, "previous": {}}], "races_total": 1})",
      R"({"races": [], "races_total": -1})",
      R"({"races": [], "races_total": 1.5})",
  };
  for (const char* text : bad) {
    std::string error;
    EXPECT_FALSE(parse_report(text, &error)) << "accepted: " << text;
    EXPECT_FALSE(error.empty()) << text;
  }
  // A field of the wrong type is named in the message.
  std::string text = kOneRace;
  text.replace(text.find("\"kind\": \"write\""), 15, "\"kind\": \"modify\"");
  std::string error;
  EXPECT_FALSE(parse_report(text, &error));
  EXPECT_NE(error.find("races[0].access: \"kind\""), std::string::npos) << error;
}

// ---- the verdict ----------------------------------------------------------------

ReportedAccess access(uint32_t thread, const char* kind, bool atomic, uint64_t addr, uint64_t size,
                      const char* func = "worker", uint64_t offset = 100) {
  ReportedAccess a;
  a.thread = thread;
  a.kind = kind;
  a.atomic = atomic;
  a.addr = addr;
  a.size = size;
  a.where.func = 7;
  a.where.func_name = func;
  a.where.offset = offset;
  return a;
}

// A race between a plain write by thread 2 and a plain read by thread 1 of
// the same bytes.
ReportedRace race(uint64_t addr, uint64_t size) {
  ReportedRace r;
  r.addr = addr;
  r.size = size;
  r.access = access(2, "write", false, addr, size, "writer", 200);
  r.previous = access(1, "read", false, addr, size, "reader", 300);
  return r;
}

Report report(std::vector<ReportedRace> races) {
  Report r;
  r.races_total = races.size();
  r.races = std::move(races);
  return r;
}

ExpectedRange expect(const char* symbol, uint64_t symbol_addr, uint32_t offset, uint32_t length) {
  return ExpectedRange{{symbol, offset, length}, symbol_addr + offset};
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& m : v) s += m + "\n";
  return s;
}

TEST(RaceVerdict, RaceFreeAndNoRaces) {
  EXPECT_TRUE(check_races({}, report({})).empty());
}

TEST(RaceVerdict, RaceFreeButRaceReported) {
  auto p = check_races({}, report({race(1000, 4)}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_NE(p[0].find("unexpected race (the program is labelled race-free)"), std::string::npos) << p[0];
  // The message names the code locations.
  EXPECT_NE(p[0].find("writer (func 7) at offset 200"), std::string::npos) << p[0];
  EXPECT_NE(p[0].find("reader (func 7) at offset 300"), std::string::npos) << p[0];
}

TEST(RaceVerdict, ExactMatch) {
  const std::vector<ExpectedRange> want = {expect("counter", 1000, 0, 4)};
  EXPECT_TRUE(check_races(want, report({race(1000, 4)})).empty());
  // Several reports (distinct code pairs) inside the range, parts of it.
  EXPECT_TRUE(check_races(want, report({race(1000, 4), race(1002, 1), race(1000, 2)})).empty());
}

TEST(RaceVerdict, TwoRangesBothNeeded) {
  const std::vector<ExpectedRange> want = {expect("flag", 1000, 0, 4), expect("data", 1004, 0, 4)};
  EXPECT_TRUE(check_races(want, report({race(1004, 4), race(1000, 4)})).empty());
  auto p = check_races(want, report({race(1000, 4)}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_EQ(p[0], "missed race: no reported race touches data[0, 4) = [1004, 1008)");
}

TEST(RaceVerdict, NothingReportedForARacyProgram) {
  auto p = check_races({expect("word", 2000, 2, 1)}, report({}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_EQ(p[0], "missed race: no reported race touches word[2, 3) = [2002, 2003)");
}

TEST(RaceVerdict, RaceOutsideTheExpectedRange) {
  // Byte precision: the label says byte 2 of the word; a report of the
  // whole word (or of byte 1) is wrong even though it touches byte 2.
  const std::vector<ExpectedRange> want = {expect("word", 2000, 2, 1)};
  auto whole = check_races(want, report({race(2000, 4)}));
  ASSERT_EQ(whole.size(), 1u) << joined(whole);
  EXPECT_NE(whole[0].find("unexpected race (outside every expected range): race on [2000, 2004) (word+0"),
            std::string::npos)
      << whole[0];
  auto neighbour = check_races(want, report({race(2001, 1)}));
  ASSERT_EQ(neighbour.size(), 2u) << joined(neighbour);  // unexpected, and the expected one missed
  EXPECT_NE(neighbour[0].find("unexpected race"), std::string::npos);
  EXPECT_NE(neighbour[1].find("missed race"), std::string::npos);
  // Elsewhere entirely, beside a correct report.
  auto far = check_races(want, report({race(2002, 1), race(5000, 8)}));
  ASSERT_EQ(far.size(), 1u) << joined(far);
  EXPECT_NE(far[0].find("race on [5000, 5008)"), std::string::npos) << far[0];
}

TEST(RaceVerdict, StraddlingTwoRangesIsNotInsideOne) {
  const std::vector<ExpectedRange> want = {expect("a", 100, 0, 4), expect("b", 104, 0, 4)};
  auto p = check_races(want, report({race(102, 4)}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_NE(p[0].find("unexpected race"), std::string::npos) << p[0];
}

TEST(RaceVerdict, RangeIsTheIntersection) {
  // A 4-byte write and a 1-byte write of its byte 2: the race is [2, 3).
  ReportedRace ok;
  ok.addr = 2002;
  ok.size = 1;
  ok.access = access(3, "write", false, 2002, 1);
  ok.previous = access(2, "write", false, 2000, 4);
  const std::vector<ExpectedRange> want = {expect("word", 2000, 2, 1)};
  EXPECT_TRUE(check_races(want, report({ok})).empty());
  // Reported as the union (the whole word): not the intersection.
  ReportedRace bad = ok;
  bad.addr = 2000;
  bad.size = 4;
  auto p = check_races({expect("word", 2000, 0, 4)}, report({bad}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_NE(p[0].find("not the (nonempty) intersection"), std::string::npos) << p[0];
  // Accesses that do not overlap at all.
  ReportedRace apart = ok;
  apart.previous.addr = 2003;
  EXPECT_FALSE(check_races(want, report({apart})).empty());
}

TEST(RaceVerdict, RangeWithoutThePreviousAddress) {
  // The earlier access's address is not known: the race must lie inside
  // the access that found it, and be no wider than the earlier one's width.
  ReportedRace r;
  r.addr = 2002;
  r.size = 1;
  r.access = access(3, "write", false, 2002, 1);
  r.previous = access(2, "write", false, 2000, 4);
  r.previous.addr.reset();
  const std::vector<ExpectedRange> want = {expect("word", 2000, 2, 1)};
  EXPECT_TRUE(check_races(want, report({r})).empty());
  r.previous.size.reset();  // a bulk operation
  EXPECT_TRUE(check_races(want, report({r})).empty());
  ReportedRace outside = r;  // not inside the access's own range
  outside.addr = 2001;
  auto p = check_races({expect("word", 2000, 0, 4)}, report({outside}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_NE(p[0].find("not the (nonempty) intersection"), std::string::npos) << p[0];
  ReportedRace wider = r;  // wider than the earlier access
  wider.access = access(3, "write", false, 2000, 4);
  wider.addr = 2000;
  wider.size = 4;
  wider.previous.size = 2;
  p = check_races({expect("word", 2000, 0, 4)}, report({wider}));
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_NE(p[0].find("not the (nonempty) intersection"), std::string::npos) << p[0];
}

TEST(RaceVerdict, NotARaceByDefinition) {
  const std::vector<ExpectedRange> want = {expect("x", 3000, 0, 4)};
  ReportedRace same_thread = race(3000, 4);
  same_thread.previous.thread = same_thread.access.thread;
  ReportedRace two_reads = race(3000, 4);
  two_reads.access.kind = "read";
  ReportedRace two_atomics = race(3000, 4);
  two_atomics.access.atomic = two_atomics.previous.atomic = true;
  for (const auto& [r, what] : {std::pair{same_thread, "same thread"}, std::pair{two_reads, "neither access writes"},
                                std::pair{two_atomics, "both accesses are atomic"}}) {
    auto p = check_races(want, report({r}));
    ASSERT_EQ(p.size(), 1u) << joined(p);
    EXPECT_NE(p[0].find(what), std::string::npos) << p[0];
  }
  // One atomic access is enough for a race.
  ReportedRace mixed = race(3000, 4);
  mixed.previous.atomic = true;
  EXPECT_TRUE(check_races(want, report({mixed})).empty());
}

TEST(RaceVerdict, RacesTotalCountsAtLeastTheList) {
  Report r = report({race(1000, 4), race(1000, 4)});
  r.races_total = 1;
  auto p = check_races({expect("counter", 1000, 0, 4)}, r);
  ASSERT_EQ(p.size(), 1u) << joined(p);
  EXPECT_NE(p[0].find("races_total 1 < 2"), std::string::npos) << p[0];
  r.races_total = 40;  // more found than listed: fine
  EXPECT_TRUE(check_races({expect("counter", 1000, 0, 4)}, r).empty());
}

}  // namespace
}  // namespace wgi::race_test
