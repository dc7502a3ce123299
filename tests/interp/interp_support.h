// Helpers for the interpreter behaviour tests (tests/interp/*_test.cc):
// loading the .wat modules that tests/CMakeLists.txt compiles into
// WGI_INTERP_TEST_DATA, instantiating them in a Store, and calling exports
// by name with slot-encoded arguments (interp/value.h).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "interp/code.h"
#include "interp/instantiate.h"
#include "interp/runtime.h"
#include "interp/thread.h"
#include "interp/trap.h"
#include "interp/value.h"

namespace wgi::test {

using interp::Slot;
using interp::TrapKind;

inline std::vector<uint8_t> read_test_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// WGI_INTERP_TEST_DATA/<name>.wasm, decoded, validated and compiled (with
// the threads proposal on). Fails the test and returns null on an error.
inline std::shared_ptr<const interp::CompiledModule> load_test_module(const std::string& name) {
  auto r = interp::load_module(read_test_file(std::string(WGI_INTERP_TEST_DATA) + "/" + name + ".wasm"));
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

inline Slot i32(int32_t v) { return static_cast<uint32_t>(v); }
inline Slot i64(int64_t v) { return static_cast<uint64_t>(v); }
inline int32_t as_i32(Slot s) { return static_cast<int32_t>(static_cast<uint32_t>(s)); }
inline int64_t as_i64(Slot s) { return static_cast<int64_t>(s); }

// A store and one thread; instantiates modules and calls their exports.
struct Runner {
  explicit Runner(const interp::ThreadConfig& config = {}) : thread(config) {}

  // Instantiates and expects success without a trap.
  interp::Instance* instantiate(const std::shared_ptr<const interp::CompiledModule>& cm,
                                std::span<const interp::ExternVal> imports = {}) {
    if (!cm) return nullptr;
    auto r = interp::instantiate(store, cm, imports, thread);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok()) return nullptr;
    EXPECT_EQ(r->trap, TrapKind::None) << interp::trap_message(r->trap);
    return r->trap == TrapKind::None ? r->instance : nullptr;
  }
  interp::Instance* instantiate(const std::string& name) {
    return instantiate(load_test_module(name));
  }

  // Calls export `name` of inst; results (if any) go to *results.
  TrapKind call(const interp::Instance* inst, const std::string& name, std::vector<Slot> args = {},
                std::vector<Slot>* results = nullptr) {
    const interp::FuncInst* f = inst ? inst->get_export_func(name) : nullptr;
    EXPECT_NE(f, nullptr) << "no exported function " << name;
    if (f == nullptr) return TrapKind::None;
    EXPECT_EQ(args.size(), f->type->params.size()) << name;
    std::vector<Slot> out(f->type->results.size() + 1);
    const TrapKind k = thread.invoke(*f, args.data(), out.data());
    out.resize(f->type->results.size());
    if (results) *results = out;
    return k;
  }
  // Calls an export returning one value and expects no trap.
  Slot value(const interp::Instance* inst, const std::string& name, std::vector<Slot> args = {}) {
    std::vector<Slot> r;
    const TrapKind k = call(inst, name, std::move(args), &r);
    EXPECT_EQ(k, TrapKind::None) << name << ": " << interp::trap_message(k);
    EXPECT_EQ(r.size(), 1u) << name;
    return r.empty() ? 0 : r[0];
  }

  interp::Store store;
  interp::Thread thread;
};

// The name-section name of a backtrace frame's function ("" if none).
inline std::string frame_name(const interp::BacktraceFrame& f) {
  if (f.instance == nullptr) return f.host_name;
  const std::string* n = f.instance->mod().func_name(f.func_index);
  return n ? *n : "";
}

}  // namespace wgi::test
