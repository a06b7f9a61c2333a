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
  int floored = 0;  // components whose covariance had an eigenvalue raised to the floor
  int empty = 0;    // components with (numerically) no responsibility: kept as they were
};

// A component is empty below this many points' worth of responsibility.
inline constexpr double kEmptyComponent = 1e-12;

// The floor on a covariance's eigenvalues, relative to the component's own largest variance.
inline constexpr double kRelativeVarianceFloor = 1e-9;

// pi_k = N_k / sum N, mu_k = xbar_k, Sigma_k = S_k + reg_covar I, with each covariance's
// eigenvalues raised to at least 1e-9 times its own largest one (a component collapsing onto a
// line would otherwise make the likelihood infinite). A component without a spread of its own
// (every eigenvalue below the resolution of doubles at its mean: collapsed onto one point) gets
// fallbackFloor instead, the only place where a scale from outside the component enters. An
// empty component keeps its previous mean and covariance. `mixture` must hold K components of
// the right dimension. No allocation.
EmGuards emUpdate(const ComponentStats& stats, double regCovar, double fallbackFloor,
                  GaussianMixture& mixture);

// The scores ln pi_k - (D/2) ln 2 pi - (1/2) ln|Sigma_k| - (1/2) (x - mu_k)^T Sigma_k^-1
// (x - mu_k), the joint log density of x and z = k (9.23).
void emScores(const GaussianMixture& mixture, GaussianScores& scores);

// The same as coefficients (count(D) x K) of the features.
void emScoreCoefficients(const GaussianMixture& mixture, const QuadraticFeatures& features,
                         Eigen::MatrixXd& coefficients);

}  // namespace vilab
