// The VAE panel's class colours: a letters set (26 classes) gets a colour of its own per class.

#include "app/labs/vae_lab.hpp"

#include <gtest/gtest.h>

#include <set>

namespace vilab {
namespace {

TEST(VaeLab, ClassColoursAreDistinctForThirtyClasses) {
  std::set<plot::Color> colours;
  for (int k = 0; k < 30; ++k) colours.insert(VaeLab::classColour(k));
  EXPECT_EQ(colours.size(), 30u);
  EXPECT_EQ(VaeLab::classColour(3), plot::categorical(3)) << "the first ten are the usual hues";
}

}  // namespace
}  // namespace vilab
