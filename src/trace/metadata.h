// What the ids of a RapidBin trace stand for, how they are assigned, and
// the JSON file that records them (trace.json beside trace.bin).
//
// Ids are dense and assigned in the order the merged trace first uses them:
//   thread     a wgi thread (threadlink's id: 0 is the main thread); fork
//              and join targets count as a use
//   lock       a distinct lock address (the argument of the lock hooks)
//   variable   a distinct (address, size) pair of a memory access; accesses
//              of different sizes to overlapping bytes are different
//              variables (overlap.h reports them)
//   location   a distinct (function index, instruction index) pair: the
//              instruction that accessed memory or called the host function
//              that recorded the event (a lock hook, thread_create,
//              thread_join). Instructions are counted from 0 within the
//              function's body, every instruction of the binary counting.
//
// trace.json (the metadata's layout, one object):
//   {
//     "format": "wgi-trace-metadata", "version": 1,
//     "trace": "trace.bin", "module": "app.wasm",
//     "events": 1234, "truncated": false, "event_limit": 50000000,
//     "threads":   [{"id": 0, "wgi_thread": 0}, ...],
//     "locks":     [{"id": 0, "address": 1032}, ...],
//     "variables": [{"id": 0, "address": 1040, "size": 4}, ...],
//     "locations": [{"id": 0, "function": 3, "name": "worker", "instruction": 17}, ...],
//     "overlaps":  {"variables": 2, "accesses": 10, "examples": [[4, 9], ...]}
//   }
// Each array is in id order. "name" is the function's name from the name
// section, or null; a location with "function": null stands for events
// recorded outside any call site. Addresses are byte offsets in linear
// memory, as decimal numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "trace/rapidbin.h"
#include "trace/recorder.h"
#include "util/json.h"
#include "util/result.h"

namespace wgi::trace {

inline constexpr uint32_t kNoFunction = UINT32_MAX;

struct TraceMetadata {
  struct Variable {
    uint64_t address = 0;
    uint32_t size = 0;
    uint32_t first_thread = 0;  // trace thread id of its first access
    bool shared = false;        // accessed by more than one thread
    uint64_t accesses = 0;      // reads and writes
  };
  struct Location {
    uint32_t function = kNoFunction;  // kNoFunction: no call site
    uint32_t instruction = 0;
  };
  std::vector<uint32_t> threads;  // by trace thread id: the wgi thread id
  std::vector<uint64_t> locks;    // by lock id: the address
  std::vector<Variable> variables;
  std::vector<Location> locations;
};

// Turns recorder events (in merged order) into RapidBin events, numbering
// threads, locks, variables and locations as they first appear. `sites` is
// the traced module's CompiledModule::trace_sites.
class IdAssigner {
 public:
  explicit IdAssigner(std::span<const std::pair<uint32_t, uint32_t>> sites);

  // The RapidBin event for e, recorded by wgi thread tid; an error when an
  // id does not fit the format (more than 1024 threads, 32768 locations,
  // 2^31 locks or variables: rapidbin.h). Seq/End markers are not events.
  Result<rapidbin::Event> add(uint32_t tid, const Event& e);

  // The tables so far (not const: brings the variables' counts up to date).
  const TraceMetadata& metadata();
  TraceMetadata release() {
    metadata();
    return std::move(md_);
  }

 private:
  Result<uint32_t> thread_id(uint32_t tid);
  Result<uint32_t> location_id(uint32_t site);

  // (address, size) -> id and the variable's access counts, open
  // addressing: the lookup of every read and write of the trace, so it
  // avoids std::unordered_map's node chasing, and it keeps the counts in the
  // slot it has just touched rather than in md_.variables, whose entry for a
  // random id is a cache miss on big traces. metadata() copies them over.
  class VariableTable {
   public:
    struct Slot {
      uint64_t address = 0;
      uint32_t size = kEmpty;
      uint32_t id = 0;
      // 24 bytes a slot: big traces have millions of variables.
      uint64_t accesses : 52 = 0;
      uint64_t first_thread : 11 = 0;  // a trace thread id, below 1024
      uint64_t shared : 1 = 0;
    };
    static_assert(sizeof(Slot) == 24, "a slot per variable: keep it small");
    VariableTable() : slots_(1024) {}
    // The slot of (address, size); a new one gets id next_id and *fresh is
    // set. Valid until the next call.
    Slot& find_or_insert(uint64_t address, uint32_t size, uint32_t next_id, bool* fresh);
    // Writes each variable's counts into vars[id].
    void copy_counts(std::vector<TraceMetadata::Variable>& vars) const;

   private:
    static constexpr uint32_t kEmpty = UINT32_MAX;  // access sizes stay below 2^28
    size_t home(uint64_t address, uint32_t size) const;
    void grow();
    std::vector<Slot> slots_;  // size a power of two, at most half full
    size_t used_ = 0;
  };

  std::span<const std::pair<uint32_t, uint32_t>> sites_;
  TraceMetadata md_;
  std::vector<uint32_t> thread_ids_;    // by wgi thread id; UINT32_MAX: none yet
  std::vector<uint32_t> site_locations_;  // by site; UINT32_MAX: none yet
  std::unordered_map<uint64_t, uint32_t> location_ids_;  // (function << 32 | instruction)
  std::unordered_map<uint64_t, uint32_t> lock_ids_;
  VariableTable variable_ids_;
};

struct OverlapReport;

// What trace.json says besides the id tables.
struct MetadataInfo {
  std::string trace_file = "trace.bin";  // as named in the JSON (no directory)
  std::string module;                    // the module's path
  uint64_t events = 0;
  bool truncated = false;
  uint64_t event_limit = 0;
  // A function's name from the name section, or null.
  std::function<const std::string*(uint32_t func_index)> function_name;
};

// Writes trace.json (the layout above) to path.
Result<void> write_metadata_json(const std::string& path, const TraceMetadata& md, const MetadataInfo& info,
                                 const OverlapReport& overlaps);

using wgi::json_quote;  // util/json.h

}  // namespace wgi::trace
