#include "trace/recorder.h"

#include <algorithm>
#include <optional>
#include <queue>

namespace wgi::trace {

namespace {
constexpr size_t kChunk = 64 * 1024;  // events per buffer chunk (1 MiB)
constexpr size_t kScratch = 256;       // events per refill once recording stopped
}  // namespace

ThreadTrace::ThreadTrace(Recorder& recorder, uint32_t tid) : recorder_(&recorder), tid_(tid) {}

void ThreadTrace::refill() {
  if (!chunks_.empty() && !discarding_) chunk_used_.back() = kChunk;
  if (!discarding_ && recorder_->reserve(kChunk)) {
    chunks_.push_back(std::make_unique_for_overwrite<Event[]>(kChunk));  // no zeroing: written before read
    chunk_used_.push_back(0);
    pos_ = chunks_.back().get();
    end_ = pos_ + kChunk;
    return;
  }
  // Over the limit: keep the hot path branch-free by writing into a small
  // scratch buffer that is overwritten again and again.
  if (!discarding_) {
    discarding_ = true;
    scratch_ = std::make_unique_for_overwrite<Event[]>(kScratch);
  }
  pos_ = scratch_.get();
  end_ = pos_ + kScratch;
}

bool ThreadTrace::take(const Event& e) {
  refill();
  *pos_++ = e;
  return false;
}

void ThreadTrace::mark() { push(EventOp::Seq, recorder_->next_seq(), 0, kNoSite); }
std::mutex& ThreadTrace::stripe(uint64_t addr) { return recorder_->stripe(addr); }
void ThreadTrace::mark_end() { push(EventOp::End, recorder_->next_seq(), 0, kNoSite); }

std::vector<std::span<const Event>> ThreadTrace::spans() const {
  std::vector<std::span<const Event>> out;
  for (size_t i = 0; i < chunks_.size(); ++i) {
    size_t used = chunk_used_[i];
    if (i + 1 == chunks_.size() && !discarding_) used = static_cast<size_t>(pos_ - chunks_[i].get());
    if (used) out.emplace_back(chunks_[i].get(), used);
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
  for (size_t i = 0; i < chunks_.size(); ++i) {
    if (i + 1 == chunks_.size() && !discarding_) n += static_cast<uint64_t>(pos_ - chunks_[i].get());
    else n += chunk_used_[i];
  }
  return n;
}

Recorder::Recorder(uint64_t limit) : limit_(limit) {}

ThreadTrace* Recorder::add_thread(uint32_t tid) {
  std::lock_guard<std::mutex> lock(mu_);
  threads_.push_back(std::make_unique<ThreadTrace>(*this, tid));
  return threads_.back().get();
}

bool Recorder::reserve(uint64_t n) {
  if (truncated_.load(std::memory_order_relaxed)) return false;
  const uint64_t before = reserved_.fetch_add(n, std::memory_order_relaxed);
  if (before >= limit_) {
    truncated_.store(true, std::memory_order_relaxed);
    return false;
  }
  return true;
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
