// A run with lock-order deadlock prediction (wgi run --deadlock): the
// predictor (deadlock/predictor.h) fed by the threadlink runtime's lock
// hooks while the program runs, and its reports at the end.
#pragma once

#include <memory>
#include <string>

#include "deadlock/predictor.h"
#include "interp/code.h"
#include "threads/threadlink.h"

namespace wgi::cli {

// Names for reports from a module's name section (else its exports).
deadlock::Naming naming_of(const Module& m);

class DeadlockSession final : public threads::LockObserver {
 public:
  explicit DeadlockSession(std::shared_ptr<const interp::CompiledModule> cm);

  void requested(uint32_t tid, uint32_t lock, const interp::Thread& t) override;
  void acquired(uint32_t tid, uint32_t lock, const interp::Thread& t) override;
  void released(uint32_t tid, uint32_t lock) override;
  void forked(uint32_t parent, uint32_t child) override;
  void joined(uint32_t parent, uint32_t child) override;

  // Once every thread has ended: prints the potential deadlocks. Returns
  // kExitRaces when some were found and `status` is kExitOk, else status.
  int finish(int status);
  // "\"potential_deadlocks\": [...]" for the --report file (after finish).
  std::string json_keys() const;

 private:
  std::shared_ptr<const interp::CompiledModule> cm_;
  deadlock::Predictor predictor_;
  std::vector<deadlock::Cycle> cycles_;
};

// The --report keys of the always-on live checks: "deadlock" (null, or the
// deadlock that ended the run) and "lock_cycles" (each found).
std::string json_live_deadlock(const Module& m, const threads::RunOutcome& o);

}  // namespace wgi::cli
