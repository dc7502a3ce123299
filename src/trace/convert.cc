#include "trace/convert.h"

#include <array>
#include <cinttypes>
#include <string>
#include <vector>

namespace wgi::trace {

namespace {

using rapidbin::DecorKind;
using rapidbin::Op;

char decor_prefix(Op op) {
  switch (rapidbin::decor_kind(op)) {
    case DecorKind::Lock: return 'L';
    case DecorKind::Variable: return 'V';
    case DecorKind::Thread: return 'T';
  }
  return '?';
}

// The table's column order.
constexpr Op kColumns[] = {Op::Acquire, Op::Release, Op::Request, Op::Read, Op::Write, Op::Fork, Op::Join};

}  // namespace

bool write_text(std::span<const uint8_t> bytes, const rapidbin::Header& header, const ConvertOptions& options,
                std::FILE* out) {
  if (options.format == TextFormat::Csv && std::fputs("thread,operation,id,location\n", out) < 0) return false;
  for (int64_t i = 0; i < header.events; ++i) {
    const rapidbin::Event e = rapidbin::event_at(bytes, static_cast<uint64_t>(i));
    if (options.no_request && e.op == Op::Request) continue;
    int n;
    if (options.format == TextFormat::Std)
      n = std::fprintf(out, "T%u|%s(%c%" PRIu64 ")|%u\n", e.thread, rapidbin::std_name(e.op), decor_prefix(e.op),
                       e.decor, e.location);
    else
      n = std::fprintf(out, "%u,%s,%" PRIu64 ",%u\n", e.thread, rapidbin::std_name(e.op), e.decor, e.location);
    if (n < 0) return false;
  }
  return std::fflush(out) == 0;
}

bool write_stats(std::span<const uint8_t> bytes, const rapidbin::Header& header, std::FILE* out) {
  constexpr size_t kOps = 9;  // operation codes 0..8
  std::vector<std::array<uint64_t, kOps>> per_thread(static_cast<size_t>(header.threads));
  for (auto& row : per_thread) row.fill(0);
  for (int64_t i = 0; i < header.events; ++i) {
    const rapidbin::Event e = rapidbin::event_at(bytes, static_cast<uint64_t>(i));
    ++per_thread[e.thread][static_cast<size_t>(e.op)];
  }
  std::fprintf(out, "threads %" PRId64 ", locks %" PRId64 ", variables %" PRId64 ", events %" PRId64 "\n",
               header.threads, header.locks, header.variables, header.events);
  std::fprintf(out, "%-8s %12s", "thread", "events");
  for (Op op : kColumns) std::fprintf(out, " %10s", rapidbin::std_name(op));
  std::fprintf(out, "\n");
  std::array<uint64_t, kOps> total{};
  auto row = [&](const std::string& name, const std::array<uint64_t, kOps>& counts) {
    uint64_t sum = 0;
    for (Op op : kColumns) sum += counts[static_cast<size_t>(op)];
    std::fprintf(out, "%-8s %12" PRIu64, name.c_str(), sum);
    for (Op op : kColumns) std::fprintf(out, " %10" PRIu64, counts[static_cast<size_t>(op)]);
    std::fprintf(out, "\n");
  };
  for (size_t t = 0; t < per_thread.size(); ++t) {
    std::string name = "T";  // (not "T" + ...: a false -Wrestrict in g++ 12)
    name += std::to_string(t);
    row(name, per_thread[t]);
    for (size_t k = 0; k < kOps; ++k) total[k] += per_thread[t][k];
  }
  row("total", total);
  return std::fflush(out) == 0;
}

}  // namespace wgi::trace
