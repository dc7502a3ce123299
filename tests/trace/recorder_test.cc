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

// The largest buffer chunk the recorder allocates (recorder.cc); the limits
// below are no multiple of any chunk size.
constexpr uint64_t kChunk = 64 * 1024;

TEST(RecorderMerge, SingleThreadCutKeepsItsPrefix) {
  Recorder r(100'003);
  ThreadTrace* t = r.add_thread(0);
  for (uint64_t i = 0; i < 3 * kChunk; ++i) t->push(EventOp::Write, i, 4, 0);
  t->mark_end();
  EXPECT_TRUE(r.truncated());
  EXPECT_TRUE(t->lost_events());
  const auto m = r.merge();
  ASSERT_EQ(m.size(), 100'003u);  // the limit exactly, nothing after it
  for (uint64_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].ev.value, i);
}

TEST(RecorderMerge, CutKeepsLocksConsistent) {
  // T1 takes lock 7, then floods its buffer and loses the rest: its release
  // of 7 is lost. T0 acquires 7 after that release in real time and still
  // has room to record it. The merge must not show T0's acquire (7 would
  // be held twice): it stops at T1's last recorded mark.
  constexpr uint64_t kLimit = 5003;
  Recorder r(kLimit);
  ThreadTrace* t0 = r.add_thread(0);
  sync(t0, EventOp::Fork, 1);
  ThreadTrace* t1 = r.add_thread(1);
  sync(t1, EventOp::Request, 7);
  sync(t1, EventOp::Acquire, 7);
  for (uint64_t i = 0; i < kLimit; ++i) t1->push(EventOp::Write, 1000 + i % 16, 4, 0);
  sync(t1, EventOp::Release, 7);  // lost
  t1->mark_end();                 // lost
  t0->push(EventOp::Read, 5, 4, 0);
  sync(t0, EventOp::Request, 7);
  sync(t0, EventOp::Acquire, 7);
  sync(t0, EventOp::Join, 1);
  t0->mark_end();
  r.resolve();  // T1 went on speculatively: whether that fits is decided here
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
  // T1's writes after its acquire fill what the limit leaves: T0 holds its
  // first chunk, so its five events (fork, read, request, acquire, join)
  // are kept first; the cut thread keeps its unmarked tail.
  EXPECT_EQ(t1_writes, kLimit - 5 - 2);
}

TEST(RecorderMerge, ChildWithoutMarksIsBoundedByItsFork) {
  // T1 records only plain accesses and loses some; T0 forked it and then
  // went on synchronising. T1's events follow its fork, so the cut is the
  // fork: T1's recorded events stay, T0's later marks go.
  constexpr uint64_t kLimit = 5003;
  Recorder r(kLimit);
  ThreadTrace* t0 = r.add_thread(0);
  t0->push(EventOp::Write, 1, 4, 0);
  sync(t0, EventOp::Fork, 1);
  ThreadTrace* t1 = r.add_thread(1);
  for (uint64_t i = 0; i < kLimit; ++i) t1->push(EventOp::Read, 2, 4, 0);
  t1->mark_end();
  sync(t0, EventOp::Acquire, 3);
  const auto m = r.merge();
  // T0's chunk, granted first, holds its write, fork and acquire; T1 keeps
  // the rest of the limit.
  ASSERT_EQ(m.size(), 2 + (kLimit - 3));
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

// ---- the event limit: what it counts, and that it is spent exactly -----------------------

// The events a thread keeps (recorded_events summed).
uint64_t file_count(const ThreadTrace* t) {
  uint64_t n = 0;
  for (const Event& e : t->events()) n += recorded_events(e.op());
  return n;
}

TEST(RecorderLimit, EveryOperationIsOneEventAndMarkersNone) {
  for (EventOp op : {EventOp::Read, EventOp::Write, EventOp::Request, EventOp::Acquire, EventOp::Release,
                     EventOp::Fork, EventOp::Join, EventOp::AtomicLoad, EventOp::AtomicStore,
                     EventOp::AtomicRmw, EventOp::AtomicSync})
    EXPECT_EQ(recorded_events(op), 1u) << int(op);
  EXPECT_EQ(recorded_events(EventOp::Seq), 0u);
  EXPECT_EQ(recorded_events(EventOp::End), 0u);
}

TEST(RecorderLimit, AProgramThatFitsExactlyIsNotCut) {
  // Marks take buffer slots but are no events: a thread whose events are
  // exactly the limit keeps them all and its end, wherever the chunk
  // boundaries fall.
  for (uint64_t limit = 1; limit <= 700; ++limit) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    Recorder r(limit);
    ThreadTrace* t = r.add_thread(0);
    for (uint64_t i = 0; i < limit; ++i) {
      if (i % 7 == 3) sync(t, EventOp::Acquire, 9);
      else t->push(EventOp::Write, i, 4, 0);
      if (i % 11 == 5) t->mark();  // a mark of its own
    }
    t->mark_end();
    r.resolve();
    ASSERT_FALSE(r.truncated());
    ASSERT_FALSE(t->lost_events());
    ASSERT_EQ(r.kept_events(), limit);
    ASSERT_EQ(r.merge().size(), limit);
  }
}

TEST(RecorderLimit, OneMoreEventIsCut) {
  for (uint64_t limit : {1u, 63u, 64u, 65u, 255u, 256u, 257u, 1000u, 4099u}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    Recorder r(limit);
    ThreadTrace* t = r.add_thread(0);
    for (uint64_t i = 0; i <= limit; ++i) sync(t, EventOp::Release, i);
    t->mark_end();
    const auto m = r.merge();
    EXPECT_TRUE(r.truncated());
    EXPECT_TRUE(t->lost_events());
    ASSERT_EQ(m.size(), limit);
    for (uint64_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].ev.value, i);
  }
}

