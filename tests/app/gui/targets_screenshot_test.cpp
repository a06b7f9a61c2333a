// Level 4 (ctest label gui): the families-and-divergences lab under Xvfb at 1600 x 900: the target
// view shows p's contours (red), q's contours and draws (blue) and the MCMC samples (green), and
// for the constrained target the same again in the second view, the (λ, θ) space.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/labs/targets_lab.hpp"
#include "app/ui/style.hpp"
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

using test::Image;
using test::screenshot;

// Pixels within `tolerance` of a colour in the rectangle [x0, x1) x [y0, y1).
int countIn(const Image& image, plot::Color c, int tolerance, int x0, int y0, int x1, int y1) {
  const int r = c & 0xff, g = (c >> 8) & 0xff, b = (c >> 16) & 0xff;
  int n = 0;
  for (int y = y0; y < y1 && y < image.height; ++y)
    for (int x = x0; x < x1 && x < image.width; ++x) {
      const unsigned char* px = &image.rgba[(static_cast<std::size_t>(y) * image.width + x) * 4];
      n += std::abs(px[0] - r) <= tolerance && std::abs(px[1] - g) <= tolerance &&
           std::abs(px[2] - b) <= tolerance;
    }
  return n;
}

// The controls take the left quarter (22 lines of 18 px); the target view is the views' first,
// in their top half: these rectangles lie inside it (and the constrained view) at 1600 x 900.
// The counts are above what a legend's swatch alone covers (about 500 pixels). Mean-field q on
// the default ρ = 0.9 target is narrower than p, so its contours do not hide p's.
TEST(Gui, TargetsViewShowsTheTargetQAndTheChain) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_targets.png";
  Image image = screenshot("--model targets --steps 200", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  const auto check = [&](const char* what, int x0, int x1) {
    EXPECT_GT(countIn(image, ui::kExact, 20, x0, 60, x1, 470), 800) << what << ": no p (red)";
    EXPECT_GT(countIn(image, ui::kApprox, 20, x0, 60, x1, 470), 2000) << what << ": no q (blue)";
    EXPECT_GT(countIn(image, TargetsLab::kMcmc, 20, x0, 60, x1, 470), 1500)
        << what << ": no MCMC samples (green)";
  };
  check("the Gaussian target", 450, 1080);

  image = screenshot("--model targets --set target=constrained --steps 200", png);
  check("the constrained target in z", 430, 820);
  check("the constrained target in (λ, θ)", 860, 1240);
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
