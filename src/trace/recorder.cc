#include "trace/recorder.h"

#include <algorithm>
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
    chunks_.push_back(std::make_unique<Event[]>(kChunk));
    chunk_used_.push_back(0);
    pos_ = chunks_.back().get();
    end_ = pos_ + kChunk;
    return;
  }
  // Over the limit: keep the hot path branch-free by writing into a small
  // scratch buffer that is overwritten again and again.
  if (!discarding_) {
    discarding_ = true;
    scratch_ = std::make_unique<Event[]>(kScratch);
  }
  pos_ = scratch_.get();
  end_ = pos_ + kScratch;
}

void ThreadTrace::mark() { push(EventOp::Seq, recorder_->next_seq(), 0, kNoSite); }
void ThreadTrace::mark_end() { push(EventOp::End, recorder_->next_seq(), 0, kNoSite); }

std::vector<Event> ThreadTrace::events() const {
  std::vector<Event> out;
  out.reserve(count());
  for (size_t i = 0; i < chunks_.size(); ++i) {
    size_t used = chunk_used_[i];
    if (i + 1 == chunks_.size() && !discarding_) used = static_cast<size_t>(pos_ - chunks_[i].get());
    out.insert(out.end(), chunks_[i].get(), chunks_[i].get() + used);
  }
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

std::vector<Recorder::Merged> Recorder::merge() const {
  struct Cursor {
    uint32_t tid;
    std::vector<Event> ev;
    size_t pos = 0;
    size_t marker = 0;  // index of the next Seq/End marker, or ev.size()
    void find_marker() {
      marker = pos;
      while (marker < ev.size() && ev[marker].op() != EventOp::Seq && ev[marker].op() != EventOp::End)
        ++marker;
    }
  };
  std::vector<Cursor> cur;
  for (const ThreadTrace* t : threads()) {
    Cursor c;
    c.tid = t->tid();
    c.ev = t->events();
    c.find_marker();
    cur.push_back(std::move(c));
  }
  uint64_t total = 0;
  for (const Cursor& c : cur) total += c.ev.size();
  std::vector<Merged> out;
  out.reserve(total);

  using Key = std::pair<uint64_t, size_t>;  // (sequence number, cursor)
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> pq;
  for (size_t i = 0; i < cur.size(); ++i)
    if (cur[i].marker < cur[i].ev.size()) pq.push({cur[i].ev[cur[i].marker].value, i});
  while (!pq.empty()) {
    const size_t i = pq.top().second;
    pq.pop();
    Cursor& c = cur[i];
    for (; c.pos < c.marker; ++c.pos) out.push_back({c.tid, c.ev[c.pos]});
    c.pos = c.marker + 1;  // drop the marker itself
    c.find_marker();
    if (c.marker < c.ev.size()) pq.push({c.ev[c.marker].value, i});
  }
  // Events after a thread's last marker: only when recording was cut off.
  std::sort(cur.begin(), cur.end(), [](const Cursor& a, const Cursor& b) { return a.tid < b.tid; });
  for (Cursor& c : cur)
    for (; c.pos < c.ev.size(); ++c.pos) out.push_back({c.tid, c.ev[c.pos]});
  return out;
}

}  // namespace wgi::trace
