#include "trace/metadata.h"

#include <bit>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>

#include "trace/overlap.h"

namespace wgi::trace {

namespace {

constexpr uint32_t kUnassigned = UINT32_MAX;

Error too_many(const std::string& what) { return make_error(ErrorCode::Runtime, kNoOffset, what); }

}  // namespace

size_t IdAssigner::VariableTable::home(uint64_t address, uint32_t size) const {
  // The home slot keeps locality: the accesses of one size to a 256-byte
  // block of memory hash to a random place (Fibonacci hashing of block
  // and size), and go to consecutive slots from there, one per aligned
  // position of that size. Programs sweep arrays, so successive lookups
  // then mostly hit the same cache lines.
  const uint64_t block = ((address >> 8) ^ (uint64_t{size} << 36)) * 0x9E3779B97F4A7C15ull;
  const unsigned align_shift = static_cast<unsigned>(std::countr_zero(size | 8u));  // 0..3
  return static_cast<size_t>(block >> (64 - std::countr_zero(slots_.size()))) + ((address & 255) >> align_shift);
}

IdAssigner::VariableTable::Slot& IdAssigner::VariableTable::find_or_insert(uint64_t address, uint32_t size,
                                                                          uint32_t next_id, bool* fresh) {
  // Grown before the lookup, so that the slot returned stays where it is.
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = home(address, size) & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.size == size && s.address == address) {
      *fresh = false;
      return s;
    }
    if (s.size == kEmpty) {
      s = Slot{address, size, next_id};
      ++used_;
      *fresh = true;
      return s;
    }
  }
}

void IdAssigner::VariableTable::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.size == kEmpty) continue;
    size_t i = home(s.address, s.size) & mask;
    while (slots_[i].size != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void IdAssigner::VariableTable::copy_counts(std::vector<TraceMetadata::Variable>& vars) const {
  for (const Slot& s : slots_) {
    if (s.size == kEmpty || s.id >= vars.size()) continue;
    TraceMetadata::Variable& v = vars[s.id];
    v.accesses = s.accesses;
    v.first_thread = static_cast<uint32_t>(s.first_thread);
    v.shared = s.shared != 0;
  }
}

const TraceMetadata& IdAssigner::metadata() {
  variable_ids_.copy_counts(md_.variables);
  return md_;
}

IdAssigner::IdAssigner(std::span<const std::pair<uint32_t, uint32_t>> sites)
    : sites_(sites), site_locations_(sites.size(), kUnassigned) {}

Result<uint32_t> IdAssigner::thread_id(uint32_t tid) {
  if (tid >= thread_ids_.size()) thread_ids_.resize(size_t{tid} + 1, kUnassigned);
  uint32_t& id = thread_ids_[tid];
  if (id == kUnassigned) {
    if (md_.threads.size() >= rapidbin::kMaxThreads)
      return too_many("the trace has more than " + std::to_string(rapidbin::kMaxThreads) +
                      " threads, which RapidBin's 10-bit thread ids cannot number");
    id = static_cast<uint32_t>(md_.threads.size());
    md_.threads.push_back(tid);
  }
  return id;
}

Result<uint32_t> IdAssigner::location_id(uint32_t site) {
  if (site < site_locations_.size() && site_locations_[site] != kUnassigned) return site_locations_[site];
  TraceMetadata::Location loc;
  if (site < sites_.size()) loc = {sites_[site].first, sites_[site].second};
  const uint64_t key = uint64_t{loc.function} << 32 | loc.instruction;
  auto [it, fresh] = location_ids_.try_emplace(key, static_cast<uint32_t>(md_.locations.size()));
  if (fresh) {
    if (md_.locations.size() >= rapidbin::kMaxLocations) {
      location_ids_.erase(it);
      return too_many("the trace has more than " + std::to_string(rapidbin::kMaxLocations) +
                      " locations (distinct instructions), which RapidBin's 15-bit location ids cannot number");
    }
    md_.locations.push_back(loc);
  }
  if (site < site_locations_.size()) site_locations_[site] = it->second;
  return it->second;
}

Result<rapidbin::Event> IdAssigner::add(uint32_t tid, const Event& e) {
  rapidbin::Event out;
  WGI_TRY_ASSIGN(out.thread, thread_id(tid));
  WGI_TRY_ASSIGN(out.location, location_id(e.site));
  switch (e.op()) {
    case EventOp::Acquire:
    case EventOp::Release:
    case EventOp::Request: {
      out.op = e.op();
      auto [it, fresh] = lock_ids_.try_emplace(e.value, static_cast<uint32_t>(md_.locks.size()));
      if (fresh) {
        if (md_.locks.size() >= static_cast<uint64_t>(rapidbin::kMaxLocks)) {
          lock_ids_.erase(it);
          return too_many("the trace has more than " + std::to_string(rapidbin::kMaxLocks) +
                          " locks, more than a RapidBin header can count");
        }
        md_.locks.push_back(e.value);
      }
      out.decor = it->second;
      return out;
    }
    case EventOp::Read:
    case EventOp::Write: {
      out.op = e.op();
      const uint32_t next = static_cast<uint32_t>(md_.variables.size());
      bool fresh = false;
      VariableTable::Slot& v = variable_ids_.find_or_insert(e.value, e.size(), next, &fresh);
      if (fresh) {
        if (md_.variables.size() >= static_cast<uint64_t>(rapidbin::kMaxVariables))
          return too_many("the trace has more than " + std::to_string(rapidbin::kMaxVariables) +
                          " variables (distinct address and size pairs), more than a RapidBin header can count");
        v.first_thread = out.thread;
        TraceMetadata::Variable nv;
        nv.address = e.value;
        nv.size = e.size();
        md_.variables.push_back(nv);  // counts: metadata() copies them from the table
      }
      ++v.accesses;
      if (v.first_thread != out.thread) v.shared = 1;
      out.decor = v.id;
      return out;
    }
    case EventOp::Fork:
    case EventOp::Join: {
      out.op = e.op();
      if (e.value > UINT32_MAX) return too_many("fork/join of thread " + std::to_string(e.value));
      WGI_TRY_ASSIGN(uint32_t child, thread_id(static_cast<uint32_t>(e.value)));
      out.decor = child;
      return out;
    }
    case EventOp::AtomicLoad:  // the writer spells these as the above first
    case EventOp::AtomicStore:
    case EventOp::AtomicRmw:
    case EventOp::AtomicSync:
    case EventOp::Seq:
    case EventOp::End: break;
  }
  return make_error(ErrorCode::Runtime, kNoOffset,
                    "internal: event operation " + std::to_string(static_cast<unsigned>(e.op())) +
                        " has no RapidBin form");
}

namespace {

// Buffered output with std::to_chars: trace.json can list millions of
// variables, and printf per field would dominate writing it.
class JsonOut {
 public:
  explicit JsonOut(std::FILE* f) : f_(f) { buf_.reserve(kFlush + 256); }
  JsonOut& operator<<(std::string_view s) {
    buf_.append(s);
    return maybe_flush();
  }
  JsonOut& operator<<(uint64_t v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, r.ptr);
    return maybe_flush();
  }
  bool finish() {
    flush();
    return ok_ && std::fflush(f_) == 0;
  }

 private:
  static constexpr size_t kFlush = 1 << 20;
  JsonOut& maybe_flush() {
    if (buf_.size() >= kFlush) flush();
    return *this;
  }
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) ok_ = false;
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
  bool ok_ = true;
};

}  // namespace

