// The RapidBin encoder and reader (src/trace/rapidbin.h). The expected
// bytes are written out by hand from the layout in rapidbin.h's comment
// (thread bits 0-9, operation 10-13, decor 14-47, location 48-62,
// big-endian), not produced by the encoder.
#include "trace/rapidbin.h"

#include <gtest/gtest.h>

#include <random>

namespace wgi::trace::rapidbin {
namespace {

std::vector<uint8_t> be64(uint64_t v) {
  std::vector<uint8_t> out(8);
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
  return out;
}

TEST(RapidBin, EventWordsByHand) {
  // fork(T1) by T0 at location 5: 4 << 10 = 0x1000, 1 << 14 = 0x4000, 5 << 48.
  EXPECT_EQ(*encode_event({0, Op::Fork, 1, 5}), 0x0005000000005000ull);
  // request(L0) by T1 at 7: 1 | 8 << 10 = 0x2001.
  EXPECT_EQ(*encode_event({1, Op::Request, 0, 7}), 0x0007000000002001ull);
  // write(V 2^33 + 1) by T2: (2^33 + 1) << 14 = 2^47 + 2^14, 3 << 10 = 0xC00.
  EXPECT_EQ(*encode_event({2, Op::Write, (1ull << 33) + 1, 0}), 0x0000800000004C02ull);
  // Every field at its maximum: the sign bit stays clear.
  EXPECT_EQ(*encode_event({1023, Op::Request, (1ull << 34) - 1, 32767}), 0x7FFFFFFFFFFFE3FFull);
  EXPECT_EQ(*encode_event({0, Op::Acquire, 0, 0}), 0u);
}

TEST(RapidBin, WholeFileByHand) {
  const std::vector<Event> events = {
      {0, Op::Fork, 1, 5},     {1, Op::Request, 0, 7}, {1, Op::Acquire, 0, 7}, {1, Op::Write, 0, 9},
      {1, Op::Read, 1, 10},    {1, Op::Release, 0, 8}, {0, Op::Join, 1, 6},
  };
  const std::vector<uint8_t> expected = {
      0x00, 0x02,                                      // 2 threads
      0x00, 0x00, 0x00, 0x01,                          // 1 lock
      0x00, 0x00, 0x00, 0x02,                          // 2 variables
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,  // 7 events
      0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00,  // T0 fork(T1) @5
      0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x20, 0x01,  // T1 req(L0) @7
      0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  // T1 acq(L0) @7
      0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x01,  // T1 w(V0) @9
      0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x48, 0x01,  // T1 r(V1) @10
      0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01,  // T1 rel(L0) @8
      0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x54, 0x00,  // T0 join(T1) @6
  };
  auto bytes = encode(events);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  EXPECT_EQ(*bytes, expected);
  auto parsed = parse(expected);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->header, (Header{2, 1, 2, 7}));
  EXPECT_EQ(parsed->events, events);
}

TEST(RapidBin, EmptyTrace) {
  auto bytes = encode({});
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, std::vector<uint8_t>(kHeaderBytes, 0));
  auto parsed = parse(*bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->events.empty());
}

TEST(RapidBin, RoundTripOfRandomTraces) {
  std::mt19937_64 rng(12345);
  const Op ops[] = {Op::Acquire, Op::Release, Op::Read, Op::Write, Op::Fork, Op::Join, Op::Request};
  for (int round = 0; round < 50; ++round) {
    const uint32_t threads = 1 + rng() % 1024, locks = 1 + rng() % 50, vars = 1 + rng() % 5000;
    std::vector<Event> events;
    // Every id used once first (the header counts must match the ids used)...
    for (uint32_t t = 0; t < threads; ++t) events.push_back({t, Op::Read, 0, static_cast<uint32_t>(rng() % 32768)});
    for (uint32_t l = 0; l < locks; ++l) events.push_back({0, Op::Acquire, l, 0});
    for (uint32_t v = 0; v < vars; ++v) events.push_back({0, Op::Write, v, 0});
    // ...then random ones.
    for (int i = 0; i < 2000; ++i) {
      const Op op = ops[rng() % 7];
      const uint64_t bound = decor_kind(op) == DecorKind::Lock ? locks
                             : decor_kind(op) == DecorKind::Thread ? threads
                                                                   : vars;
      events.push_back({static_cast<uint32_t>(rng() % threads), op, rng() % bound,
                        static_cast<uint32_t>(rng() % 32768)});
    }
    std::shuffle(events.begin(), events.end(), rng);
    auto bytes = encode(events);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto parsed = parse(*bytes);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->header, (Header{threads, locks, vars, static_cast<int64_t>(events.size())}));
    EXPECT_EQ(parsed->events, events);
  }
}

TEST(RapidBin, FieldsThatDoNotFitAreErrors) {
  auto thread = encode_event({1024, Op::Read, 0, 0});
  ASSERT_FALSE(thread.ok());
  EXPECT_NE(thread.error().message.find("1024 threads"), std::string::npos) << thread.error().message;
  auto decor = encode_event({0, Op::Read, 1ull << 34, 0});
  ASSERT_FALSE(decor.ok());
  EXPECT_NE(decor.error().message.find("variable id 17179869184"), std::string::npos) << decor.error().message;
  auto lock = encode_event({0, Op::Acquire, 1ull << 34, 0});
  ASSERT_FALSE(lock.ok());
  EXPECT_NE(lock.error().message.find("lock id"), std::string::npos);
  auto location = encode_event({0, Op::Read, 0, 32768});
  ASSERT_FALSE(location.ok());
  EXPECT_NE(location.error().message.find("32768 locations"), std::string::npos) << location.error().message;
  auto op = encode_event({0, static_cast<Op>(6), 0, 0});
  ASSERT_FALSE(op.ok());
  // A whole file fails the same way, never truncating.
  EXPECT_FALSE(encode(std::vector<Event>{{0, Op::Read, 0, 0}, {1024, Op::Read, 0, 0}}).ok());
}

