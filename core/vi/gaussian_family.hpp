#pragma once
// Gaussian variational families over z in R^P, q(z) = N(m, L L^T) with L lower triangular:
// mean-field (L diagonal) or full-rank (L a Cholesky factor). Parameters lambda, flat:
//   [ m (P) | rho (P), L_jj = exp(rho_j) | full-rank only: L_ij, i > j, column by column ].
// Draws by reparameterization z = m + L eps, eps ~ N(0, I); log q, entropy; single-sample
// gradients of E_q[f] by the pathwise (reparameterization) and score-function estimators for any
// f given as a batched callback, and the Monte Carlo ELBO gradient built from them.

#include <Eigen/Core>

#include "core/estimators/score_function.hpp"
#include "core/math/random.hpp"
#include "core/vi/gradient_estimator.hpp"

namespace vilab {

class GaussianFamily {
 public:
  enum class Kind { MeanField, FullRank };

  GaussianFamily() = default;
  // q = N(mean, cov); mean-field keeps cov's diagonal. cov must be positive definite.
  GaussianFamily(Kind kind, const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov);

  Kind kind() const { return m_kind; }
  Eigen::Index dim() const { return m_dim; }
  // Number of parameters: 2P (mean-field) or 2P + P(P-1)/2 (full-rank).
  Eigen::Index parameterCount() const { return m_params.size(); }
  const Eigen::VectorXd& parameters() const { return m_params; }
  void setParameters(const Eigen::VectorXd& lambda);

  Eigen::VectorXd mean() const { return m_params.head(m_dim); }
  Eigen::MatrixXd cholesky() const;   // L (P x P, lower)
  Eigen::MatrixXd covariance() const; // L L^T

  // Draws eps (S x P, standard normal, row by row from rng) and z = m + L eps (S x P).
  void sample(Random& rng, Eigen::Index s, Eigen::MatrixXd& eps, Eigen::MatrixXd& z) const;
  // z (S x P) from given eps (S x P).
  Eigen::MatrixXd transform(const Eigen::MatrixXd& eps) const;
  // ln q(z) of each row of z (S x P).
  Eigen::VectorXd logDensity(const Eigen::MatrixXd& z) const;
  // H[q] = P/2 ln(2 pi e) + sum_j rho_j, and its gradient (1 on each rho_j, 0 elsewhere).
  double entropy() const;
  Eigen::VectorXd entropyGradient() const;

  // Pathwise single-sample gradients of E_q[f]: row s = d f(m + L eps_s) / d lambda, from
  // eps (S x P) and the gradients g_s = grad f(z_s) (S x P): d/dm = g, d/dL_ij = g_i eps_j,
  // d/drho_j = g_j eps_j L_jj. Output S x parameterCount().
  void pathwiseTerms(const Eigen::MatrixXd& eps, const Eigen::MatrixXd& grads,
                     Eigen::MatrixXd& out) const;
  // Scores d ln q(z_s) / d lambda for z_s = m + L eps_s (Williams 1992): with u = L^-T eps,
  // d/dm = u, d/dL_ij = u_i eps_j, d/drho_j = u_j eps_j L_jj - 1. Output S x parameterCount();
  // each column has mean zero under q.
  void scores(const Eigen::MatrixXd& eps, Eigen::MatrixXd& out) const;

 private:
  Kind m_kind = Kind::MeanField;
  Eigen::Index m_dim = 0;
  Eigen::VectorXd m_params;
};

struct ElboGradient {
  Eigen::VectorXd gradient;  // parameterCount(): of E_q[f] + H[q] (entropy in closed form)
  double expectedF = 0.0;    // the MC estimate of E_q[f] (mean of the S values)
  Eigen::MatrixXd terms;     // S x parameterCount(): per-sample terms whose mean is the MC part
};

// The Monte Carlo gradient of E_q[f] + H[q] from S draws (S >= 1) of rng: pathwise terms, or
// score-function terms (f_s - baseline_s) d ln q(z_s)/d lambda (score_function.hpp), plus the
// entropy's closed-form gradient. Unbiased for every estimator and baseline.
ElboGradient monteCarloElboGradient(const GaussianFamily& q, const BatchLogDensity& f,
                                    GradientEstimator estimator, ScoreBaseline baseline,
                                    Eigen::Index samples, Random& rng);

// E_q[-1/2 sum_j prec_j z_j^2] (a zero-mean diagonal Gaussian prior's quadratic part) and its
// gradient with respect to lambda, in closed form: -1/2 sum_j prec_j (m_j^2 + Sigma_jj).
double expectedDiagonalQuadratic(const GaussianFamily& q, const Eigen::VectorXd& precision,
                                 Eigen::VectorXd* gradient);

}  // namespace vilab
