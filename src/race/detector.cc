#include "race/detector.h"
#include "util/spin.h"

#include <algorithm>
#include <cinttypes>
#include <thread>

#include "interp/thread.h"
#include "util/json.h"

namespace wgi::race {

using interp::Event;
using interp::EventOp;

namespace {
constexpr uint32_t kNoSlot = UINT32_MAX;
}  // namespace

// One thread's side of the detector: its vector clock, its slot and epoch,
// and the reports waiting for its backtrace. Only its own thread calls it,
// except for Fork (the parent sets up the child before the child runs).
class RaceThread final : public interp::EventLog {
 public:
  RaceThread(Detector& d, uint32_t tid, interp::EventLog* inner) : d_(d), tid_(tid), inner_(inner) {}

  uint32_t tid() const { return tid_; }

  void mark() override {
    if (inner_) inner_->mark();
  }
  void mark_end() override;
  std::mutex& stripe(uint64_t addr) override {
    return inner_ ? inner_->stripe(addr) : d_.stripes_[(addr >> 3) % Detector::kStripes];
  }
  void backtrace_ready(const std::vector<interp::BacktraceFrame>& frames) override;
  void follows_end_of(uint32_t tid) override {
    follow_end(tid, false);
    if (inner_) inner_->follows_end_of(tid);
  }

  // Creation, set by the parent's Fork (under the detector's mutex).
  std::optional<uint32_t> parent;
  Frame created_at;

 private:
  friend class Detector;
  bool take(Event e) override {
    bool want = false;
    if (d_.checking_.load(std::memory_order_relaxed)) [[likely]] {
      // Plain accesses are most events: straight to the shadow, unless this
      // thread made the same access in its current epoch already.
      const EventOp op = e.op();
      if ((op == EventOp::Read || op == EventOp::Write) && slot_ != kNoSlot && !dirty_) [[likely]] {
        if (!seen(e.value, e.size(), op == EventOp::Write)) want = access(e, op == EventOp::Write, false);
      } else {
        want = handle(e);
      }
    }
    if (inner_) inner_->push(e.op(), e.value, e.size(), e.site);
    return want;
  }

  // FastTrack's same-epoch rule, kept per thread: an access that this
  // thread already made, with the same or more bytes, at its current epoch
  // (no synchronisation in between) cannot race with anything the first
  // did not race with, so it needs no shadow cell, no lock and no shared
  // cache line. A direct-mapped table of plain accesses of up to two
  // granules; an entry counts only at the epoch that wrote it.
  struct Seen {
    uint32_t granule = UINT32_MAX;  // memory32: granules below 2^30
    Epoch epoch = 0;
    uint8_t read = 0;   // bytes read (mask of the granule's four)
    uint8_t write = 0;  // bytes written
  };
  static_assert(sizeof(Seen) == 12, "the table should stay in the L1 cache");
  static constexpr size_t kSeen = 2048;
  static constexpr uint64_t kGranule = 4;
  // Aligned accesses of 4 and 8 bytes (nearly all) take the short path.
  bool seen(uint64_t addr, uint64_t size, bool write) const {
    if (!seen_) [[unlikely]] return false;  // ended (mark_end)
    const Epoch ep = now();
    if ((addr & 3) == 0 && (size == 4 || size == 8)) [[likely]] {
      for (uint64_t x = addr / kGranule, n = size / kGranule; n > 0; --n, ++x) {
        const Seen& s = seen_[x % kSeen];
        if (s.granule != x || s.epoch != ep || ((write ? s.write : s.read | s.write) & 0xF) != 0xF) return false;
      }
      return true;
    }
    const uint64_t g = addr / kGranule, last = (addr + size - 1) / kGranule;
    if (last - g > 1) return false;
    for (uint64_t x = g; x <= last; ++x) {
      const Seen& s = seen_[x % kSeen];
      if (s.granule != x || s.epoch != ep) return false;
      const uint8_t m = mask(addr, size, x);
      if (((write ? s.write : uint8_t(s.read | s.write)) & m) != m) return false;
    }
    return true;
  }
  void remember(uint64_t addr, uint64_t size, bool write) {
    if (!seen_) [[unlikely]] return;
    const Epoch ep = now();
    const uint64_t g = addr / kGranule, last = (addr + size - 1) / kGranule;
    if (last - g > 1) return;
    const bool whole = (addr & 3) == 0 && (size & 3) == 0;
    for (uint64_t x = g; x <= last; ++x) {
      Seen& s = seen_[x % kSeen];
      if (s.granule != x || s.epoch != ep) s = Seen{static_cast<uint32_t>(x), ep, 0, 0};
      (write ? s.write : s.read) |= whole ? 0xF : mask(addr, size, x);
    }
  }
  // The bytes of granule x that [addr, addr + size) covers.
  static uint8_t mask(uint64_t addr, uint64_t size, uint64_t x) {
    const uint64_t lo = std::max(addr, x * kGranule), hi = std::min(addr + size, x * kGranule + kGranule);
    return static_cast<uint8_t>(((1u << (hi - lo)) - 1) << (lo - x * kGranule));
  }
  bool handle(const Event& e);
  bool access(const Event& e, bool write, bool atomic);
  bool ensure_slot() { return slot_ != kNoSlot || claim_slot(); }
  bool claim_slot();
  void tick();
  void fork(uint32_t child_tid, uint32_t site);
  void join(uint32_t child_tid);
  void follow_end(uint32_t tid, bool joining);
  Epoch now() const { return make_epoch(slot_, clock_); }

