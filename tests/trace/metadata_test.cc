// Id assignment, trace.json and the writer (src/trace/metadata.h,
// writer.h) on recorders filled by hand.
#include "trace/metadata.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "json.h"
#include "trace/rapidbin.h"
#include "trace/writer.h"

namespace wgi::trace {
namespace {

using rapidbin::Op;

Event ev(EventOp op, uint64_t value, uint32_t size, uint32_t site) {
  Event e;
  e.value = value;
  e.site = site;
  e.size_op = size | (uint32_t(op) << 28);
  return e;
}

TEST(IdAssigner, NumbersInFirstSeenOrder) {
  // Sites: (function, instruction); sites 2 and 3 name the same instruction.
  const std::vector<std::pair<uint32_t, uint32_t>> sites = {{5, 10}, {5, 11}, {6, 0}, {6, 0}};
  IdAssigner ids(sites);
  auto add = [&](uint32_t tid, Event e) {
    auto r = ids.add(tid, e);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  };
  EXPECT_EQ(add(7, ev(EventOp::Write, 0x100, 4, 1)), (rapidbin::Event{0, Op::Write, 0, 0}));
  EXPECT_EQ(add(7, ev(EventOp::Read, 0x100, 8, 0)), (rapidbin::Event{0, Op::Read, 1, 1}));  // other size
  EXPECT_EQ(add(7, ev(EventOp::Read, 0x100, 4, 0)), (rapidbin::Event{0, Op::Read, 0, 1}));
  EXPECT_EQ(add(7, ev(EventOp::Fork, 9, 0, 2)), (rapidbin::Event{0, Op::Fork, 1, 2}));  // T9 -> 1
  EXPECT_EQ(add(9, ev(EventOp::Request, 0x40, 0, 3)), (rapidbin::Event{1, Op::Request, 0, 2}));
  EXPECT_EQ(add(9, ev(EventOp::Acquire, 0x40, 0, 3)), (rapidbin::Event{1, Op::Acquire, 0, 2}));
  EXPECT_EQ(add(9, ev(EventOp::Acquire, 0x80, 0, kNoSite)), (rapidbin::Event{1, Op::Acquire, 1, 3}));
  EXPECT_EQ(add(7, ev(EventOp::Join, 9, 0, 2)), (rapidbin::Event{0, Op::Join, 1, 2}));
  const TraceMetadata& md = ids.metadata();
  EXPECT_EQ(md.threads, (std::vector<uint32_t>{7, 9}));
  EXPECT_EQ(md.locks, (std::vector<TraceMetadata::Lock>{{0x40, LockKind::Lock}, {0x80, LockKind::Lock}}));
  ASSERT_EQ(md.variables.size(), 2u);
  EXPECT_EQ(md.variables[0].address, 0x100u);
  EXPECT_EQ(md.variables[0].size, 4u);
  EXPECT_EQ(md.variables[0].accesses, 2u);
  EXPECT_EQ(md.variables[1].size, 8u);
  ASSERT_EQ(md.locations.size(), 4u);
  EXPECT_EQ(md.locations[0].function, 5u);
  EXPECT_EQ(md.locations[0].instruction, 11u);
  EXPECT_EQ(md.locations[2].function, 6u);
  EXPECT_EQ(md.locations[3].function, kNoFunction);
}

TEST(IdAssigner, AtomicsBecomeSectionsOfTheirAddresssLock) {
  const std::vector<std::pair<uint32_t, uint32_t>> sites = {{2, 7}, {2, 8}};
  const std::vector<interp::CompiledModule::SiteInfo> info = {{0x51, 4}, {0x57, 0}};
  IdAssigner ids(sites, info);
  rapidbin::Event out[IdAssigner::kMaxExpansion];
  auto expand = [&](uint32_t tid, Event e) {
    auto r = ids.expand(tid, e, out);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return std::vector<rapidbin::Event>(out, out + (r.ok() ? *r : 0));
  };
  // A lock hook's lock at 0x40, then atomics on the same word: lock 1, not 0.
  EXPECT_EQ(expand(0, ev(EventOp::Acquire, 0x40, 0, 1)), (std::vector<rapidbin::Event>{{0, Op::Acquire, 0, 0}}));
  EXPECT_EQ(expand(0, ev(EventOp::AtomicLoad, 0x40, 4, 0)),
            (std::vector<rapidbin::Event>{{0, Op::Acquire, 1, 1}, {0, Op::Read, 0, 1}, {0, Op::Release, 1, 1}}));
  EXPECT_EQ(expand(0, ev(EventOp::AtomicStore, 0x40, 4, 0)),
            (std::vector<rapidbin::Event>{{0, Op::Acquire, 1, 1}, {0, Op::Write, 0, 1}, {0, Op::Release, 1, 1}}));
  EXPECT_EQ(expand(1, ev(EventOp::AtomicRmw, 0x40, 4, 0)),
            (std::vector<rapidbin::Event>{
                {1, Op::Acquire, 1, 1}, {1, Op::Read, 0, 1}, {1, Op::Write, 0, 1}, {1, Op::Release, 1, 1}}));
  EXPECT_EQ(expand(1, ev(EventOp::AtomicSync, 0x40, 0, 0)),
            (std::vector<rapidbin::Event>{{1, Op::Acquire, 1, 1}, {1, Op::Release, 1, 1}}));
  // Another address, another lock; an 8-byte atomic on it, another variable.
  EXPECT_EQ(expand(1, ev(EventOp::AtomicRmw, 0x48, 8, 0)),
            (std::vector<rapidbin::Event>{
                {1, Op::Acquire, 2, 1}, {1, Op::Read, 1, 1}, {1, Op::Write, 1, 1}, {1, Op::Release, 2, 1}}));
  // Markers are no events.
  EXPECT_TRUE(expand(0, ev(EventOp::Seq, 5, 0, kNoSite)).empty());
  const TraceMetadata& md = ids.metadata();
  EXPECT_EQ(md.locks, (std::vector<TraceMetadata::Lock>{
                          {0x40, LockKind::Lock}, {0x40, LockKind::Atomic}, {0x48, LockKind::Atomic}}));
  ASSERT_EQ(md.variables.size(), 2u);
  EXPECT_EQ(md.variables[0].accesses, 4u);  // load, store, read and write of the RMW
  EXPECT_TRUE(md.variables[0].shared);
  // Locations carry the instruction's offset and width.
  ASSERT_EQ(md.locations.size(), 2u);
  EXPECT_EQ(md.locations[0].offset, 0x57u);
  EXPECT_EQ(md.locations[0].width, 0u);
  EXPECT_EQ(md.locations[1].offset, 0x51u);
  EXPECT_EQ(md.locations[1].width, 4u);
  // add() is for events that stay one event.
  EXPECT_FALSE(ids.add(0, ev(EventOp::AtomicLoad, 0x40, 4, 0)).ok());
}

TEST(IdAssigner, TracksWhichThreadsTouchAVariable) {
  IdAssigner ids({});
  ASSERT_TRUE(ids.add(0, ev(EventOp::Write, 8, 4, kNoSite)).ok());
  ASSERT_TRUE(ids.add(0, ev(EventOp::Write, 16, 4, kNoSite)).ok());
  ASSERT_TRUE(ids.add(1, ev(EventOp::Read, 8, 4, kNoSite)).ok());
  EXPECT_TRUE(ids.metadata().variables[0].shared);
  EXPECT_FALSE(ids.metadata().variables[1].shared);
  EXPECT_EQ(ids.metadata().variables[0].first_thread, 0u);
}

TEST(IdAssigner, ManyVariablesKeepTheirIds) {
  IdAssigner ids({});
  // Sweeps, strides and mixed sizes: the table grows many times.
  std::vector<std::pair<uint64_t, uint32_t>> keys;
  for (uint64_t a = 0; a < 60000; a += 4) keys.push_back({a, 4});
  for (uint64_t a = 0; a < 60000; a += 8) keys.push_back({a, 8});
  for (uint64_t a = 0; a < 1u << 30; a += 1u << 16) keys.push_back({a, 1});
  for (uint32_t s = 1; s < 3000; ++s)
    if (s != 4 && s != 8) keys.push_back({4096, s});  // (4096, 4) and (4096, 8) are above
  for (size_t i = 0; i < keys.size(); ++i) {
    auto r = ids.add(0, ev(EventOp::Read, keys[i].first, keys[i].second, kNoSite));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->decor, i);
  }
  for (size_t i = 0; i < keys.size(); i += 7) {
    auto r = ids.add(0, ev(EventOp::Write, keys[i].first, keys[i].second, kNoSite));
    ASSERT_EQ(r->decor, i);
  }
  EXPECT_EQ(ids.metadata().variables.size(), keys.size());
}

TEST(IdAssigner, MoreThan1024ThreadsIsAnError) {
  IdAssigner ids({});
  for (uint32_t t = 0; t < 1024; ++t) ASSERT_TRUE(ids.add(t, ev(EventOp::Read, 0, 4, kNoSite)).ok());
  auto r = ids.add(5000, ev(EventOp::Read, 0, 4, kNoSite));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 1024 threads"), std::string::npos) << r.error().message;
  // A fork target counts as a thread too.
  auto f = ids.add(0, ev(EventOp::Fork, 6000, 0, kNoSite));
  ASSERT_FALSE(f.ok());
}

TEST(IdAssigner, MoreThan32768LocationsIsAnError) {
  std::vector<std::pair<uint32_t, uint32_t>> sites;
  for (uint32_t i = 0; i <= 32768; ++i) sites.push_back({1, i});
  IdAssigner ids(sites);
  for (uint32_t i = 0; i < 32768; ++i) ASSERT_TRUE(ids.add(0, ev(EventOp::Read, 0, 4, i)).ok());
  auto r = ids.add(0, ev(EventOp::Read, 0, 4, 32768));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 32768 locations"), std::string::npos) << r.error().message;
  EXPECT_TRUE(ids.add(0, ev(EventOp::Read, 0, 4, 17)).ok());  // known ones still work
}

TEST(Metadata, JsonQuote) {
  EXPECT_EQ(json_quote("plain"), "\"plain\"");
  EXPECT_EQ(json_quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(json_quote("\xc3\xa9"), "\"\xc3\xa9\"");
}

class TraceDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wgi-trace-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST_F(TraceDir, WriterProducesMatchingFiles) {
  Recorder r(1'000'000);
  ThreadTrace* t0 = r.add_thread(0);
  t0->push(EventOp::Write, 0x200, 4, 0);
  t0->push(EventOp::Fork, 1, 0, 1);
  t0->mark();
  ThreadTrace* t1 = r.add_thread(1);
  t1->push(EventOp::Acquire, 0x300, 0, 2);
  t1->mark();
  t1->push(EventOp::Read, 0x200, 2, 2);  // overlaps T0's 4-byte write
  t1->push(EventOp::Release, 0x300, 0, 2);
  t1->mark();
  t1->push(EventOp::AtomicRmw, 0x300, 4, 3);  // on the lock's own word
  t1->mark();
  t1->mark_end();
  t0->push(EventOp::Join, 1, 0, 1);
  t0->mark();
  t0->mark_end();
  const std::vector<std::pair<uint32_t, uint32_t>> sites = {{3, 4}, {3, 9}, {4, 2}, {4, 5}};
  const std::vector<interp::CompiledModule::SiteInfo> site_info = {{0x30, 4}, {0x38, 0}, {0x40, 0}, {0x48, 4}};
  MetadataInfo info;
  info.module = "dir/m \"x\".wasm";
  const std::string name = "worker";
  info.function_name = [&](uint32_t f) { return f == 4 ? &name : nullptr; };
  info.site_info = site_info;
  auto w = write_trace(r, sites, info, dir_.string());
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->header, (rapidbin::Header{2, 2, 3, 10}));
  EXPECT_EQ(w->locations, 4u);
  EXPECT_EQ(w->overlaps.overlapping, 2u);

  const std::string bin = slurp(dir_ / "trace.bin");
  auto parsed = rapidbin::parse(std::span(reinterpret_cast<const uint8_t*>(bin.data()), bin.size()));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const std::vector<rapidbin::Event> want = {
      {0, Op::Write, 0, 0},   {0, Op::Fork, 1, 1},    {1, Op::Acquire, 0, 2},
      {1, Op::Read, 1, 2},    {1, Op::Release, 0, 2}, {1, Op::Acquire, 1, 3},
      {1, Op::Read, 2, 3},    {1, Op::Write, 2, 3},   {1, Op::Release, 1, 3},
      {0, Op::Join, 1, 1},
  };
  EXPECT_EQ(parsed->events, want);

  spec::JsonError err;
  auto json = spec::parse_json(slurp(dir_ / "trace.json"), &err);
  ASSERT_TRUE(json) << err.message << " at " << err.offset;
  EXPECT_EQ(json->find("version")->as_int(), 2);
  EXPECT_EQ(json->find("module")->text(), "dir/m \"x\".wasm");
  EXPECT_EQ(json->find("events")->as_int(), 10);
  EXPECT_FALSE(json->find("truncated")->as_bool());
  const auto& vars = json->find("variables")->items();
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[1].find("address")->as_int(), 0x200);
  EXPECT_EQ(vars[1].find("size")->as_int(), 2);
  const auto& locks = json->find("locks")->items();
  ASSERT_EQ(locks.size(), 2u);
  EXPECT_EQ(locks[0].find("address")->as_int(), 0x300);
  EXPECT_EQ(locks[0].find("kind")->text(), "lock");
  EXPECT_EQ(locks[1].find("address")->as_int(), 0x300);
  EXPECT_EQ(locks[1].find("kind")->text(), "atomic");
  const auto& locs = json->find("locations")->items();
  ASSERT_EQ(locs.size(), 4u);
  EXPECT_EQ(locs[1].find("instruction")->as_int(), 9);
  EXPECT_EQ(locs[1].find("offset")->as_int(), 0x38);
  EXPECT_EQ(locs[1].find("width")->as_int(), 0);
  EXPECT_TRUE(locs[1].find("name")->is_null());
  EXPECT_EQ(locs[2].find("name")->text(), "worker");
  EXPECT_EQ(locs[3].find("offset")->as_int(), 0x48);
  EXPECT_EQ(locs[3].find("width")->as_int(), 4);
  EXPECT_EQ(json->find("threads")->items()[1].find("wgi_thread")->as_int(), 1);
  EXPECT_EQ(json->find("overlaps")->find("variables")->as_int(), 2);

