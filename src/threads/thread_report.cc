// The text and JSON of thread reports (threadlink.h): what a deadlock
// report and an interrupt's dump say about each thread.
#include <cinttypes>
#include <cstdio>

#include "threads/threadlink.h"
#include "util/json.h"

namespace wgi::threads {

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

const std::string* name_of(const Module& m, uint32_t func) {
  if (const std::string* n = m.func_name(func)) return n;
  for (const Export& e : m.exports)
    if (e.kind == ExternKind::Func && e.index == func) return &e.name;
  return nullptr;
}

std::string at(const Module& m, const FrameInfo& f) {
  return func_label(m, f.func_index) + " at " + hex(f.offset);
}

// A timeout as a person reads it: "5 s", "250 ms", "3 us", "10 ns".
std::string duration(int64_t ns) {
  struct Unit {
    int64_t ns;
    const char* name;
  };
  for (Unit u : {Unit{1'000'000'000, "s"}, Unit{1'000'000, "ms"}, Unit{1'000, "us"}}) {
    if (ns >= u.ns) {
      char buf[48];
      if (ns % u.ns == 0) std::snprintf(buf, sizeof buf, "%" PRId64 " %s", ns / u.ns, u.name);
      else std::snprintf(buf, sizeof buf, "%.3g %s", double(ns) / double(u.ns), u.name);
      return buf;
    }
  }
  return std::to_string(ns) + " ns";
}

std::string describe(const Module& m, const ThreadState& s) {
  switch (s.kind) {
    case ThreadState::Kind::Running: return "running";
    case ThreadState::Kind::Wait:
      return "waiting on " + hex(s.addr) + (s.timeout_ns < 0 ? std::string() : " (timeout " + duration(s.timeout_ns) + ")");
    case ThreadState::Kind::Join: return "joining thread " + std::to_string(s.target);
    case ThreadState::Kind::Lock: {
      std::string out = "waiting for lock " + hex(s.addr);
      if (!s.holder) return out + " (not held)";
      out += ", held by thread " + std::to_string(*s.holder);
      const interp::Thread::CodeLocation loc = interp::Thread::resolve(s.acquired_at);
      if (loc.func_index != UINT32_MAX) out += " (acquired at " + at(m, {loc.func_index, loc.offset}) + ")";
      return out;
    }
  }
  return "?";
}

const char* state_name(ThreadState::Kind k) {
  switch (k) {
    case ThreadState::Kind::Running: return "running";
    case ThreadState::Kind::Wait: return "wait";
    case ThreadState::Kind::Join: return "join";
    case ThreadState::Kind::Lock: return "lock";
  }
  return "?";
}

}  // namespace

std::string func_label(const Module& m, uint32_t func_index) {
  const std::string* name = name_of(m, func_index);
  return name ? *name + " (func " + std::to_string(func_index) + ")" : "func " + std::to_string(func_index);
}

std::string format_thread_reports(const Module& m, const std::vector<ThreadReport>& threads) {
  std::string out;
  for (const ThreadReport& r : threads) {
    out += "  thread " + std::to_string(r.state.thread) + ": " + describe(m, r.state) + "\n";
    for (size_t i = 0; i < r.backtrace.size(); ++i)
      out += "    #" + std::to_string(i) + " " + at(m, r.backtrace[i]) + "\n";
  }
  return out;
}

std::string json_thread_reports(const Module& m, const std::vector<ThreadReport>& threads) {
  std::string out = "[";
  auto opt = [](bool has, uint64_t v) { return has ? std::to_string(v) : std::string("null"); };
  for (size_t i = 0; i < threads.size(); ++i) {
    const ThreadReport& r = threads[i];
    const ThreadState& s = r.state;
    const bool has_addr = s.kind == ThreadState::Kind::Wait || s.kind == ThreadState::Kind::Lock;
    out += i ? ",\n      " : "\n      ";
    out += "{\"thread\": " + std::to_string(s.thread) + ", \"state\": \"" + state_name(s.kind) +
           "\", \"addr\": " + opt(has_addr, s.addr) +
           ", \"target\": " + opt(s.kind == ThreadState::Kind::Join, s.target) +
           ", \"lock_holder\": " + opt(s.kind == ThreadState::Kind::Lock && s.holder, s.holder.value_or(0)) +
           ", \"timeout_ns\": " + opt(s.kind == ThreadState::Kind::Wait && s.timeout_ns >= 0, uint64_t(s.timeout_ns)) +
           ", \"backtrace\": [";
    for (size_t j = 0; j < r.backtrace.size(); ++j) {
      const std::string* name = name_of(m, r.backtrace[j].func_index);
      out += (j ? ", " : "") + std::string("{\"func\": ") + std::to_string(r.backtrace[j].func_index) +
             ", \"func_name\": " + (name ? json_quote(*name) : std::string("null")) +
             ", \"offset\": " + std::to_string(r.backtrace[j].offset) + "}";
    }
    out += "]}";
  }
  out += threads.empty() ? "]" : "\n    ]";
  return out;
}

}  // namespace wgi::threads
