// Predicted lock-order deadlocks (wgi run --deadlock, wgi trace deadlocks):
// from one run's lock acquisitions, the cycles of locks that could deadlock
// in another schedule of the same program.
//
// The lock-order graph has an edge A -> B each time a thread asks for B
// while holding A (its start_lock, or its acquisition when it did not ask
// first), labelled with the thread, every lock it held then (its
// held set, A included), where it asked for B, and the thread's fork/join
// clock at that moment. A cycle A1 -> A2 -> ... -> An -> A1 is reported
// when edges for it can be chosen that could all be "in flight" at once,
// each thread holding its first lock and asking for its second:
//   - the threads are distinct (one thread cannot wait for itself across
//     two of its own acquisitions);
//   - the held sets are pairwise disjoint (a lock held at two of the
//     acquisitions, a gate lock, keeps them from happening together);
//   - no acquisition happens before another through thread creation and
//     joining (a thread created only after another was joined cannot meet
//     it), compared with vector clocks that only fork and join advance.
// Locks themselves (and the atomics they are made of) do not order
// anything here: ordering by them is exactly what another schedule may
// change. Other synchronisation (a flag set with an atomic, wait/notify)
// is not modelled either, so a cycle whose threads are kept apart only by
// such a flag is reported; docs/DESIGN.md discusses this limit against
// sync-preserving prediction.
//
// The lock graph's cycles are searched up to kMaxCycleLength locks, each
// set of locks reported once, with the first edges (in acquisition order)
// that satisfy the conditions.
//
// Thread safety: each thread's acquire/release calls come from one OS
// thread at a time (online: the thread itself; offline: the reader);
// fork(parent, ...) and join(parent, ...) come from the parent's. Calls for
// different threads may run concurrently. cycles() after all calls.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace wgi::deadlock {

inline constexpr size_t kMaxCycleLength = 4;

struct Frame {
  uint32_t func = UINT32_MAX;  // UINT32_MAX: unknown (offline: a trace location in `offset`)
  uint32_t offset = 0;
};
using Backtrace = std::vector<Frame>;  // innermost first

using Clock = std::vector<uint32_t>;  // by thread id; missing entries are 0

// Thread `thread` asked for `acquires` while holding `holds` (and `held`).
struct Edge {
  uint32_t thread = 0;
  uint32_t holds = 0;
  uint32_t acquires = 0;
  std::vector<uint32_t> held;  // sorted, `holds` among them
  Backtrace where;             // where it asked for `acquires`
  std::shared_ptr<const Clock> clock;
};

// edges[i].acquires == edges[i + 1].holds, and the last acquires the first's
// `holds`.
struct Cycle {
  std::vector<Edge> edges;
};

class Predictor {
 public:
  Predictor();
  ~Predictor();
  Predictor(const Predictor&) = delete;
  Predictor& operator=(const Predictor&) = delete;

  void fork(uint32_t parent, uint32_t child);
  void join(uint32_t parent, uint32_t child);
  // A request adds the lock-order edges: a thread that asks for B while
  // holding A has chosen that order, whether or not it ever gets B (in a
  // deadlock it does not). where() is called only when the request adds an
  // edge not seen before (a backtrace is dear; most repeat known edges).
  void request(uint32_t tid, uint32_t lock, const std::function<Backtrace()>& where);
  // The thread holds the lock; an acquisition it did not request first
  // adds the edges as a request would.
  void acquire(uint32_t tid, uint32_t lock, const std::function<Backtrace()>& where);
  void release(uint32_t tid, uint32_t lock);

  std::vector<Cycle> cycles() const;
  size_t edges() const;

 private:
  struct ThreadState;
  ThreadState& state(uint32_t tid);
  void add_edges(uint32_t tid, ThreadState& s, uint32_t lock, const std::function<Backtrace()>& where);

  mutable std::mutex mu_;  // threads_ (the map, not the states) and edges_
  std::unordered_map<uint32_t, std::unique_ptr<ThreadState>> threads_;
  std::vector<Edge> edges_;
};

// How reports name code: func_label(func) gives "name (func N)" or "func N".
struct Naming {
  std::function<std::string(uint32_t func)> func_label;
  std::function<std::optional<std::string>(uint32_t func)> func_name;  // for JSON
  bool locations_only = false;  // offline without metadata: frames are trace locations
};

// "wgi: potential deadlock: ..." for each cycle (text, for stderr).
std::string format_cycles(const std::vector<Cycle>& cycles, const Naming& naming);
// "\"potential_deadlocks\": [...]" for the --report file.
std::string json_cycles(const std::vector<Cycle>& cycles, const Naming& naming);

}  // namespace wgi::deadlock