  // Read back by trace::read_metadata_json, as `wgi trace races` does.
  auto back = read_metadata_json(slurp(dir_ / "trace.json"));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->version, kMetadataVersion);
  EXPECT_TRUE(back->has_lock_kinds);
  EXPECT_EQ(back->events, std::optional<uint64_t>(10));
  EXPECT_EQ(back->module, "dir/m \"x\".wasm");
  EXPECT_EQ(back->md.threads, w->metadata.threads);
  EXPECT_EQ(back->md.locks, w->metadata.locks);
  ASSERT_EQ(back->md.variables.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(back->md.variables[i].address, w->metadata.variables[i].address);
    EXPECT_EQ(back->md.variables[i].size, w->metadata.variables[i].size);
  }
  ASSERT_EQ(back->md.locations.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(back->md.locations[i].function, w->metadata.locations[i].function);
    EXPECT_EQ(back->md.locations[i].instruction, w->metadata.locations[i].instruction);
    EXPECT_EQ(back->md.locations[i].offset, w->metadata.locations[i].offset);
    EXPECT_EQ(back->md.locations[i].width, w->metadata.locations[i].width);
  }
  EXPECT_EQ(back->function_names, (std::unordered_map<uint32_t, std::string>{{4, "worker"}}));
}

TEST(MetadataReader, Version1AndOtherWritersTakeDefaults) {
  // Version 1 (no lock kinds, no offsets), a location outside any call
  // site, a thread without "wgi_thread", members this reader does not know.
  auto m = read_metadata_json(R"({"format": "wgi-trace-metadata", "version": 1, "extra": [1, {"a": null}],
    "threads": [{"id": 0, "wgi_thread": 0}, {"id": 1}],
    "locks": [{"id": 0, "address": 1032}],
    "variables": [{"id": 0, "address": 1040, "size": 4, "note": "xé"}],
    "locations": [{"id": 0, "function": 3, "name": "worker", "instruction": 17},
                  {"id": 1, "function": null, "name": null, "instruction": null}]})");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->version, 1u);
  EXPECT_FALSE(m->has_lock_kinds);
  EXPECT_FALSE(m->events.has_value());
  EXPECT_EQ(m->md.threads, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(m->md.locks, (std::vector<TraceMetadata::Lock>{{1032, LockKind::Lock}}));
  ASSERT_EQ(m->md.variables.size(), 1u);
  EXPECT_EQ(m->md.variables[0].size, 4u);
  ASSERT_EQ(m->md.locations.size(), 2u);
  EXPECT_EQ(m->md.locations[0].function, 3u);
  EXPECT_EQ(m->md.locations[0].offset, 0u);
  EXPECT_EQ(m->md.locations[1].function, kNoFunction);
  EXPECT_EQ(m->function_names.at(3), "worker");
}

