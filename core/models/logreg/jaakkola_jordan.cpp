#include "core/models/logreg/jaakkola_jordan.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <numbers>

namespace vilab {

double jjLambda(double xi) {
  xi = std::abs(xi);
  if (xi < 1e-4) return 0.125 - xi * xi / 96.0;  // Taylor series of tanh(xi/2) / (4 xi)
  return (sigmoid(xi) - 0.5) / (2.0 * xi);
}

void JaakkolaJordan::reset(const LogregLikelihood& likelihood, const LogregPrior& prior) {
  setXi(likelihood, prior, Eigen::VectorXd::Ones(likelihood.n()));
}

void JaakkolaJordan::setXi(const LogregLikelihood& likelihood, const LogregPrior& prior, Eigen::VectorXd xi) {
  const Eigen::MatrixXd& phi = likelihood.design();
  const Eigen::Index p = phi.cols();
  m_xi = std::move(xi);
  Eigen::VectorXd lambda(m_xi.size());
  for (Eigen::Index i = 0; i < m_xi.size(); ++i) lambda[i] = jjLambda(m_xi[i]);
  // S_N^-1 = S_0^-1 + 2 sum lambda_n phi_n phi_n^T (eq. 10.157).
  Eigen::MatrixXd precision = 2.0 * (phi.transpose() * lambda.asDiagonal() * phi);
  precision.diagonal() += prior.precision;
  const Eigen::LLT<Eigen::MatrixXd> llt(precision);
  m_cov = llt.solve(Eigen::MatrixXd::Identity(p, p));
  // m_N = S_N sum (y_n - 1/2) phi_n (eq. 10.156 with m_0 = 0).
  const Eigen::VectorXd b = phi.transpose() * (likelihood.labels().array() - 0.5).matrix();
  m_mean = llt.solve(b);
  // L(xi), eq. 10.164; ln|S_N| = -ln|S_N^-1|, -1/2 ln|S_0| = 1/2 sum ln prec_j over proper
  // coordinates, and each flat coordinate's Gaussian integral adds 1/2 ln 2 pi.
  const double logDetPrecision = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  double bound = -0.5 * logDetPrecision + 0.5 * b.dot(m_mean);
  for (Eigen::Index j = 0; j < p; ++j)
    bound += prior.precision[j] > 0.0 ? 0.5 * std::log(prior.precision[j]) : 0.5 * std::log(2.0 * std::numbers::pi);
  for (Eigen::Index i = 0; i < m_xi.size(); ++i)
    bound += logSigmoid(m_xi[i]) - 0.5 * m_xi[i] + lambda[i] * m_xi[i] * m_xi[i];
  m_bound = bound;
}

void JaakkolaJordan::step(const LogregLikelihood& likelihood, const LogregPrior& prior) {
  // xi_n^2 = phi_n^T (S_N + m_N m_N^T) phi_n (eq. 10.163).
  const Eigen::MatrixXd& phi = likelihood.design();
  const Eigen::MatrixXd second = m_cov + m_mean * m_mean.transpose();
  const Eigen::VectorXd xi2 = (phi * second).cwiseProduct(phi).rowwise().sum();
  setXi(likelihood, prior, xi2.cwiseMax(0.0).cwiseSqrt());
}

}  // namespace vilab
