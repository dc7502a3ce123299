// RapidBin traces as text (`wgi trace convert`) and their counts
// (`wgi trace stats`). Both take a file that rapidbin::validate accepted.
//
// STD, RAPID's text form: one event per line, `T<thread>|<op>(<arg>)|<location>`
// with op acq, rel, req (lock L<id>), r, w (variable V<id>), fork, join
// (thread T<id>):
//
//     T0|fork(T1)|42
//     T1|req(L0)|7
//     T1|acq(L0)|7
//     T1|r(V3)|9
//
// RAPID's STD reader knows no `req`; `no_request` leaves those lines out.
//
// CSV: a header line `thread,operation,id,location`, then one line per
// event with the same operation names and plain numbers (`1,acq,0,7`).
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>

#include "trace/rapidbin.h"

namespace wgi::trace {

enum class TextFormat { Std, Csv };

struct ConvertOptions {
  TextFormat format = TextFormat::Std;
  bool no_request = false;
};

// Writes every event of the validated file `bytes` to out; false when
// writing failed (errno says why).
bool write_text(std::span<const uint8_t> bytes, const rapidbin::Header& header, const ConvertOptions& options,
                std::FILE* out);

// The header's counts, then a table of events per thread and operation
// (threads in id order, a total row), e.g.
//
//     threads 2, locks 1, variables 3, events 9
//     thread   events      acq      rel      req        r        w     fork     join
//     T0            5        0        0        0        2        1        1        1
//     T1            4        1        1        1        1        0        0        0
//     total         9        1        1        1        3        1        1        1
bool write_stats(std::span<const uint8_t> bytes, const rapidbin::Header& header, std::FILE* out);

}  // namespace wgi::trace
