#include "trace/metadata.h"

#include <bit>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
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

IdAssigner::IdAssigner(std::span<const std::pair<uint32_t, uint32_t>> sites,
                       std::span<const interp::CompiledModule::SiteInfo> site_info)
    : sites_(sites), site_info_(site_info), site_locations_(sites.size(), kUnassigned) {}

const char* lock_kind_name(LockKind k) { return k == LockKind::Atomic ? "atomic" : "lock"; }

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
  if (site < site_info_.size()) {
    loc.offset = site_info_[site].offset;
    loc.width = site_info_[site].bytes;
  }
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

Result<uint32_t> IdAssigner::lock_id(uint64_t address, LockKind kind) {
  auto& ids = kind == LockKind::Atomic ? atomic_lock_ids_ : lock_ids_;
  auto [it, fresh] = ids.try_emplace(address, static_cast<uint32_t>(md_.locks.size()));
  if (fresh) {
    if (md_.locks.size() >= static_cast<uint64_t>(rapidbin::kMaxLocks)) {
      ids.erase(it);
      return too_many("the trace has more than " + std::to_string(rapidbin::kMaxLocks) +
                      " locks, more than a RapidBin header can count");
    }
    md_.locks.push_back({address, kind});
  }
  return it->second;
}

Result<uint32_t> IdAssigner::variable_id(uint32_t trace_thread, uint64_t address, uint32_t size,
                                         uint32_t accesses) {
  const uint32_t next = static_cast<uint32_t>(md_.variables.size());
  bool fresh = false;
  VariableTable::Slot& v = variable_ids_.find_or_insert(address, size, next, &fresh);
  if (fresh) {
    if (md_.variables.size() >= static_cast<uint64_t>(rapidbin::kMaxVariables))
      return too_many("the trace has more than " + std::to_string(rapidbin::kMaxVariables) +
                      " variables (distinct address and size pairs), more than a RapidBin header can count");
    v.first_thread = trace_thread;
    TraceMetadata::Variable nv;
    nv.address = address;
    nv.size = size;
    md_.variables.push_back(nv);  // counts: metadata() copies them from the table
  }
  v.accesses += accesses;
  if (v.first_thread != trace_thread) v.shared = 1;
  return v.id;
}

Result<size_t> IdAssigner::expand(uint32_t tid, const Event& e, rapidbin::Event out[kMaxExpansion]) {
  const EventOp op = e.op();
  if (op == EventOp::Seq || op == EventOp::End) return size_t{0};
  rapidbin::Event base;
  WGI_TRY_ASSIGN(base.thread, thread_id(tid));
  WGI_TRY_ASSIGN(base.location, location_id(e.site));
  auto put = [&](size_t i, EventOp o, uint64_t decor) {
    out[i] = base;
    out[i].op = o;
    out[i].decor = decor;
  };
  switch (op) {
    case EventOp::Acquire:
    case EventOp::Release:
    case EventOp::Request: {
      WGI_TRY_ASSIGN(uint32_t lock, lock_id(e.value, LockKind::Lock));
      put(0, op, lock);
      return size_t{1};
    }
    case EventOp::Read:
    case EventOp::Write: {
      WGI_TRY_ASSIGN(uint32_t var, variable_id(base.thread, e.value, e.size(), 1));
      put(0, op, var);
      return size_t{1};
    }
    case EventOp::Fork:
    case EventOp::Join: {
      if (e.value > UINT32_MAX) return too_many("fork/join of thread " + std::to_string(e.value));
      WGI_TRY_ASSIGN(uint32_t child, thread_id(static_cast<uint32_t>(e.value)));
      put(0, op, child);
      return size_t{1};
    }
    case EventOp::AtomicLoad:
    case EventOp::AtomicStore:
    case EventOp::AtomicRmw:
    case EventOp::AtomicSync: {
      // A critical section of the address's reserved lock (file comment).
      WGI_TRY_ASSIGN(uint32_t lock, lock_id(e.value, LockKind::Atomic));
      size_t n = 0;
      put(n++, EventOp::Acquire, lock);
      if (op != EventOp::AtomicSync) {
        const uint32_t accesses = op == EventOp::AtomicRmw ? 2 : 1;
        WGI_TRY_ASSIGN(uint32_t var, variable_id(base.thread, e.value, e.size(), accesses));
        if (op != EventOp::AtomicStore) put(n++, EventOp::Read, var);
        if (op != EventOp::AtomicLoad) put(n++, EventOp::Write, var);
      }
      put(n++, EventOp::Release, lock);
      return n;
    }
    case EventOp::Seq:
    case EventOp::End: break;
  }
  return make_error(ErrorCode::Runtime, kNoOffset,
                    "internal: event operation " + std::to_string(static_cast<unsigned>(op)) +
                        " has no RapidBin form");
}

