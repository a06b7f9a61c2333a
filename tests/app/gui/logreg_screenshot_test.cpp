// Level 4 (ctest label gui): the logistic-regression lab under Xvfb at 1600 x 900: data space in
// the class colours over the predictive's shades, weight space with the exact posterior in red
// and q in blue, the Jaakkola–Jordan q in its own colour.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/labs/logreg_lab.hpp"
#include "app/ui/style.hpp"
#include "tests/app/gui/screenshot_image.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

using test::Image;
using test::screenshot;

TEST(Gui, LogisticRegressionDataAndWeightSpace) {
  const fs::path png = fs::temp_directory_path() / "vilab_gui_logreg.png";
  Image image = screenshot("--model logreg --set family=fullrank --steps 300", png);
  ASSERT_EQ(image.width, 1600);
  ASSERT_EQ(image.height, 900);
  // Data space: the points of both classes (100 discs) and the predictive's pale shades where
  // the classes are sure (p near 0 and near 1 cover much of the view).
  for (int c : {0, 1})
    EXPECT_GT(image.count(LogregLab::classColour(c), 12), 400) << "no points of class " << c;
  EXPECT_GT(image.count(LogregLab::probabilityColour(0.02), 10), 5000) << "no shade towards p = 0";
  EXPECT_GT(image.count(LogregLab::probabilityColour(0.98), 10), 5000) << "no shade towards p = 1";
  // Weight space: the exact posterior's contours (red) and q's ellipses and curves (blue).
  EXPECT_GT(image.count(ui::kExact, 20), 800) << "no exact posterior (red)";
  EXPECT_GT(image.count(ui::kApprox, 20), 1500) << "no q (blue)";

  // JJ: its q drawn in its own colour in weight space, its curves in the ELBO plot.
  image = screenshot("--model logreg --set method=jj --steps 30", png);
  EXPECT_GT(image.count(LogregLab::kJj, 15), 600) << "no Jaakkola–Jordan q";
  EXPECT_GT(image.count(ui::kExact, 20), 800) << "no exact posterior (red)";
  fs::remove(png);
}

}  // namespace
}  // namespace vilab
