// RapidBin: the binary trace format wgi writes (trace.bin), and its reader.
//
// A file is an 18-byte header followed by one 8-byte word per event, every
// number big-endian:
//
//     offset  size  field
//     0       2     threads    (signed 16-bit)  distinct thread ids
//     2       4     locks      (signed 32-bit)  distinct lock ids
//     6       4     variables  (signed 32-bit)  distinct variable ids
//     10      8     events     (signed 64-bit)  number of event words
//     18      8*n   the events
//
// One event word (bit 0 is the least significant):
//
//     63   62 ........ 48   47 ................ 14   13 .. 10   9 ...... 0
//   +----+----------------+-----------------------+-----------+-----------+
//   | 0  |  location id   |         decor         | operation | thread id |
//   +----+----------------+-----------------------+-----------+-----------+
//     1        15 bits             34 bits            4 bits     10 bits
//
//   operation  0 acquire(lock)   1 release(lock)   2 read(variable)
//              3 write(variable) 4 fork(thread)    5 join(thread)
//              8 request(lock)
//   decor      the lock id, variable id or child thread id the operation is on
//
// Ids are dense: each kind is numbered 0, 1, 2, ... and the header holds how
// many of each the events use (threads count fork and join targets too).
// Locations have no header count. What the ids stand for (addresses, sizes,
// functions) is in the metadata file beside the trace (metadata.h).
//
// The encoder refuses what the layout cannot hold (1024 threads, 2^34
// decor values, 32768 locations, header counts beyond their signed widths)
// with an error; nothing is ever truncated. The reader checks a file
// completely before anyone uses it: size against the header, every field of
// every event, and the header counts against the ids the events use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "interp/event_log.h"
#include "util/result.h"

namespace wgi::trace::rapidbin {

inline constexpr size_t kHeaderBytes = 18;
inline constexpr uint32_t kMaxThreads = 1u << 10;    // thread ids 0..1023
inline constexpr uint64_t kMaxDecor = 1ull << 34;    // lock/variable/thread ids in decor
inline constexpr uint32_t kMaxLocations = 1u << 15;  // location ids 0..32767
inline constexpr int64_t kMaxLocks = INT32_MAX;      // header field widths
inline constexpr int64_t kMaxVariables = INT32_MAX;

// The operation codes: those of the events the interpreter records
// (interp/event_log.h), which are RapidBin's by design. Only Acquire ..
// Join and Request appear in a file; Seq and End never do.
using Op = interp::EventOp;

// True for the codes a file may hold (0..5, 8).
bool valid_op(unsigned code);
// What the decor of op names.
enum class DecorKind { Lock, Variable, Thread };
DecorKind decor_kind(Op op);
// The operation's name in RAPID's STD text form: acq, rel, r, w, fork, join, req.
const char* std_name(Op op);

struct Event {
  uint32_t thread = 0;
  Op op = Op::Read;
  uint64_t decor = 0;
  uint32_t location = 0;
  bool operator==(const Event&) const = default;
};

struct Header {
  int64_t threads = 0;
  int64_t locks = 0;
  int64_t variables = 0;
  int64_t events = 0;
  bool operator==(const Header&) const = default;
};

// The event word, or an error naming the field that does not fit.
Result<uint64_t> encode_event(const Event& e);
// The fields of a word, unchecked (parse() checks).
Event decode_event(uint64_t word);

// The header bytes, or an error when a count does not fit its field.
Result<void> encode_header(const Header& h, uint8_t out[kHeaderBytes]);

// The counts a header needs for these events: for each kind, the largest id
// used plus one (ids are dense, so that is the number of distinct ids).
Header count_ids(std::span<const Event> events);

// A whole file: header (from count_ids) and events.
Result<std::vector<uint8_t>> encode(std::span<const Event> events);

// Checks a whole file (see the file comment) and returns its header. Errors
// are ErrorCode::Malformed with the byte offset of the offending field.
Result<Header> validate(std::span<const uint8_t> bytes);
// Event i of a file that validate() accepted.
Event event_at(std::span<const uint8_t> bytes, uint64_t i);

struct Trace {
  Header header;
  std::vector<Event> events;
};
// validate() and decode every event.
Result<Trace> parse(std::span<const uint8_t> bytes);

}  // namespace wgi::trace::rapidbin
