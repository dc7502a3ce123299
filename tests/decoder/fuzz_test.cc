// Mutation fuzzing of decode_module + validate_module over the spec suite's
// binaries (the .wasm files wast2json writes into the build tree).
//
// Each iteration takes one suite module (three times in four a valid one),
// applies one to three random mutations (bit flips, byte overwrites,
// truncation, inserted bytes, deleted ranges, duplicated ranges, stretched
// LEB128s), half of them inside one section or function body with the sizes
// around it re-encoded, and decodes and validates the result. It asserts that
// nothing crashes (which means something under the ASan/UBSan build), that
// every rejection is a Malformed/Invalid error carrying an offset inside the
// file, and that a module validate_module accepts also disassembles (the
// validator gives the same verdict behind any sink).
//
// Deterministic: iteration i uses a generator seeded from (seed, i), so one
// failing iteration replays alone. Environment knobs:
//   WGI_FUZZ_SEED=N        base seed (default 0x77676921)
//   WGI_FUZZ_ITERATIONS=N  iterations (default 1000000)
//   WGI_FUZZ_ONLY=I        run only iteration I (replay)
//   WGI_FUZZ_STATS=1       print the commonest rejection messages
#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "decoder/decoder.h"
#include "decoder/disassembler.h"
#include "decoder/validator.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WGI_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define WGI_FUZZ_ASAN 1
#endif
#ifdef WGI_FUZZ_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace wgi {
namespace {

namespace fs = std::filesystem;

// SplitMix64: tiny, fast, and the same sequence on every platform (unlike
// the standard distributions, whose output is implementation-defined).
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for n far below 2^64.
  size_t below(size_t n) { return n == 0 ? 0 : size_t(next() % n); }
};

uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

struct Corpus {
  std::vector<std::string> names;
  std::vector<std::vector<uint8_t>> files;  // distinct contents only
  std::vector<size_t> valid;                // indices of files that validate (threads on)
};

Corpus load_corpus() {
  Corpus c;
  std::vector<fs::path> paths;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(WGI_SPEC_JSON_DIR, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".wasm") paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());  // directory order is not deterministic
  // Duplicates (the suite repeats many small modules) are dropped by content
  // hash; a collision would only drop one more file from the corpus.
  std::set<uint64_t> seen;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    uint64_t hash = 0xCBF29CE484222325ull;  // FNV-1a
    for (uint8_t byte : bytes) hash = (hash ^ byte) * 0x100000001B3ull;
    if (!seen.insert(hash).second) continue;
    Features features;
    if (auto m = decode_module(bytes, features); m.ok() && validate_module(*m, features).ok())
      c.valid.push_back(c.files.size());
    c.names.push_back(p.lexically_relative(WGI_SPEC_JSON_DIR).string());
    c.files.push_back(std::move(bytes));
  }
  return c;
}

// Bytes that tend to matter in the binary format: LEB continuation bits,
// type codes, section ids, opcode prefixes.
constexpr uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x0B, 0x40, 0x41, 0x60, 0x6F, 0x70,
                                    0x7B, 0x7F, 0x80, 0xFC, 0xFD, 0xFE, 0xFF};

// A position in [0, limit): for a whole module (header = 8) nine times out
// of ten past the 8-byte header, since a broken magic number or version only
// tests the first check.
size_t pos(Rng& rng, size_t limit, size_t header) {
  if (limit > header && rng.below(10) != 0) return header + rng.below(limit - header);
  return rng.below(limit);
}

// One raw mutation of b; `header` is 8 when b is a whole module, else 0.
const char* mutate(std::vector<uint8_t>& b, Rng& rng, size_t header) {
  switch (rng.below(7)) {
    case 0: {
      if (b.empty()) return "noop";
      for (size_t k = 1 + rng.below(8); k > 0; --k) b[pos(rng, b.size(), header)] ^= uint8_t(1u << rng.below(8));
      return "bit flips";
    }
    case 1: {
      if (b.empty()) return "noop";
      b[pos(rng, b.size(), header)] =
          rng.below(2) ? kInteresting[rng.below(std::size(kInteresting))] : uint8_t(rng.next());
      return "byte overwrite";
    }
    case 2: {
      b.resize(pos(rng, b.size() + 1, header));
      return "truncation";
    }
    case 3: {
      size_t at = pos(rng, b.size() + 1, header), n = 1 + rng.below(16);
      std::vector<uint8_t> ins(n);
      for (auto& x : ins)
        x = rng.below(2) ? kInteresting[rng.below(std::size(kInteresting))] : uint8_t(rng.next());
      b.insert(b.begin() + ptrdiff_t(at), ins.begin(), ins.end());
      return "inserted bytes";
    }
    case 4: {
      if (b.empty()) return "noop";
      size_t at = pos(rng, b.size(), header), n = 1 + rng.below(std::min<size_t>(16, b.size() - at));
      b.erase(b.begin() + ptrdiff_t(at), b.begin() + ptrdiff_t(at + n));
      return "deleted range";
    }
    case 5: {
      if (b.empty()) return "noop";
      size_t from = pos(rng, b.size(), header), n = 1 + rng.below(std::min<size_t>(64, b.size() - from));
      size_t to = pos(rng, b.size() + 1, header);
      std::vector<uint8_t> copy(b.begin() + ptrdiff_t(from), b.begin() + ptrdiff_t(from + n));
      b.insert(b.begin() + ptrdiff_t(to), copy.begin(), copy.end());
      return "duplicated range";
    }
    default: {
      // A LEB128 stretched with redundant continuation bytes, or a length
      // made huge: both stress the reader's bounds checks.
      if (b.empty()) return "noop";
      size_t at = pos(rng, b.size(), header);
      b[at] |= 0x80;
      if (at + 1 < b.size()) b[at + 1] = uint8_t(0x80 | rng.next());
      return "leb stretch";
    }
  }
}

