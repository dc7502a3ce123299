// The race detector's verdicts on hand-made event streams: each case is a
// happens-before situation with a known answer, fed through the same
// EventLog interface the interpreter's handlers use.
#include "race/detector.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <tuple>

namespace wgi::race {
namespace {

using interp::EventLog;
using interp::EventOp;

class DetectorTest : public ::testing::Test {
 protected:
  DetectorTest() : out_(std::tmpfile()), d_(make_sites(), options(out_)) {}
  ~DetectorTest() override { std::fclose(out_); }

  static Sites make_sites() {
    Sites s;
    for (uint32_t i = 0; i < 64; ++i) s.sites.push_back({i, 0x100 + i, 4});
    s.func_names[1] = "writer";
    return s;
  }
  static DetectorOptions options(std::FILE* out) {
    DetectorOptions o;
    o.memory_bytes = 1 << 20;
    o.print_limit = 100;
    o.out = out;
    return o;
  }

  EventLog* thread(uint32_t tid) { return d_.add_thread(tid); }
  // parent forks a new thread tid.
  EventLog* fork(EventLog* parent, uint32_t tid) {
    EventLog* child = thread(tid);
    parent->push(EventOp::Fork, tid, 0, 60);
    return child;
  }
  static void join(EventLog* parent, EventLog* child, uint32_t tid) {
    child->mark_end();
    parent->push(EventOp::Join, tid, 0, 61);
  }
  // The races found, as (addr, size) byte ranges.
  std::set<std::pair<uint64_t, uint64_t>> ranges() {
    std::set<std::pair<uint64_t, uint64_t>> r;
    for (const RaceReport& rep : d_.reports()) r.insert({rep.addr, rep.size});
    return r;
  }
  using Ranges = std::set<std::pair<uint64_t, uint64_t>>;

  std::FILE* out_;
  Detector d_;
};

TEST_F(DetectorTest, UnorderedWritesRace) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x100, 4, 1);
  b->push(EventOp::Write, 0x100, 4, 2);
  EXPECT_EQ(ranges(), (Ranges{{0x100, 4}}));
  const RaceReport r = d_.reports().at(0);
  EXPECT_EQ(r.access.thread, 2u);
  EXPECT_EQ(r.previous.thread, 1u);
  EXPECT_TRUE(r.access.write && r.previous.write);
  EXPECT_EQ(r.previous.where.func, 1u);
  EXPECT_EQ(r.previous.where.offset, 0x101u);
}

TEST_F(DetectorTest, ForkAndJoinOrder) {
  EventLog* t0 = thread(0);
  t0->push(EventOp::Write, 0x200, 4, 1);  // before the fork: ordered before the child
  EventLog* c = fork(t0, 1);
  c->push(EventOp::Read, 0x200, 4, 2);
  c->push(EventOp::Write, 0x204, 8, 3);
  join(t0, c, 1);
  t0->push(EventOp::Read, 0x204, 8, 4);  // after the join: ordered after the child
  t0->push(EventOp::Write, 0x200, 4, 5);
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, WriteAfterForkBeforeJoinRaces) {
  EventLog* t0 = thread(0);
  EventLog* c = fork(t0, 1);
  c->push(EventOp::Read, 0x300, 4, 2);
  t0->push(EventOp::Write, 0x300, 4, 1);  // the child may still be reading
  join(t0, c, 1);
  EXPECT_EQ(ranges(), (Ranges{{0x300, 4}}));
}

TEST_F(DetectorTest, LockHooksOrder) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  for (EventLog* t : {a, b, a, b}) {
    t->push(EventOp::Acquire, 0x40, 0, 7);
    t->push(EventOp::Read, 0x400, 4, 8);
    t->push(EventOp::Write, 0x400, 4, 9);
    t->push(EventOp::Release, 0x40, 0, 10);
  }
  EXPECT_EQ(d_.races_total(), 0u);
  // Different locks do not order.
  a->push(EventOp::Acquire, 0x44, 0, 7);
  a->push(EventOp::Write, 0x400, 4, 11);
  a->push(EventOp::Release, 0x44, 0, 10);
  b->push(EventOp::Acquire, 0x48, 0, 7);
  b->push(EventOp::Write, 0x400, 4, 12);
  b->push(EventOp::Release, 0x48, 0, 10);
  EXPECT_EQ(ranges(), (Ranges{{0x400, 4}}));
}

