// Level 4 (ctest label gui): the VAE lab's window under Xvfb. After a short training run on the
// real Fashion-MNIST files (or the built-in shapes when they are missing), the latent scatter
// shows many class colours and the image grids (manifold, reconstructions, samples) hold images.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/labs/vae_lab.hpp"
#include "app/plot/plot_math.hpp"
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

using test::Image;
using test::screenshot;

TEST(Gui, VaeScreenshotShowsClassColoursAndImageGrids) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_vae.png";
  const Image image = screenshot("--model vae --steps 300 --set hidden=128", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  // The latent points are drawn at 85% opacity on white: look for that blend of each class colour.
  int classes = 0;
  for (int k = 0; k < 10; ++k) {
    const auto blended =
        vilab::plot::mix(vilab::plot::rgba(255, 255, 255), vilab::VaeLab::classColour(k), 0.85f);
    classes += image.count(blended, 12) > 100;
  }
  // (The Gaussian lab's screenshot has 3 of these blends, from its blue, red and grey.)
  EXPECT_GE(classes, 8) << "the latent scatter should show most of the ten class colours";
  // The grids are white-on-black images: large black backgrounds and many mid greys (the
  // garments), far more than the interface's own text, borders and grey data have (the Gaussian
  // lab's screenshot: no dark pixels, about 21,000 mid greys; this one about 87,000 and 84,000).
  EXPECT_GT(image.greys(0, 12), 40000) << "no dark image backgrounds: the grids look blank";
  EXPECT_GT(image.greys(40, 140), 45000) << "no grey image content: the grids look blank";
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
