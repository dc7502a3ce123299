// What the ids of a RapidBin trace stand for, how they are assigned, and
// the JSON file that records them (trace.json beside trace.bin).
//
// Ids are dense and assigned in the order the merged trace first uses them:
//   thread     a wgi thread (threadlink's id: 0 is the main thread); fork
//              and join targets count as a use
//   lock       a distinct (address, kind) pair. Kind "lock": the argument
//              of the lock hooks. Kind "atomic": reserved for the atomic
//              instructions on that address (below). A lock hook and an
//              atomic on the same address (a mutex's own word) are two locks
//   variable   a distinct (address, size) pair of a memory access; accesses
//              of different sizes to overlapping bytes are different
//              variables (overlap.h reports them)
//   location   a distinct (function index, instruction index) pair: the
//              instruction that accessed memory or called the host function
//              that recorded the event (a lock hook, thread_create,
//              thread_join). Instructions are counted from 0 within the
//              function's body, every instruction of the binary counting.
//
// Atomics in RapidBin's terms. RapidBin has no atomic operation, and an
// atomic written as a plain read or write looks like a data race to a
// happens-before tool. So each atomic instruction on address A is written
// as a critical section of A's reserved lock L_A, all at the
// instruction's location:
//   AtomicLoad    acq(L_A) r(V) rel(L_A)       V the (A, size) variable
//   AtomicStore   acq(L_A) w(V) rel(L_A)
//   AtomicRmw     acq(L_A) r(V) w(V) rel(L_A)  (also a cmpxchg that stored)
//   AtomicSync    acq(L_A) rel(L_A)            notify, a woken wait, the
//                                              release half of a failed cmpxchg
// An atomic's events are recorded with its sequence mark, under A's stripe
// lock for loads, stores and read-modify-writes (recorder.h; a wait and a
// notify record theirs just before they block or wake, interp/atomics.h),
// and a section's events are written together, one after the other: so
// the sections of one L_A never overlap (they are well nested) and follow
// the order in which the atomics on A happened. This orders every atomic on A after every earlier
// one (two loads included), a little more than the threads proposal does
// (race/detector.h): a tool may miss a race that wgi's detector finds,
// never report one it does not.
//
// Runtime joins. When the threadlink runtime frees an ended thread's stack
// and TLS blocks on another thread (interp::EventLog::follows_end_of), that
// thread follows the ended one's end: the trace has a join of the ended
// thread there, at a location with no function. A thread may thus be
// joined more than once (by the runtime, and by the program).
//
// trace.json (the metadata's layout, one object):
//   {
//     "format": "wgi-trace-metadata", "version": 2,
//     "trace": "trace.bin", "module": "app.wasm",
//     "events": 1234, "truncated": false, "event_limit": 50000000,
//     "threads":   [{"id": 0, "wgi_thread": 0}, ...],
//     "locks":     [{"id": 0, "address": 1032, "kind": "lock"},
//                   {"id": 1, "address": 1032, "kind": "atomic"}, ...],
//     "variables": [{"id": 0, "address": 1040, "size": 4}, ...],
//     "locations": [{"id": 0, "function": 3, "name": "worker", "instruction": 17,
//                    "offset": 418, "width": 4}, ...],
//     "overlaps":  {"variables": 2, "accesses": 10, "examples": [[4, 9], ...]}
//   }
// Each array is in id order. "name" is the function's name from the name
// section, or null; "offset" is the instruction's absolute byte offset in
// the module (what trap and race reports print) and "width" the bytes it
// accesses (0: none, or a range known only when it runs, as for
// memory.copy); a location with "function": null (and null instruction,
// offset and width) stands for events recorded outside any call site.
// Addresses are byte offsets in linear memory, as decimal numbers.
//
// Version 1 (before atomics had locks) had no "kind", "offset" or "width":
// read_metadata_json takes both, every lock of version 1 being a "lock".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "interp/code.h"
#include "trace/rapidbin.h"
#include "trace/recorder.h"
#include "util/json.h"
#include "util/result.h"

