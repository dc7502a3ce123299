// Bad pointers and lengths from the guest (tests/wasi/bad_pointers.wat):
// every preview1 function that reads or writes guest memory answers
// Errno::Fault (21) for a range outside the memory, through the wgi binary
// as a user runs it, and touches nothing on the host.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "decoder/decoder.h"
#include "subprocess.h"
#include "support/corpus_support.h"
#include "wasi/errno.h"

namespace wgi::wasi {
namespace {

namespace fs = std::filesystem;

const std::string kModule = std::string(WGI_WASI_TEST_DATA) + "/bad_pointers.wasm";

std::vector<std::string> fault_exports() {
  std::optional<std::string> bytes = test::read_file(kModule);
  if (!bytes) return {};
  Result<Module> m = decode_module(std::vector<uint8_t>(bytes->begin(), bytes->end()), Features{});
  std::vector<std::string> out;
  if (!m.ok()) return out;
  for (const Export& e : m->exports)
    if (e.name.rfind("fault_", 0) == 0) out.push_back(e.name);
  return out;
}

TEST(WasiBadPointers, EveryCallAnswersFault) {
  const std::vector<std::string> names = fault_exports();
  ASSERT_GE(names.size(), 30u) << "cannot read the exports of " << kModule;
  char tmpl[] = "/tmp/wgi-wasi-fault-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  for (const std::string& name : names) {
    spec::ProcessResult r =
        spec::run_process({WGI_CLI_PATH, "run", "--dir", dir.string() + "::/", kModule, "--invoke", name}, 30);
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << test::output_of(r);
    EXPECT_EQ(r.out, std::to_string(static_cast<int>(Errno::Fault)) + "\n") << name << "\n" << test::output_of(r);
  }
  // Nothing was created, renamed or linked in the directory.
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wgi::wasi
