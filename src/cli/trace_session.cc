#include "cli/trace_session.h"

#include <cinttypes>
#include <cstdio>

#include "cli/cli.h"
#include "trace/writer.h"

namespace wgi::cli {

namespace {

// The trace library takes plain data; here the compiled module supplies it:
// its trace sites and the function names of its name section.
Result<trace::WriteSummary> write_module_trace(const trace::Recorder& recorder,
                                               const interp::CompiledModule& cm,
                                               const std::string& module_path, const std::string& dir) {
  trace::MetadataInfo info;
  info.module = module_path;
  const Module* m = cm.module.get();
  info.function_name = [m](uint32_t f) { return m->func_name(f); };
  info.site_info = cm.trace_site_info;
  return trace::write_trace(recorder, cm.trace_sites, info, dir);
}

}  // namespace

TraceSession::TraceSession(const RunSettings& s)
    : recorder_(s.trace_limit.value_or(trace::kDefaultEventLimit)),
      dir_(s.trace_out.value_or(".")),
      timeout_(s.timeout) {}

void TraceSession::watch(std::function<void(int)> stop) {
  watcher_ = std::make_unique<SigintWatcher>(std::move(stop), [this] { warn_limit(); }, true, timeout_);
}

int TraceSession::finish(const std::string& path, const interp::CompiledModule& cm, int status) {
  // SIGINT stays handled while the trace is written (sigint_watcher.h): a
  // second one soon after the first must not lose it.
  const trace::TraceFiles files = trace::trace_files(dir_);
  if (watcher_) watcher_->disarm({files.bin_tmp, files.json_tmp});
  std::fflush(stdout);
  recorder_.resolve();  // whether speculative events fit: the warning must know
  warn_limit();
  if (status == kExitInterrupted || status == kExitQuit || status == kExitTimeout)
    std::fprintf(stderr, "wgi: interrupted (%s): writing the trace recorded so far\n",
                 status == kExitQuit ? "SIGQUIT" : status == kExitTimeout ? "--timeout" : "SIGINT");
  auto w = write_module_trace(recorder_, cm, path, dir_);
  watcher_.reset();
  if (!w.ok()) {
    std::fprintf(stderr, "wgi: trace not written: %s\n", w.error().message.c_str());
    return status != kExitOk ? status : kExitError;
  }
  const auto& h = w->header;
  std::fprintf(stderr,
               "wgi: trace: %" PRId64 " events (%" PRId64 " threads, %" PRId64 " locks, %" PRId64
               " variables, %" PRIu64 " locations) written to %s, ids explained in %s\n",
               h.events, h.threads, h.locks, h.variables, w->locations, w->bin_path.c_str(), w->json_path.c_str());
  if (w->truncated)
    std::fprintf(stderr,
                 "wgi: warning: trace: truncated at the event limit (%" PRIu64
                 "): it ends where the first thread stopped recording (--trace-limit sets the limit)\n",
                 recorder_.limit());
  std::fputs(trace::format_overlap_warning(w->overlaps, w->metadata).c_str(), stderr);
  return status;
}

// Warns once, as soon as the watcher sees it (a long run keeps running).
void TraceSession::warn_limit() {
  if (recorder_.truncated() && !limit_warned_.exchange(true))
    std::fprintf(stderr,
                 "wgi: warning: trace: the event limit (%" PRIu64
                 ") is reached; recording stops, the program goes on\n",
                 recorder_.limit());
}

}  // namespace wgi::cli