// ---- structure-aware mutation ----
// Raw mutations mostly break a section size and stop in the section loop.
// These mutate inside one section (or one function body) and re-encode the
// enclosing sizes, so the mutant reaches the section decoders and the
// function validator.

bool read_u32(const std::vector<uint8_t>& b, size_t& p, uint32_t& v) {
  v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (p >= b.size()) return false;
    uint8_t byte = b[p++];
    v |= uint32_t(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

void write_u32(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    out.push_back(v ? byte | 0x80 : byte);
  } while (v);
}

struct Section {
  uint8_t id;
  std::vector<uint8_t> content;
};

// Splits a module into its sections; false when the layout is not clean.
bool split_sections(const std::vector<uint8_t>& b, std::vector<Section>& out) {
  if (b.size() < 8) return false;
  for (size_t p = 8; p < b.size();) {
    Section s{b[p++], {}};
    uint32_t size;
    if (!read_u32(b, p, size) || size > b.size() - p) return false;
    s.content.assign(b.begin() + ptrdiff_t(p), b.begin() + ptrdiff_t(p + size));
    p += size;
    out.push_back(std::move(s));
  }
  return true;
}

std::vector<uint8_t> join_sections(const std::vector<uint8_t>& original,
                                   const std::vector<Section>& sections) {
  std::vector<uint8_t> b(original.begin(), original.begin() + 8);
  for (const Section& s : sections) {
    b.push_back(s.id);
    write_u32(b, uint32_t(s.content.size()));
    b.insert(b.end(), s.content.begin(), s.content.end());
  }
  return b;
}

// Applies mutate() inside one section, or inside one function body of the
// code section, and re-encodes the sizes around it. Falls back to a raw
// mutation when the input has no clean section layout.
std::string mutate_structured(std::vector<uint8_t>& b, Rng& rng) {
  std::vector<Section> sections;
  if (!split_sections(b, sections) || sections.empty()) return mutate(b, rng, 8);
  // Half the time a function body, when there is one: the validator is the
  // largest consumer of bytes, and the suite's bodies are short.
  size_t which_section = rng.below(sections.size());
  bool want_body = rng.below(2) == 0;
  if (want_body) {
    for (size_t i = 0; i < sections.size(); ++i)
      if (sections[i].id == 10) which_section = i;
  }
  Section& s = sections[which_section];
  std::string how = "in section " + std::to_string(s.id) + ": ";
  std::vector<std::vector<uint8_t>> bodies;
  size_t p = 0;
  uint32_t count = 0;
  bool split_code = s.id == 10 && want_body && read_u32(s.content, p, count) && count > 0 &&
                    count <= s.content.size();
  for (uint32_t i = 0; split_code && i < count; ++i) {
    uint32_t size;
    if (!read_u32(s.content, p, size) || size > s.content.size() - p) split_code = false;
    else bodies.emplace_back(s.content.begin() + ptrdiff_t(p), s.content.begin() + ptrdiff_t(p + size)), p += size;
  }
  if (split_code && p == s.content.size()) {
    size_t which = rng.below(bodies.size());
    how = "in function body " + std::to_string(which) + ": " + mutate(bodies[which], rng, 0);
    s.content.clear();
    write_u32(s.content, count);
    for (const auto& body : bodies) {
      write_u32(s.content, uint32_t(body.size()));
      s.content.insert(s.content.end(), body.begin(), body.end());
    }
  } else {
    how += mutate(s.content, rng, 0);
  }
  b = join_sections(b, sections);
  return how;
}

// Which iteration is running, for the crash report under the sanitizers.
uint64_t g_iteration = 0;
uint64_t g_seed = 0;
const char* g_file = "";
#ifdef WGI_FUZZ_ASAN
void on_sanitizer_death() {
  std::fprintf(stderr,
               "\nfuzz: crashed in iteration %" PRIu64 " (seed 0x%" PRIx64
               ", input derived from %s); replay with WGI_FUZZ_SEED=0x%" PRIx64
               " WGI_FUZZ_ONLY=%" PRIu64 "\n",
               g_iteration, g_seed, g_file, g_seed, g_iteration);
}
#endif

TEST(DecoderFuzz, MutatedSuiteBinariesNeverCrashAndRejectWithAnOffset) {
  const uint64_t seed = env_u64("WGI_FUZZ_SEED", 0x77676921);
  const uint64_t iterations = env_u64("WGI_FUZZ_ITERATIONS", 1000000);
  const char* only_env = std::getenv("WGI_FUZZ_ONLY");
  const bool only = only_env && *only_env;
  const uint64_t only_iteration = env_u64("WGI_FUZZ_ONLY", 0);
  std::printf("fuzz: seed 0x%" PRIx64 ", %" PRIu64 " iterations (WGI_FUZZ_SEED, "
              "WGI_FUZZ_ITERATIONS, WGI_FUZZ_ONLY to change)\n",
              seed, iterations);
  g_seed = seed;
#ifdef WGI_FUZZ_ASAN
  __sanitizer_set_death_callback(on_sanitizer_death);
#endif

  const Corpus corpus = load_corpus();
  ASSERT_GE(corpus.files.size(), 1000u)
      << "expected the suite's binaries in " << WGI_SPEC_JSON_DIR << " (built by spec_json)";
  ASSERT_GE(corpus.valid.size(), 100u) << "the decoder rejects almost every suite module";

  uint64_t decoded = 0, validated = 0, failures = 0;
  const bool stats = env_u64("WGI_FUZZ_STATS", 0) != 0;  // print the commonest rejections
  std::map<std::string, uint64_t> reasons;
  for (uint64_t i = only ? only_iteration : 0; i < (only ? only_iteration + 1 : iterations); ++i) {
    Rng rng{seed ^ (i * 0xD1B54A32D192ED03ull)};
    // Mostly valid modules: mutants of those get furthest into the decoder
    // and the validator. The rest start from the suite's invalid and
    // malformed binaries.
    const size_t pick = rng.below(4) != 0 ? corpus.valid[rng.below(corpus.valid.size())]
                                          : rng.below(corpus.files.size());
    std::vector<uint8_t> bytes = corpus.files[pick];
    std::string how;
    // One mutation most of the time; stacking more rarely survives decoding.
    const size_t r = rng.below(8), stacked = r < 5 ? 1 : r < 7 ? 2 : 3;
    for (size_t k = stacked; k > 0; --k) {
      if (!how.empty()) how += ", ";
      how += rng.below(2) ? mutate_structured(bytes, rng) : std::string(mutate(bytes, rng, 8));
    }
    Features features;
    features.threads = rng.below(2) == 0;
    g_iteration = i;
    g_file = corpus.names[pick].c_str();
    const uint64_t size = bytes.size();

    auto check_rejection = [&](const Error& e, const char* stage) {
      const bool ok = (e.code == ErrorCode::Malformed || e.code == ErrorCode::Invalid) &&
                      e.offset != kNoOffset && e.offset <= size && !e.message.empty();
      if (!ok && ++failures <= 20) {
        ADD_FAILURE() << stage << " rejection without a proper offset: iteration " << i
                      << " (replay: WGI_FUZZ_SEED=" << seed << " WGI_FUZZ_ONLY=" << i << "), "
                      << corpus.names[pick] << " after " << how << ", " << size
                      << " bytes: code " << error_code_name(e.code) << ", offset "
                      << (e.offset == kNoOffset ? std::string("none") : std::to_string(e.offset))
                      << ", message \"" << e.message << "\"";
      }
    };

    Result<Module> m = decode_module(std::move(bytes), features);
    if (!m.ok()) {
      if (stats) ++reasons["decode: " + m.error().message];
      check_rejection(m.error(), "decode");
      continue;
    }
    ++decoded;
    Result<void> v = validate_module(*m, features);
    if (!v.ok()) {
      if (stats) ++reasons["validate: " + v.error().message.substr(0, 40)];
      check_rejection(v.error(), "validate");
      continue;
    }
    ++validated;
    // Same verdict behind another sink: the disassembler must see every
    // body through.
    for (uint32_t f = m->num_imported_funcs; f < m->funcs.size(); ++f) {
      std::string text;
      Result<void> d = disassemble_function(*m, f, &text, features);
      if (!d.ok() && ++failures <= 20) {
        ADD_FAILURE() << "validate_module accepted but disassembling func " << f
                      << " failed: iteration " << i << ", " << corpus.names[pick] << " after "
                      << how << ": " << d.error().message;
      }
    }
  }
  std::printf("fuzz: %zu distinct corpus files (%zu valid); %" PRIu64 " mutants decoded, %" PRIu64
              " of them also validated\n",
              corpus.files.size(), corpus.valid.size(), decoded, validated);
  if (stats) {
    std::vector<std::pair<uint64_t, std::string>> top;
    for (const auto& [why, n] : reasons) top.emplace_back(n, why);
    std::sort(top.rbegin(), top.rend());
    for (size_t k = 0; k < top.size() && k < 25; ++k)
      std::printf("fuzz: %8" PRIu64 "  %s\n", top[k].first, top[k].second.c_str());
  }
  EXPECT_EQ(failures, 0u);
}

}  // namespace
}  // namespace wgi
