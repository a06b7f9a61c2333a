#pragma once
// EM for a maximum-likelihood Gaussian mixture (Bishop PRML 9.2.2): the M-step from the
// responsibilities' statistics (9.24-9.27) with a covariance regulariser reg_covar added to each
// diagonal (as scikit-learn's GaussianMixture does), guarded against collapse, and the E-step
// scores ln pi_k + ln N(x | mu_k, Sigma_k) for the shared responsibility pass.

#include <Eigen/Core>
#include <vector>

#include "core/models/gmm_data.hpp"
#include "core/models/gmm_kernel.hpp"

namespace vilab {

// What the guards did in one M-step.
struct EmGuards {
  // Components with a coordinate without spread of its own (its variance below what doubles
  // resolve at the component's mean): the component sits on one point in that coordinate.
  int collapsed = 0;
  int floored = 0;  // components whose correlation matrix had an eigenvalue raised to the floor
  int empty = 0;    // components with (numerically) no responsibility: kept as they were
};

// A component is empty below this many points' worth of responsibility.
inline constexpr double kEmptyComponent = 1e-12;

// The floor on the eigenvalues of a covariance's correlation matrix (a component on a line).
inline constexpr double kCorrelationFloor = 1e-9;

// A coordinate's spread is resolved when its standard deviation exceeds this many ulps of the
// component's mean there.
inline constexpr double kResolutionUlps = 1e4;

// pi_k = N_k / sum N, mu_k = xbar_k, Sigma_k = S_k + reg_covar I (absolute, added to the
// diagonal, as scikit-learn's GaussianMixture does). Two guards, both unchanged by rescaling any
// coordinate: a coordinate whose variance is below the resolution of doubles at the mean
// (1e4 ulps: the component sits on one point there) gets fallbackVariances(i) (at least that
// resolution) and no covariance with the others; then the eigenvalues of the correlation matrix
// are raised to at least kCorrelationFloor (a component collapsing onto a line would otherwise
// make the likelihood infinite). Legitimately small variances of coordinates with small units
// are never touched. An empty component keeps its previous mean and covariance. `mixture` must
// hold K components of the right dimension; fallbackVariances: length D, positive. No
// allocation.
EmGuards emUpdate(const ComponentStats& stats, double regCovar,
                  const SmallVector& fallbackVariances, GaussianMixture& mixture);

// The scores ln pi_k - (D/2) ln 2 pi - (1/2) ln|Sigma_k| - (1/2) (x - mu_k)^T Sigma_k^-1
// (x - mu_k), the joint log density of x and z = k (9.23).
void emScores(const GaussianMixture& mixture, GaussianScores& scores);

// The same as coefficients (count(D) x K) of the features.
void emScoreCoefficients(const GaussianMixture& mixture, const QuadraticFeatures& features,
                         Eigen::MatrixXd& coefficients);

}  // namespace vilab