TEST_F(DetectorTest, ReleaseAcquireFlagHandsOver) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x500, 8, 1);        // data
  a->push(EventOp::AtomicStore, 0x508, 4, 2);  // flag = 1
  b->push(EventOp::AtomicLoad, 0x508, 4, 3);   // sees 1
  b->push(EventOp::Read, 0x500, 8, 4);
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, PlainFlagRaces) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x500, 8, 1);
  a->push(EventOp::Write, 0x508, 4, 2);
  b->push(EventOp::Read, 0x508, 4, 3);
  b->push(EventOp::Read, 0x500, 8, 4);
  // The flag, and the 8-byte data as one report over both its granules.
  EXPECT_EQ(ranges(), (Ranges{{0x500, 8}, {0x508, 4}}));
}

TEST_F(DetectorTest, AtomicsNeverRaceWithAtomics) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::AtomicRmw, 0x600, 4, 1);
  b->push(EventOp::AtomicRmw, 0x600, 4, 2);
  b->push(EventOp::AtomicLoad, 0x604, 4, 3);
  a->push(EventOp::AtomicStore, 0x604, 4, 4);
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, AtomicAndPlainRace) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::AtomicLoad, 0x700, 4, 1);
  b->push(EventOp::Write, 0x700, 4, 2);  // a plain write beside an atomic read
  a->push(EventOp::AtomicStore, 0x710, 4, 3);
  b->push(EventOp::Read, 0x710, 4, 4);  // a plain read of an atomic write
  EXPECT_EQ(ranges(), (Ranges{{0x700, 4}, {0x710, 4}}));
}

TEST_F(DetectorTest, LoadDoesNotRelease) {
  // T1: x = 1; load(f). T2: store(f); read x. A load acquires only, so x races.
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x800, 4, 1);
  a->push(EventOp::AtomicLoad, 0x810, 4, 2);
  b->push(EventOp::AtomicStore, 0x810, 4, 3);
  b->push(EventOp::Read, 0x800, 4, 4);
  EXPECT_EQ(ranges(), (Ranges{{0x800, 4}}));
}

TEST_F(DetectorTest, DistinctBytesOfOneWordDoNotRace) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x900, 1, 1);
  b->push(EventOp::Write, 0x901, 1, 2);
  a->push(EventOp::Write, 0x902, 2, 3);
  b->push(EventOp::Read, 0x901, 1, 4);
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, OverlapOfDifferentSizesRacesOnTheSharedBytes) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0xa00, 4, 1);
  b->push(EventOp::Write, 0xa02, 1, 2);
  EXPECT_EQ(ranges(), (Ranges{{0xa02, 1}}));
}

TEST_F(DetectorTest, BulkRangeAgainstPlainLoad) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0xb00, 256, 1);  // memory.fill
  b->push(EventOp::Read, 0xb40, 4, 2);
  b->push(EventOp::Read, 0xc00, 4, 3);  // just past the range
  EXPECT_EQ(ranges(), (Ranges{{0xb40, 4}}));
}

TEST_F(DetectorTest, ConcurrentReadsThenOrderedWrite) {
  EventLog* t0 = thread(0);
  t0->push(EventOp::Write, 0xd00, 4, 1);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Read, 0xd00, 4, 2);
  b->push(EventOp::Read, 0xd00, 4, 3);  // read-shared
  join(t0, a, 1);
  join(t0, b, 2);
  t0->push(EventOp::Write, 0xd00, 4, 4);
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, WriteAfterConcurrentReadsRacesWithEach) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Read, 0xe00, 4, 2);
  b->push(EventOp::Read, 0xe00, 4, 3);
  join(t0, a, 1);
  t0->push(EventOp::Write, 0xe00, 4, 4);  // follows a's read, not b's
  const std::vector<RaceReport> r = d_.reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].previous.thread, 2u);
}

