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

// pi_k = N_k / sum N, mu_k = xbar_k, Sigma_k = S_k + reg_covar I, with each covariance's
// eigenvalues raised to at least varianceFloor (a component collapsing onto one point or a line
// would otherwise make the likelihood infinite); an empty component keeps its previous mean and
// covariance. `mixture` must hold K components of the right dimension. No allocation.
EmGuards emUpdate(const ComponentStats& stats, double regCovar, double varianceFloor,
                  GaussianMixture& mixture);

// Coefficients (count(D) x K) of ln pi_k - (D/2) ln 2 pi - (1/2) ln|Sigma_k|
// - (1/2) (x - mu_k)^T Sigma_k^-1 (x - mu_k), the joint log density of x and z = k (9.23).
void emScoreCoefficients(const GaussianMixture& mixture, const QuadraticFeatures& features,
                         Eigen::MatrixXd& coefficients);

}  // namespace vilab
