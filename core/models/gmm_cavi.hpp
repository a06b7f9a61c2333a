#pragma once
// The Bayesian Gaussian mixture of Bishop PRML 10.2 and its CAVI updates: a Dirichlet(alpha0)
// prior on the weights and Normal-Wishart(m0, beta0, W0, nu0) priors on each component's mean
// and precision; q(Z) q(pi) q(mu, Lambda) with q(pi) = Dir(alpha) and q(mu_k, Lambda_k) =
// N(m_k, (beta_k Lambda_k)^-1) W(Lambda_k | W_k, nu_k). The ELBO keeps every constant
// (10.70-10.77), so it is a true lower bound on log p(X).

#include <Eigen/Core>
#include <vector>

#include "core/math/small_matrix.hpp"
#include "core/models/gmm_data.hpp"
#include "core/models/gmm_kernel.hpp"

namespace vilab {

struct NormalWishartPrior {
  double alpha0 = 1.0, beta0 = 1.0, nu0 = 1.0;
  SmallVector m0;
  SmallMatrix w0Inverse;  // W0^-1, symmetric positive definite
};

struct BayesianGmmPosterior {
  Eigen::VectorXd alpha, beta, nu;       // K each
  Eigen::MatrixXd m;                     // K x D
  std::vector<SmallMatrix> wInverse, w;  // W_k^-1 and W_k
  // Derived by refresh(): ln|W_k|, E[ln pi_k] (10.66), E[ln|Lambda_k|] (10.65).
  Eigen::VectorXd logDetW, expectedLogPi, expectedLogDetLambda;

  int components() const { return static_cast<int>(alpha.size()); }
  int dim() const { return static_cast<int>(m.cols()); }
  void resize(int k, int dim);
  void refresh();
};

// q(pi), q(mu, Lambda) given the statistics of q(Z) (PRML 10.58, 10.60-10.63, with
// nu_k = nu0 + N_k). No allocation once q has the right shape.
void caviUpdateGlobal(const NormalWishartPrior& prior, const ComponentStats& stats,
                      BayesianGmmPosterior& q);

// The scores ln rho_nk = E[ln pi_k] + E[ln|Lambda_k|]/2 - (D/2) ln 2 pi
// - (1/2) (D/beta_k + nu_k (x - m_k)^T W_k (x - m_k))   (PRML 10.46, 10.64-10.66), and the
// shift per component that turns ln rho into the plug-in score ln pi_bar_k +
// ln N(x | m_k, (nu_k W_k)^-1) (pi_bar = E[pi]).
void caviScores(const BayesianGmmPosterior& q, GaussianScores& scores,
                Eigen::VectorXd& plugInShift);
// The same as coefficients (count(D) x K) of the features.
void caviScoreCoefficients(const BayesianGmmPosterior& q, const QuadraticFeatures& features,
                           Eigen::MatrixXd& coefficients, Eigen::VectorXd& plugInShift);

// E[ln p(X | Z, mu, Lambda)] + E[ln p(Z | pi)] (PRML 10.71 + 10.72) for q(Z) with statistics
// `stats` (the same ones the M-step uses).
double caviDataTerms(const BayesianGmmPosterior& q, const ComponentStats& stats);

// E[ln p(pi)] + E[ln p(mu, Lambda)] - E[ln q(pi)] - E[ln q(mu, Lambda)]
// (PRML 10.73 + 10.74 - 10.76 - 10.77), the part of the ELBO that does not involve the data.
double caviGlobalTerms(const BayesianGmmPosterior& q, const NormalWishartPrior& prior);

// The full ELBO (10.70): data terms - sum r ln r (10.75) + global terms.
inline double caviElbo(const BayesianGmmPosterior& q, const NormalWishartPrior& prior,
                       const ComponentStats& stats, double sumRLogR) {
  return caviDataTerms(q, stats) - sumRLogR + caviGlobalTerms(q, prior);
}

// Point estimates in scikit-learn's convention: weights E[pi] = alpha / sum alpha, means m_k,
// covariances (nu_k W_k)^-1 = W_k^-1 / nu_k.
GaussianMixture caviPointEstimate(const BayesianGmmPosterior& q);

// The posterior predictive (PRML 10.81-10.82): sum_k (alpha_k / alpha_hat) St(x | m_k, L_k,
// nu_k + 1 - D), L_k = ((nu_k + 1 - D) beta_k / (1 + beta_k)) W_k. Per component: weight, the
// Student-t degrees of freedom, precision-like matrix L_k and ln of the weight times the
// Student-t normaliser.
struct StudentTMixture {
  Eigen::VectorXd weights, dof, logScale;  // logScale_k = ln weight_k + ln normaliser_k
  std::vector<SmallMatrix> precision;
  Eigen::MatrixXd means;
};
StudentTMixture caviPredictive(const BayesianGmmPosterior& q);

}  // namespace vilab
