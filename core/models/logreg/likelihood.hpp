#pragma once
// The log joint of Bayesian logistic regression and what every method needs from it:
//   ln p(y, theta | X) = sum_n [y_n a_n - softplus(a_n)] + ln p(theta),  a_n = theta^T phi_n,
// with prior theta_j ~ N(0, sigma0^2) (precision 0 for a flat b). Values in nats over the whole
// data set. Batched over many theta at once: the logits are one matrix product Theta Phi^T.

#include <Eigen/Core>

namespace vilab {

// ln(1 + e^a) without overflow, and ln sigma(a) = -softplus(-a).
double softplus(double a);
inline double logSigmoid(double a) { return -softplus(-a); }
double sigmoid(double a);

// A diagonal Gaussian prior over theta (P): precision_j = 1 / sigma0^2, or 0 for a flat
// coordinate (it adds nothing to the log density and has no normaliser).
struct LogregPrior {
  Eigen::VectorXd precision;  // P

  static LogregPrior make(int p, double sigma0, bool flatBias);
  double logDensity(const Eigen::Ref<const Eigen::VectorXd>& theta) const;
  // E_q[ln p(theta)] for q = N(m, S): -0.5 sum_j prec_j (m_j^2 + S_jj) + normalisers.
  double expectedLogDensity(const Eigen::VectorXd& m, const Eigen::VectorXd& diagS) const;
  int properCount() const;  // coordinates with a proper prior
};

class LogregLikelihood {
 public:
  LogregLikelihood() = default;
  // phi: N x P design (inputs and a column of ones), y: N labels in {0, 1}.
  LogregLikelihood(Eigen::MatrixXd phi, Eigen::VectorXd y);

  Eigen::Index n() const { return m_phi.rows(); }
  Eigen::Index p() const { return m_phi.cols(); }
  const Eigen::MatrixXd& design() const { return m_phi; }
  const Eigen::VectorXd& labels() const { return m_y; }

  // ln p(y | X, theta) for one theta (P).
  double logLikelihood(const Eigen::Ref<const Eigen::VectorXd>& theta) const;
  // For S parameter vectors (rows of thetas, S x P): values (S) and gradients (S x P,
  // d/dtheta = sum_n (y_n - sigma(a_n)) phi_n).
  void logLikelihoodBatch(const Eigen::Ref<const Eigen::MatrixXd>& thetas, Eigen::VectorXd& values,
                          Eigen::MatrixXd* gradients) const;
  // Gradient (P) and Hessian (P x P, -sum sigma(1 - sigma) phi phi^T) at theta.
  void gradientHessian(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient,
                       Eigen::MatrixXd& hessian) const;

  // E_q[ln p(y | X, theta)] for q = N(m, S) exactly up to quadrature error: a_n ~ N(m^T phi_n,
  // phi_n^T S phi_n) is one-dimensional, integrated by 32-node Gauss-Hermite (error below 1e-9
  // nats per point for the variances met here).
  double expectedLogLikelihood(const Eigen::VectorXd& m, const Eigen::MatrixXd& S) const;

  // Predictive p(y = 1 | phi) under q = N(m, S): probit approximation sigma(kappa(s^2) mu),
  // kappa = (1 + pi s^2 / 8)^(-1/2), PRML eqs. 4.153-4.155, for the rows of `points` (M x P).
  static Eigen::VectorXd probitPredictive(const Eigen::MatrixXd& points, const Eigen::VectorXd& m,
                                          const Eigen::MatrixXd& S);

 private:
  Eigen::MatrixXd m_phi;  // N x P
  Eigen::VectorXd m_y;    // N
  Eigen::VectorXd m_phiTy;  // P: Phi^T y, the linear part of the log-likelihood
};

// ELBO of q = N(m, S) (S positive definite): E_q[ln p(y|X,theta)] + E_q[ln p(theta)] + H[q].
double logregElbo(const LogregLikelihood& likelihood, const LogregPrior& prior,
                  const Eigen::VectorXd& m, const Eigen::MatrixXd& S);

}  // namespace vilab
