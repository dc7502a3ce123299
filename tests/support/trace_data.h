// The programs the trace and race tests run (built by tests/CMakeLists.txt
// into WGI_TRACE_TEST_DATA), and reading a file whole.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace wgi::test {

inline const std::string kTraceData = WGI_TRACE_TEST_DATA;
#ifdef WGI_TRACE_C_PROGRAM
inline constexpr bool kHaveTraceProgram = true;  // clang could build the C programs
#else
inline constexpr bool kHaveTraceProgram = false;
#endif
inline const std::string kTraceProgram = kTraceData + "/tr_program.wasm";
inline const std::string kTraceRaces = kTraceData + "/tr_races.wasm";
inline const std::string kTraceSpin = kTraceData + "/tr_spin.wasm";
inline const std::string kTraceLockOrder = kTraceData + "/tr_lock_order.wasm";
inline const std::string kTracePark = kTraceData + "/tr_park.wasm";
#ifdef WGI_THREADLINK_EXAMPLES_DIR
inline const std::string kPrimesTraced = std::string(WGI_THREADLINK_EXAMPLES_DIR) + "/primes_traced.wasm";
#else
inline const std::string kPrimesTraced;
#endif

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace wgi::test
