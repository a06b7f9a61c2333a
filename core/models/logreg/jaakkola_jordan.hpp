#pragma once
// The Jaakkola-Jordan local variational bound for Bayesian logistic regression (Jaakkola &
// Jordan 2000; Bishop PRML 10.6). sigma(a) >= sigma(xi) exp((a - xi)/2 - lambda(xi)(a^2 - xi^2)),
// lambda(xi) = (sigma(xi) - 1/2) / (2 xi) (eqs. 10.144, 10.150), one xi_n per point, makes the
// likelihood Gaussian in theta, so q(theta) = N(m_N, S_N) in closed form:
//   S_N^-1 = S_0^-1 + 2 sum_n lambda(xi_n) phi_n phi_n^T          (10.157, zero prior mean)
//   m_N    = S_N sum_n (y_n - 1/2) phi_n                           (10.156)
//   xi_n^2 = phi_n^T (S_N + m_N m_N^T) phi_n                       (10.163)
// and the bound on ln p(y | X) (10.164, with a flat b allowed: its dimension adds 1/2 ln 2 pi and
// no prior normaliser)
//   L(xi) = 1/2 ln |S_N| - 1/2 ln |S_0| + 1/2 m_N^T S_N^-1 m_N
//           + sum_n [ln sigma(xi_n) - xi_n / 2 + lambda(xi_n) xi_n^2].
// L never decreases under the alternation (EM on xi) and L(xi) <= ELBO(q(xi)) <= ln p(y | X).

#include <Eigen/Core>

#include "core/models/logreg/likelihood.hpp"

namespace vilab {

// lambda(xi) = (sigma(xi) - 1/2) / (2 xi), its limit 1/8 at xi = 0 (eq. 10.150).
double jjLambda(double xi);

class JaakkolaJordan {
 public:
  // Starts from xi_n = 1 (N of them) and q from those xi.
  void reset(const LogregLikelihood& likelihood, const LogregPrior& prior);

  // One alternation: xi from the current q (10.163), then q from the new xi (10.156-10.157);
  // bound() is L at the new xi, tight for the new q.
  void step(const LogregLikelihood& likelihood, const LogregPrior& prior);

  const Eigen::VectorXd& xi() const { return m_xi; }      // N, non-negative
  const Eigen::VectorXd& mean() const { return m_mean; }  // m_N (P)
  const Eigen::MatrixXd& covariance() const { return m_cov; }  // S_N (P x P)
  double bound() const { return m_bound; }  // L(xi), nats

  // q from the given xi and L(xi) (the E-like half; public for tests).
  void setXi(const LogregLikelihood& likelihood, const LogregPrior& prior, Eigen::VectorXd xi);

 private:
  Eigen::VectorXd m_xi, m_mean;
  Eigen::MatrixXd m_cov;
  double m_bound = 0.0;
};

}  // namespace vilab
