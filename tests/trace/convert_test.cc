// Text forms of a trace (src/trace/convert.h).
#include "trace/convert.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <sstream>

namespace wgi::trace {
namespace {

using rapidbin::Op;

// Runs f(FILE*) and returns what it wrote.
template <class F>
std::string capture(F f) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  EXPECT_TRUE(f(out));
  std::fclose(out);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

const std::vector<rapidbin::Event> kEvents = {
    {0, Op::Fork, 1, 42}, {1, Op::Request, 0, 7}, {1, Op::Acquire, 0, 7}, {1, Op::Read, 1, 9},
    {1, Op::Write, 0, 10}, {1, Op::Release, 0, 8}, {0, Op::Join, 1, 43},
};

TEST(Convert, StdForm) {
  const auto bytes = *rapidbin::encode(kEvents);
  const auto h = *rapidbin::validate(bytes);
  EXPECT_EQ(capture([&](std::FILE* f) { return write_text(bytes, h, {}, f); }),
            "T0|fork(T1)|42\n"
            "T1|req(L0)|7\n"
            "T1|acq(L0)|7\n"
            "T1|r(V1)|9\n"
            "T1|w(V0)|10\n"
            "T1|rel(L0)|8\n"
            "T0|join(T1)|43\n");
  const std::string no_req =
      capture([&](std::FILE* f) { return write_text(bytes, h, {TextFormat::Std, true}, f); });
  EXPECT_EQ(no_req.find("req"), std::string::npos);
  // Every line in the syntax of RAPID's STD reader.
  const std::regex line(R"(T[0-9]+\|(r|w|acq|rel|fork|join)\((V|L|T)[0-9]+\)\|[0-9]+)");
  std::istringstream in(no_req);
  int n = 0;
  for (std::string l; std::getline(in, l); ++n) EXPECT_TRUE(std::regex_match(l, line)) << l;
  EXPECT_EQ(n, 6);
}

TEST(Convert, CsvForm) {
  const auto bytes = *rapidbin::encode(kEvents);
  const auto h = *rapidbin::validate(bytes);
  const std::string csv = capture([&](std::FILE* f) { return write_text(bytes, h, {TextFormat::Csv}, f); });
  EXPECT_EQ(csv.substr(0, csv.find('\n', csv.find('\n') + 1) + 1), "thread,operation,id,location\n0,fork,1,42\n");
  EXPECT_NE(csv.find("\n1,r,1,9\n"), std::string::npos);
}

TEST(Convert, Stats) {
  const auto bytes = *rapidbin::encode(kEvents);
  const auto h = *rapidbin::validate(bytes);
  const std::string s = capture([&](std::FILE* f) { return write_stats(bytes, h, f); });
  EXPECT_EQ(s,
            "threads 2, locks 1, variables 2, events 7\n"
            "thread         events        acq        rel        req          r          w       fork       join\n"
            "T0                  2          0          0          0          0          0          1          1\n"
            "T1                  5          1          1          1          1          1          0          0\n"
            "total               7          1          1          1          1          1          1          1\n");
}

}  // namespace
}  // namespace wgi::trace
