#include "core/models/gmm_em.hpp"

#include <cfloat>
#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

EmGuards emUpdate(const ComponentStats& s, double regCovar, double fallbackFloor,
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
    if (d == 0) continue;
    // The component's own scale: its largest variance, unless that is below what doubles
    // resolve at its mean (1e4 ulps), i.e. the component sits on one point.
    const double largest = largestEigenvalue(cov);
    const double resolution = 1e4 * DBL_EPSILON * mix.means.row(c).cwiseAbs().maxCoeff();
    const double floor =
        largest > resolution * resolution ? kRelativeVarianceFloor * largest : fallbackFloor;
    if (floorEigenvalues(cov, floor) > 0) ++guards.floored;
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