TEST(RecorderLimit, AnAtomicIsOneEvent) {
  // However trace.bin spells it (a lock section of up to four events), an
  // atomic counts once against the limit.
  Recorder r(7);
  ThreadTrace* t = r.add_thread(0);
  for (int i = 0; i < 10; ++i) sync(t, EventOp::AtomicRmw, 8);
  t->mark_end();
  r.resolve();
  EXPECT_TRUE(r.truncated());
  EXPECT_EQ(file_count(t), 7u);
  EXPECT_EQ(r.kept_events(), 7u);
}

TEST(RecorderLimit, SeveralThreadsSpendAnOddLimitExactly) {
  // Four threads take turns, each wanting far more than its share, with
  // marks, AtomicSyncs and read-modify-writes among their events. Together they keep exactly the limit (which is no
  // multiple of any chunk size), each thread a prefix of what it pushed.
  constexpr uint64_t kLimit = 10'007;
  Recorder r(kLimit);
  std::vector<ThreadTrace*> ts;
  for (uint32_t tid = 0; tid < 4; ++tid) ts.push_back(r.add_thread(tid));
  std::vector<uint64_t> next(4, 0);  // the value of each thread's next event
  for (int round = 0; round < 200; ++round)
    for (uint32_t tid = 0; tid < 4; ++tid)
      for (int k = 0; k < 23 + 7 * int(tid); ++k) {
        ThreadTrace* t = ts[tid];
        const uint64_t v = next[tid]++;
        switch (v % 9) {
          case 2: sync(t, EventOp::Acquire, v); break;
          case 5: t->push(EventOp::AtomicSync, v, 0, 0), t->mark(); break;
          case 7: sync(t, EventOp::AtomicRmw, v); break;
          default: t->push(EventOp::Write, v, 4, 0); break;
        }
      }
  for (ThreadTrace* t : ts) t->mark_end();
  EXPECT_TRUE(r.truncated());
  r.resolve();
  // The limit is spent to the event.
  const uint64_t kept = r.kept_events();
  EXPECT_EQ(kept, kLimit);
  uint64_t sum = 0;
  for (ThreadTrace* t : ts) {
    SCOPED_TRACE(::testing::Message() << "T" << t->tid());
    EXPECT_TRUE(t->lost_events());
    EXPECT_GT(file_count(t), 500u);  // every thread got a fair part
    sum += file_count(t);
    uint64_t v = 0;
    for (const Event& e : t->events()) {
      if (e.op() == EventOp::Seq || e.op() == EventOp::End) continue;
      ASSERT_EQ(e.value, v++) << "a gap in the record";
    }
    EXPECT_LT(v, next[t->tid()]);
  }
  EXPECT_EQ(sum, kept);
  uint64_t merged_events = 0;
  for (const auto& m : r.merge()) merged_events += recorded_events(m.ev.op());
  EXPECT_LE(merged_events, kLimit);  // the merge's cut may leave some out, never adds
}

