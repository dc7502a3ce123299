// A run with data-race detection (wgi run --race): the detector while the
// program runs, and its reports, the --report file and the exit status at
// the end.
#pragma once

#include <memory>
#include <string>

#include "cli/run_options.h"
#include "interp/code.h"
#include "race/detector.h"

namespace wgi::cli {

class RaceSession {
 public:
  // Only for modules whose memory 0 is shared (nothing else can race).
  // `inner`: the trace recorder when tracing too, else null.
  RaceSession(std::shared_ptr<const interp::CompiledModule> cm, const RunSettings& s,
              interp::EventLogSource* inner);

  // What the threads record into (threadlink's recorder, or thread 0's).
  race::Detector& detector() { return detector_; }

  // True when the module has a shared memory 0, the case where --race checks.
  static bool applies(const Module& m);

  // Once every thread has ended: prints what is pending and the summary.
  // Returns the exit status: kExitRaces when races were found and `status`
  // is kExitOk, else `status`.
  int finish(int status);
  // The --report keys: "races" and its totals (after finish).
  std::string json_keys() const { return detector_.json_races(); }

 private:
  race::Detector detector_;
  bool stats_;
};

// The --report keys of a run with --race that had nothing to check (no
// shared memory): no races.
std::string empty_race_keys();

// Writes a --report file: {"format": "wgi-report", "version": 1, KEYS},
// `keys` being e.g. race::Detector::json_races(). Also for `wgi trace
// races --report`. Returns false (after saying why) when it cannot.
bool write_report(const std::string& path, const std::string& keys);

}  // namespace wgi::cli
