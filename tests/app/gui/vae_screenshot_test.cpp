// Level 4 (ctest label gui): the VAE lab's window under Xvfb. After a short training run on the
// real Fashion-MNIST files (or the built-in shapes when they are missing), the latent scatter
// shows many class colours and the image grids (manifold, reconstructions, samples) hold images.

#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/labs/vae_lab.hpp"
#include "app/plot/plot_math.hpp"

namespace {

namespace fs = std::filesystem;

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;
  int count(vilab::plot::Color c, int tolerance) const {
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
};

Image screenshot(const std::string& args, const fs::path& png) {
  // Leak checking off for this process only (Mesa's driver is unloaded at exit; see
  // screenshot_test.cpp).
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