TEST(RapidBin, HeaderCountsThatDoNotFitAreErrors) {
  uint8_t out[kHeaderBytes];
  EXPECT_TRUE(encode_header({1024, INT32_MAX, INT32_MAX, INT64_MAX}, out).ok());
  auto threads = encode_header({1025, 0, 0, 0}, out);
  ASSERT_FALSE(threads.ok());
  EXPECT_NE(threads.error().message.find("1025 threads"), std::string::npos) << threads.error().message;
  auto locks = encode_header({1, int64_t{INT32_MAX} + 1, 0, 0}, out);
  ASSERT_FALSE(locks.ok());
  EXPECT_NE(locks.error().message.find("locks"), std::string::npos);
  auto vars = encode_header({1, 0, int64_t{1} << 34, 0}, out);
  ASSERT_FALSE(vars.ok());
  EXPECT_NE(vars.error().message.find("variables"), std::string::npos);
}

// A valid file to break: T0 fork(T1), T1 acq(L0), T1 w(V0), T0 join(T1).
std::vector<uint8_t> sample() {
  return *encode(std::vector<Event>{{0, Op::Fork, 1, 0}, {1, Op::Acquire, 0, 1}, {1, Op::Write, 0, 2},
                                    {0, Op::Join, 1, 3}});
}

void expect_malformed(const std::vector<uint8_t>& bytes, uint64_t offset, const std::string& text) {
  auto r = validate(bytes);
  ASSERT_FALSE(r.ok()) << "accepted; expected: " << text;
  EXPECT_EQ(r.error().code, ErrorCode::Malformed);
  EXPECT_EQ(r.error().offset, offset) << r.error().message;
  EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().message;
}

TEST(RapidBin, ReaderRejectsInconsistentFiles) {
  ASSERT_TRUE(validate(sample()).ok());
  expect_malformed({}, 0, "too short for a RapidBin header");
  expect_malformed(std::vector<uint8_t>(10), 0, "too short");

  auto b = sample();
  b.pop_back();
  expect_malformed(b, 10, "the header says 4 events (50 bytes) but the file has 49 bytes");
  b = sample();
  b.insert(b.end(), 8, 0);
  expect_malformed(b, 10, "but the file has 58 bytes");

  b = sample();
  b[kHeaderBytes + 8] |= 0x80;  // event 1's sign bit
  expect_malformed(b, kHeaderBytes + 8, "event 1: sign bit set");

  b = sample();
  b[kHeaderBytes + 8 * 2 + 6] = (b[kHeaderBytes + 8 * 2 + 6] & ~0x3C) | (6 << 2);  // event 2: op 6
  expect_malformed(b, kHeaderBytes + 16, "event 2: unknown operation code 6");

  b = sample();
  b[kHeaderBytes + 8 * 1 + 7] = 2;  // event 1 by thread 2 of 2
  expect_malformed(b, kHeaderBytes + 8, "event 1: thread id 2 but the header says 2 threads");

  b = sample();
  b[kHeaderBytes + 8 * 2 + 6] |= 0x40;  // event 2 writes variable 1 of 1
  expect_malformed(b, kHeaderBytes + 16, "event 2: variable id 1 but the header says 1 variables");

  b = sample();
  b[1] = 3;  // 3 threads, 2 used
  expect_malformed(b, 0, "the header says 3 threads but the events use 2 distinct ids");
  b = sample();
  b[5] = 2;  // 2 locks, 1 used
  expect_malformed(b, 2, "the header says 2 locks but the events use 1 distinct ids");
  b = sample();
  b[5] = 9;  // more locks than events: rejected before looking at events
  expect_malformed(b, 2, "the header says 9 locks but the trace has only 4 events");

  b = sample();
  b[0] = 0x80;  // negative thread count
  expect_malformed(b, 0, "negative thread count");
  b = sample();
  b[10] = 0xFF;  // negative event count
  expect_malformed(b, 10, "negative event count");
}

TEST(RapidBin, CountIdsTakesForkAndJoinTargets) {
  EXPECT_EQ(count_ids(std::vector<Event>{{0, Op::Fork, 4, 0}}), (Header{5, 0, 0, 1}));
  EXPECT_EQ(count_ids(std::vector<Event>{{2, Op::Read, 7, 0}, {0, Op::Release, 3, 0}}), (Header{3, 4, 8, 2}));
}

TEST(RapidBin, OperationNames) {
  EXPECT_STREQ(std_name(Op::Acquire), "acq");
  EXPECT_STREQ(std_name(Op::Release), "rel");
  EXPECT_STREQ(std_name(Op::Read), "r");
  EXPECT_STREQ(std_name(Op::Write), "w");
  EXPECT_STREQ(std_name(Op::Fork), "fork");
  EXPECT_STREQ(std_name(Op::Join), "join");
  EXPECT_STREQ(std_name(Op::Request), "req");
  for (unsigned c = 0; c < 16; ++c) EXPECT_EQ(valid_op(c), c <= 5 || c == 8) << c;
}

TEST(RapidBin, DecodeIsTheInverseOfEncode) {
  const Event e{517, Op::Join, 1000, 31000};
  EXPECT_EQ(decode_event(*encode_event(e)), e);
  const auto bytes = be64(*encode_event(e));
  EXPECT_EQ(bytes[0], 0x79);  // 31000 << 48 = 0x7918 << 48
  EXPECT_EQ(bytes[1], 0x18);
}

}  // namespace
}  // namespace wgi::trace::rapidbin
