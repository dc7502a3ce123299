#include "interp/trap_report.h"

#include <cinttypes>
#include <cstdio>

#include "decoder/format.h"
#include "interp/code.h"
#include "interp/runtime.h"

namespace wgi::interp {

namespace {

// " \"name\"" from the name section, else " (export \"name\")", else "".
std::string func_label(const Module& m, uint32_t func_index) {
  // (Built with append: g++ 12 warns falsely, -Wrestrict, on "lit" + string&&.)
  std::string s;
  if (const std::string* name = m.func_name(func_index)) return s.append(" ").append(quote_name(*name));
  for (const Export& e : m.exports)
    if (e.kind == ExternKind::Func && e.index == func_index)
      return s.append(" (export ").append(quote_name(e.name)).append(")");
  return s;
}

std::string frame_text(const BacktraceFrame& f) {
  if (f.instance == nullptr) {
    // Host functions, and markers such as "<invoke>" (the call could not
    // even start).
    if (!f.host_name.empty() && f.host_name[0] == '<') return f.host_name;
    return "host function " + quote_name(f.host_name);
  }
  std::string s = "func " + std::to_string(f.func_index) + func_label(f.instance->mod(), f.func_index);
  if (f.offset != 0) {  // 0: the call never started (no instruction to point at)
    char buf[32];
    std::snprintf(buf, sizeof buf, " at 0x%" PRIx32, f.offset);
    s += buf;
  }
  return s;
}

bool same_frame(const BacktraceFrame& a, const BacktraceFrame& b) {
  return a.instance == b.instance && a.func_index == b.func_index && a.offset == b.offset &&
         a.host_name == b.host_name;
}

}  // namespace

std::string format_backtrace(const std::vector<BacktraceFrame>& frames) {
  std::vector<std::string> lines;
  auto num = [](size_t i) { return std::string("#").append(std::to_string(i)); };
  for (size_t i = 0; i < frames.size();) {
    size_t j = i + 1;
    while (j < frames.size() && same_frame(frames[j], frames[i])) ++j;
    lines.push_back(num(i).append(" ").append(frame_text(frames[i])));
    if (j - i == 2) {
      lines.push_back(num(i + 1).append(" ").append(frame_text(frames[i])));
    } else if (j - i > 2) {
      lines.push_back(num(i + 1).append("..").append(num(j - 1)).append(" the same as ")
                          .append(num(i)).append(" (").append(std::to_string(j - i - 1))
                          .append(" frames)"));
    }
    i = j;
  }
  constexpr size_t kHead = 30, kTail = 10;
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines.size() > kHead + kTail + 1 && i == kHead) {
      out.append("  ... ").append(std::to_string(lines.size() - kHead - kTail)).append(" more lines ...\n");
      i = lines.size() - kTail - 1;
      continue;
    }
    out.append("  ").append(lines[i]).append("\n");
  }
  return out;
}

std::string format_trap_report(TrapKind kind, const std::vector<BacktraceFrame>& frames,
                               std::optional<uint32_t> thread_id) {
  std::string s = "wgi: ";
  s += is_trap(kind) ? "trap: " : "stopped: ";
  s += trap_message(kind);
  if (thread_id) s.append(" (in thread ").append(std::to_string(*thread_id)).append(")");
  s += "\n";
  return s + format_backtrace(frames);
}

}  // namespace wgi::interp