namespace wgi::trace {

inline constexpr uint32_t kNoFunction = UINT32_MAX;
inline constexpr uint64_t kMetadataVersion = 2;

enum class LockKind : uint8_t {
  Lock,    // the lock hooks' lock at `address`
  Atomic,  // reserved for the atomic instructions on `address`
};
// "lock" or "atomic".
const char* lock_kind_name(LockKind k);

struct TraceMetadata {
  struct Variable {
    uint64_t address = 0;
    uint32_t size = 0;
    uint32_t first_thread = 0;  // trace thread id of its first access
    bool shared = false;        // accessed by more than one thread
    uint64_t accesses = 0;      // reads and writes
  };
  struct Lock {
    uint64_t address = 0;
    LockKind kind = LockKind::Lock;
    bool operator==(const Lock&) const = default;
  };
  struct Location {
    uint32_t function = kNoFunction;  // kNoFunction: no call site
    uint32_t instruction = 0;
    uint32_t offset = 0;  // the instruction's absolute byte offset; 0: unknown
    uint32_t width = 0;   // bytes it accesses; 0: none, or a range
  };
  std::vector<uint32_t> threads;  // by trace thread id: the wgi thread id
  std::vector<Lock> locks;        // by lock id
  std::vector<Variable> variables;
  std::vector<Location> locations;
};

// Turns recorder events (in merged order) into RapidBin events, numbering
// threads, locks, variables and locations as they first appear. `sites` is
// the traced module's CompiledModule::trace_sites, `site_info` its
// trace_site_info (the locations' offsets and widths; empty: unknown).
class IdAssigner {
 public:
  explicit IdAssigner(std::span<const std::pair<uint32_t, uint32_t>> sites,
                      std::span<const interp::CompiledModule::SiteInfo> site_info = {});

  // The most RapidBin events one recorded event becomes: an AtomicRmw's
  // acquire, read, write and release (the file comment).
  static constexpr size_t kMaxExpansion = 4;
  // The RapidBin events for e, recorded by wgi thread tid, into out; their
  // number (0 for the Seq/End markers, which are not events). An error when
  // an id does not fit the format (more than 1024 threads, 32768
  // locations, 2^31 locks or variables: rapidbin.h).
  Result<size_t> expand(uint32_t tid, const Event& e, rapidbin::Event out[kMaxExpansion]);
  // The one RapidBin event of an event that is not an atomic (expand()).
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
  Result<uint32_t> lock_id(uint64_t address, LockKind kind);
  // `accesses`: reads and writes this event makes of the variable.
  Result<uint32_t> variable_id(uint32_t trace_thread, uint64_t address, uint32_t size, uint32_t accesses);

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
  std::span<const interp::CompiledModule::SiteInfo> site_info_;
  TraceMetadata md_;
  std::vector<uint32_t> thread_ids_;    // by wgi thread id; UINT32_MAX: none yet
  std::vector<uint32_t> site_locations_;  // by site; UINT32_MAX: none yet
  std::unordered_map<uint64_t, uint32_t> location_ids_;  // (function << 32 | instruction)
  std::unordered_map<uint64_t, uint32_t> lock_ids_;         // kind Lock, by address
  std::unordered_map<uint64_t, uint32_t> atomic_lock_ids_;  // kind Atomic, by address
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
  // The module's CompiledModule::trace_site_info (the locations' offsets
  // and widths); empty: unknown, written as 0.
  std::span<const interp::CompiledModule::SiteInfo> site_info;
};

// Writes trace.json (the layout above) to path.
Result<void> write_metadata_json(const std::string& path, const TraceMetadata& md, const MetadataInfo& info,
                                 const OverlapReport& overlaps);

// trace.json read back (version 1 or 2, and the like written by other
// tools: members this reader does not know are skipped, and those it
// misses take defaults: a thread without "wgi_thread" is its own id, a
// lock without "kind" a "lock", a location without "offset" 0).
struct MetadataFile {
  uint64_t version = 0;  // 0: the file says none
  std::string module;
  std::optional<uint64_t> events;  // the trace's event count, if it says
  bool truncated = false;
  TraceMetadata md;  // threads, locks, variables (address, size), locations
  bool has_lock_kinds = false;  // some lock said its kind
  std::unordered_map<uint32_t, std::string> function_names;  // from the locations' "name"
};
// An error (ErrorCode::Malformed, offset the byte in text) when text is not
// JSON, or not a metadata object.
Result<MetadataFile> read_metadata_json(std::string_view text);

using wgi::json_quote;  // util/json.h

}  // namespace wgi::trace