TEST(MetadataReader, Errors) {
  auto error = [](std::string_view text) {
    auto m = read_metadata_json(text);
    EXPECT_FALSE(m.ok()) << text;
    return m.ok() ? std::string() : m.error().message + " @" + std::to_string(m.error().offset);
  };
  EXPECT_EQ(error(R"({"format": "wgi-trace-metadata", "locks": [{"id": 0, "kind": "mutex"}]})"),
            "unknown lock kind \"mutex\" @68");
  EXPECT_EQ(error(R"({"format": "wgi-trace-metadata", "threads": [{"id": 1}]})"),
            "id 1 out of order (expected 0) @53");
  EXPECT_EQ(error(R"({"format": "something else"})"),
            "not a trace metadata file (no \"format\": \"wgi-trace-metadata\") @0");
  EXPECT_EQ(error(R"({"format": "wgi-trace-metadata", "variables": [{"size": -4}]})"),
            "expected a non-negative integer @56");
  EXPECT_EQ(error(R"({"format": "wgi-trace-metadata",)"), "expected a string @32");
  EXPECT_EQ(error(R"({"format": "wgi-trace-metadata"} x)"), "unexpected text after the document @33");
  EXPECT_EQ(error(""), "expected an object @0");
}

// The names in dir.
std::set<std::string> listing(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

const std::set<std::string> kTraceFiles = {"trace.bin", "trace.json"};
const std::vector<std::pair<uint32_t, uint32_t>> kOneSite = {{0, 0}};

TEST_F(TraceDir, TooManyThreadsLeavesNoTrace) {
  // Fork targets count as threads: T0 forking 1100 threads is too many.
  Recorder r(1'000'000);
  ThreadTrace* t0 = r.add_thread(0);
  for (uint32_t t = 1; t <= 1100; ++t) t0->push(EventOp::Fork, t, 0, kNoSite);
  auto w = write_trace(r, {}, MetadataInfo{}, dir_.string());
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("1024 threads"), std::string::npos) << w.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "trace.bin"));
  EXPECT_EQ(listing(dir_), std::set<std::string>{}) << "a temporary file was left";
}

