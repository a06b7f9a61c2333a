#include "core/data/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <memory>

namespace vilab {
namespace {

std::uint32_t bigEndian32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

std::string hex32(std::uint32_t v) {
  static const char* kDigits = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += kDigits[(v >> shift) & 0xf];
  return s;
}

// Checks the header common to both kinds; returns the dimensions.
Status parseHeader(const std::vector<std::uint8_t>& bytes, const std::string& what,
                   std::uint32_t expectedMagic, std::vector<std::uint32_t>& dims) {
  if (bytes.size() < 4)
    return Status::error(what + " is too short to be an IDX file (" + std::to_string(bytes.size()) +
                         " bytes)");
  const std::uint32_t magic = bigEndian32(bytes.data());
  if (magic != expectedMagic) {
    const bool idx = bytes[0] == 0 && bytes[1] == 0;
    const std::string kind = expectedMagic == kIdxImagesMagic ? "images" : "labels";
    return Status::error(
        what + " is not an IDX " + kind + " file: magic number " + hex32(magic) + ", expected " +
        hex32(expectedMagic) +
        (idx ? " (unsigned bytes in " + std::to_string(expectedMagic & 0xff) + " dimensions)"
             : ""));
  }
  const std::size_t n = magic & 0xff;
  if (bytes.size() < 4 + 4 * n) return Status::error(what + " is truncated inside its header");
  dims.resize(n);
  for (std::size_t i = 0; i < n; ++i) dims[i] = bigEndian32(bytes.data() + 4 + 4 * i);
  return Status::ok();
}

Status checkPayload(const std::vector<std::uint8_t>& bytes, const std::string& what,
                    std::size_t header, std::uint64_t expected) {
  const std::uint64_t have = bytes.size() - header;
  if (have < expected)
    return Status::error(what + " is truncated: the header promises " + std::to_string(expected) +
                         " bytes of data, the file has " + std::to_string(have));
  if (have > expected)
    return Status::error(what + " has " + std::to_string(have - expected) +
                         " bytes after the data its header describes");
  return Status::ok();
}

}  // namespace

Status readMaybeGzipped(const std::string& path, std::vector<std::uint8_t>& out,
                        std::size_t maxBytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::error(path + " does not exist");
  if (std::filesystem::is_directory(path, ec)) return Status::error(path + " is a directory");
  // gzread reads plain files unchanged, so one path serves both.
  const std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) return Status::error("cannot open " + path);
  std::vector<std::uint8_t> bytes;
  constexpr unsigned kChunk = 1u << 20;
  for (;;) {
    const std::size_t at = bytes.size();
    if (at >= maxBytes + 1) break;
    bytes.resize(at + std::min<std::size_t>(kChunk, maxBytes + 1 - at));
    const int got = gzread(file.get(), bytes.data() + at, static_cast<unsigned>(bytes.size() - at));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      return Status::error(path + " is not a valid gzip file (" +
                           std::string(message ? message : "read error") + ")");
    }
    bytes.resize(at + static_cast<std::size_t>(got));
    if (got == 0) break;
  }
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code != Z_OK && code != Z_STREAM_END)
    return Status::error(path + " is a damaged gzip file (" +
                         std::string(message ? message : "read error") + ")");
  if (bytes.size() > maxBytes)
    return Status::error(path + " is larger than " + std::to_string(maxBytes >> 20) +
                         " MiB when decompressed");
  out = std::move(bytes);
  return Status::ok();
}

Status parseIdxImages(const std::vector<std::uint8_t>& bytes, const std::string& what,
                      ImageSet& out) {
  std::vector<std::uint32_t> dims;
  if (Status s = parseHeader(bytes, what, kIdxImagesMagic, dims); !s) return s;
  const std::uint32_t count = dims[0], rows = dims[1], cols = dims[2];
  if (count == 0) return Status::error(what + " holds no images");
  if (count > kIdxMaxCount)
    return Status::error(what + " claims " + std::to_string(count) + " images, more than the " +
                         std::to_string(kIdxMaxCount) + " allowed");
  if (rows == 0 || cols == 0 || rows > kIdxMaxSide || cols > kIdxMaxSide)
    return Status::error(what + " has images of " + std::to_string(rows) + " x " +
                         std::to_string(cols) + " pixels; each side must be 1 to " +
                         std::to_string(kIdxMaxSide));
  const std::uint64_t size = std::uint64_t(count) * rows * cols;
  if (Status s = checkPayload(bytes, what, 16, size); !s) return s;
  out.rows = static_cast<int>(rows);
  out.cols = static_cast<int>(cols);
  out.pixels.assign(bytes.begin() + 16, bytes.end());
  out.labels.assign(count, 0);
  return Status::ok();
}

Status parseIdxLabels(const std::vector<std::uint8_t>& bytes, const std::string& what,
                      std::vector<std::uint8_t>& out) {
  std::vector<std::uint32_t> dims;
  if (Status s = parseHeader(bytes, what, kIdxLabelsMagic, dims); !s) return s;
  const std::uint32_t count = dims[0];
  if (count == 0) return Status::error(what + " holds no labels");
  if (count > kIdxMaxCount)
    return Status::error(what + " claims " + std::to_string(count) + " labels, more than the " +
                         std::to_string(kIdxMaxCount) + " allowed");
  if (Status s = checkPayload(bytes, what, 8, count); !s) return s;
  out.assign(bytes.begin() + 8, bytes.end());
  return Status::ok();
}

Status readIdxPair(const std::string& imagesPath, const std::string& labelsPath, ImageSet& out) {
  std::vector<std::uint8_t> bytes;
  if (Status s = readMaybeGzipped(imagesPath, bytes); !s) return s;
  ImageSet set;
  if (Status s = parseIdxImages(bytes, imagesPath, set); !s) return s;
  if (Status s = readMaybeGzipped(labelsPath, bytes); !s) return s;
  std::vector<std::uint8_t> labels;
  if (Status s = parseIdxLabels(bytes, labelsPath, labels); !s) return s;
  if (labels.size() != set.count())
    return Status::error(imagesPath + " holds " + std::to_string(set.count()) + " images but " +
                         labelsPath + " holds " + std::to_string(labels.size()) + " labels");
  set.labels = std::move(labels);
  out = std::move(set);
  return Status::ok();
}

}  // namespace vilab
