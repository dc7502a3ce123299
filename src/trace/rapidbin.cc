#include "trace/rapidbin.h"

#include <cinttypes>
#include <cstdio>

namespace wgi::trace::rapidbin {

namespace {

constexpr unsigned kThreadBits = 10, kOpBits = 4, kDecorBits = 34, kLocationBits = 15;
constexpr unsigned kOpShift = kThreadBits;
constexpr unsigned kDecorShift = kOpShift + kOpBits;
constexpr unsigned kLocationShift = kDecorShift + kDecorBits;
static_assert(kLocationShift + kLocationBits == 63, "the sign bit stays clear");
static_assert(kMaxThreads == 1u << kThreadBits && kMaxDecor == 1ull << kDecorBits &&
              kMaxLocations == 1u << kLocationBits);

void put_be(uint8_t* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}
uint64_t get_be(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

Error malformed(uint64_t offset, std::string message) {
  return make_error(ErrorCode::Malformed, offset, std::move(message));
}

const char* kind_name(DecorKind k) {
  switch (k) {
    case DecorKind::Lock: return "lock";
    case DecorKind::Variable: return "variable";
    case DecorKind::Thread: return "thread";
  }
  return "?";
}

}  // namespace

bool valid_op(unsigned code) { return code <= 5 || code == 8; }

DecorKind decor_kind(Op op) {
  switch (op) {
    case Op::Acquire:
    case Op::Release:
    case Op::Request: return DecorKind::Lock;
    case Op::Read:
    case Op::Write: return DecorKind::Variable;
    case Op::Fork:
    case Op::Join: return DecorKind::Thread;
    case Op::AtomicLoad:  // never in a file: the writer spells them out
    case Op::AtomicStore:
    case Op::AtomicRmw:
    case Op::AtomicSync:
    case Op::Seq:
    case Op::End: break;  // never in a file
  }
  return DecorKind::Variable;
}

const char* std_name(Op op) {
  switch (op) {
    case Op::Acquire: return "acq";
    case Op::Release: return "rel";
    case Op::Read: return "r";
    case Op::Write: return "w";
    case Op::Fork: return "fork";
    case Op::Join: return "join";
    case Op::Request: return "req";
    case Op::AtomicLoad:  // never in a file: the writer spells them out
    case Op::AtomicStore:
    case Op::AtomicRmw:
    case Op::AtomicSync:
    case Op::Seq:
    case Op::End: break;  // never in a file
  }
  return "?";
}

Result<uint64_t> encode_event(const Event& e) {
  if (!valid_op(static_cast<unsigned>(e.op)))
    return make_error(ErrorCode::Runtime, kNoOffset,
                      "RapidBin has no operation code " + std::to_string(static_cast<unsigned>(e.op)));
  if (e.thread >= kMaxThreads)
    return make_error(ErrorCode::Runtime, kNoOffset,
                      "thread id " + std::to_string(e.thread) + " does not fit RapidBin's 10 bits (at most " +
                          std::to_string(kMaxThreads) + " threads)");
  if (e.decor >= kMaxDecor)
    return make_error(ErrorCode::Runtime, kNoOffset,
                      std::string(kind_name(decor_kind(e.op))) + " id " + std::to_string(e.decor) +
                          " does not fit RapidBin's 34-bit decor (at most 2^34 ids)");
  if (e.location >= kMaxLocations)
    return make_error(ErrorCode::Runtime, kNoOffset,
                      "location id " + std::to_string(e.location) + " does not fit RapidBin's 15 bits (at most " +
                          std::to_string(kMaxLocations) + " locations)");
  return uint64_t{e.thread} | uint64_t{static_cast<unsigned>(e.op)} << kOpShift | e.decor << kDecorShift |
         uint64_t{e.location} << kLocationShift;
}

Event decode_event(uint64_t w) {
  Event e;
  e.thread = static_cast<uint32_t>(w & (kMaxThreads - 1));
  e.op = static_cast<Op>((w >> kOpShift) & 0xF);
  e.decor = (w >> kDecorShift) & (kMaxDecor - 1);
  e.location = static_cast<uint32_t>((w >> kLocationShift) & (kMaxLocations - 1));
  return e;
}

Result<void> encode_header(const Header& h, uint8_t out[kHeaderBytes]) {
  auto too_many = [](const char* what, int64_t n, int64_t max) {
    return make_error(ErrorCode::Runtime, kNoOffset,
                      std::string("the trace has ") + std::to_string(n) + " " + what + ", more than RapidBin's " +
                          std::to_string(max));
  };
  if (h.threads < 0 || h.locks < 0 || h.variables < 0 || h.events < 0)
    return make_error(ErrorCode::Runtime, kNoOffset, "negative count in a RapidBin header");
  if (h.threads > static_cast<int64_t>(kMaxThreads)) return too_many("threads", h.threads, kMaxThreads);
  if (h.locks > kMaxLocks) return too_many("locks", h.locks, kMaxLocks);
  if (h.variables > kMaxVariables) return too_many("variables", h.variables, kMaxVariables);
  put_be(out, static_cast<uint64_t>(h.threads), 2);
  put_be(out + 2, static_cast<uint64_t>(h.locks), 4);
  put_be(out + 6, static_cast<uint64_t>(h.variables), 4);
  put_be(out + 10, static_cast<uint64_t>(h.events), 8);
  return {};
}

Header count_ids(std::span<const Event> events) {
  Header h;
  h.events = static_cast<int64_t>(events.size());
  auto raise = [](int64_t& n, uint64_t id) {
    if (static_cast<int64_t>(id) + 1 > n) n = static_cast<int64_t>(id) + 1;
  };
  for (const Event& e : events) {
    raise(h.threads, e.thread);
    switch (decor_kind(e.op)) {
      case DecorKind::Lock: raise(h.locks, e.decor); break;
      case DecorKind::Variable: raise(h.variables, e.decor); break;
      case DecorKind::Thread: raise(h.threads, e.decor); break;
    }
  }
  return h;
}

Result<std::vector<uint8_t>> encode(std::span<const Event> events) {
  std::vector<uint8_t> out(kHeaderBytes + 8 * events.size());
  WGI_TRY(encode_header(count_ids(events), out.data()));
  uint8_t* p = out.data() + kHeaderBytes;
  for (const Event& e : events) {
    WGI_TRY_ASSIGN(uint64_t w, encode_event(e));
    put_be(p, w, 8);
    p += 8;
  }
  return out;
}

Result<Header> validate(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderBytes)
    return malformed(0, "too short for a RapidBin header: " + std::to_string(bytes.size()) + " bytes, need " +
                            std::to_string(kHeaderBytes));
  Header h;
  h.threads = static_cast<int16_t>(get_be(bytes.data(), 2));
  h.locks = static_cast<int32_t>(get_be(bytes.data() + 2, 4));
  h.variables = static_cast<int32_t>(get_be(bytes.data() + 6, 4));
  h.events = static_cast<int64_t>(get_be(bytes.data() + 10, 8));
  if (h.threads < 0) return malformed(0, "negative thread count " + std::to_string(h.threads));
  if (h.locks < 0) return malformed(2, "negative lock count " + std::to_string(h.locks));
  if (h.variables < 0) return malformed(6, "negative variable count " + std::to_string(h.variables));
  if (h.events < 0) return malformed(10, "negative event count " + std::to_string(h.events));
  if (h.threads > static_cast<int64_t>(kMaxThreads))
    return malformed(0, "thread count " + std::to_string(h.threads) + " exceeds RapidBin's " +
                            std::to_string(kMaxThreads));
  const uint64_t body = bytes.size() - kHeaderBytes;
  if (body % 8 != 0 || body / 8 != static_cast<uint64_t>(h.events))
    return malformed(10, "the header says " + std::to_string(h.events) + " events (" +
                             (static_cast<uint64_t>(h.events) > (UINT64_MAX - kHeaderBytes) / 8
                                  ? std::string("more than any file holds")
                                  : std::to_string(kHeaderBytes + 8 * static_cast<uint64_t>(h.events)) + " bytes") +
                             ") but the file has " + std::to_string(bytes.size()) + " bytes");
  // Every id is used by at least one event (ids are dense): a count larger
  // than that is inconsistent, and checking it first keeps the bitmaps
  // below as small as the file.
  auto over = [&](const char* what, int64_t n, uint64_t offset) {
    return malformed(offset, "the header says " + std::to_string(n) + " " + what + " but the trace has only " +
                                 std::to_string(h.events) + " events");
  };
  if (h.locks > h.events) return over("locks", h.locks, 2);
  if (h.variables > h.events) return over("variables", h.variables, 6);
  if (h.threads > 2 * h.events) return over("threads", h.threads, 0);