TEST_F(TraceDir, AWriteReplacesTheFilesWithoutTemporaries) {
  for (int run = 0; run < 2; ++run) {
    Recorder r(100);
    ThreadTrace* t = r.add_thread(0);
    for (int i = 0; i <= run; ++i) t->push(EventOp::Write, 0x100, 4, 0);
    t->mark_end();
    auto w = write_trace(r, kOneSite, MetadataInfo{}, dir_.string());
    ASSERT_TRUE(w.ok()) << w.error().message;
    EXPECT_EQ(w->header.events, run + 1);
    EXPECT_EQ(listing(dir_), kTraceFiles);
    EXPECT_EQ(trace_files(dir_.string()).bin, w->bin_path);
    EXPECT_NE(trace_files(dir_.string()).bin_tmp.find(".tmp"), std::string::npos);
  }
  EXPECT_EQ(slurp(dir_ / "trace.bin").size(), rapidbin::kHeaderBytes + 2 * 8);
}

TEST_F(TraceDir, AFailedWriteLeavesTheEarlierTrace) {
  Recorder good(100);
  good.add_thread(0)->push(EventOp::Write, 0x100, 4, 0);
  ASSERT_TRUE(write_trace(good, kOneSite, MetadataInfo{}, dir_.string()).ok());
  const std::string bin = slurp(dir_ / "trace.bin"), json = slurp(dir_ / "trace.json");
  Recorder bad(1'000'000);
  ThreadTrace* t0 = bad.add_thread(0);
  for (uint32_t t = 1; t <= 1100; ++t) t0->push(EventOp::Fork, t, 0, kNoSite);
  ASSERT_FALSE(write_trace(bad, {}, MetadataInfo{}, dir_.string()).ok());
  EXPECT_EQ(listing(dir_), kTraceFiles);
  EXPECT_EQ(slurp(dir_ / "trace.bin"), bin);
  EXPECT_EQ(slurp(dir_ / "trace.json"), json);
}

