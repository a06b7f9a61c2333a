#include "core/models/gmm_em.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

EmGuards emUpdate(const ComponentStats& s, double regCovar, const SmallVector& fallbackVariances,
                  GaussianMixture& mix) {
  EmGuards guards;
  const int k = static_cast<int>(s.n.size());
  const int d = static_cast<int>(s.mean.cols());
  mix.weights = s.n / s.n.sum();  // 9.26
  for (int c = 0; c < k; ++c) {
    if (s.n(c) < kEmptyComponent) {
      ++guards.empty;
      continue;
    }
    mix.means.row(c) = s.mean.row(c);  // 9.24
    SmallMatrix& cov = mix.covariances[c];
    cov = s.scatter[c];  // 9.25
    cov.diagonal().array() += regCovar;
    bool collapsed = false;
    for (int i = 0; i < d; ++i) {
      const double resolution = kResolutionUlps * DBL_EPSILON * std::fabs(mix.means(c, i));
      if (cov(i, i) > resolution * resolution) continue;  // NaN counts as unresolved
      cov.row(i).setZero();
      cov.col(i).setZero();
      cov(i, i) = std::max(fallbackVariances(i), resolution * resolution);
      collapsed = true;
    }
    if (collapsed) ++guards.collapsed;
    if (floorCorrelationEigenvalues(cov, kCorrelationFloor) > 0) ++guards.floored;
  }
  return guards;
}

void emScores(const GaussianMixture& mix, GaussianScores& scores) {
  const int k = mix.components(), d = mix.dim();
  scores.resize(k, d);
  scores.means = mix.means;
  for (int c = 0; c < k; ++c) {
    const SmallMatrix& cov = mix.covariances[c];
    scores.c0(c) = std::log(mix.weights(c)) - 0.5 * d * kLog2Pi - 0.5 * smallLogDeterminant(cov);
    scores.precisions[c] = smallInverse(cov);
  }
}

void emScoreCoefficients(const GaussianMixture& mix, const QuadraticFeatures& features,
                         Eigen::MatrixXd& coefficients) {
  GaussianScores scores;
  emScores(mix, scores);
  features.coefficientsOf(scores, coefficients);
}

}  // namespace vilab