  std::vector<bool> used[3] = {std::vector<bool>(static_cast<size_t>(h.locks)),
                               std::vector<bool>(static_cast<size_t>(h.variables)),
                               std::vector<bool>(static_cast<size_t>(h.threads))};
  const int64_t limits[3] = {h.locks, h.variables, h.threads};
  uint64_t distinct[3] = {0, 0, 0};
  auto use = [&](DecorKind k, uint64_t id) {
    const int i = static_cast<int>(k);
    if (!used[i][id]) {
      used[i][id] = true;
      ++distinct[i];
    }
  };
  const uint8_t* p = bytes.data() + kHeaderBytes;
  for (int64_t i = 0; i < h.events; ++i, p += 8) {
    const uint64_t offset = kHeaderBytes + 8 * static_cast<uint64_t>(i);
    const std::string where = "event " + std::to_string(i) + ": ";
    const uint64_t w = get_be(p, 8);
    if (w >> 63) return malformed(offset, where + "sign bit set (" + hex(w) + ")");
    const Event e = decode_event(w);
    if (!valid_op(static_cast<unsigned>(e.op)))
      return malformed(offset, where + "unknown operation code " + std::to_string(static_cast<unsigned>(e.op)));
    if (e.thread >= h.threads)
      return malformed(offset, where + "thread id " + std::to_string(e.thread) + " but the header says " +
                                   std::to_string(h.threads) + " threads");
    const DecorKind k = decor_kind(e.op);
    if (e.decor >= static_cast<uint64_t>(limits[static_cast<int>(k)]))
      return malformed(offset, where + kind_name(k) + " id " + std::to_string(e.decor) + " but the header says " +
                                   std::to_string(limits[static_cast<int>(k)]) + " " + kind_name(k) + "s");
    use(DecorKind::Thread, e.thread);
    use(k, e.decor);
  }
  const char* names[3] = {"locks", "variables", "threads"};
  const uint64_t offsets[3] = {2, 6, 0};
  for (int i = 0; i < 3; ++i)
    if (distinct[i] != static_cast<uint64_t>(limits[i]))
      return malformed(offsets[i], std::string("the header says ") + std::to_string(limits[i]) + " " + names[i] +
                                       " but the events use " + std::to_string(distinct[i]) + " distinct ids");
  return h;
}

Event event_at(std::span<const uint8_t> bytes, uint64_t i) {
  return decode_event(get_be(bytes.data() + kHeaderBytes + 8 * i, 8));
}

Result<Trace> parse(std::span<const uint8_t> bytes) {
  WGI_TRY_ASSIGN(Header h, validate(bytes));
  Trace t;
  t.header = h;
  t.events.reserve(static_cast<size_t>(h.events));
  for (int64_t i = 0; i < h.events; ++i) t.events.push_back(event_at(bytes, static_cast<uint64_t>(i)));
  return t;
}

}  // namespace wgi::trace::rapidbin
