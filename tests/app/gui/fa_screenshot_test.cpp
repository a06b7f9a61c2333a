// Level 4 (ctest label gui): the factor-analysis lab on Fashion-MNIST images under Xvfb: the
// mean, the loadings and Ψ drawn as images, and the latent points coloured by class.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "app/plot/plot_math.hpp"
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

// Pixels in the rectangle [x0, x1) x [y0, y1) for which `keep(r, g, b)` holds.
template <class F>
int countIn(const test::Image& image, int x0, int y0, int x1, int y1, F keep) {
  int n = 0;
  for (int y = y0; y < std::min(y1, image.height); ++y)
    for (int x = x0; x < std::min(x1, image.width); ++x) {
      const unsigned char* p = &image.rgba[(static_cast<std::size_t>(y) * image.width + x) * 4];
      n += keep(int(p[0]), int(p[1]), int(p[2]));
    }
  return n;
}

TEST(Gui, FactorAnalysisOnFashionMnistDrawsTheLoadingsAsImages) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";
  const fs::path png = fs::temp_directory_path() / "vilab_gui_fa_images.png";
  const test::Image image = test::screenshot(
      "--model fa --set dataset=fashion-mnist --set data.n=2000 --set k=2 --set init=pca "
      "--set view.pca=true --set halfsteps=false --steps 100",
      png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  // The top right panel holds the tiles: the loadings in red (above 0) and blue (below), Ψ on
  // viridis (its dark purple end), the mean in grey.
  const int x0 = 1200, y0 = 30, x1 = 1600, y1 = 500;
  const int red =
      countIn(image, x0, y0, x1, y1, [](int r, int g, int b) { return r > g + 60 && r > b + 60; });
  const int blue =
      countIn(image, x0, y0, x1, y1, [](int r, int g, int b) { return b > r + 60 && b > g + 20; });
  const auto dark = plot::viridis(0.0);
  const int viridisLow = countIn(image, x0, y0, x1, y1, [&](int r, int g, int b) {
    return std::abs(r - int(dark & 0xff)) < 25 && std::abs(g - int((dark >> 8) & 0xff)) < 25 &&
           std::abs(b - int((dark >> 16) & 0xff)) < 25;
  });
  EXPECT_GT(red, 1500) << "no positive loadings (red) in the image tiles";
  EXPECT_GT(blue, 1500) << "no negative loadings (blue) in the image tiles";
  EXPECT_GT(viridisLow, 300) << "no Ψ image (viridis)";
  EXPECT_GT(countIn(image, x0, y0, x1, y1,
                    [](int r, int g, int b) { return r == g && g == b && r > 60 && r < 200; }),
            1500)
      << "no mean image (grey)";
  // The latent view: points in at least six of the ten class colours.
  int classes = 0;
  for (int c = 0; c < 10; ++c) classes += image.count(plot::categorical(c), 12) > 40;
  EXPECT_GE(classes, 6) << "latent points are not coloured by class";
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
