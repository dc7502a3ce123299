// The recorder's merge (src/trace/recorder.h): one order consistent with
// the sequence marks, and the cut when the event limit stopped recording.
// Events are pushed by hand here, from one OS thread: only the order of
// the mark() calls matters to the merge.
#include "trace/recorder.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace wgi::trace {
namespace {

struct E {
  uint32_t tid;
  EventOp op;
  uint64_t value;
  bool operator==(const E&) const = default;
};
std::ostream& operator<<(std::ostream& os, const E& e) {
  return os << "T" << e.tid << ":" << int(e.op) << "(" << e.value << ")";
}

std::vector<E> merged(const Recorder& r) {
  std::vector<E> out;
  for (const auto& m : r.merge()) out.push_back({m.tid, m.ev.op(), m.ev.value});
  return out;
}

// A synchronisation event as the runtime records it: the event, then a mark.
void sync(ThreadTrace* t, EventOp op, uint64_t value) {
  t->push(op, value, 0, 0);
  t->mark();
}

TEST(RecorderMerge, FollowsTheMarks) {
  Recorder r(1'000'000);
  ThreadTrace* t0 = r.add_thread(0);
  ThreadTrace* t1 = nullptr;
  t0->push(EventOp::Write, 100, 4, 0);
  sync(t0, EventOp::Fork, 1);
  t1 = r.add_thread(1);
  t1->push(EventOp::Read, 100, 4, 0);
  sync(t1, EventOp::Acquire, 7);
  t0->push(EventOp::Read, 200, 4, 0);  // after the fork, before t0's next mark
  sync(t0, EventOp::Request, 7);
  t1->push(EventOp::Write, 300, 8, 0);
  sync(t1, EventOp::Release, 7);
  t1->mark_end();
  sync(t0, EventOp::Acquire, 7);
  sync(t0, EventOp::Join, 1);
  t0->mark_end();
  const std::vector<E> want = {
      {0, EventOp::Write, 100},  {0, EventOp::Fork, 1},      {1, EventOp::Read, 100},
      {1, EventOp::Acquire, 7},  {0, EventOp::Read, 200},    {0, EventOp::Request, 7},
      {1, EventOp::Write, 300},  {1, EventOp::Release, 7},   {0, EventOp::Acquire, 7},
      {0, EventOp::Join, 1},
  };
  EXPECT_EQ(merged(r), want);
  EXPECT_FALSE(r.truncated());
}

TEST(RecorderMerge, SpansCoverEveryChunk) {
  Recorder r(10'000'000);
  ThreadTrace* t = r.add_thread(0);
  const uint64_t n = 200'000;  // about three 64K-event chunks
  for (uint64_t i = 0; i < n; ++i) t->push(EventOp::Read, i, 1, 0);
  EXPECT_EQ(t->count(), n);
  uint64_t seen = 0;
  for (auto s : t->spans())
    for (const Event& e : s) EXPECT_EQ(e.value, seen++);
  EXPECT_EQ(seen, n);
  EXPECT_EQ(t->events().size(), n);
  uint64_t streamed = 0;
  r.merge_each([&](uint32_t tid, std::span<const Event> ev) {
    EXPECT_EQ(tid, 0u);
    for (const Event& e : ev) EXPECT_EQ(e.value, streamed++);
  });
  EXPECT_EQ(streamed, n);
}

// The chunk size the recorder allocates (recorder.cc): a limit of 1 grants
// the first chunk only, kChunk + 1 the first two (one each for two
// threads), after which recording stops.
constexpr uint64_t kChunk = 64 * 1024;

TEST(RecorderMerge, SingleThreadCutKeepsItsPrefix) {
  Recorder r(1);
  ThreadTrace* t = r.add_thread(0);
  for (uint64_t i = 0; i < 3 * kChunk; ++i) t->push(EventOp::Write, i, 4, 0);
  t->mark_end();
  EXPECT_TRUE(r.truncated());
  EXPECT_TRUE(t->lost_events());
  const auto m = r.merge();
  ASSERT_EQ(m.size(), kChunk);  // the recorded chunk, nothing after it
  for (uint64_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].ev.value, i);
}