TEST(RecorderLimit, AnEndedThreadGivesBackWhatItDidNotUse) {
  // T1 takes a buffer chunk, records one event and ends; T0 may then use
  // the rest of the limit.
  constexpr uint64_t kLimit = 3001;
  Recorder r(kLimit);
  ThreadTrace* t0 = r.add_thread(0);
  ThreadTrace* t1 = r.add_thread(1);
  t0->push(EventOp::Write, 0, 4, 0);
  t1->push(EventOp::Write, 0, 4, 0);
  t1->mark_end();
  for (uint64_t i = 1; i < kLimit - 1; ++i) t0->push(EventOp::Write, i, 4, 0);
  t0->mark_end();
  EXPECT_FALSE(r.truncated());
  r.resolve();
  EXPECT_FALSE(r.truncated());
  EXPECT_FALSE(t0->lost_events());
  EXPECT_EQ(r.kept_events(), kLimit);
}

TEST(RecorderLimit, RoomOthersHoldIsNotLost) {
  // T1 holds a chunk it hardly uses while T0 finds the limit spent: T0
  // records on speculatively, and what T1 gives back when it ends keeps
  // T0's events. Variant 1: T0 fits exactly; variant 2: one event more.
  for (uint64_t extra : {0u, 1u}) {
    SCOPED_TRACE("extra " + std::to_string(extra));
    constexpr uint64_t kLimit = 2501;
    Recorder r(kLimit);
    ThreadTrace* t0 = r.add_thread(0);
    ThreadTrace* t1 = r.add_thread(1);
    t1->push(EventOp::Write, 0, 4, 0);  // T1 holds a chunk, open
    for (uint64_t i = 0; i < kLimit - 1 + extra; ++i) t0->push(EventOp::Write, i, 4, 0);
    t0->mark_end();
    EXPECT_FALSE(r.truncated()) << "T0 was refused room that T1 could still give back";
    t1->mark_end();
    r.resolve();
    EXPECT_EQ(r.kept_events(), kLimit);
    EXPECT_EQ(r.truncated(), extra == 1);
    EXPECT_EQ(t0->lost_events(), extra == 1);
    EXPECT_FALSE(t1->lost_events());
    EXPECT_EQ(file_count(t0), kLimit - 1);
  }
}

TEST(RecorderLimit, ManyShortThreadsFit) {
  // 800 threads of 20 events each: far below the limit, however many
  // buffers they hold at once.
  Recorder r(50'000);
  std::vector<ThreadTrace*> ts;
  ThreadTrace* t0 = r.add_thread(0);
  for (uint32_t tid = 1; tid <= 800; ++tid) {
    sync(t0, EventOp::Fork, tid);
    ts.push_back(r.add_thread(tid));
    for (int i = 0; i < 19; ++i) ts.back()->push(EventOp::Write, i, 4, 0);
  }
  for (ThreadTrace* t : ts) t->mark_end();
  t0->mark_end();
  EXPECT_FALSE(r.truncated());
  EXPECT_EQ(r.merge().size(), 800u * 20);
}

TEST(RecorderLimit, MarksAloneCannotFillMemory) {
  // A thread that records marks and no events (none in wgi does: this is
  // the bound, not a program): the buffers still stop growing (four slots
  // per event of the limit, plus 1 Mi).
  Recorder r(1000);
  ThreadTrace* t = r.add_thread(0);
  t->push(EventOp::Write, 1, 4, 0);
  for (int i = 0; i < 1 << 21; ++i) t->mark();
  t->mark_end();
  EXPECT_TRUE(r.truncated());
  EXPECT_TRUE(t->lost_events());
  EXPECT_LE(t->count(), 4 * 1000u + (1u << 20));
  EXPECT_EQ(r.kept_events(), 1u);
}

}  // namespace
}  // namespace wgi::trace
