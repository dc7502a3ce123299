#include "trace/recorder.h"

#include <algorithm>
#include <optional>
#include <queue>

namespace wgi::trace {

namespace {

constexpr size_t kFirstChunk = 16;     // events in a thread's first buffer chunk
constexpr size_t kChunk = 64 * 1024;   // the most in one chunk (1 MiB)
constexpr size_t kSpecChunk = 256;     // the most in a speculative chunk
constexpr size_t kMinShare = 64;       // the least a chunk gets while the limit has that much
constexpr size_t kFreeChunk = 16;      // a chunk for a mark once the limit is spent...
constexpr size_t kFreeSlots = 64;      // ...of which a thread gets this many slots
constexpr size_t kScratch = 256;       // events per refill once recording stopped

// What one buffer slot costs against the limit: its recorded_events.
uint64_t slot_weight(EventOp op) { return recorded_events(op); }

uint64_t weight(std::span<const Event> events) {
  uint64_t w = 0;
  for (const Event& e : events) w += slot_weight(e.op());
  return w;
}

// The size of a chunk for a thread that wants `want` slots when `room` is
// left: no more than a quarter of the room once it is short.
size_t share(size_t want, uint64_t room) {
  const uint64_t most = room <= kMinShare ? room : std::max<uint64_t>(kMinShare, room / 4);
  return static_cast<size_t>(std::min<uint64_t>(want, most));
}

uint64_t room_left(uint64_t limit, uint64_t used) { return limit > used ? limit - used : 0; }

}  // namespace

ThreadTrace::ThreadTrace(Recorder& recorder, uint32_t tid)
    : recorder_(&recorder), tid_(tid), next_size_(kFirstChunk), free_slots_(kFreeSlots) {}

bool ThreadTrace::take(Event e) {
  if (!discarding_) recorder_->refill(*this, e);
  if (discarding_) {
    // Over the limit: keep the hot path branch-free by writing into a small
    // scratch buffer that is overwritten again and again.
    if (!scratch_) scratch_ = std::make_unique_for_overwrite<Event[]>(kScratch);
    pos_ = scratch_.get();
    end_ = pos_ + kScratch;
  }
  *pos_++ = e;
  return false;
}

void ThreadTrace::mark() { push(EventOp::Seq, recorder_->next_seq(), 0, kNoSite); }
std::mutex& ThreadTrace::stripe(uint64_t addr) { return recorder_->stripe(addr); }

void ThreadTrace::mark_end() {
  push(EventOp::End, recorder_->next_seq(), 0, kNoSite);
  recorder_->release(*this);
}

size_t ThreadTrace::used(const Chunk& c) const {
  return c.closed ? c.used : static_cast<size_t>(pos_ - c.events.get());
}

std::vector<std::span<const Event>> ThreadTrace::spans() const {
  std::vector<std::span<const Event>> out;
  for (const Chunk& c : chunks_) {
    const size_t n = std::min(used(c), c.kept);
    if (n) out.emplace_back(c.events.get(), n);
  }
  return out;
}

std::vector<Event> ThreadTrace::events() const {
  std::vector<Event> out;
  out.reserve(count());
  for (std::span<const Event> s : spans()) out.insert(out.end(), s.begin(), s.end());
  return out;
}

uint64_t ThreadTrace::count() const {
  uint64_t n = 0;
  for (std::span<const Event> s : spans()) n += s.size();
  return n;
}

Recorder::Recorder(uint64_t limit)
    : limit_(limit),
      max_slots_(limit > (UINT64_MAX - kMaxSlotsSlack) / kMaxSlotsPerEvent ? UINT64_MAX
                                                                            : limit * kMaxSlotsPerEvent + kMaxSlotsSlack) {}

ThreadTrace* Recorder::add_thread(uint32_t tid) {
  std::lock_guard<std::mutex> lock(mu_);
  threads_.push_back(std::make_unique<ThreadTrace>(*this, tid));
  return threads_.back().get();
}

void Recorder::close(ThreadTrace& t) {
  ThreadTrace::Chunk& c = t.chunks_.back();
  c.used = t.used(c);
  c.weight = weight(std::span<const Event>(c.events.get(), c.used));
  c.closed = true;
  open_ -= c.capacity;
  settled_ += c.weight;
}

void Recorder::refill(ThreadTrace& t, const Event& e) {
  std::lock_guard<std::mutex> lock(budget_mu_);
  if (!t.chunks_.empty() && !t.chunks_.back().closed) close(t);
  // Ordinary room: what neither the closed chunks' events nor the open
  // chunks' slots take. Beyond it, speculative chunks while the closed
  // chunks have not spent the limit; beyond that, only marks.
  const uint64_t room = room_left(limit_, settled_ + open_);
  size_t n = 0;
  bool grows = true;
  if (room > 0) {
    n = share(t.next_size_, room);
  } else if (settled_ < limit_) {
    n = std::min(t.next_size_, kSpecChunk);
  } else if (slot_weight(e.op()) == 0 && t.free_slots_ > 0) {
    n = std::min(kFreeChunk, t.free_slots_);
    t.free_slots_ -= n;
    grows = false;
  }
  n = static_cast<size_t>(std::min<uint64_t>(n, max_slots_ - std::min(max_slots_, slots_)));  // file comment
  if (n == 0) {
    // Refused: the thread's record ends here.
    t.discarding_ = true;
    refused_.store(true, std::memory_order_relaxed);
    return;
  }
  ThreadTrace::Chunk c;
  c.events = std::make_unique_for_overwrite<Event[]>(n);  // no zeroing: written before read
  c.capacity = n;
  open_ += n;
  slots_ += n;
  t.pos_ = c.events.get();
  t.end_ = t.pos_ + n;
  t.chunks_.push_back(std::move(c));
  grants_.push_back({&t, t.chunks_.size() - 1});
  if (grows) t.next_size_ = std::min(2 * t.next_size_, kChunk);
}

void Recorder::release(ThreadTrace& t) {
  std::lock_guard<std::mutex> lock(budget_mu_);
  if (t.discarding_ || t.chunks_.empty() || t.chunks_.back().closed) return;
  close(t);
  t.end_ = t.pos_;  // should it record again, take() asks for a new chunk
}

void Recorder::resolve() const {
  std::lock_guard<std::mutex> threads_lock(mu_);
  std::lock_guard<std::mutex> lock(budget_mu_);
  for (const auto& t : threads_) {
    t->cut_ = false;
    for (ThreadTrace::Chunk& c : t->chunks_) c.kept = SIZE_MAX;
  }
  // The chunks in the order granted, each kept while it fits; the first
  // that does not is cut to the longest prefix that fits, and its thread
  // keeps nothing after it.
  uint64_t room = limit_;
  for (const Grant& g : grants_) {
    ThreadTrace& t = *g.thread;
    ThreadTrace::Chunk& c = t.chunks_[g.chunk];
    if (t.cut_) {
      c.kept = 0;
      continue;
    }
    const std::span<const Event> events(c.events.get(), t.used(c));
    const uint64_t w = c.closed ? c.weight : weight(events);
    if (w <= room) {
      room -= w;
      continue;
    }
    size_t n = 0;
    uint64_t acc = 0;
    for (; n < events.size(); ++n) {
      const uint64_t next = acc + slot_weight(events[n].op());
      if (next > room) break;
      acc = next;
    }
    c.kept = n;
    room -= acc;
    t.cut_ = true;
  }
  bool trimmed = false;
  for (const auto& t : threads_) trimmed |= t->cut_;
  trimmed_.store(trimmed, std::memory_order_relaxed);
}

uint64_t Recorder::kept_events() const {
  uint64_t n = 0;
  for (const ThreadTrace* t : threads())
    for (std::span<const Event> s : t->spans())
      for (const Event& e : s) n += recorded_events(e.op());
  return n;
}

std::vector<const ThreadTrace*> Recorder::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<const ThreadTrace*> out;
  for (const auto& t : threads_) out.push_back(t.get());
  return out;
}

