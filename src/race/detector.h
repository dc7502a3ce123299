// The race detector: online happens-before data-race detection over the
// events a program compiled for recording emits (interp/event_log.h).
//
// Each Wasm thread gets a RaceThread, the EventLog its handlers push into.
// It keeps no buffer, so every event reaches it at once (EventLog::take),
// on the thread that made it: accesses are checked against the shadow
// (shadow.h), synchronisations move vector clocks (clock.h). When tracing
// too, the RaceThread passes every event on to the recorder's log.
//
// Synchronisation, as the threads proposal defines it (the atomics are
// sequentially consistent):
//   AtomicLoad        acquires the address's clock (what earlier atomics on
//                     the address released), then is checked as an atomic read
//   AtomicStore       is checked as an atomic write, then releases into the
//                     address's clock
//   AtomicRmw         acquires, is checked as an atomic write, releases
//   AtomicSync        acquires and releases: notify (before it wakes), a
//                     woken wait, the release half of a failed cmpxchg
//   Acquire/Release   the lock hooks finish_lock / start_unlock, on the
//                     lock's address (the same clock as its atomics)
//   Fork              the child starts with the parent's clock
//   Join              the parent takes the child's final clock
// A release joins the thread's clock into the address's (so a load follows
// every earlier atomic on the address, not only the latest) and starts a
// new epoch for the thread's next access.
//
// Reports: one per distinct pair of code locations (sites), counted each
// time; the first `print_limit` are printed on stderr as they are found,
// with the racing thread's backtrace (EventLog::backtrace_ready).
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "interp/code.h"
#include "interp/event_log.h"
#include "race/clock.h"
#include "race/shadow.h"

namespace wgi::race {

// One frame of a report: a function and an absolute byte offset in the
// module.
struct Frame {
  uint32_t func = 0;
  uint32_t offset = 0;
};

// One side of a race.
struct RaceAccess {
  uint32_t thread = 0;          // wgi thread id
  bool write = false;
  bool atomic = false;
  std::optional<uint64_t> addr;  // unknown for the previous access
  std::optional<uint64_t> size;  // its width (the previous one: from its instruction)
  Frame where;                   // the instruction
  std::vector<Frame> backtrace;  // innermost first; the current access only
};

struct RaceReport {
  uint64_t addr = 0;  // the bytes both accesses touch
  uint64_t size = 0;
  std::string variable;  // Sites::variable_at(addr), or empty
  RaceAccess access;
  RaceAccess previous;
  uint64_t count = 1;  // times this pair of locations raced
};

// What the events' sites stand for: the code locations reports print.
// Online they come from the compiled module (sites_of_module); offline,
// from a trace's metadata.
struct Sites {
  struct Site {
    uint32_t func = UINT32_MAX;  // UINT32_MAX: no function (the runtime)
    uint32_t offset = 0;         // absolute byte offset in the module
    uint32_t bytes = 0;          // the access width, 0 when not fixed
  };
  std::vector<Site> sites;                               // by site index
  std::unordered_map<uint32_t, std::string> func_names;  // name section, else export name
  // Data symbols by address: the module's exported immutable i32 globals
  // (wasm-ld's --export=SYM or --export-dynamic gives a variable's address
  // so), linker-internal "__" names left out.
  std::vector<std::pair<uint64_t, std::string>> data_symbols;
  // "sym" or "sym+off" for the nearest symbol at or below addr, when addr
  // is within 4 KiB of it and before the next one; else empty. A variable
  // that is not exported is named after the exported one before it.
  std::string variable_at(uint64_t addr) const;
  // Offline without metadata: a site is only a trace location, whose id
  // `func` holds; reports print "location N" and no offset.
  bool locations_only = false;
};
Sites sites_of_module(const interp::CompiledModule& cm);

struct DetectorOptions {
  uint64_t memory_bytes = 0;  // the shared memory's maximum size
  uint64_t print_limit = 20;  // reports printed on `out`
  std::FILE* out = stderr;
  // When tracing too: the recorder, whose logs receive every event.
  interp::EventLogSource* inner = nullptr;
};

class RaceThread;

class Detector final : public interp::EventLogSource {
 public:
  Detector(Sites sites, const DetectorOptions& options);
  ~Detector();

