#pragma once
// PNG export of RGBA pixels (screenshots), through stb_image_write.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"

namespace vilab {

// Writes width x height RGBA pixels, top row first, atomically.
Status writePng(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba);

// The next free name "<folder>/vilab-NNNN.png" (auto-numbered screenshots).
std::string nextScreenshotPath(const std::string& folder);

}  // namespace vilab
