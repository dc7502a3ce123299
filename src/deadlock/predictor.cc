#include "deadlock/predictor.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <set>
#include <tuple>

#include "util/json.h"

namespace wgi::deadlock {

namespace {

uint32_t at(const Clock& c, uint32_t tid) { return tid < c.size() ? c[tid] : 0; }

// a's acquisition happens before b's (fork/join order only).
bool before(const Edge& a, const Edge& b) { return at(*b.clock, a.thread) >= at(*a.clock, a.thread); }

bool disjoint(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) return false;
    a[i] < b[j] ? ++i : ++j;
  }
  return true;
}

// Could e be in flight together with every edge already chosen?
bool compatible(const std::vector<const Edge*>& chosen, const Edge& e) {
  for (const Edge* c : chosen) {
    if (c->thread == e.thread) return false;
    if (!disjoint(c->held, e.held)) return false;
    if (before(*c, e) || before(e, *c)) return false;
  }
  return true;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

}  // namespace

struct Predictor::ThreadState {
  std::vector<uint32_t> held;  // in acquisition order
  std::optional<uint32_t> requested;  // asked for, not yet acquired
  std::shared_ptr<const Clock> clock;
  // Edges this thread already added: (holds, acquires, held set, clock).
  std::set<std::tuple<uint32_t, uint32_t, std::vector<uint32_t>, const Clock*>> seen;
};

Predictor::Predictor() = default;
Predictor::~Predictor() = default;

Predictor::ThreadState& Predictor::state(uint32_t tid) {
  std::lock_guard g(mu_);
  std::unique_ptr<ThreadState>& s = threads_[tid];
  if (!s) {
    // A thread nobody forked (the main thread; offline, a thread whose fork
    // the trace lacks): it starts at its own first epoch.
    s = std::make_unique<ThreadState>();
    auto c = std::make_shared<Clock>(tid + 1, 0);
    (*c)[tid] = 1;
    s->clock = std::move(c);
  }
  return *s;
}

void Predictor::fork(uint32_t parent, uint32_t child) {
  ThreadState& p = state(parent);
  auto cc = std::make_shared<Clock>(*p.clock);
  if (cc->size() <= child) cc->resize(child + 1, 0);
  (*cc)[child] = std::max<uint32_t>((*cc)[child], 1);
  {
    std::lock_guard g(mu_);
    auto s = std::make_unique<ThreadState>();
    s->clock = std::move(cc);
    threads_[child] = std::move(s);
  }
  // The parent's later acquisitions are not before the child's.
  auto pc = std::make_shared<Clock>(*p.clock);
  ++(*pc)[parent];
  p.clock = std::move(pc);
}

void Predictor::join(uint32_t parent, uint32_t child) {
  ThreadState& p = state(parent);
  std::shared_ptr<const Clock> cc = state(child).clock;
  auto pc = std::make_shared<Clock>(*p.clock);
  if (pc->size() < cc->size()) pc->resize(cc->size(), 0);
  for (size_t i = 0; i < cc->size(); ++i) (*pc)[i] = std::max((*pc)[i], (*cc)[i]);
  ++(*pc)[parent];
  p.clock = std::move(pc);
}

void Predictor::request(uint32_t tid, uint32_t lock, const std::function<Backtrace()>& where) {
  ThreadState& s = state(tid);
  s.requested = lock;
  add_edges(tid, s, lock, where);
}

void Predictor::acquire(uint32_t tid, uint32_t lock, const std::function<Backtrace()>& where) {
  ThreadState& s = state(tid);
  if (s.requested != lock) add_edges(tid, s, lock, where);
  s.requested.reset();
  s.held.push_back(lock);
}

void Predictor::add_edges(uint32_t tid, ThreadState& s, uint32_t lock, const std::function<Backtrace()>& where) {
  if (!s.held.empty()) {
    std::vector<uint32_t> held = s.held;
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
    Backtrace bt;
    bool have_bt = false;
    for (uint32_t h : held) {
      if (h == lock) continue;  // a re-acquisition is no order between two locks
      if (!s.seen.emplace(h, lock, held, s.clock.get()).second) continue;
      if (!have_bt) {
        bt = where();
        have_bt = true;
      }
      std::lock_guard g(mu_);
      edges_.push_back(Edge{tid, h, lock, held, bt, s.clock});
    }
  }
}

void Predictor::release(uint32_t tid, uint32_t lock) {
  ThreadState& s = state(tid);
  // The most recent acquisition of it (locks are not always released in
  // reverse order).
  for (size_t i = s.held.size(); i-- > 0;) {
    if (s.held[i] == lock) {
      s.held.erase(s.held.begin() + static_cast<ptrdiff_t>(i));
      return;
    }
  }
}

size_t Predictor::edges() const {
  std::lock_guard g(mu_);
  return edges_.size();
}

