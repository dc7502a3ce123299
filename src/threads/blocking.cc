#include "threads/blocking.h"

#include <algorithm>

namespace wgi::threads {

BlockRegistry::Handle BlockRegistry::add(uint32_t tid) {
  std::lock_guard g(mu_);
  std::unique_ptr<Rec>& r = threads_[tid];
  if (!r) {
    r = std::make_unique<Rec>(tid);
    word_.fetch_add(kEpoch + 1);  // one more free thread
  }
  return r.get();
}

BlockRegistry::Handle BlockRegistry::find(uint32_t tid) {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second.get();
}

void BlockRegistry::remove(uint32_t tid) {
  std::lock_guard g(mu_);
  auto it = threads_.find(tid);
  if (it == threads_.end()) return;
  word_.fetch_add(it->second->candidate() ? kEpoch : kEpoch - 1);
  threads_.erase(it);
  // Its end may leave only stuck threads: say the others wait for a notify
  // it never sent. (A thread joining it is free to go: not stuck.)
  check_all_blocked();
}

uint64_t BlockRegistry::count(const Rec& r, bool was) {
  const bool now = r.candidate();
  // (kEpoch - 1: a transition, and one free thread fewer.)
  const uint64_t delta = now == was ? kEpoch : now ? kEpoch - 1 : kEpoch + 1;
  return word_.fetch_add(delta) + delta;
}

void BlockRegistry::update(Rec& r, bool was_candidate) {
  if (free_of(count(r, was_candidate)) == 0) check_all_blocked();
}

void BlockRegistry::parked(Handle h, uint32_t addr, int64_t timeout_ns) {
  const bool was = h->candidate();
  h->park_addr.store(addr);
  h->park_timeout.store(timeout_ns);
  h->parked.store(true);
  if (free_of(count(*h, was)) == 0 && h->candidate()) {
    std::lock_guard g(mu_);
    check_all_blocked();
  }
}

void BlockRegistry::unparked(Handle h) {
  const bool was = h->candidate();
  h->parked.store(false);
  // Leaving a park frees the thread, or leaves it joining or asking for a
  // lock: no new reason to be stuck, so no check.
  count(*h, was);
}

void BlockRegistry::parked(uint32_t tid, uint32_t addr, int64_t timeout_ns) {
  Handle h;
  {
    std::lock_guard g(mu_);
    h = find(tid);
  }
  if (h) parked(h, addr, timeout_ns);
}

void BlockRegistry::unparked(uint32_t tid) {
  Handle h;
  {
    std::lock_guard g(mu_);
    h = find(tid);
  }
  if (h) unparked(h);
}

void BlockRegistry::join_begin(uint32_t tid, uint32_t target) {
  std::lock_guard g(mu_);
  Handle h = find(tid);
  if (!h) return;
  const bool was = h->candidate();
  h->joining = target;
  update(*h, was);
}

void BlockRegistry::join_end(uint32_t tid) {
  std::lock_guard g(mu_);
  Handle h = find(tid);
  if (!h) return;
  const bool was = h->candidate();
  h->joining.reset();
  update(*h, was);
}

void BlockRegistry::lock_request(uint32_t tid, uint32_t lock, interp::Thread::RawFrame at) {
  std::lock_guard g(mu_);
  Handle h = find(tid);
  if (!h) return;
  const bool was = h->candidate();
  h->requesting = lock;
  h->requested_at = at;
  check_lock_cycle(tid);
  update(*h, was);
}

void BlockRegistry::lock_acquired(uint32_t tid, uint32_t lock, interp::Thread::RawFrame at) {
  std::lock_guard g(mu_);
  held_[lock] = Held{tid, at};
  Handle h = find(tid);
  if (!h) return;
  const bool was = h->candidate();
  h->requesting.reset();
  update(*h, was);
}

void BlockRegistry::lock_released(uint32_t tid, uint32_t lock) {
  std::lock_guard g(mu_);
  auto it = held_.find(lock);
  // A release by another thread than the holder (a lock used as a
  // semaphore) frees it too: the hooks say it is free. The entry stays
  // (marked free), so taking the lock again allocates nothing.
  (void)tid;
  if (it != held_.end()) it->second.holder = kFree;
}

ThreadState BlockRegistry::state_of(uint32_t tid, const Rec& r) const {
  ThreadState s;
  s.thread = tid;
  if (r.requesting) {
    s.kind = ThreadState::Kind::Lock;
    s.addr = *r.requesting;
    s.requested_at = r.requested_at;
    if (auto h = held_.find(*r.requesting); h != held_.end() && h->second.holder != kFree) {
      s.holder = h->second.holder;
      s.acquired_at = h->second.at;
    }
  } else if (r.parked.load()) {
    s.kind = ThreadState::Kind::Wait;
    s.addr = r.park_addr.load();
    s.timeout_ns = r.park_timeout.load();
  } else if (r.joining) {
    s.kind = ThreadState::Kind::Join;
    s.target = *r.joining;
  }
  return s;
}

std::vector<ThreadState> BlockRegistry::snapshot() const {
  std::lock_guard g(mu_);
  std::vector<ThreadState> out;
  for (const auto& [tid, r] : threads_) out.push_back(state_of(tid, *r));
  std::sort(out.begin(), out.end(), [](const ThreadState& a, const ThreadState& b) { return a.thread < b.thread; });
  return out;
}

void BlockRegistry::check_all_blocked() {
  // The word before reading the records: if it has not moved when they
  // have been read, no parking transition came in between.
  const uint64_t before = word_.load();
  if (free_of(before) != 0 || all_blocked_found_ || threads_.empty()) return;
  // Every live thread is a candidate: decide each one's fate by following
  // its single dependency (the joined thread, the lock's holder) until a
  // thread whose fate is known, an unconditionally stuck one, or a cycle.
  enum Fate : uint8_t { Unknown, OnPath, Stuck, Free };
  std::unordered_map<uint32_t, Fate> fate;
  auto dependency = [&](const Rec& r) -> std::optional<uint32_t> {
    // nullopt with the thread not stuck by itself: it is free.
    if (r.requesting) {
      auto h = held_.find(*r.requesting);
      if (h == held_.end() || h->second.holder == kFree) return std::nullopt;
      return h->second.holder;
    }
    if (r.joining) return *r.joining;
    return std::nullopt;
  };
  for (const auto& [start, unused] : threads_) {
    std::vector<uint32_t> path;
    uint32_t cur = start;
    Fate result = Free;
    for (;;) {
      Fate& f = fate[cur];
      if (f == Stuck || f == Free) {
        result = f;
        break;
      }
      if (f == OnPath) {  // a cycle of dependencies: nobody in it can move
        result = Stuck;
        break;
      }
      auto it = threads_.find(cur);
      if (it == threads_.end()) {  // ended: whoever depends on it goes on
        result = Free;
        break;
      }
      const Rec& r = *it->second;
      if (r.parked_forever()) {
        f = Stuck;
        result = Stuck;
        break;
      }
      std::optional<uint32_t> dep = dependency(r);
      if (!dep) {
        f = Free;
        result = Free;
        break;
      }
      f = OnPath;
      path.push_back(cur);
      cur = *dep;
    }
    for (uint32_t t : path) fate[t] = result;
    if (result == Free) return;  // one free thread is enough: no deadlock
  }
  BlockFinding f;
  f.kind = BlockFinding::Kind::AllBlocked;
  for (const auto& [tid, r] : threads_) f.threads.push_back(state_of(tid, *r));
  // Moved: a parking transition came in between, and checks again itself
  // if it left no thread free.
  if (word_.load() != before) return;
  all_blocked_found_ = true;
  std::sort(f.threads.begin(), f.threads.end(),
            [](const ThreadState& a, const ThreadState& b) { return a.thread < b.thread; });
  push(std::move(f));
}

void BlockRegistry::check_lock_cycle(uint32_t tid) {
  // tid has just asked for a lock: follow "waits for a lock held by" from
  // it. Only the thread closing a cycle can find it, and it is the last
  // one to ask, so each cycle is found when it forms.
  std::vector<uint32_t> members{tid};
  std::vector<uint32_t> locks;
  uint32_t cur = tid;
  for (;;) {
    const Rec& r = *threads_.at(cur);
    if (!r.requesting) return;
    auto h = held_.find(*r.requesting);
    if (h == held_.end() || h->second.holder == kFree) return;
    locks.push_back(*r.requesting);
    const uint32_t next = h->second.holder;
    if (next == tid) break;
    if (std::find(members.begin(), members.end(), next) != members.end()) return;  // a cycle without tid
    if (!threads_.count(next)) return;  // held by an ended thread
    members.push_back(next);
    cur = next;
  }
  std::vector<uint32_t> key = locks;
  std::sort(key.begin(), key.end());
  if (!cycles_seen_.insert(key).second) return;
  BlockFinding f;
  f.kind = BlockFinding::Kind::LockCycle;
  for (uint32_t t : members) f.threads.push_back(state_of(t, *threads_.at(t)));
  push(std::move(f));
}

void BlockRegistry::push(BlockFinding f) {
  pending_.push_back(std::move(f));
  cv_.notify_all();
}

std::optional<BlockFinding> BlockRegistry::next_finding() {
  std::unique_lock g(mu_);
  cv_.wait(g, [this] { return closed_ || !pending_.empty(); });
  if (pending_.empty()) return std::nullopt;
  BlockFinding f = std::move(pending_.front());
  pending_.pop_front();
  return f;
}

void BlockRegistry::close() {
  std::lock_guard g(mu_);
  closed_ = true;
  cv_.notify_all();
}

size_t BlockRegistry::lock_cycles() const {
  std::lock_guard g(mu_);
  return cycles_seen_.size();
}

}  // namespace wgi::threads
