#pragma once
// What the GUI tests look at: a screenshot taken by the real binary under Xvfb, and pixel counts.

#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/plot/plot_math.hpp"

namespace vilab::test {

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;

  // Pixels within `tolerance` of a colour on every channel.
  int count(plot::Color c, int tolerance = 30) const {
    const int r = c & 0xff, g = (c >> 8) & 0xff, b = (c >> 16) & 0xff;
    int n = 0;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4)
      n += std::abs(rgba[i] - r) <= tolerance && std::abs(rgba[i + 1] - g) <= tolerance &&
           std::abs(rgba[i + 2] - b) <= tolerance;
    return n;
  }
  // Grey pixels (r = g = b) with a value in [lo, hi].
  int greys(int lo, int hi) const {
    int n = 0;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4)
      n += rgba[i] == rgba[i + 1] && rgba[i] == rgba[i + 2] && rgba[i] >= lo && rgba[i] <= hi;
    return n;
  }
  // Distinct colours at 5 bits per channel: a blank window has a handful.
  int distinctColours() const {
    std::vector<bool> seen(1 << 15);
    int n = 0;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
      const int key = (rgba[i] >> 3) << 10 | (rgba[i + 1] >> 3) << 5 | (rgba[i + 2] >> 3);
      if (!seen[key]) seen[key] = true, ++n;
    }
    return n;
  }
};

// Runs `vilab --headless ARGS --screenshot PNG` under Xvfb at 1600x900 and loads the PNG.
inline Image screenshot(const std::string& args, const std::filesystem::path& png) {
  // In the AddressSanitizer build, leak checking is off for this process only: Mesa's software
  // OpenGL driver is unloaded at exit, so its allocations cannot be traced (or suppressed) by
  // name. Our code's leaks are caught by the headless UI tests, which use no driver.
  const std::string command =
      "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" xvfb-run -a -s '-screen 0 1600x900x24' " +
      std::string(VILAB_BINARY) + " --headless " + args + " --screenshot " + png.string() +
      " > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  Image image;
  int channels = 0;
  unsigned char* data = stbi_load(png.string().c_str(), &image.width, &image.height, &channels, 4);
  if (data)
    image.rgba.assign(data, data + static_cast<std::size_t>(image.width) * image.height * 4);
  stbi_image_free(data);
  return image;
}

}  // namespace vilab::test
