// Fuzz target: IDX image and label files (MNIST format), raw or gzipped. Any bytes give a parsed
// set whose sizes agree with its header, or one message naming the problem with the output
// untouched.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/data/idx.hpp"

namespace {

void checkImages(const std::vector<std::uint8_t>& bytes) {
  vilab::ImageSet set;
  set.rows = -1;  // a sentinel: a failed parse must leave it
  const vilab::Status s = vilab::parseIdxImages(bytes, "input", set);
  if (!s) {
    if (s.message().empty() || set.rows != -1 || !set.pixels.empty()) std::abort();
    return;
  }
  if (set.rows < 1 || set.cols < 1 || set.count() < 1) std::abort();
  if (set.pixels.size() != set.count() * static_cast<std::size_t>(set.pixelsPerImage()))
    std::abort();
}

void checkLabels(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::uint8_t> labels{42};
  const vilab::Status s = vilab::parseIdxLabels(bytes, "input", labels);
  if (!s && (s.message().empty() || labels != std::vector<std::uint8_t>{42})) std::abort();
  if (s && labels.size() + 8 != bytes.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
    // gzip: through the file reader, as the lab reads it, with a small cap on the inflated size.
    static const std::string path = "/tmp/vilab_idx_fuzz_" + std::to_string(getpid()) + ".gz";
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    std::vector<std::uint8_t> inflated{7};
    const vilab::Status s = vilab::readMaybeGzipped(path, inflated, 1 << 20);
    std::remove(path.c_str());
    if (!s) {
      if (s.message().empty() || inflated != std::vector<std::uint8_t>{7}) std::abort();
      return 0;
    }
    if (inflated.size() > (1 << 20)) std::abort();
    bytes = std::move(inflated);
  }
  checkImages(bytes);
  checkLabels(bytes);
  return 0;
}
