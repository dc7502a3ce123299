// BlockRegistry (threads/blocking.h): which states make a live deadlock, and
// which lock waits make a cycle, decided on hand-made transitions.
#include "threads/blocking.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace wgi::threads {
namespace {

using Kind = BlockFinding::Kind;
constexpr int64_t kForever = -1;

// The findings pending now (next_finding() blocks, so close first).
std::vector<BlockFinding> findings(BlockRegistry& r) {
  r.close();
  std::vector<BlockFinding> out;
  while (auto f = r.next_finding()) out.push_back(*f);
  return out;
}

TEST(BlockRegistry, AllParkedForeverIsADeadlock) {
  BlockRegistry r;
  r.add(0);
  r.add(1);
  r.parked(1, 0x100, kForever);
  r.join_begin(0, 1);
  auto f = findings(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, Kind::AllBlocked);
  ASSERT_EQ(f[0].threads.size(), 2u);
  EXPECT_EQ(f[0].threads[0].kind, ThreadState::Kind::Join);
  EXPECT_EQ(f[0].threads[0].target, 1u);
  EXPECT_EQ(f[0].threads[1].kind, ThreadState::Kind::Wait);
  EXPECT_EQ(f[0].threads[1].addr, 0x100u);
}

TEST(BlockRegistry, ARunningThreadPreventsIt) {
  BlockRegistry r;
  for (uint32_t t : {0u, 1u, 2u}) r.add(t);
  r.parked(1, 0x100, kForever);
  r.join_begin(0, 1);  // thread 2 still runs: it could notify
  EXPECT_TRUE(findings(r).empty());
}

TEST(BlockRegistry, ATimedWaitIsNotStuck) {
  BlockRegistry r;
  r.add(0);
  r.add(1);
  r.parked(1, 0x100, 5'000'000'000);
  r.join_begin(0, 1);
  EXPECT_TRUE(findings(r).empty());
}

TEST(BlockRegistry, ANotifiedWaiterIsFreeAgain) {
  BlockRegistry r;
  r.add(0);
  r.add(1);
  r.parked(1, 0x100, kForever);
  r.unparked(1);  // claimed by a notify of thread 0 before it joins
  r.join_begin(0, 1);
  EXPECT_TRUE(findings(r).empty());
}

TEST(BlockRegistry, TheLastThreadEndingLeavesTheOthersStuck) {
  BlockRegistry r;
  for (uint32_t t : {0u, 1u, 2u}) r.add(t);
  r.parked(1, 0x100, kForever);  // waits for a notify thread 2 never sends
  r.join_begin(0, 1);
  r.remove(2);
  auto f = findings(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].threads.size(), 2u);
}

TEST(BlockRegistry, JoiningAnEndedThreadIsNotStuck) {
  BlockRegistry r;
  r.add(0);
  r.add(1);
  r.join_begin(0, 1);
  r.remove(1);  // its joiner will return
  EXPECT_TRUE(findings(r).empty());
}

TEST(BlockRegistry, AJoinCycleIsStuck) {
  BlockRegistry r;
  for (uint32_t t : {0u, 1u, 2u}) r.add(t);
  r.join_begin(1, 2);
  r.join_begin(2, 1);
  r.join_begin(0, 1);
  auto f = findings(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, Kind::AllBlocked);
}

TEST(BlockRegistry, SpinningLockWaitersInACycleAreStuckAndACycleIsFound) {
  BlockRegistry r;
  for (uint32_t t : {0u, 1u, 2u}) r.add(t);
  r.lock_acquired(1, 0xA, {});
  r.lock_acquired(2, 0xB, {});
  r.lock_request(1, 0xB, {});
  EXPECT_EQ(r.lock_cycles(), 0u);
  r.lock_request(2, 0xA, {});  // closes the cycle; thread 0 still runs
  EXPECT_EQ(r.lock_cycles(), 1u);
  r.join_begin(0, 1);  // now nobody can move, though 1 and 2 may spin
  auto f = findings(r);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, Kind::LockCycle);
  ASSERT_EQ(f[0].threads.size(), 2u);
  EXPECT_EQ(f[0].threads[0].thread, 2u);
  EXPECT_EQ(f[0].threads[0].holder, std::optional<uint32_t>(1));
  EXPECT_EQ(f[0].threads[1].holder, std::optional<uint32_t>(2));
  EXPECT_EQ(f[1].kind, Kind::AllBlocked);
}

TEST(BlockRegistry, AFreeLockOrAnEndedHolderIsNoDeadlock) {
  BlockRegistry r;
  r.add(0);
  r.add(1);
  r.lock_acquired(1, 0xA, {});
  r.lock_released(1, 0xA);
  r.lock_request(0, 0xA, {});  // free: it will get it
  r.join_begin(1, 0);
  EXPECT_TRUE(findings(r).empty());

  BlockRegistry q;
  q.add(0);
  q.add(1);
  q.lock_acquired(1, 0xA, {});
  q.remove(1);  // ended holding it: whether it is ever freed is not ours to guess
  q.lock_request(0, 0xA, {});
  EXPECT_TRUE(findings(q).empty());
}

TEST(BlockRegistry, EachLockCycleIsReportedOnce) {
  BlockRegistry r;
  for (uint32_t t : {0u, 1u, 2u}) r.add(t);
  r.lock_acquired(1, 0xA, {});
  r.lock_acquired(2, 0xB, {});
  r.lock_request(1, 0xB, {});
  r.lock_request(2, 0xA, {});
  r.lock_request(2, 0xA, {});  // asked again (a retry): the same cycle
  EXPECT_EQ(r.lock_cycles(), 1u);
}

TEST(BlockRegistry, ALockWaiterThatSleepsForeverOnAHeldLockIsStuck) {
  BlockRegistry r;
  r.add(0);
  r.add(1);
  r.lock_acquired(0, 0xA, {});
  r.lock_request(1, 0xA, {});
  r.parked(1, 0xA, kForever);
  r.parked(0u, 0x200, kForever);  // the holder waits for something nobody sends
  auto f = findings(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].threads[1].kind, ThreadState::Kind::Lock);
  EXPECT_EQ(f[0].threads[1].holder, std::optional<uint32_t>(0));
}

TEST(BlockRegistry, NextFindingWaitsForOne) {
  BlockRegistry r;
  r.add(0);
  auto fut = std::async(std::launch::async, [&] { return r.next_finding(); });
  EXPECT_EQ(fut.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  r.parked(0u, 0x10, kForever);
  auto f = fut.get();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->threads.size(), 1u);
}

}  // namespace
}  // namespace wgi::threads
