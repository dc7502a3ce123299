// deadlock::Predictor on hand-made lock histories: the cycles it must
// report, and the ones it must not (one thread, a gate lock, fork/join
// order).
#include "deadlock/predictor.h"

#include <gtest/gtest.h>

#include <set>

namespace wgi::deadlock {
namespace {

Backtrace here(uint32_t func) { return {{func, 0x10 * func}}; }

void lock(Predictor& p, uint32_t t, uint32_t l, uint32_t func = 1) {
  p.acquire(t, l, [func] { return here(func); });
}

std::set<uint32_t> locks_of(const Cycle& c) {
  std::set<uint32_t> s;
  for (const Edge& e : c.edges) s.insert(e.holds);
  return s;
}

// Threads 1 and 2, both forked by 0 and running together.
void fork_two(Predictor& p) {
  p.fork(0, 1);
  p.fork(0, 2);
}

TEST(Predictor, TwoThreadInversion) {
  Predictor p;
  fork_two(p);
  lock(p, 1, 0xA);
  lock(p, 1, 0xB, 7);
  p.release(1, 0xB);
  p.release(1, 0xA);
  lock(p, 2, 0xB);
  lock(p, 2, 0xA, 9);
  auto c = p.cycles();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(locks_of(c[0]), (std::set<uint32_t>{0xA, 0xB}));
  ASSERT_EQ(c[0].edges.size(), 2u);
  EXPECT_NE(c[0].edges[0].thread, c[0].edges[1].thread);
  EXPECT_EQ(c[0].edges[0].acquires, c[0].edges[1].holds);
  EXPECT_EQ(c[0].edges[1].acquires, c[0].edges[0].holds);
  for (const Edge& e : c[0].edges) EXPECT_EQ(e.where.size(), 1u);
}

// In a real deadlock neither thread gets its second lock: the requests
// alone make the cycle. A request followed by its acquisition adds the
// edge once, with the request's place.
TEST(Predictor, RequestsMakeTheEdges) {
  Predictor p;
  fork_two(p);
  lock(p, 1, 0xA);
  p.request(1, 0xB, [] { return here(7); });
  lock(p, 2, 0xB);
  p.request(2, 0xA, [] { return here(9); });
  auto c = p.cycles();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(p.edges(), 2u);
  p.acquire(2, 0xA, [] { return here(99); });  // its own request: no new edge
  EXPECT_EQ(p.edges(), 2u);
  EXPECT_EQ(p.cycles()[0].edges[1].where[0].func, 9u);
}

TEST(Predictor, ConsistentOrderIsFine) {
  Predictor p;
  fork_two(p);
  for (uint32_t t : {1u, 2u}) {
    lock(p, t, 0xA);
    lock(p, t, 0xB);
    p.release(t, 0xB);
    p.release(t, 0xA);
  }
  EXPECT_TRUE(p.cycles().empty());
}

TEST(Predictor, OneThreadCannotDeadlockWithItself) {
  Predictor p;
  lock(p, 0, 0xA);
  lock(p, 0, 0xB);
  p.release(0, 0xB);
  p.release(0, 0xA);
  lock(p, 0, 0xB);
  lock(p, 0, 0xA);
  EXPECT_TRUE(p.cycles().empty());
}

TEST(Predictor, AGateLockPreventsIt) {
  Predictor p;
  fork_two(p);
  lock(p, 1, 0x6);
  lock(p, 1, 0xA);
  lock(p, 1, 0xB);
  for (uint32_t l : {0xBu, 0xAu, 0x6u}) p.release(1, l);
  lock(p, 2, 0x6);
  lock(p, 2, 0xB);
  lock(p, 2, 0xA);
  EXPECT_TRUE(p.cycles().empty());
}

TEST(Predictor, JoinOrderPreventsIt) {
  Predictor p;
  p.fork(0, 1);
  lock(p, 1, 0xA);
  lock(p, 1, 0xB);
  p.release(1, 0xB);
  p.release(1, 0xA);
  p.join(0, 1);
  p.fork(0, 2);  // created after thread 1 was joined
  lock(p, 2, 0xB);
  lock(p, 2, 0xA);
  EXPECT_TRUE(p.cycles().empty());
}

TEST(Predictor, TheParentBeforeForkingIsOrderedToo) {
  Predictor p;
  lock(p, 0, 0xA);
  lock(p, 0, 0xB);
  p.release(0, 0xB);
  p.release(0, 0xA);
  p.fork(0, 1);
  lock(p, 1, 0xB);
  lock(p, 1, 0xA);
  EXPECT_TRUE(p.cycles().empty());
  // ...but not what the parent does after the fork.
  lock(p, 0, 0xA);
  lock(p, 0, 0xB);
  EXPECT_EQ(p.cycles().size(), 1u);
}

TEST(Predictor, ThreeThreadCycle) {
  Predictor p;
  for (uint32_t t : {1u, 2u, 3u}) p.fork(0, t);
  const uint32_t order[3][2] = {{0xA, 0xB}, {0xB, 0xC}, {0xC, 0xA}};
  for (uint32_t t = 1; t <= 3; ++t) {
    lock(p, t, order[t - 1][0]);
    lock(p, t, order[t - 1][1]);
    p.release(t, order[t - 1][1]);
    p.release(t, order[t - 1][0]);
  }
  auto c = p.cycles();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].edges.size(), 3u);
  EXPECT_EQ(locks_of(c[0]), (std::set<uint32_t>{0xA, 0xB, 0xC}));
}

TEST(Predictor, RepeatedAcquisitionsAddNoEdgesAndNoBacktraces) {
  Predictor p;
  fork_two(p);
  int backtraces = 0;
  for (int i = 0; i < 100; ++i) {
    p.acquire(1, 0xA, [&] { ++backtraces; return here(1); });
    p.acquire(1, 0xB, [&] { ++backtraces; return here(2); });
    p.release(1, 0xB);
    p.release(1, 0xA);
  }
  EXPECT_EQ(p.edges(), 1u);
  EXPECT_EQ(backtraces, 1);
}

TEST(Predictor, ReportsNameBothLocksAndTheirPlaces) {
  Predictor p;
  fork_two(p);
  lock(p, 1, 0xA);
  lock(p, 1, 0xB, 7);
  lock(p, 2, 0xB);
  lock(p, 2, 0xA, 9);
  Naming n;
  n.func_label = [](uint32_t f) { return "f" + std::to_string(f) + " (func " + std::to_string(f) + ")"; };
  n.func_name = [](uint32_t f) -> std::optional<std::string> { return "f" + std::to_string(f); };
  const std::string text = format_cycles(p.cycles(), n);
  EXPECT_NE(text.find("asked for lock 0xb while holding lock 0xa"), std::string::npos) << text;
  EXPECT_NE(text.find("asked for lock 0xa while holding lock 0xb"), std::string::npos) << text;
  EXPECT_NE(text.find("f7 (func 7) at 0x70"), std::string::npos) << text;
  EXPECT_NE(text.find("f9 (func 9) at 0x90"), std::string::npos) << text;
  const std::string json = json_cycles(p.cycles(), n);
  EXPECT_NE(json.find("\"holds\": 10, \"acquires\": 11"), std::string::npos) << json;
  EXPECT_NE(json.find("\"func_name\": \"f9\""), std::string::npos) << json;
}

}  // namespace
}  // namespace wgi::deadlock
