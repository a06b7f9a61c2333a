// Newton's MAP: the gradient of the log joint vanishes there, a start elsewhere reaches the same
// point, and the Laplace evidence approaches the exact one.

#include "core/models/logreg/laplace.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/core/models/logreg/fixtures.hpp"

namespace vilab {
namespace {

TEST(LogregLaplace, MapGradientIsZeroAndAnotherStartAgrees) {
  for (bool flat : {false, true}) {
    const auto p = testing::makeProblem(200, 3, 2.0, 1.5, flat);
    const LaplaceFit a = fitLaplace(p.likelihood, p.prior);
    const LaplaceFit b = fitLaplace(p.likelihood, p.prior, Eigen::Vector3d(-3.0, 4.0, 2.0));
    ASSERT_TRUE(a.converged);
    ASSERT_TRUE(b.converged);
    const NewtonIterate at = evaluateNewton(p.likelihood, p.prior, a.map);
    EXPECT_LT(at.gradient.norm(), 1e-8 * (1.0 + p.data.n()));
    EXPECT_LT((a.map - b.map).norm(), 1e-8);
    // The Laplace covariance is the inverse of the negative Hessian at the MAP.
    EXPECT_LT((a.covariance * at.precision - Eigen::Matrix3d::Identity()).norm(), 1e-9);
  }
}

TEST(LogregLaplace, SeparableDataWithAPriorStayFinite) {
  const auto p = testing::makeProblem(50, 1, 12.0, 3.0);
  const LaplaceFit a = fitLaplace(p.likelihood, p.prior);
  EXPECT_TRUE(a.converged);
  EXPECT_TRUE(a.map.allFinite());
  EXPECT_GT(a.map.head(2).norm(), 1.0);
}

// scikit-learn's LogisticRegression(C) is the MAP with w ~ N(0, C I) and a flat prior on b
// (tests/reference/logreg_fixtures.py).
TEST(LogregLaplace, MapMatchesScikitLearn) {
  for (const char* name : {"separated", "iris"}) {
    std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/logreg/" + name + ".json");
    ASSERT_TRUE(in) << name;
    const auto j = nlohmann::json::parse(in);
    const auto x = j["x"].get<std::vector<std::vector<double>>>();
    const auto y = j["y"].get<std::vector<int>>();
    Eigen::MatrixXd phi(static_cast<Eigen::Index>(x.size()), 3);
    Eigen::VectorXd labels(phi.rows());
    for (Eigen::Index i = 0; i < phi.rows(); ++i) {
      phi.row(i) << x[static_cast<std::size_t>(i)][0], x[static_cast<std::size_t>(i)][1], 1.0;
      labels[i] = y[static_cast<std::size_t>(i)];
    }
    const LogregLikelihood lik(phi, labels);
    const LaplaceFit fit = fitLaplace(lik, LogregPrior::make(3, j["sigma0"].get<double>(), true));
    ASSERT_TRUE(fit.converged) << name;
    const auto coef = j["coef"].get<std::vector<double>>();
    const Eigen::Vector3d peer(coef[0], coef[1], j["intercept"].get<double>());
    EXPECT_LT((fit.map - peer).norm(), 1e-4 * (1.0 + peer.norm())) << name << ": ours " << fit.map.transpose()
                                                                   << " peer " << peer.transpose();
  }
}

}  // namespace
}  // namespace vilab