  Detector& d_;
  uint32_t tid_;
  interp::EventLog* inner_;
  VectorClock vc_;
  uint32_t slot_ = kNoSlot;
  uint32_t clock_ = 0;
  bool dirty_ = false;  // a release happened: the next access starts a new epoch
  std::vector<Conflict> conflicts_;
  std::vector<size_t> pending_;  // reports_ waiting for this thread's backtrace
  std::unique_ptr<Seen[]> seen_ = std::make_unique<Seen[]>(kSeen);
  // The synchronisation variables this thread used, direct-mapped by
  // address (Detector::SyncVar).
  struct SyncCache {
    uint64_t addr = UINT64_MAX;
    Detector::SyncVar* var = nullptr;
  };
  static constexpr size_t kSyncCache = 1024;
  std::unique_ptr<SyncCache[]> sync_cache_ = std::make_unique<SyncCache[]>(kSyncCache);
 public:
  Detector::SyncVar& sync_var(uint64_t addr) {
    if (!sync_cache_) [[unlikely]] return d_.sync_var(addr);  // ended (mark_end)
    SyncCache& c = sync_cache_[(addr >> 2) % kSyncCache];
    if (c.addr != addr) c = {addr, &d_.sync_var(addr)};
    return *c.var;
  }
 private:
  std::atomic<uint64_t> fresh_granules_{0};  // Access::fresh; read by stats()
};

bool RaceThread::claim_slot() {
  std::lock_guard<std::mutex> g(d_.mu_);
  std::optional<uint32_t> s = d_.claim_slot(vc_, tid_, &clock_);
  if (!s) return false;
  slot_ = *s;
  vc_.set(slot_, clock_);
  return true;
}

// A new epoch. At the end of a slot's clock range the thread moves to a
// fresh slot: its clock still covers the old one, so its own earlier
// accesses stay ordered before its later ones.
void RaceThread::tick() {
  dirty_ = false;
  if (clock_ < kClockMax) {
    vc_.set(slot_, ++clock_);
    return;
  }
  std::lock_guard<std::mutex> g(d_.mu_);
  d_.free_slot(slot_, kClockMax);
  std::optional<uint32_t> s = d_.claim_slot(vc_, tid_, &clock_);
  if (!s) {
    slot_ = kNoSlot;
    return;
  }
  slot_ = *s;
  vc_.set(slot_, clock_);
}

bool RaceThread::access(const Event& e, bool write, bool atomic) {
  if (!ensure_slot()) {
    d_.stop_checking("more than " + std::to_string(kSlots) + " threads alive at once");
    return false;
  }
  if (dirty_) tick();
  if (slot_ == kNoSlot) {
    d_.stop_checking("more than " + std::to_string(kSlots) + " threads alive at once");
    return false;
  }
  const Access a{e.value, e.size(), write, atomic, now(), e.site, &fresh_granules_};
  conflicts_.clear();
  if (!d_.shadow_.access(a, vc_, conflicts_)) d_.stop_checking("the shadow memory's tables are full");
  if (!atomic) remember(e.value, e.size(), write);
  bool want = false;
  for (const Conflict& c : conflicts_) want |= d_.found(*this, a, c);
  return want;
}

bool RaceThread::handle(const Event& e) {
  switch (e.op()) {
    case EventOp::Read: return access(e, false, false);
    case EventOp::Write: return access(e, true, false);
    case EventOp::AtomicLoad:
      d_.acquire(*this, e.value);
      return access(e, false, true);
    case EventOp::AtomicStore: {
      const bool want = access(e, true, true);
      d_.release(*this, e.value);
      return want;
    }
    case EventOp::AtomicRmw: {
      d_.acquire(*this, e.value);
      const bool want = access(e, true, true);
      d_.release(*this, e.value);
      return want;
    }
    case EventOp::AtomicSync:
      d_.acquire(*this, e.value);
      d_.release(*this, e.value);
      return false;
    case EventOp::Acquire: d_.acquire(*this, e.value); return false;
    case EventOp::Release: d_.release(*this, e.value); return false;
    case EventOp::Fork: fork(static_cast<uint32_t>(e.value), e.site); return false;
    case EventOp::Join: join(static_cast<uint32_t>(e.value)); return false;
    case EventOp::Request:
    case EventOp::Seq:
    case EventOp::End: return false;
  }
  return false;
}

void RaceThread::fork(uint32_t child_tid, uint32_t site) {
  ensure_slot();
  RaceThread* child = nullptr;
  {
    std::lock_guard<std::mutex> g(d_.mu_);
    auto it = d_.by_tid_.find(child_tid);
    if (it == d_.by_tid_.end()) return;
    child = it->second;
  }
  // The child does not run yet (threadlink starts it after the fork).
  child->vc_.join(vc_);
  {
    std::lock_guard<std::mutex> g(d_.mu_);  // reports read these
    child->parent = tid_;
    child->created_at = d_.frame_of_site(site);
    if (std::optional<uint32_t> s = d_.claim_slot(child->vc_, child_tid, &child->clock_)) {
      child->slot_ = *s;
      child->vc_.set(*s, child->clock_);
    }
  }
  dirty_ = true;
}

void RaceThread::join(uint32_t child_tid) { follow_end(child_tid, true); }

// Joined (or its blocks freed): this thread follows the end of child_tid.
void RaceThread::follow_end(uint32_t tid, bool joining) {
  std::lock_guard<std::mutex> g(d_.mu_);
  auto it = d_.end_clocks_.find(tid);
  if (it == d_.end_clocks_.end()) return;
  vc_.join(it->second.vc);
  (joining ? it->second.joined : it->second.reaped) = true;
  if (it->second.joined && it->second.reaped) d_.end_clocks_.erase(it);
}

void RaceThread::mark_end() {
  if (inner_) inner_->mark_end();
  std::lock_guard<std::mutex> g(d_.mu_);
  for (size_t i : pending_) d_.print(d_.reports_[i]);
  pending_.clear();
  d_.end_clocks_[tid_].vc = std::move(vc_);
  vc_ = VectorClock();
  // A thread that ended records nothing more: its tables go (a program may
  // run thousands of threads over its life).
  seen_.reset();
  sync_cache_.reset();
  if (slot_ != kNoSlot) d_.free_slot(slot_, clock_);
  slot_ = kNoSlot;
}

void RaceThread::backtrace_ready(const std::vector<interp::BacktraceFrame>& frames) {
  std::vector<Frame> bt;
  for (const interp::BacktraceFrame& f : frames)
    if (f.instance) bt.push_back(Frame{f.func_index, f.offset});
  std::lock_guard<std::mutex> g(d_.mu_);
  for (size_t i : pending_) {
    d_.reports_[i].access.backtrace = bt;
    d_.print(d_.reports_[i]);
  }
  pending_.clear();
}

// ---------------------------------------------------------------- Detector

Sites sites_of_module(const interp::CompiledModule& cm) {
  Sites s;
  s.sites.resize(cm.trace_sites.size());
  for (size_t i = 0; i < s.sites.size(); ++i) {
    s.sites[i].func = cm.trace_sites[i].first;
    if (i < cm.trace_site_info.size()) {
      s.sites[i].offset = cm.trace_site_info[i].offset;
      s.sites[i].bytes = cm.trace_site_info[i].bytes;
    }
  }
  for (const Export& e : cm.module->exports)
    if (e.kind == ExternKind::Func) s.func_names.try_emplace(e.index, e.name);
  for (const auto& [index, name] : cm.module->names.funcs) s.func_names[index] = name;
  const Module& m = *cm.module;
  for (const Export& e : m.exports) {
    if (e.kind != ExternKind::Global || e.name.rfind("__", 0) == 0 || e.index < m.num_imported_globals) continue;
    const Global& g = m.globals[e.index];
    if (g.type.mut || g.type.type != ValType::I32 || g.init.instrs.size() != 1 ||
        g.init.instrs[0].op != Op::I32Const)
      continue;
    s.data_symbols.emplace_back(static_cast<uint32_t>(g.init.instrs[0].value), e.name);
  }
  std::sort(s.data_symbols.begin(), s.data_symbols.end());
  return s;
}

std::string Sites::variable_at(uint64_t addr) const {
  auto it = std::upper_bound(data_symbols.begin(), data_symbols.end(), addr,
                             [](uint64_t a, const auto& sym) { return a < sym.first; });
  if (it == data_symbols.begin()) return "";
  const auto next = it;
  --it;
  const uint64_t off = addr - it->first;
  if (off >= 4096 || (next != data_symbols.end() && addr >= next->first)) return "";
  return off == 0 ? it->second : it->second + "+" + std::to_string(off);
}

Detector::Detector(Sites sites, const DetectorOptions& options)
    : sites_(std::move(sites)), opt_(options), shadow_(options.memory_bytes) {}

Detector::~Detector() = default;

interp::EventLog* Detector::add_thread(uint32_t tid) {
  interp::EventLog* inner = opt_.inner ? opt_.inner->add_thread(tid) : nullptr;
  std::lock_guard<std::mutex> g(mu_);
  threads_.push_back(std::make_unique<RaceThread>(*this, tid, inner));
  by_tid_[tid] = threads_.back().get();
  return threads_.back().get();
}

void Detector::SyncVar::lock() {
  int spins = 0;
  while (locked.exchange(true, std::memory_order_acquire))
    while (locked.load(std::memory_order_relaxed)) spin_pause(spins);
}

Detector::SyncVar& Detector::sync_var(uint64_t addr) {
  SyncShard& s = shard(addr);
  std::lock_guard<std::mutex> g(s.mu);
  std::unique_ptr<SyncVar>& v = s.vars[addr];
  if (!v) v = std::make_unique<SyncVar>();
  return *v;
}

void Detector::acquire(RaceThread& t, uint64_t addr) {
  SyncVar& v = t.sync_var(addr);
  v.lock();
  t.vc_.join(v.vc);
  v.unlock();
}

void Detector::release(RaceThread& t, uint64_t addr) {
  t.ensure_slot();
  SyncVar& v = t.sync_var(addr);
  v.lock();
  v.vc.join(t.vc_);
  v.unlock();
  t.dirty_ = true;
}

std::optional<uint32_t> Detector::claim_slot(const VectorClock& vc, uint32_t tid, uint32_t* first_clock) {
  for (uint32_t s = 0; s < slots_.size(); ++s) {
    SlotState& st = slots_[s];
    if (!st.busy && st.last_clock < kClockMax && vc.get(s) >= st.last_clock) {
      st.busy = true;
      *first_clock = st.last_clock + 1;
      st.owners.emplace_back(*first_clock, tid);
      return s;
    }
  }
  if (slots_.size() >= kSlots) return std::nullopt;
  slots_.emplace_back();
  slots_.back().busy = true;
  *first_clock = 1;
  slots_.back().owners.emplace_back(1, tid);
  return static_cast<uint32_t>(slots_.size() - 1);
}

void Detector::free_slot(uint32_t slot, uint32_t last_clock) {
  slots_[slot].busy = false;
  slots_[slot].last_clock = last_clock;
}

uint32_t Detector::owner(uint32_t slot, uint32_t clock) const {
  if (slot >= slots_.size()) return 0;
  uint32_t tid = 0;
  for (const auto& [first, t] : slots_[slot].owners)
    if (first <= clock) tid = t;
  return tid;
}

void Detector::stop_checking(const std::string& why) {
  if (!checking_.exchange(false)) return;
  std::lock_guard<std::mutex> g(mu_);
  stopped_ = why;
  std::fprintf(opt_.out, "wgi: race detection stopped: %s; races after this point are not reported\n",
               why.c_str());
}

Frame Detector::frame_of_site(uint32_t site) const {
  if (site >= sites_.sites.size()) return Frame{UINT32_MAX, 0};
  return Frame{sites_.sites[site].func, sites_.sites[site].offset};
}

const std::string* Detector::func_name(uint32_t func) const {
  auto it = sites_.func_names.find(func);
  return it == sites_.func_names.end() ? nullptr : &it->second;
}

bool Detector::found(RaceThread& t, const Access& a, const Conflict& c) {
  std::lock_guard<std::mutex> g(mu_);
  ++total_;
  const auto key = std::minmax(a.site, c.prev_site);
  auto [it, fresh] = report_index_.try_emplace({key.first, key.second}, reports_.size());
  if (!fresh) {
    ++reports_[it->second].count;
    return false;
  }
  RaceReport r;
  r.addr = c.addr;
  r.size = c.size;
  r.variable = sites_.variable_at(c.addr);
  r.access.thread = t.tid_;
  r.access.write = a.write;
  r.access.atomic = a.atomic;
  r.access.addr = a.addr;
  r.access.size = a.size;
  r.access.where = frame_of_site(a.site);
  r.previous.thread = owner(slot_of(c.prev), clock_of(c.prev));
  r.previous.write = c.prev_write;
  r.previous.atomic = is_atomic(c.prev);
  if (c.prev_site < sites_.sites.size() && sites_.sites[c.prev_site].bytes)
    r.previous.size = sites_.sites[c.prev_site].bytes;
  r.previous.where = frame_of_site(c.prev_site);
  reports_.push_back(std::move(r));
  t.pending_.push_back(reports_.size() - 1);
  return true;
}

std::string Detector::func_label(uint32_t func) const {
  if (func == UINT32_MAX) return "<runtime>";
  if (sites_.locations_only) return "location " + std::to_string(func);
  const std::string* name = func_name(func);
  return name ? *name + " (func " + std::to_string(func) + ")" : "func " + std::to_string(func);
}

// Under mu_.
void Detector::print(const RaceReport& r) const {
  if (printed_ >= opt_.print_limit) return;
  ++printed_;
  std::string s;
  char buf[96];
  std::snprintf(buf, sizeof buf, "wgi: data race on %" PRIu64 " byte%s at 0x%08" PRIx64, r.size,
                r.size == 1 ? "" : "s", r.addr);
  s += buf;
  s += r.variable.empty() ? "\n" : " (" + r.variable + ")\n";
  auto side = [&](const RaceAccess& a, bool previous) {
    s += previous ? "  previous " : "  ";
    s += a.atomic ? "atomic " : "";
    s += a.write ? "write" : "read";
    if (a.size) s += " of " + std::to_string(*a.size) + (*a.size == 1 ? " byte" : " bytes");
    s += " by thread " + std::to_string(a.thread) + ":\n";
    const std::vector<Frame> one{a.where};
    const std::vector<Frame>& frames = a.backtrace.empty() ? one : a.backtrace;
    for (size_t i = 0; i < frames.size(); ++i) {
      std::snprintf(buf, sizeof buf, " at 0x%" PRIx32 "\n", frames[i].offset);
      s += "    #" + std::to_string(i) + " " + func_label(frames[i].func) + (sites_.locations_only ? "\n" : buf);
    }
  };
  side(r.access, false);
  side(r.previous, true);
  for (uint32_t tid : {r.access.thread, r.previous.thread}) {
    auto it = by_tid_.find(tid);
    if (it == by_tid_.end() || !it->second->parent) continue;
    std::snprintf(buf, sizeof buf, " at 0x%" PRIx32 "\n", it->second->created_at.offset);
    s += "  thread " + std::to_string(tid) + " was created by thread " + std::to_string(*it->second->parent) +
         " in " + func_label(it->second->created_at.func) + (sites_.locations_only ? "\n" : buf);
    if (r.previous.thread == r.access.thread) break;
  }
  std::fputs(s.c_str(), opt_.out);
}

void Detector::finish() {
  std::lock_guard<std::mutex> g(mu_);
  for (auto& t : threads_) {
    for (size_t i : t->pending_) print(reports_[i]);
    t->pending_.clear();
  }
  if (total_ > 0) {
    std::fprintf(opt_.out, "wgi: %" PRIu64 " data race%s found (%zu distinct pair%s of locations, %" PRIu64
                           " printed)\n",
                 total_, total_ == 1 ? "" : "s", reports_.size(), reports_.size() == 1 ? "" : "s",
                 printed_);
  }
}

uint64_t Detector::races_total() const {
  std::lock_guard<std::mutex> g(mu_);
  return total_;
}

std::vector<RaceReport> Detector::reports() const {
  std::lock_guard<std::mutex> g(mu_);
  return reports_;
}

Detector::Stats Detector::stats() const {
  Stats st;
  st.shadow = shadow_.usage();
  {
    std::lock_guard<std::mutex> g(mu_);
    for (const auto& t : threads_) st.shadow.granules += t->fresh_granules_.load(std::memory_order_relaxed);
  }
  st.shadow.cell_bytes = st.shadow.granules * 16;  // a Cell
  for (SyncShard& sh : const_cast<Detector*>(this)->sync_) {
    std::lock_guard<std::mutex> g(sh.mu);
    st.sync_objects += sh.vars.size();
    for (auto& [addr, v] : sh.vars) {
      v->lock();
      st.clock_bytes += v->vc.bytes();
      v->unlock();
    }
  }
  std::lock_guard<std::mutex> g(mu_);
  st.threads = threads_.size();
  st.slots = slots_.size();
  for (const auto& t : threads_) st.clock_bytes += t->vc_.bytes();
  for (const auto& [tid, e] : end_clocks_) st.clock_bytes += e.vc.bytes();
  return st;
}

std::string Detector::stopped_reason() const {
  std::lock_guard<std::mutex> g(mu_);
  return stopped_;
}

std::string Detector::json_races() const {
  std::lock_guard<std::mutex> g(mu_);
  auto num = [](std::optional<uint64_t> v) { return v ? std::to_string(*v) : std::string("null"); };
  auto name = [&](uint32_t func) -> std::string {
    if (func == UINT32_MAX) return "null";
    const std::string* n = func_name(func);
    return n ? json_quote(*n) : "null";
  };
  auto frame = [&](const Frame& f) {
    if (sites_.locations_only)  // a trace location, nothing more known
      return "\"func\": null, \"func_name\": null, \"location\": " +
             (f.func == UINT32_MAX ? std::string("null") : std::to_string(f.func)) + ", \"offset\": null";
    return "\"func\": " + (f.func == UINT32_MAX ? std::string("null") : std::to_string(f.func)) +
           ", \"func_name\": " + name(f.func) + ", \"offset\": " + std::to_string(f.offset);
  };
  auto side = [&](const RaceAccess& a) {
    std::string s = "{\"thread\": " + std::to_string(a.thread) + ", \"kind\": \"" +
                    (a.write ? "write" : "read") + "\", \"atomic\": " + (a.atomic ? "true" : "false") +
                    ", \"addr\": " + num(a.addr) + ", \"size\": " + num(a.size) + ", " + frame(a.where);
    if (!a.backtrace.empty()) {
      s += ", \"backtrace\": [";
      for (size_t i = 0; i < a.backtrace.size(); ++i) s += (i ? ", {" : "{") + frame(a.backtrace[i]) + "}";
      s += "]";
    }
    return s + "}";
  };
  std::string out = "\"races\": [";
  for (size_t i = 0; i < reports_.size(); ++i) {
    const RaceReport& r = reports_[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"addr\": " + std::to_string(r.addr) + ", \"size\": " + std::to_string(r.size) +
           ", \"variable\": " + (r.variable.empty() ? std::string("null") : json_quote(r.variable)) +
           ", \"count\": " + std::to_string(r.count) + ",\n     \"access\": " + side(r.access) +
           ",\n     \"previous\": " + side(r.previous) + "}";
  }
  out += reports_.empty() ? "]" : "\n  ]";
  out += ",\n  \"races_total\": " + std::to_string(total_) + ",\n  \"races_distinct\": " +
         std::to_string(reports_.size()) + ",\n  \"race_checking\": " +
         (stopped_.empty() ? std::string("\"complete\"") : json_quote("stopped: " + stopped_));
  return out;
}

}  // namespace wgi::race
