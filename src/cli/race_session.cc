#include "cli/race_session.h"

#include <cstdio>
#include <cstring>

#include "cli/exit_status.h"

namespace wgi::cli {

namespace {

uint64_t max_memory_bytes(const Module& m) {
  const Limits& l = m.memories[0].limits;
  return (l.has_max ? l.max : l.min) * 65536;
}

race::DetectorOptions options(const interp::CompiledModule& cm, const RunSettings& s,
                              interp::EventLogSource* inner) {
  race::DetectorOptions o;
  o.memory_bytes = max_memory_bytes(*cm.module);
  o.print_limit = s.race_limit.value_or(kDefaultRaceLimit);
  o.inner = inner;
  return o;
}

}  // namespace

bool write_report(const std::string& path, const std::string& keys) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  bool ok = f != nullptr;
  if (ok) {
    ok = std::fprintf(f, "{\n  \"format\": \"wgi-report\", \"version\": 1%s%s\n}\n", keys.empty() ? "" : ",\n  ",
                      keys.c_str()) > 0;
    ok = std::fclose(f) == 0 && ok;
  }
  if (!ok) std::fprintf(stderr, "wgi: cannot write the report %s: %s\n", path.c_str(), std::strerror(errno));
  return ok;
}

bool RaceSession::applies(const Module& m) { return !m.memories.empty() && m.memories[0].limits.shared; }

RaceSession::RaceSession(std::shared_ptr<const interp::CompiledModule> cm, const RunSettings& s,
                         interp::EventLogSource* inner)
    : detector_(race::sites_of_module(*cm), options(*cm, s, inner)), stats_(s.race_stats) {}

int RaceSession::finish(int status) {
  detector_.finish();
  if (stats_) {
    const race::Detector::Stats st = detector_.stats();
    const uint64_t touched = st.shadow.granules * 4;
    std::fprintf(stderr,
                 "wgi: race stats: %llu bytes of shared memory touched; shadow %llu bytes (%.2f per byte: "
                 "cells %llu, split granules %llu, read sets %llu); %llu threads, %llu slots, %llu "
                 "synchronisation addresses (%llu bytes of clocks)\n",
                 (unsigned long long)touched, (unsigned long long)st.shadow.total(),
                 touched ? double(st.shadow.total()) / double(touched) : 0.0,
                 (unsigned long long)st.shadow.cell_bytes, (unsigned long long)st.shadow.split_bytes,
                 (unsigned long long)st.shadow.read_set_bytes, (unsigned long long)st.threads,
                 (unsigned long long)st.slots, (unsigned long long)st.sync_objects,
                 (unsigned long long)st.clock_bytes);
  }
  if (status == kExitOk && detector_.races_total() > 0) return kExitRaces;
  return status;
}

std::string empty_race_keys() {
  return "\"races\": [],\n  \"races_total\": 0,\n  \"races_distinct\": 0,\n  \"race_checking\": \"complete\"";
}

}  // namespace wgi::cli
