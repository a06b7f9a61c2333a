#pragma once
// Reader for the IDX files of MNIST and Fashion-MNIST (LeCun et al., "THE MNIST DATABASE" file
// format): a big-endian header (two zero bytes, type 0x08 = unsigned byte, the number of
// dimensions, one uint32 per dimension) followed by the bytes. gzip-compressed or raw files.
// Every check fails with one readable Status line; nothing is trusted before it is checked.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/image_set.hpp"
#include "core/status.hpp"

namespace vilab {

inline constexpr std::uint32_t kIdxImagesMagic = 0x00000803;       // unsigned bytes, 3 dimensions
inline constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;       // unsigned bytes, 1 dimension
inline constexpr std::size_t kIdxMaxBytes = std::size_t(1) << 30;  // decompressed file size cap
inline constexpr std::uint32_t kIdxMaxSide = 1024;                 // image rows and columns
inline constexpr std::uint32_t kIdxMaxCount = 10'000'000;          // images or labels

// Reads a whole file, gunzipping it when it starts with the gzip magic bytes; fails on a missing
// file, a corrupt or truncated gzip stream, or more than maxBytes of content.
Status readMaybeGzipped(const std::string& path, std::vector<std::uint8_t>& out,
                        std::size_t maxBytes = kIdxMaxBytes);

// Parses IDX content (already decompressed). `what` names the file in messages. On error the
// outputs are unchanged.
Status parseIdxImages(const std::vector<std::uint8_t>& bytes, const std::string& what,
                      ImageSet& out);
Status parseIdxLabels(const std::vector<std::uint8_t>& bytes, const std::string& what,
                      std::vector<std::uint8_t>& out);

// Reads an images file and its labels file into one ImageSet; the counts must agree.
Status readIdxPair(const std::string& imagesPath, const std::string& labelsPath, ImageSet& out);

}  // namespace vilab