Result<void> write_metadata_json(const std::string& path, const TraceMetadata& md, const MetadataInfo& info,
                                 const OverlapReport& overlaps) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "w"), std::fclose);
  if (!f) return make_error(ErrorCode::Io, kNoOffset, "cannot write " + path + ": " + std::strerror(errno));
  JsonOut out(f.get());
  out << "{\n  \"format\": \"wgi-trace-metadata\",\n  \"version\": 1,\n";
  out << "  \"trace\": " << json_quote(info.trace_file) << ",\n  \"module\": " << json_quote(info.module) << ",\n";
  out << "  \"events\": " << info.events << ",\n  \"truncated\": " << (info.truncated ? "true" : "false")
      << ",\n  \"event_limit\": " << info.event_limit << ",\n";
  // Arrays: one element per line, in id order.
  auto array = [&](const char* name, size_t n, auto&& element) {
    out << "  \"" << name << "\": [";
    for (size_t i = 0; i < n; ++i) {
      out << (i ? ",\n    {\"id\": " : "\n    {\"id\": ") << uint64_t{i};
      element(i);
      out << "}";
    }
    out << (n ? "\n  ],\n" : "],\n");
  };
  array("threads", md.threads.size(), [&](size_t i) { out << ", \"wgi_thread\": " << uint64_t{md.threads[i]}; });
  array("locks", md.locks.size(), [&](size_t i) { out << ", \"address\": " << md.locks[i]; });
  array("variables", md.variables.size(), [&](size_t i) {
    out << ", \"address\": " << md.variables[i].address << ", \"size\": " << uint64_t{md.variables[i].size};
  });
  array("locations", md.locations.size(), [&](size_t i) {
    const TraceMetadata::Location& l = md.locations[i];
    if (l.function == kNoFunction) {
      out << ", \"function\": null, \"name\": null, \"instruction\": null";
      return;
    }
    const std::string* name = info.function_name ? info.function_name(l.function) : nullptr;
    out << ", \"function\": " << uint64_t{l.function} << ", \"name\": " << (name ? json_quote(*name) : "null")
        << ", \"instruction\": " << uint64_t{l.instruction};
  });
  out << "  \"overlaps\": {\"variables\": " << overlaps.overlapping << ", \"accesses\": "
      << overlaps.overlapping_accesses << ", \"examples\": [";
  for (size_t i = 0; i < overlaps.examples.size(); ++i)
    out << (i ? ", [" : "[") << uint64_t{overlaps.examples[i].first} << ", " << uint64_t{overlaps.examples[i].second}
        << "]";
  out << "]}\n}\n";
  if (!out.finish()) return make_error(ErrorCode::Io, kNoOffset, "cannot write " + path + ": " + std::strerror(errno));
  return {};
}

}  // namespace wgi::trace
