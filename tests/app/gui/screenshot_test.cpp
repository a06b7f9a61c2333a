// Level 4 (ctest label gui): the real window under Xvfb with Mesa's software OpenGL.

#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "app/labs/gmm_lab.hpp"
#include "app/plot/plot_math.hpp"
#include "app/ui/style.hpp"

namespace {

namespace fs = std::filesystem;

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;
  // Pixels within `tolerance` of a colour on every channel.
  int count(vilab::plot::Color c, int tolerance = 30) const {
    const int r = c & 0xff, g = (c >> 8) & 0xff, b = (c >> 16) & 0xff;
    int n = 0;
    for (std::size_t i = 0; i + 3 < rgba.size(); i += 4)
      n += std::abs(rgba[i] - r) <= tolerance && std::abs(rgba[i + 1] - g) <= tolerance &&
           std::abs(rgba[i + 2] - b) <= tolerance;
    return n;
  }
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

Image screenshot(const std::string& args, const fs::path& png) {
  // In the AddressSanitizer build, leak checking is off for this process only: Mesa's software
  // OpenGL driver is unloaded at exit, so its allocations cannot be traced (or suppressed) by
  // name. Our code's leaks are caught by the headless UI tests, which use no driver.
  const std::string command = "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" xvfb-run -a -s '-screen 0 1600x900x24' " +
                              std::string(VILAB_BINARY) +
                              " --headless " + args + " --screenshot " + png.string() + " > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  Image image;
  int channels = 0;
  unsigned char* data = stbi_load(png.string().c_str(), &image.width, &image.height, &channels, 4);
  if (data) image.rgba.assign(data, data + static_cast<std::size_t>(image.width) * image.height * 4);
  stbi_image_free(data);
  return image;
}

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
  // Half steps: the red log-likelihood, the blue ELBO and E-step markers, orange M-step markers,
  // the purple KL gap, the viridis latent space, the blue model ellipses and Ψ bars.
  Image image = screenshot("--model fa --steps 40", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  EXPECT_GT(image.distinctColours(), 100) << "blank or nearly blank screenshot";
  EXPECT_GT(image.count(vilab::ui::kExact), 300) << "no log-likelihood (red)";
  EXPECT_GT(image.count(vilab::ui::kApprox, 20), 3000) << "no model / ELBO / ψ (blue)";
  EXPECT_GT(image.count(vilab::ui::kAccent, 20), 100) << "no M-step markers (orange)";
  EXPECT_GT(image.count(vilab::plot::rgba(120, 60, 160), 20), 200) << "no KL gap curve (purple)";
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
