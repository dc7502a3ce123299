// wgi_gen_big_module MEGABYTES OUT.wasm: writes the synthetic large module
// of big_module.h, for timing `wgi run` from process start to the first
// instruction (run_startup.sh).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "big_module.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: wgi_gen_big_module MEGABYTES OUT.wasm\n");
    return 2;
  }
  const long mb = std::strtol(argv[1], nullptr, 10);
  if (mb <= 0 || mb > 1024) {
    std::fprintf(stderr, "wgi_gen_big_module: MEGABYTES must be 1..1024, not '%s'\n", argv[1]);
    return 2;
  }
  const std::vector<uint8_t> bytes = wgi::bench::big_module(static_cast<size_t>(mb) << 20);
  FILE* f = std::fopen(argv[2], "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
    std::perror(argv[2]);
    return 1;
  }
  std::printf("%s: %zu bytes\n", argv[2], bytes.size());
  return 0;
}