TEST_F(TraceDir, AnUnreplaceableTraceJsonIsAnError) {
  // trace.json is a directory with something in it: it cannot be replaced,
  // and nothing else is left behind.
  std::filesystem::create_directories(dir_ / "trace.json" / "x");
  Recorder r(100);
  r.add_thread(0)->push(EventOp::Write, 0x100, 4, 0);
  auto w = write_trace(r, kOneSite, MetadataInfo{}, dir_.string());
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().message.find("trace.json"), std::string::npos) << w.error().message;
  EXPECT_EQ(listing(dir_), std::set<std::string>{"trace.json"});
}

TEST_F(TraceDir, TheLimitCountsTheEventsRecorded) {
  // Rounds of an AtomicRmw, an AtomicSync, an AtomicLoad, a Write and an
  // Acquire: five events a round, ten rounds. Every limit gives the longest
  // prefix of them that fits; trace.bin spells each atomic as a lock section
  // (AtomicRmw: acq r w rel; AtomicSync: acq rel; AtomicLoad: acq r rel).
  const EventOp round[] = {EventOp::AtomicRmw, EventOp::AtomicSync, EventOp::AtomicLoad, EventOp::Write,
                           EventOp::Acquire};
  for (uint64_t limit = 1; limit <= 52; ++limit) {
    SCOPED_TRACE(::testing::Message() << "limit " << limit);
    Recorder r(limit);
    ThreadTrace* t = r.add_thread(0);
    uint64_t want = 0, want_file = 0;
    auto file_events = [](EventOp op) -> uint64_t {
      switch (op) {
        case EventOp::AtomicRmw: return 4;
        case EventOp::AtomicLoad:
        case EventOp::AtomicStore: return 3;
        case EventOp::AtomicSync: return 2;
        default: return 1;
      }
    };
    for (int i = 0; i < 10; ++i)
      for (EventOp op : round) {
        t->push(op, 0x40, 4, 0);
        if (op != EventOp::Write) t->mark();
        if (want < limit) {
          ++want;
          want_file += file_events(op);
        }
      }
    t->mark_end();
    std::filesystem::remove_all(dir_);
    auto w = write_trace(r, kOneSite, MetadataInfo{}, dir_.string());
    ASSERT_TRUE(w.ok()) << w.error().message;
    EXPECT_EQ(w->header.events, int64_t(want_file));
    EXPECT_EQ(r.kept_events(), want);
    EXPECT_EQ(w->truncated, limit < 50);
    const std::string bin = slurp(dir_ / "trace.bin");
    EXPECT_TRUE(rapidbin::validate(std::span(reinterpret_cast<const uint8_t*>(bin.data()), bin.size())).ok());
  }
}

TEST_F(TraceDir, UnwritableDirectoryIsAnError) {
  Recorder r(100);
  auto w = write_trace(r, {}, MetadataInfo{}, "/dev/null/trace");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::Io);
}

TEST_F(TraceDir, EmptyTraceIsValid) {
  Recorder r(100);
  r.add_thread(0)->mark_end();
  auto w = write_trace(r, {}, MetadataInfo{}, dir_.string());
  ASSERT_TRUE(w.ok()) << w.error().message;
  const std::string bin = slurp(dir_ / "trace.bin");
  EXPECT_EQ(bin.size(), rapidbin::kHeaderBytes);
  EXPECT_TRUE(rapidbin::validate(std::span(reinterpret_cast<const uint8_t*>(bin.data()), bin.size())).ok());
  spec::JsonError err;
  EXPECT_TRUE(spec::parse_json(slurp(dir_ / "trace.json"), &err)) << err.message;
}

}  // namespace
}  // namespace wgi::trace