namespace {

bool is_marker(const Event& e) { return e.op() == EventOp::Seq || e.op() == EventOp::End; }

// Walks one thread's events (spread over its buffer chunks) from marker to
// marker.
struct Cursor {
  uint32_t tid = 0;
  bool lost = false;  // the thread's recording was cut short
  std::vector<std::span<const Event>> spans;
  size_t chunk = 0, pos = 0;    // the next event not yet emitted
  size_t mchunk = 0, mpos = 0;  // the next marker, or the end (mchunk == spans.size())
  bool has_marker() const { return mchunk < spans.size(); }
  uint64_t marker_seq() const { return spans[mchunk][mpos].value; }

  void find_marker() {
    mchunk = chunk;
    mpos = pos;
    for (; mchunk < spans.size(); ++mchunk, mpos = 0)
      for (; mpos < spans[mchunk].size(); ++mpos)
        if (is_marker(spans[mchunk][mpos])) return;
  }
  // Emits the events up to the next marker (or the end) and steps over it.
  void emit_segment(const Recorder::SegmentFn& emit) {
    for (; chunk < mchunk; ++chunk, pos = 0)
      if (pos < spans[chunk].size()) emit(tid, spans[chunk].subspan(pos));
    if (chunk < spans.size()) {
      if (mpos > pos) emit(tid, spans[chunk].subspan(pos, mpos - pos));
      pos = mpos + 1;
    }
    find_marker();
  }
  // The sequence number of the thread's last marker, if it has one.
  std::optional<uint64_t> last_marker_seq() const {
    for (size_t c = spans.size(); c-- > 0;)
      for (size_t i = spans[c].size(); i-- > 0;)
        if (is_marker(spans[c][i])) return spans[c][i].value;
    return std::nullopt;
  }
};

// The sequence number of the mark that follows thread `child`'s fork.
std::optional<uint64_t> fork_seq(const std::vector<Cursor>& cur, uint32_t child) {
  for (const Cursor& c : cur) {
    bool after_fork = false;
    for (std::span<const Event> s : c.spans)
      for (const Event& e : s) {
        if (after_fork && is_marker(e)) return e.value;
        after_fork = e.op() == EventOp::Fork && e.value == child;
      }
  }
  return std::nullopt;
}

}  // namespace

