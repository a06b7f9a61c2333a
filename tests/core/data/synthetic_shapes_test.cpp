#include "core/data/synthetic_shapes.hpp"

#include <gtest/gtest.h>

#include <Eigen/Core>

namespace vilab {
namespace {

TEST(SyntheticShapes, BalancedDeterministicAndInked) {
  const ImageSet a = generateShapes(500, 3), b = generateShapes(500, 3), c = generateShapes(500, 4);
  ASSERT_EQ(a.count(), 500u);
  EXPECT_EQ(a.rows, 28);
  EXPECT_EQ(a.cols, 28);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_NE(a.pixels, c.pixels);
  std::vector<int> perClass(10, 0);
  for (std::uint8_t label : a.labels) {
    ASSERT_LT(label, 10);
    ++perClass[label];
  }
  for (int k = 0; k < 10; ++k) EXPECT_EQ(perClass[k], 50) << k;
  for (std::size_t i = 0; i < a.count(); ++i) {
    int ink = 0, border = 0;
    for (int p = 0; p < 784; ++p) ink += a.image(i)[p] > 128;
    for (int p = 0; p < 28; ++p) border += a.image(i)[p] + a.image(i)[27 * 28 + p];
    EXPECT_GT(ink, 5) << "image " << i << " label " << int(a.labels[i]);
    EXPECT_EQ(border, 0) << "image " << i << " touches the edge";
  }
}

TEST(SyntheticShapes, ClassesLookDifferent) {
  const ImageSet set = generateShapes(2000, 9);
  Eigen::MatrixXd means = Eigen::MatrixXd::Zero(784, 10);
  for (std::size_t i = 0; i < set.count(); ++i)
    for (int p = 0; p < 784; ++p) means(p, set.labels[i]) += set.image(i)[p] / 255.0 / 200.0;
  // Nearest-class-mean classification is far above chance: the labels carry information.
  int correct = 0;
  for (std::size_t i = 0; i < set.count(); ++i) {
    Eigen::VectorXd x(784);
    for (int p = 0; p < 784; ++p) x[p] = set.image(i)[p] / 255.0;
    Eigen::Index best;
    (means.colwise() - x).colwise().squaredNorm().minCoeff(&best);
    correct += best == set.labels[i];
  }
  EXPECT_GT(correct, 0.4 * set.count());
  EXPECT_EQ(shapeClassNames().size(), 10u);
}

}  // namespace
}  // namespace vilab
