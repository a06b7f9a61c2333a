// Level 4 (ctest label gui): the real window under Xvfb with Mesa's software OpenGL.

#include <gtest/gtest.h>

#include <cstdlib>
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

TEST(Gui, GaussianScreenshotShowsExactAndApproximation) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_gaussian.png";
  const Image image = screenshot("--steps 200", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  EXPECT_GT(image.distinctColours(), 100) << "blank or nearly blank screenshot";
  EXPECT_GT(image.count(vilab::ui::kExact), 500) << "no exact (red) curves";
  EXPECT_GT(image.count(vilab::ui::kApprox), 500) << "no q (blue) curves";
  fs::remove(png);
}

TEST(Gui, FactorAnalysisScreenshotShowsEveryView) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_fa.png";
  // Half steps: the vermillion log-likelihood, the blue ELBO and E-step markers, orange M-step
  // markers, the reddish-purple KL gap, the viridis latent space, the blue model ellipses and Ψ bars.
  Image image = screenshot("--model fa --steps 40", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  EXPECT_GT(image.distinctColours(), 100) << "blank or nearly blank screenshot";
  // (The ELBO and its markers cover most of it; whole-pixel line widths make it 2 px wide.)
  EXPECT_GT(image.count(vilab::ui::kExact), 150) << "no log-likelihood (vermillion)";
  EXPECT_GT(image.count(vilab::ui::kApprox, 20), 3000) << "no model / ELBO / ψ (blue)";
  EXPECT_GT(image.count(vilab::ui::kAccent, 20), 100) << "no M-step markers (orange)";
  EXPECT_GT(image.count(vilab::ui::kPurple, 20), 200) << "no KL gap curve (reddish purple)";
  EXPECT_GT(image.count(vilab::plot::viridis(0.9), 25), 20) << "no coloured latent points";
  // PPCA with its closed form drawn in orange (ellipse, σ² line, log-likelihood line).
  image = screenshot("--model fa --steps 60 --set ppca=true --set halfsteps=false", png);
  EXPECT_GT(image.count(vilab::ui::kAccent, 20), 150) << "no closed-form PPCA (orange)";
  fs::remove(png);
}

TEST(Gui, MixtureScreenshotsShowComponentsIn2dAnd1d) {
  using vilab::GmmLab;
  const fs::path png = fs::temp_directory_path() / "vilab_gui_gmm.png";
  // 2-D, CAVI with K = 5 on 3 true components: points, ellipses and weight bars in the colours of
  // the surviving components, the blue fitted density and the ELBO curve.
  Image image = screenshot("--model gmm --steps 100", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  EXPECT_GT(image.distinctColours(), 100) << "blank or nearly blank screenshot";
  int coloured = 0;
  for (int k = 0; k < 5; ++k) coloured += image.count(GmmLab::componentColour(k), 12) > 300;
  EXPECT_GE(coloured, 3) << "fewer than three component colours visible";
  EXPECT_GT(image.count(vilab::ui::kApprox, 20), 2000) << "no fitted density (blue)";
  // 1-D, BBVI: the grey histogram, five component curves and the predictive density.
  image = screenshot("--model gmm --set dim=1 --set algorithm=bbvi --steps 200", png);
  coloured = 0;
  for (int k = 0; k < 5; ++k) coloured += image.count(GmmLab::componentColour(k), 12) > 300;
  EXPECT_EQ(coloured, 5) << "not every BBVI component is drawn";
  // The histogram is kData at half opacity on the white plot.
  const auto histogram = vilab::plot::mix(vilab::ui::kData, vilab::plot::rgba(255, 255, 255), 0.5f);
  EXPECT_GT(image.count(histogram, 8), 20000) << "no histogram (grey)";
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
