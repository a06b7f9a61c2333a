#include "core/models/logreg/likelihood.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <numbers>
#include <utility>

#include "core/math/gauss_hermite.hpp"

namespace vilab {

double softplus(double a) { return a > 0.0 ? a + std::log1p(std::exp(-a)) : std::log1p(std::exp(a)); }

double sigmoid(double a) {
  if (a >= 0.0) return 1.0 / (1.0 + std::exp(-a));
  const double e = std::exp(a);
  return e / (1.0 + e);
}

LogregPrior LogregPrior::make(int p, double sigma0, bool flatBias) {
  LogregPrior prior;
  prior.precision = Eigen::VectorXd::Constant(p, 1.0 / (sigma0 * sigma0));
  if (flatBias && p > 0) prior.precision[p - 1] = 0.0;
  return prior;
}

int LogregPrior::properCount() const { return static_cast<int>((precision.array() > 0.0).count()); }

double LogregPrior::logDensity(const Eigen::Ref<const Eigen::VectorXd>& theta) const {
  double out = 0.0;
  for (Eigen::Index j = 0; j < precision.size(); ++j)
    if (precision[j] > 0.0)
      out += 0.5 * std::log(precision[j] / (2.0 * std::numbers::pi)) - 0.5 * precision[j] * theta[j] * theta[j];
  return out;
}

double LogregPrior::expectedLogDensity(const Eigen::VectorXd& m, const Eigen::VectorXd& diagS) const {
  double out = 0.0;
  for (Eigen::Index j = 0; j < precision.size(); ++j)
    if (precision[j] > 0.0)
      out += 0.5 * std::log(precision[j] / (2.0 * std::numbers::pi)) -
             0.5 * precision[j] * (m[j] * m[j] + diagS[j]);
  return out;
}

LogregLikelihood::LogregLikelihood(Eigen::MatrixXd phi, Eigen::VectorXd y)
    : m_phi(std::move(phi)), m_y(std::move(y)) {
  m_phiTy = m_phi.transpose() * m_y;
}

double LogregLikelihood::logLikelihood(const Eigen::Ref<const Eigen::VectorXd>& theta) const {
  const Eigen::VectorXd a = m_phi * theta;
  double out = m_phiTy.dot(theta);
  for (Eigen::Index i = 0; i < a.size(); ++i) out -= softplus(a[i]);
  return out;
}

void LogregLikelihood::logLikelihoodBatch(const Eigen::Ref<const Eigen::MatrixXd>& thetas,
                                          Eigen::VectorXd& values, Eigen::MatrixXd* gradients) const {
  // Logits of every draw and point at once: S x N.
  Eigen::MatrixXd a = thetas * m_phi.transpose();
  values = thetas * m_phiTy;
  const Eigen::Index s = a.rows(), n = a.cols();
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < s; ++i) {
      const double v = a(i, j);
      const double e = std::exp(-std::abs(v));  // one exp gives softplus and sigma
      values[i] -= std::max(v, 0.0) + std::log1p(e);
      a(i, j) = m_y[j] - (v >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e));  // y - sigma(a)
    }
  if (gradients) *gradients = a * m_phi;
}

void LogregLikelihood::gradientHessian(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient,
                                       Eigen::MatrixXd& hessian) const {
  const Eigen::VectorXd a = m_phi * theta;
  Eigen::VectorXd r(a.size()), w(a.size());
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double s = sigmoid(a[i]);
    r[i] = m_y[i] - s;
    w[i] = s * (1.0 - s);
  }
  gradient = m_phi.transpose() * r;
  hessian = -(m_phi.transpose() * w.asDiagonal() * m_phi);
}

double LogregLikelihood::expectedLogLikelihood(const Eigen::VectorXd& m, const Eigen::MatrixXd& S) const {
  static const Quadrature gh = gaussHermiteNormal(32);
  const Eigen::VectorXd mu = m_phi * m;
  const Eigen::VectorXd var = (m_phi * S).cwiseProduct(m_phi).rowwise().sum();
  double out = m_y.dot(mu);
  for (Eigen::Index i = 0; i < mu.size(); ++i) {
    const double sd = std::sqrt(std::max(var[i], 0.0));
    double e = 0.0;
    for (std::size_t k = 0; k < gh.nodes.size(); ++k) e += gh.weights[k] * softplus(mu[i] + sd * gh.nodes[k]);
    out -= e;
  }
  return out;
}

Eigen::VectorXd LogregLikelihood::probitPredictive(const Eigen::MatrixXd& points, const Eigen::VectorXd& m,
                                                   const Eigen::MatrixXd& S) {
  const Eigen::VectorXd mu = points * m;
  const Eigen::VectorXd var = (points * S).cwiseProduct(points).rowwise().sum();
  Eigen::VectorXd out(mu.size());
  for (Eigen::Index i = 0; i < mu.size(); ++i)
    out[i] = sigmoid(mu[i] / std::sqrt(1.0 + std::numbers::pi * std::max(var[i], 0.0) / 8.0));
  return out;
}

double logregElbo(const LogregLikelihood& likelihood, const LogregPrior& prior, const Eigen::VectorXd& m,
                  const Eigen::MatrixXd& S) {
  const Eigen::LLT<Eigen::MatrixXd> llt(S);
  if (llt.info() != Eigen::Success) return std::numeric_limits<double>::quiet_NaN();
  const double logDet = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  const double entropy = 0.5 * (double(m.size()) * std::log(2.0 * std::numbers::pi * std::numbers::e) + logDet);
  return likelihood.expectedLogLikelihood(m, S) + prior.expectedLogDensity(m, S.diagonal()) + entropy;
}

}  // namespace vilab