std::vector<Cycle> Predictor::cycles() const {
  std::lock_guard g(mu_);
  // Edges by the lock they leave from.
  std::unordered_map<uint32_t, std::vector<const Edge*>> out;
  std::set<uint32_t> locks;
  for (const Edge& e : edges_) {
    out[e.holds].push_back(&e);
    locks.insert(e.holds);
  }
  std::vector<Cycle> found;
  std::set<std::vector<uint32_t>> reported;  // lock sets
  std::vector<const Edge*> path;
  std::vector<uint32_t> path_locks;
  // Cycles are found from their smallest lock, through larger ones only,
  // so each cycle of locks is met from one start.
  std::function<void(uint32_t, uint32_t)> dfs = [&](uint32_t start, uint32_t cur) {
    auto it = out.find(cur);
    if (it == out.end()) return;
    for (const Edge* e : it->second) {
      const uint32_t next = e->acquires;
      if (next < start) continue;
      if (next != start && std::find(path_locks.begin(), path_locks.end(), next) != path_locks.end()) continue;
      if (!compatible(path, *e)) continue;
      if (next == start) {
        if (path.empty()) continue;  // A -> A: no cycle of two locks
        std::vector<uint32_t> key = path_locks;
        std::sort(key.begin(), key.end());
        if (!reported.insert(key).second) continue;
        Cycle c;
        for (const Edge* p : path) c.edges.push_back(*p);
        c.edges.push_back(*e);
        found.push_back(std::move(c));
        continue;
      }
      if (path.size() + 1 >= kMaxCycleLength) continue;
      path.push_back(e);
      path_locks.push_back(next);
      dfs(start, next);
      path.pop_back();
      path_locks.pop_back();
    }
  };
  for (uint32_t s : locks) {
    path_locks = {s};
    dfs(s, s);
  }
  return found;
}

namespace {

std::string frame_text(const Frame& f, const Naming& n) {
  if (n.locations_only) return "location " + std::to_string(f.offset);
  if (f.func == UINT32_MAX) return "<runtime>";
  return n.func_label(f.func) + " at " + hex(f.offset);
}

}  // namespace

std::string format_cycles(const std::vector<Cycle>& cycles, const Naming& naming) {
  std::string s;
  for (const Cycle& c : cycles) {
    s += "wgi: potential deadlock: lock-order inversion between " + std::to_string(c.edges.size()) +
         " threads (";
    for (const Edge& e : c.edges) s += hex(e.holds) + " -> ";
    s += hex(c.edges.front().holds) + ")\n";
    for (const Edge& e : c.edges) {
      s += "  thread " + std::to_string(e.thread) + " asked for lock " + hex(e.acquires) + " while holding lock " +
           hex(e.holds) + ":\n";
      for (size_t i = 0; i < e.where.size(); ++i)
        s += "    #" + std::to_string(i) + " " + frame_text(e.where[i], naming) + "\n";
    }
  }
  if (!cycles.empty())
    s += "wgi: " + std::to_string(cycles.size()) + " potential deadlock" + (cycles.size() == 1 ? "" : "s") +
         " found (lock orders that deadlock in another schedule)\n";
  return s;
}

std::string json_cycles(const std::vector<Cycle>& cycles, const Naming& naming) {
  auto frame = [&](const Frame& f) {
    if (naming.locations_only)
      return "\"func\": null, \"func_name\": null, \"location\": " + std::to_string(f.offset) + ", \"offset\": null";
    if (f.func == UINT32_MAX) return std::string("\"func\": null, \"func_name\": null, \"offset\": null");
    std::optional<std::string> name = naming.func_name(f.func);
    return "\"func\": " + std::to_string(f.func) + ", \"func_name\": " + (name ? json_quote(*name) : "null") +
           ", \"offset\": " + std::to_string(f.offset);
  };
  std::string s = "\"potential_deadlocks\": [";
  for (size_t i = 0; i < cycles.size(); ++i) {
    s += i ? ",\n    {\"cycle\": [" : "\n    {\"cycle\": [";
    const Cycle& c = cycles[i];
    for (size_t j = 0; j < c.edges.size(); ++j) {
      const Edge& e = c.edges[j];
      s += j ? ",\n      " : "\n      ";
      s += "{\"thread\": " + std::to_string(e.thread) + ", \"holds\": " + std::to_string(e.holds) +
           ", \"acquires\": " + std::to_string(e.acquires) + ", " +
           (e.where.empty() ? std::string("\"func\": null, \"func_name\": null, \"offset\": null") : frame(e.where[0])) +
           ", \"backtrace\": [";
      for (size_t k = 0; k < e.where.size(); ++k) s += (k ? ", {" : "{") + frame(e.where[k]) + "}";
      s += "]}";
    }
    s += "]}";
  }
  s += cycles.empty() ? "]" : "\n  ]";
  return s;
}

}  // namespace wgi::deadlock