Result<rapidbin::Event> IdAssigner::add(uint32_t tid, const Event& e) {
  rapidbin::Event out[kMaxExpansion];
  WGI_TRY_ASSIGN(size_t n, expand(tid, e, out));
  if (n != 1)
    return make_error(ErrorCode::Runtime, kNoOffset,
                      "internal: event operation " + std::to_string(static_cast<unsigned>(e.op())) +
                          " is not one RapidBin event");
  return out[0];
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
  out << "{\n  \"format\": \"wgi-trace-metadata\",\n  \"version\": " << kMetadataVersion << ",\n";
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
  array("locks", md.locks.size(), [&](size_t i) {
    out << ", \"address\": " << md.locks[i].address << ", \"kind\": \"" << lock_kind_name(md.locks[i].kind) << "\"";
  });
  array("variables", md.variables.size(), [&](size_t i) {
    out << ", \"address\": " << md.variables[i].address << ", \"size\": " << uint64_t{md.variables[i].size};
  });
  array("locations", md.locations.size(), [&](size_t i) {
    const TraceMetadata::Location& l = md.locations[i];
    if (l.function == kNoFunction) {
      out << ", \"function\": null, \"name\": null, \"instruction\": null, \"offset\": null, \"width\": null";
      return;
    }
    const std::string* name = info.function_name ? info.function_name(l.function) : nullptr;
    out << ", \"function\": " << uint64_t{l.function} << ", \"name\": " << (name ? json_quote(*name) : "null")
        << ", \"instruction\": " << uint64_t{l.instruction} << ", \"offset\": " << uint64_t{l.offset}
        << ", \"width\": " << uint64_t{l.width};
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

// ---- reading trace.json ----------------------------------------------------

namespace {

// Walks the document with a JsonReader; the first error wins.
class MetadataParser {
 public:
  explicit MetadataParser(std::string_view text) : r_(text) {}

  Result<MetadataFile> parse() {
    std::string key;
    bool is_metadata = false;
    if (r_.begin_object()) {
      while (r_.next_member(&key)) {
        using Kind = JsonReader::Kind;
        if (key == "format") {
          std::string f;
          if (r_.read_string(&f)) is_metadata = f == "wgi-trace-metadata";
        } else if (key == "version") {
          r_.read_u64(&out_.version);
        } else if (key == "events" && r_.peek() == Kind::Number) {
          uint64_t n = 0;
          if (r_.read_u64(&n)) out_.events = n;
        } else if (key == "module" && r_.peek() == Kind::String) {
          r_.read_string(&out_.module);
        } else if (key == "truncated" && r_.peek() == Kind::Bool) {
          r_.read_bool(&out_.truncated);
        } else if (key == "threads") {
          elements(out_.md.threads, [&](uint32_t& t, uint64_t, const std::string& k) {
            if (k != "wgi_thread") return r_.skip();
            return read_u32(&t);
          }, [](uint32_t& t, uint64_t id, bool seen) {
            if (!seen) t = static_cast<uint32_t>(id);  // no "wgi_thread": the trace's own id
          });
        } else if (key == "locks") {
          elements(out_.md.locks, [&](TraceMetadata::Lock& l, uint64_t, const std::string& k) {
            if (k == "address") return r_.read_u64(&l.address);
            if (k != "kind") return r_.skip();
            std::string kind;
            if (!r_.read_string(&kind)) return false;
            if (kind != "lock" && kind != "atomic") return r_.fail("unknown lock kind \"" + kind + "\"");
            l.kind = kind == "atomic" ? LockKind::Atomic : LockKind::Lock;
            out_.has_lock_kinds = true;
            return true;
          });
        } else if (key == "variables") {
          elements(out_.md.variables, [&](TraceMetadata::Variable& v, uint64_t, const std::string& k) {
            if (k == "address") return r_.read_u64(&v.address);
            if (k == "size") return read_u32(&v.size);
            return r_.skip();
          });
        } else if (key == "locations") {
          elements(out_.md.locations, [&](TraceMetadata::Location& l, uint64_t id, const std::string& k) {
            if (r_.peek() == Kind::Null) return r_.read_null();  // the defaults: no function, 0
            if (k == "name") return r_.read_string(&names_[id]);
            if (k == "function") return read_u32(&l.function);
            if (k == "instruction") return read_u32(&l.instruction);
            if (k == "offset") return read_u32(&l.offset);
            if (k == "width") return read_u32(&l.width);
            return r_.skip();
          });
        } else {
          r_.skip();
        }
      }
    }
    if (!r_.end()) return make_error(ErrorCode::Malformed, r_.error_offset(), r_.error());
    if (!is_metadata)
      return make_error(ErrorCode::Malformed, 0,
                        "not a trace metadata file (no \"format\": \"wgi-trace-metadata\")");
    for (auto& [loc, name] : names_)
      if (loc < out_.md.locations.size() && out_.md.locations[loc].function != kNoFunction)
        out_.function_names.try_emplace(out_.md.locations[loc].function, std::move(name));
    return std::move(out_);
  }

 private:
  bool read_u32(uint32_t* out) {
    uint64_t v = 0;
    if (!r_.read_u64(&v)) return false;
    if (v > UINT32_MAX) return r_.fail("number too big: " + std::to_string(v));
    *out = static_cast<uint32_t>(v);
    return true;
  }
  // An array of objects in id order: an object's "id", if it has one, must
  // be its position. member(element, id, key) reads each other member's
  // value; done(element, id, saw_another_member) finishes an element.
  template <class T, class Member, class Done>
  void elements(std::vector<T>& vec, Member&& member, Done&& done) {
    if (!r_.begin_array()) return;
    std::string key;
    for (uint64_t index = 0; r_.next_item(); ++index) {
      if (!r_.begin_object()) return;
      vec.emplace_back();
      bool seen = false;
      while (r_.next_member(&key)) {
        if (key == "id") {
          uint64_t id = 0;
          if (!r_.read_u64(&id)) return;
          if (id != index) {
            r_.fail("id " + std::to_string(id) + " out of order (expected " + std::to_string(index) + ")");
            return;
          }
          continue;
        }
        seen = true;
        if (!member(vec.back(), index, key)) return;
      }
      if (r_.failed()) return;
      done(vec.back(), index, seen);
    }
  }
  template <class T, class Member>
  void elements(std::vector<T>& vec, Member&& member) {
    elements(vec, std::forward<Member>(member), [](T&, uint64_t, bool) {});
  }

  JsonReader r_;
  MetadataFile out_;
  std::map<uint64_t, std::string> names_;  // by location id
};

}  // namespace

Result<MetadataFile> read_metadata_json(std::string_view text) { return MetadataParser(text).parse(); }

}  // namespace wgi::trace