TEST(RecorderMerge, CutKeepsLocksConsistent) {
  // T1 takes lock 7, then floods its buffer and loses the rest: its release
  // of 7 is lost. T0 acquires 7 after that release in real time and still
  // has room to record it. The merge must not show T0's acquire (7 would
  // be held twice): it stops at T1's last recorded mark.
  Recorder r(kChunk + 1);
  ThreadTrace* t0 = r.add_thread(0);
  sync(t0, EventOp::Fork, 1);
  ThreadTrace* t1 = r.add_thread(1);
  sync(t1, EventOp::Request, 7);
  sync(t1, EventOp::Acquire, 7);
  for (uint64_t i = 0; i < kChunk; ++i) t1->push(EventOp::Write, 1000 + i % 16, 4, 0);
  sync(t1, EventOp::Release, 7);  // lost
  t1->mark_end();                 // lost
  t0->push(EventOp::Read, 5, 4, 0);
  sync(t0, EventOp::Request, 7);
  sync(t0, EventOp::Acquire, 7);
  sync(t0, EventOp::Join, 1);
  t0->mark_end();
  ASSERT_TRUE(t1->lost_events());
  ASSERT_FALSE(t0->lost_events());

  std::map<uint64_t, int> held;  // lock -> holders
  std::set<uint32_t> forked{0};
  uint64_t t1_writes = 0;
  for (const auto& m : r.merge()) {
    EXPECT_TRUE(forked.count(m.tid)) << "an event of T" << m.tid << " before its fork";
    switch (m.ev.op()) {
      case EventOp::Acquire: EXPECT_EQ(++held[m.ev.value], 1) << "lock held twice"; break;
      case EventOp::Release: --held[m.ev.value]; break;
      case EventOp::Fork: forked.insert(static_cast<uint32_t>(m.ev.value)); break;
      case EventOp::Write: ++t1_writes; break;
      case EventOp::Join: ADD_FAILURE() << "join of a thread whose end was lost"; break;
      default: break;
    }
  }
  // T1's writes after its acquire fill the rest of its chunk; the cut
  // thread keeps its unmarked tail.
  EXPECT_EQ(t1_writes, kChunk - 4);
}

TEST(RecorderMerge, ChildWithoutMarksIsBoundedByItsFork) {
  // T1 records only plain accesses and loses some; T0 forked it and then
  // went on synchronising. T1's events follow its fork, so the cut is the
  // fork: T1's recorded events stay, T0's later marks go.
  Recorder r(kChunk + 1);
  ThreadTrace* t0 = r.add_thread(0);
  t0->push(EventOp::Write, 1, 4, 0);
  sync(t0, EventOp::Fork, 1);
  ThreadTrace* t1 = r.add_thread(1);
  for (uint64_t i = 0; i < kChunk + 10; ++i) t1->push(EventOp::Read, 2, 4, 0);
  t1->mark_end();
  sync(t0, EventOp::Acquire, 3);
  const auto m = r.merge();
  ASSERT_EQ(m.size(), 2 + kChunk);
  EXPECT_EQ(m[0].tid, 0u);
  EXPECT_EQ(m[1].ev.op(), EventOp::Fork);
  for (size_t i = 2; i < m.size(); ++i) EXPECT_EQ(m[i].tid, 1u);
}

TEST(RecorderMerge, EventsAfterTheLastMarkComeLastByThread) {
  // Without a limit every thread's end is marked; should a thread lack the
  // mark (a runtime that did not end it), its tail still appears.
  Recorder r(1'000'000);
  ThreadTrace* t0 = r.add_thread(0);
  ThreadTrace* t1 = r.add_thread(1);
  t1->push(EventOp::Read, 1, 1, 0);
  t0->push(EventOp::Read, 2, 1, 0);
  sync(t0, EventOp::Acquire, 5);
  const std::vector<E> want = {{0, EventOp::Read, 2}, {0, EventOp::Acquire, 5}, {1, EventOp::Read, 1}};
  EXPECT_EQ(merged(r), want);
}

}  // namespace
}  // namespace wgi::trace
