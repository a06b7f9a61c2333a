// Level 4 (ctest label gui): `--compare` with `--screenshot` shows A and B in two columns under
// Xvfb at 1600 x 900: the mixture with K = 5 on the left and K = 2 on the right.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/labs/gmm_lab.hpp"
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

// Pixels within 12 of `c` on every channel in the columns [x0, x1) of the image.
int countIn(const test::Image& image, plot::Color c, int x0, int x1) {
  const int r = c & 0xff, g = (c >> 8) & 0xff, b = (c >> 16) & 0xff;
  int n = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = x0; x < x1; ++x) {
      const unsigned char* p = &image.rgba[(static_cast<std::size_t>(y) * image.width + x) * 4];
      n += std::abs(p[0] - r) <= 12 && std::abs(p[1] - g) <= 12 && std::abs(p[2] - b) <= 12;
    }
  return n;
}

TEST(Gui, CompareShowsAAndBInTwoColumns) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_compare.png";
  const fs::path b = fs::temp_directory_path() / "vilab_gui_compare_b.json";
  std::ofstream(b) << R"({"k": 2})";
  const test::Image image = test::screenshot("--model gmm --steps 40 --compare " + b.string(), png);
  ASSERT_EQ(image.width, 1600);
  // The views start right of the control panel (at most a third of the width) and split in two
  // at about 1000 px; both runs colour points by components 1 and 2, only A (K = 5) has a fourth.
  const int middle = 1000;
  for (int k = 0; k < 2; ++k) {
    EXPECT_GT(countIn(image, GmmLab::componentColour(k), 540, middle), 300) << "A lacks component " << k + 1;
    EXPECT_GT(countIn(image, GmmLab::componentColour(k), middle, 1600), 300) << "B lacks component " << k + 1;
  }
  EXPECT_GT(countIn(image, GmmLab::componentColour(3), 540, middle), 300) << "A's fourth component not drawn";
  EXPECT_LT(countIn(image, GmmLab::componentColour(3), middle, 1600), 30) << "B (K = 2) shows a fourth component";
  fs::remove(png);
  fs::remove(b);
}

}  // namespace
}  // namespace vilab