TEST_F(DetectorTest, WaitNotifyHandsOver) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  b->push(EventOp::AtomicLoad, 0xf00, 4, 1);  // wait: the value is still 0
  a->push(EventOp::Write, 0xf10, 4, 2);
  a->push(EventOp::AtomicStore, 0xf00, 4, 3);
  a->push(EventOp::AtomicSync, 0xf00, 0, 4);  // notify
  b->push(EventOp::AtomicSync, 0xf00, 0, 5);  // woken
  b->push(EventOp::Read, 0xf10, 4, 6);
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, OnePairOfLocationsIsReportedOnceAndCounted) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  for (uint64_t i = 0; i < 10; ++i) {
    a->push(EventOp::Write, 0x1000 + 8 * i, 4, 1);
    b->push(EventOp::Write, 0x1000 + 8 * i, 4, 2);
  }
  const std::vector<RaceReport> r = d_.reports();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].count, 10u);
  EXPECT_EQ(d_.races_total(), 10u);
}

TEST_F(DetectorTest, SequentialThreadsReuseSlotsWithoutRaces) {
  EventLog* t0 = thread(0);
  for (uint32_t tid = 1; tid <= 2000; ++tid) {
    EventLog* c = fork(t0, tid);
    c->push(EventOp::Write, 0x2000, 4, 1);
    c->push(EventOp::Read, 0x2000 + 4 * (tid % 64), 4, 2);
    join(t0, c, tid);
    t0->push(EventOp::Write, 0x2000, 4, 3);
  }
  EXPECT_EQ(d_.races_total(), 0u);
  EXPECT_EQ(d_.stopped_reason(), "");  // 2000 threads, one at a time: slots were reused
}

TEST_F(DetectorTest, UnjoinedThreadsStayUnordered) {
  // Slots are reused only after their last owner is ordered before the new
  // one: a detached thread's accesses still race with a later thread's.
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  a->push(EventOp::Write, 0x3000, 4, 1);
  a->mark_end();  // ended, never joined
  EventLog* b = fork(t0, 2);
  b->push(EventOp::Write, 0x3000, 4, 2);
  EXPECT_EQ(ranges(), (Ranges{{0x3000, 4}}));
}

TEST_F(DetectorTest, FreeingADeadThreadsBlockFollowsItsEnd) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x4000, 4, 1);  // its TLS
  a->mark_end();
  b->follows_end_of(1);                   // the runtime frees a's TLS on b
  b->push(EventOp::Write, 0x4000, 4, 2);  // the allocator's free-list link
  EXPECT_EQ(d_.races_total(), 0u);
}

TEST_F(DetectorTest, ReportNamesFunctionsAndThreads) {
  EventLog* t0 = thread(0);
  EventLog* a = fork(t0, 1);
  EventLog* b = fork(t0, 2);
  a->push(EventOp::Write, 0x5000, 4, 1);
  b->push(EventOp::Read, 0x5000, 4, 1);
  d_.finish();
  std::rewind(out_);
  char buf[4096] = {};
  const size_t n = std::fread(buf, 1, sizeof buf - 1, out_);
  const std::string text(buf, n);
  EXPECT_NE(text.find("wgi: data race on 4 bytes at 0x00005000"), std::string::npos) << text;
  EXPECT_NE(text.find("  read of 4 bytes by thread 2:"), std::string::npos) << text;
  EXPECT_NE(text.find("  previous write of 4 bytes by thread 1:"), std::string::npos) << text;
  EXPECT_NE(text.find("#0 writer (func 1) at 0x101"), std::string::npos) << text;
  EXPECT_NE(text.find("thread 2 was created by thread 0 in func 60 at 0x13c"), std::string::npos) << text;
  EXPECT_NE(text.find("wgi: 1 data race found"), std::string::npos) << text;
}

TEST(SitesTest, VariablesAreNamedAfterTheNearestSymbolBelow) {
  Sites s;
  s.data_symbols = {{0x100, "counter"}, {0x108, "flag"}, {0x2000, "buffer"}};
  EXPECT_EQ(s.variable_at(0x100), "counter");
  EXPECT_EQ(s.variable_at(0x104), "counter+4");
  EXPECT_EQ(s.variable_at(0x108), "flag");
  EXPECT_EQ(s.variable_at(0x10c), "flag+4");
  EXPECT_EQ(s.variable_at(0xff), "");              // below every symbol
  EXPECT_EQ(s.variable_at(0x108 + 4096), "");      // too far from flag
  EXPECT_EQ(s.variable_at(0x2000 + 4095), "buffer+4095");
}

}  // namespace
}  // namespace wgi::race
