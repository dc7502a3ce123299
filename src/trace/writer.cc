#include "trace/writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

namespace wgi::trace {

namespace {

Error io_error(const std::string& what, const std::string& path) {
  return make_error(ErrorCode::Io, kNoOffset, what + " " + path + ": " + std::strerror(errno));
}

void put_be64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace

TraceFiles trace_files(const std::string& dir) {
  const std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  const std::string tmp = "." + std::to_string(::getpid()) + ".tmp";
  TraceFiles f;
  f.bin = prefix + "trace.bin";
  f.json = prefix + "trace.json";
  f.bin_tmp = f.bin + tmp;
  f.json_tmp = f.json + tmp;
  return f;
}

Result<WriteSummary> write_trace(const Recorder& recorder, std::span<const std::pair<uint32_t, uint32_t>> sites,
                                 const MetadataInfo& base_info, const std::string& dir) {
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(ErrorCode::Io, kNoOffset, "cannot create the directory " + dir + ": " + ec.message());
  const TraceFiles files = trace_files(dir);
  const std::string &bin_tmp = files.bin_tmp, &json_tmp = files.json_tmp;
  WriteSummary sum;
  sum.bin_path = files.bin;
  sum.json_path = files.json;

  std::FILE* f = std::fopen(bin_tmp.c_str(), "wb");
  if (f == nullptr) return io_error("cannot write", bin_tmp);
  // Any failure below removes the temporary files; the final names are
  // only touched once both files are complete.
  struct Guard {
    std::FILE*& f;
    const std::string& bin_tmp;
    const std::string& json_tmp;
    bool keep = false;
    ~Guard() {
      if (f) std::fclose(f);
      if (keep) return;
      std::remove(bin_tmp.c_str());
      std::remove(json_tmp.c_str());
    }
  } guard{f, bin_tmp, json_tmp};

  uint8_t header[rapidbin::kHeaderBytes] = {};
  if (std::fwrite(header, 1, sizeof header, f) != sizeof header) return io_error("cannot write", bin_tmp);

  IdAssigner ids(sites, base_info.site_info);
  std::vector<uint8_t> buf;
  constexpr size_t kFlushBytes = 1 << 20;
  buf.reserve(kFlushBytes + 8);
  uint64_t events = 0;
  std::optional<Error> failure;
  recorder.merge_each([&](uint32_t tid, std::span<const Event> segment) {
    if (failure) return;
    for (const Event& recorded : segment) {
      // An atomic becomes a critical section of its address's lock
      // (metadata.h), written here in one piece.
      rapidbin::Event parts[IdAssigner::kMaxExpansion];
      Result<size_t> nparts = ids.expand(tid, recorded, parts);
      if (!nparts.ok()) {
        failure = nparts.error();
        return;
      }
      for (size_t part = 0; part < *nparts; ++part) {
        Result<uint64_t> word = rapidbin::encode_event(parts[part]);
        if (!word.ok()) {
          failure = word.error();
          return;
        }
        buf.resize(buf.size() + 8);
        put_be64(buf.data() + buf.size() - 8, *word);
        ++events;
        if (buf.size() >= kFlushBytes) {
          if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size()) {
            failure = io_error("cannot write", bin_tmp);
            return;
          }
          buf.clear();
        }
      }
    }
  });
  sum.truncated = recorder.truncated();  // known once the merge resolved the limit
  if (failure) {
    failure->message = sum.bin_path + ": " + failure->message;
    return *failure;
  }
  if (!buf.empty() && std::fwrite(buf.data(), 1, buf.size(), f) != buf.size())
    return io_error("cannot write", bin_tmp);

  const TraceMetadata& md = ids.metadata();
  sum.header.threads = static_cast<int64_t>(md.threads.size());
  sum.header.locks = static_cast<int64_t>(md.locks.size());
  sum.header.variables = static_cast<int64_t>(md.variables.size());
  sum.header.events = static_cast<int64_t>(events);
  sum.locations = md.locations.size();
  if (Result<void> r = rapidbin::encode_header(sum.header, header); !r.ok()) {
    Error e = r.error();
    e.message = sum.bin_path + ": " + e.message;
    return e;
  }
  if (std::fseek(f, 0, SEEK_SET) != 0 || std::fwrite(header, 1, sizeof header, f) != sizeof header)
    return io_error("cannot write", bin_tmp);
  const int closed = std::fclose(f);
  f = nullptr;
  if (closed != 0) return io_error("cannot write", bin_tmp);

  sum.overlaps = find_overlaps(md.variables);
  MetadataInfo info = base_info;
  info.trace_file = "trace.bin";
  info.events = events;
  info.truncated = sum.truncated;
  info.event_limit = recorder.limit();
  WGI_TRY(write_metadata_json(json_tmp, md, info, sum.overlaps));

  // Into place: first away with the old trace.json, so that no moment
  // shows a trace.bin next to a trace.json that does not describe it (an
  // interrupted write leaves the earlier trace.bin alone, or the new one
  // alone); then trace.bin, then trace.json.
  if (::unlink(sum.json_path.c_str()) != 0 && errno != ENOENT) return io_error("cannot replace", sum.json_path);
  if (std::rename(bin_tmp.c_str(), sum.bin_path.c_str()) != 0) return io_error("cannot write", sum.bin_path);
  if (std::rename(json_tmp.c_str(), sum.json_path.c_str()) != 0) {
    Error e = io_error("cannot write", sum.json_path);
    std::remove(sum.bin_path.c_str());  // no trace.bin without its trace.json
    return e;
  }
  guard.keep = true;
  sum.metadata = ids.release();
  return sum;
}

}  // namespace wgi::trace