void Recorder::merge_each(const SegmentFn& emit) const {
  resolve();
  std::vector<Cursor> cur;
  for (const ThreadTrace* t : threads()) {
    Cursor c;
    c.tid = t->tid();
    c.lost = t->lost_events();
    c.spans = t->spans();
    c.find_marker();
    cur.push_back(std::move(c));
  }
  std::sort(cur.begin(), cur.end(), [](const Cursor& a, const Cursor& b) { return a.tid < b.tid; });

  // The cut (file comment): markers are emitted while their sequence number
  // is below `limit`. A thread whose record was cut short bounds it by its
  // last marker or, with none, by the mark of its fork (its first events
  // follow that fork); the main thread without a marker allows no marker at
  // all. The thread with the lowest bound also keeps its unmarked tail.
  uint64_t limit = UINT64_MAX;  // exclusive: emit markers with seq < limit
  bool truncated_cut = false;
  size_t tail_owner = SIZE_MAX;
  for (size_t i = 0; i < cur.size(); ++i) {
    if (!cur[i].lost) continue;
    std::optional<uint64_t> bound = cur[i].last_marker_seq();
    if (!bound && cur[i].tid != 0) {
      bound = fork_seq(cur, cur[i].tid);
      if (!bound) continue;  // its fork was not recorded: nothing of it is emitted
    }
    const uint64_t lim = bound ? *bound + 1 : 0;
    if (!truncated_cut || lim < limit) {
      limit = lim;
      tail_owner = i;
      truncated_cut = true;
    }
  }

  using Key = std::pair<uint64_t, size_t>;  // (sequence number, cursor)
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> pq;
  for (size_t i = 0; i < cur.size(); ++i)
    if (cur[i].has_marker()) pq.push({cur[i].marker_seq(), i});
  while (!pq.empty() && pq.top().first < limit) {
    const size_t i = pq.top().second;
    pq.pop();
    cur[i].emit_segment(emit);
    if (cur[i].has_marker()) pq.push({cur[i].marker_seq(), i});
  }
  // Events after a thread's last marker: there are none unless recording
  // was cut off (every thread's end is marked).
  for (size_t i = 0; i < cur.size(); ++i) {
    if (truncated_cut && i != tail_owner) continue;
    Cursor& c = cur[i];
    if (c.has_marker()) continue;  // stopped at the cut
    c.emit_segment(emit);
  }
}

std::vector<Recorder::Merged> Recorder::merge() const {
  std::vector<Merged> out;
  merge_each([&](uint32_t tid, std::span<const Event> events) {
    for (const Event& e : events) out.push_back({tid, e});
  });
  return out;
}

}  // namespace wgi::trace
