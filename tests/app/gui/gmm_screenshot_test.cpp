// Level 4 (ctest label gui): the mixture lab in D > 2 dimensions under Xvfb at 1600 x 900.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/labs/gmm_lab.hpp"
#include "app/plot/plot_math.hpp"
#include "app/ui/style.hpp"
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

using test::Image;
using test::screenshot;

// Iris (4 columns), K = 3, in the plane of x₁, x₂: the points and marginal ellipses in the three
// component colours and the marginal density in blue. Then D = 5 with K = 20 on 10 true
// clusters: components 11 to 20 in their own (darkened) colours, and the weights and curves row
// still drawn below (its blue ELBO curve).
TEST(Gui, MixtureInFourAndFiveDimensions) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_gmm_d.png";
  const std::string iris = std::string(VILAB_SOURCE_DIR) + "/tests/data/iris.csv";
  Image image = screenshot("--model gmm --data " + iris + " --set k=3 --steps 100", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  int coloured = 0;
  for (int k = 0; k < 3; ++k) coloured += image.count(GmmLab::componentColour(k), 12) > 300;
  EXPECT_EQ(coloured, 3) << "not every iris component is drawn";
  EXPECT_GT(image.count(vilab::ui::kApprox, 20), 2000) << "no marginal density (blue)";

  image = screenshot("--model gmm --set dim=5 --set k=20 --set data.components=10 --steps 100", png);
  int darkened = 0;
  for (int k = 10; k < 20; ++k) darkened += image.count(GmmLab::componentColour(k), 8) > 100;
  EXPECT_GE(darkened, 2) << "components 11 to 20 not drawn in colours of their own";
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
