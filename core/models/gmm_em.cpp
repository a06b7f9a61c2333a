#include "core/models/gmm_em.hpp"

#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

EmGuards emUpdate(const ComponentStats& s, double regCovar, double varianceFloor,
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
    if (d > 0 && floorEigenvalues(cov, varianceFloor) > 0) ++guards.floored;
  }
  return guards;
}

void emScoreCoefficients(const GaussianMixture& mix, const QuadraticFeatures& features,
                         Eigen::MatrixXd& coefficients) {
  const int k = mix.components(), d = mix.dim();
  coefficients.resize(QuadraticFeatures::count(d), k);
  for (int c = 0; c < k; ++c) {
    const SmallMatrix& cov = mix.covariances[c];
    const double c0 =
        std::log(mix.weights(c)) - 0.5 * d * kLog2Pi - 0.5 * std::log(smallDeterminant(cov));
    features.scoreCoefficients(c0, mix.means.row(c).transpose(), smallInverse(cov),
                               coefficients.col(c));
  }
}

}  // namespace vilab
