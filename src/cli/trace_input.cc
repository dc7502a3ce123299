#include "cli/trace_input.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "cli/cli.h"

namespace wgi::cli {

namespace {

namespace fs = std::filesystem;

// trace.json, read and checked against the trace; nullopt after saying why
// not. `*absent`: there is none at the default place (not an error).
std::optional<trace::MetadataFile> load_metadata(const std::string& trace_path,
                                                 const std::optional<std::string>& metadata,
                                                 const TraceInput& t, const TraceInputNotes& notes, bool* absent) {
  *absent = false;
  const std::string path = metadata ? *metadata : (fs::path(trace_path).parent_path() / "trace.json").string();
  std::error_code ec;
  if (!metadata && !fs::exists(path, ec)) {
    *absent = true;
    std::fprintf(stderr, "wgi: trace %s: no metadata (%s does not exist; --metadata names another file): %s\n",
                 notes.command, path.c_str(), notes.without_metadata);
    return std::nullopt;
  }
  Result<std::vector<uint8_t>> bytes = read_file(path);
  if (!bytes.ok()) {
    report_error(path, bytes.error(), nullptr);
    return std::nullopt;
  }
  Result<trace::MetadataFile> m = trace::read_metadata_json(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!m.ok()) {
    report_error(path, m.error(), nullptr);
    return std::nullopt;
  }
  auto mismatch = [&](const char* what, uint64_t listed, int64_t used) {
    std::fprintf(stderr, "wgi: %s: does not describe %s: it lists %" PRIu64 " %s, the trace has %" PRId64 "\n",
                 path.c_str(), trace_path.c_str(), listed, what, used);
    return std::nullopt;
  };
  const trace::rapidbin::Header& h = t.header;
  const trace::TraceMetadata& md = m->md;
  if (m->events && *m->events != static_cast<uint64_t>(h.events)) return mismatch("events", *m->events, h.events);
  if (md.threads.size() < static_cast<uint64_t>(h.threads)) return mismatch("threads", md.threads.size(), h.threads);
  if (md.locks.size() < static_cast<uint64_t>(h.locks)) return mismatch("locks", md.locks.size(), h.locks);
  if (md.variables.size() < static_cast<uint64_t>(h.variables))
    return mismatch("variables", md.variables.size(), h.variables);
  // Locations have no header count: each event's is checked.
  for (uint64_t i = 0; i < static_cast<uint64_t>(h.events); ++i) {
    if (trace::rapidbin::event_at(t.events(), i).location >= md.locations.size()) {
      std::fprintf(stderr, "wgi: %s: event %" PRIu64 " has a location the metadata does not list\n",
                   trace_path.c_str(), i);
      return std::nullopt;
    }
  }
  if (m->version < trace::kMetadataVersion && !m->has_lock_kinds && notes.without_lock_kinds)
    std::fprintf(stderr, "wgi: trace %s: %s gives no lock kinds (an older trace): %s\n", notes.command,
                 path.c_str(), notes.without_lock_kinds);
  if (m->truncated)
    std::fprintf(stderr, "wgi: trace %s: the trace was truncated at its event limit: %s\n", notes.command,
                 notes.truncated);
  return std::move(m).value();
}

}  // namespace

std::optional<TraceInput> load_trace_input(const std::string& trace, const std::optional<std::string>& metadata,
                                           const TraceInputNotes& notes) {
  TraceInput t;
  Result<std::vector<uint8_t>> bytes = read_file(trace);
  if (!bytes.ok()) {
    report_error(trace, bytes.error(), nullptr);
    return std::nullopt;
  }
  t.bytes = std::move(bytes).value();
  Result<trace::rapidbin::Header> h = trace::rapidbin::validate(t.bytes);
  if (!h.ok()) {
    report_error(trace, h.error(), nullptr);
    return std::nullopt;
  }
  t.header = *h;
  bool absent = false;
  t.metadata = load_metadata(trace, metadata, t, notes, &absent);
  if (!t.metadata && !absent) return std::nullopt;
  return t;
}

}  // namespace wgi::cli