  interp::EventLog* add_thread(uint32_t tid) override;

  // After every thread has ended: prints what is still pending, and the
  // summary line when races were found or checking stopped.
  void finish();

  uint64_t races_total() const;
  std::vector<RaceReport> reports() const;
  // Why checking stopped early, or empty.
  std::string stopped_reason() const;
  // What checking holds in memory (--race-stats).
  struct Stats {
    Shadow::Usage shadow;
    uint64_t threads = 0;
    uint64_t slots = 0;
    uint64_t sync_objects = 0;  // addresses with a clock (atomics, locks)
    uint64_t clock_bytes = 0;   // their clocks, the threads' and the ended ones'
  };
  Stats stats() const;
  // The report file's race keys, `"races": [...], ...` without the braces
  // around them (the deadlock checker adds its own keys to the same file).
  std::string json_races() const;

 private:
  friend class RaceThread;
  // The clock of one synchronisation address, behind a spin lock held for
  // one vector-clock join. Never freed while the detector lives, so each
  // thread keeps pointers to the ones it used (RaceThread::sync_var): the
  // shard's map and mutex are only for the first use.
  struct SyncVar {
    std::atomic<bool> locked{false};
    VectorClock vc;
    void lock();
    void unlock() { locked.store(false, std::memory_order_release); }
  };
  struct SyncShard {
    std::mutex mu;
    std::unordered_map<uint64_t, std::unique_ptr<SyncVar>> vars;
  };
  static constexpr size_t kShards = 64;
  SyncShard& shard(uint64_t addr) { return sync_[(addr >> 2) % kShards]; }
  SyncVar& sync_var(uint64_t addr);
  void acquire(RaceThread& t, uint64_t addr);
  void release(RaceThread& t, uint64_t addr);

  // Slots (clock.h): a fresh one, or one whose last owner's end the
  // claimant already follows (vc). nullopt when all are taken.
  std::optional<uint32_t> claim_slot(const VectorClock& vc, uint32_t tid, uint32_t* first_clock);
  void free_slot(uint32_t slot, uint32_t last_clock);
  uint32_t owner(uint32_t slot, uint32_t clock) const;
  void stop_checking(const std::string& why);

  // A race found by thread t; true when it is a new pair (t then asks for
  // its backtrace).
  bool found(RaceThread& t, const Access& a, const Conflict& c);
  void print(const RaceReport& r) const;
  Frame frame_of_site(uint32_t site) const;
  std::string func_label(uint32_t func) const;
  const std::string* func_name(uint32_t func) const;

  Sites sites_;
  DetectorOptions opt_;
  Shadow shadow_;
  SyncShard sync_[kShards];
  // The stripe locks of atomic instructions (EventLog::stripe) when not
  // tracing: an atomic's memory operation and its clock operation happen
  // together, so a load that sees a store also sees its release.
  static constexpr size_t kStripes = 1024;
  std::mutex stripes_[kStripes];

  mutable std::mutex mu_;  // everything below
  std::deque<std::unique_ptr<RaceThread>> threads_;
  std::unordered_map<uint32_t, RaceThread*> by_tid_;
  struct SlotState {
    bool busy = false;
    uint32_t last_clock = 0;                              // of its last owner
    std::vector<std::pair<uint32_t, uint32_t>> owners;    // (first clock, tid)
  };
  std::vector<SlotState> slots_;
  // The final clocks of ended threads, until they are both joined and
  // their blocks freed (a thread never joined keeps its entry).
  struct Ended {
    VectorClock vc;
    bool joined = false;
    bool reaped = false;
  };
  std::unordered_map<uint32_t, Ended> end_clocks_;
  std::map<std::pair<uint32_t, uint32_t>, size_t> report_index_;  // (site, site) -> reports_
  std::vector<RaceReport> reports_;
  uint64_t total_ = 0;
  mutable uint64_t printed_ = 0;  // print() counts under mu_
  std::string stopped_;
  std::atomic<bool> checking_{true};
};

}  // namespace wgi::race
