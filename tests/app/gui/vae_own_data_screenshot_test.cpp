// Level 4 (ctest label gui): the VAE lab on the issue's own-data cases under Xvfb. Images of
// 5 rows x 7 columns with a bright top row are drawn as horizontal bright bars (a wrong stride
// turns them into diagonal stripes), and a legend of 27 classes stays inside the latent plot
// instead of pushing the bottom row of plots off the window.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/data/idx.hpp"  // kIdx*Magic
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;
using test::Image;
using test::screenshot;

const std::string kOwnData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

void put32(Bytes& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Writes an IDX pair `dir`/`part`-{images-idx3,labels-idx1}-ubyte of count rows x cols images.
void writeIdx(const fs::path& dir, const std::string& part, int rows, int cols, const Bytes& pixels,
              const Bytes& labels) {
  Bytes images, tags;
  put32(images, kIdxImagesMagic);
  put32(images, static_cast<std::uint32_t>(labels.size()));
  put32(images, rows);
  put32(images, cols);
  images.insert(images.end(), pixels.begin(), pixels.end());
  put32(tags, kIdxLabelsMagic);
  put32(tags, static_cast<std::uint32_t>(labels.size()));
  tags.insert(tags.end(), labels.begin(), labels.end());
  std::ofstream(dir / (part + "-images-idx3-ubyte"), std::ios::binary)
      .write(reinterpret_cast<const char*>(images.data()), images.size());
  std::ofstream(dir / (part + "-labels-idx1-ubyte"), std::ios::binary)
      .write(reinterpret_cast<const char*>(tags.data()), tags.size());
}

// Pixels of horizontal bright bars over dark: bright greys (>= 170) with a dark grey (<= 60) a
// few pixels below, counted only in horizontal runs of at least 60 such pixels. Image grids of
// bright-top-row images have long runs; diagonal stripes have none.
long barPixels(const Image& image) {
  const auto grey = [&](int x, int y) {
    const unsigned char* p = &image.rgba[(std::size_t(y) * image.width + x) * 4];
    return p[0] == p[1] && p[1] == p[2] ? int(p[0]) : -1;
  };
  long total = 0;
  for (int y = 0; y + 12 < image.height; ++y) {
    int run = 0;
    for (int x = 0; x <= image.width; ++x) {
      bool bar = false;
      if (x < image.width && grey(x, y) >= 170)
        for (int d = 2; d <= 12 && !bar; ++d) bar = grey(x, y + d) >= 0 && grey(x, y + d) <= 60;
      if (bar) {
        ++run;
      } else {
        if (run >= 60) total += run;
        run = 0;
      }
    }
  }
  return total;
}

// The lowest row with at least 150 white pixels right of the controls: the bottom edge of the
// lowest plots' data areas.
// The lowest plot's bottom edge: the lowest row of the views (right of the controls, above the
// status bar's 40 pixels) with a long run of the plot frames' grey (anti-aliased: 140..215).
int lowestPlotRow(const Image& image) {
  for (int y = image.height - 41; y >= 0; --y) {
    int border = 0;
    for (int x = 420; x < image.width; ++x) {
      const unsigned char* p = &image.rgba[(std::size_t(y) * image.width + x) * 4];
      border += p[0] == p[1] && p[1] == p[2] && p[0] >= 140 && p[0] <= 215;
    }
    if (border >= 150) return y;
  }
  return -1;
}

TEST(Gui, VaeNonSquareImagesShowHorizontalBars) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_vae_5x7.png";
  const std::string run = "--model vae --steps 300 --set hidden=64 --set batch=8 --set dataset=";
  const Image right = screenshot(run + kOwnData + "nonsquare_5x7_idx", png);
  ASSERT_EQ(right.width, 1600);
  ASSERT_EQ(right.height, 900);
  const long bars = barPixels(right);
  // Manifold, prior samples and reconstructions: about 30,000 bar pixels when drawn right.
  EXPECT_GT(bars, 10000) << "no horizontal bright bars: the 5 x 7 images are not drawn by rows";

  // Control: 5 x 7 images of bright diagonals only, the picture a wrong stride makes of
  // bright rows. The measure must not count their stripes as bars.
  const fs::path dir = fs::temp_directory_path() / "vilab_gui_vae_stripes";
  fs::create_directories(dir);
  for (const auto& [part, count] : {std::pair{std::string("train"), 12}, {"t10k", 4}}) {
    Bytes pixels(std::size_t(count) * 35, 0), labels;
    for (int i = 0; i < count; ++i) {
      labels.push_back(static_cast<std::uint8_t>(i % 3));
      for (int r = 0; r < 5; ++r) pixels[std::size_t(i) * 35 + r * 7 + (r + i) % 7] = 255;
    }
    writeIdx(dir, part, 5, 7, pixels, labels);
  }
  const Image strided = screenshot(run + dir.string(), png);
  EXPECT_LT(barPixels(strided), bars / 4) << "the bar measure takes diagonal stripes for bars";
  fs::remove_all(dir);
  fs::remove(png);
}

TEST(Gui, VaeLegendOf27ClassesKeepsTheBottomPlotsInTheWindow) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_vae_legend.png";
  const std::string run = "--model vae --steps 100 --set hidden=64 --set dataset=";
  // Reference layout: three classes.
  const Image few = screenshot(run + kOwnData + "nonsquare_5x7_idx --set batch=8", png);
  const int bottom = lowestPlotRow(few);
  ASSERT_GT(bottom, 600) << "the bottom row of plots is missing from the reference";
  ASSERT_LT(bottom, 880);

  // 27 classes (labels 0..26, each in the test set), 8 x 8 images.
  const fs::path dir = fs::temp_directory_path() / "vilab_gui_vae_27";
  fs::create_directories(dir);
  for (const auto& [part, count] : {std::pair{std::string("train"), 54}, {"t10k", 27}}) {
    Bytes pixels(std::size_t(count) * 64, 0), labels;
    for (int i = 0; i < count; ++i) {
      const int k = i % 27;
      labels.push_back(static_cast<std::uint8_t>(k));
      for (int c = 0; c < 8; ++c) pixels[std::size_t(i) * 64 + (k % 8) * 8 + c] = 255;
      for (int r = 0; r < 8; ++r) pixels[std::size_t(i) * 64 + r * 8 + k / 8] = 128;
    }
    writeIdx(dir, part, 8, 8, pixels, labels);
  }
  const Image many = screenshot(run + dir.string() + " --set batch=16", png);
  EXPECT_EQ(lowestPlotRow(many), bottom) << "the 27-class legend moved the bottom row of plots";
  // The tiny letters case (labels 1, 17, 26 in training; 5, 26 held out), default batch.
  const Image tiny = screenshot(run + kOwnData + "tiny_idx_labels_up_to_26", png);
  EXPECT_EQ(lowestPlotRow(tiny), bottom) << "the letters legend moved the bottom row of plots";
  fs::remove_all(dir);
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
