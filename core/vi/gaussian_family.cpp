#include "core/vi/gaussian_family.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <numbers>

namespace vilab {

GaussianFamily::GaussianFamily(Kind kind, const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov)
    : m_kind(kind), m_dim(mean.size()) {
  const Eigen::Index p = m_dim;
  m_params.setZero(kind == Kind::MeanField ? 2 * p : 2 * p + p * (p - 1) / 2);
  m_params.head(p) = mean;
  if (kind == Kind::MeanField) {
    m_params.segment(p, p) = 0.5 * cov.diagonal().array().log();
    return;
  }
  const Eigen::MatrixXd l = Eigen::LLT<Eigen::MatrixXd>(cov).matrixL();
  m_params.segment(p, p) = l.diagonal().array().log();
  Eigen::Index k = 2 * p;
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = j + 1; i < p; ++i) m_params[k++] = l(i, j);
}

void GaussianFamily::setParameters(const Eigen::VectorXd& lambda) { m_params = lambda; }

Eigen::MatrixXd GaussianFamily::cholesky() const {
  const Eigen::Index p = m_dim;
  Eigen::MatrixXd l = Eigen::MatrixXd::Zero(p, p);
  l.diagonal() = m_params.segment(p, p).array().exp();
  if (m_kind == Kind::FullRank) {
    Eigen::Index k = 2 * p;
    for (Eigen::Index j = 0; j < p; ++j)
      for (Eigen::Index i = j + 1; i < p; ++i) l(i, j) = m_params[k++];
  }
  return l;
}

Eigen::MatrixXd GaussianFamily::covariance() const {
  const Eigen::MatrixXd l = cholesky();
  return l * l.transpose();
}

void GaussianFamily::sample(Random& rng, Eigen::Index s, Eigen::MatrixXd& eps, Eigen::MatrixXd& z) const {
  eps.resize(s, m_dim);
  for (Eigen::Index i = 0; i < s; ++i)
    for (Eigen::Index j = 0; j < m_dim; ++j) eps(i, j) = rng.normal();
  z = transform(eps);
}

Eigen::MatrixXd GaussianFamily::transform(const Eigen::MatrixXd& eps) const {
  Eigen::MatrixXd z = eps * cholesky().transpose();
  z.rowwise() += mean().transpose();
  return z;
}

Eigen::VectorXd GaussianFamily::logDensity(const Eigen::MatrixXd& z) const {
  const Eigen::MatrixXd l = cholesky();
  Eigen::MatrixXd centred = (z.rowwise() - mean().transpose()).transpose();  // P x S
  l.triangularView<Eigen::Lower>().solveInPlace(centred);                   // u = L^-1 (z - m)
  const double constant = -0.5 * double(m_dim) * std::log(2.0 * std::numbers::pi) - m_params.segment(m_dim, m_dim).sum();
  return (-0.5 * centred.colwise().squaredNorm().array() + constant).matrix().transpose();
}

double GaussianFamily::entropy() const {
  return 0.5 * double(m_dim) * std::log(2.0 * std::numbers::pi * std::numbers::e) + m_params.segment(m_dim, m_dim).sum();
}

Eigen::VectorXd GaussianFamily::entropyGradient() const {
  Eigen::VectorXd g = Eigen::VectorXd::Zero(m_params.size());
  g.segment(m_dim, m_dim).setOnes();
  return g;
}

namespace {
// Shared layout of pathwise terms and scores: columns m | rho | L_ij (i > j), from a (S x P, the
// factor on m and on row i of L) and eps.
void fillTerms(const Eigen::MatrixXd& a, const Eigen::MatrixXd& eps, const Eigen::VectorXd& ldiag, bool fullRank,
               double rhoShift, Eigen::Index count, Eigen::MatrixXd& out) {
  const Eigen::Index p = a.cols();
  out.resize(a.rows(), count);
  out.leftCols(p) = a;
  out.middleCols(p, p) = ((a.array() * eps.array()).rowwise() * ldiag.transpose().array()) - rhoShift;
  if (!fullRank) return;
  Eigen::Index k = 2 * p;
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = j + 1; i < p; ++i) out.col(k++) = a.col(i).cwiseProduct(eps.col(j));
}
}  // namespace

void GaussianFamily::pathwiseTerms(const Eigen::MatrixXd& eps, const Eigen::MatrixXd& grads, Eigen::MatrixXd& out) const {
  const Eigen::VectorXd ldiag = m_params.segment(m_dim, m_dim).array().exp();
  fillTerms(grads, eps, ldiag, m_kind == Kind::FullRank, 0.0, m_params.size(), out);
}

void GaussianFamily::scores(const Eigen::MatrixXd& eps, Eigen::MatrixXd& out) const {
  const Eigen::MatrixXd l = cholesky();
  // u_s = L^-T eps_s for every row: solve L^T U^T = eps^T.
  Eigen::MatrixXd ut = eps.transpose();
  l.transpose().triangularView<Eigen::Upper>().solveInPlace(ut);
  fillTerms(ut.transpose(), eps, l.diagonal(), m_kind == Kind::FullRank, 1.0, m_params.size(), out);
}

ElboGradient monteCarloElboGradient(const GaussianFamily& q, const BatchLogDensity& f, GradientEstimator estimator,
                                    ScoreBaseline baseline, Eigen::Index samples, Random& rng) {
  Eigen::MatrixXd eps, z, grads, h;
  q.sample(rng, samples, eps, z);
  Eigen::VectorXd values;
  ElboGradient out;
  if (estimator == GradientEstimator::Reparam) {
    f(z, values, &grads);
    q.pathwiseTerms(eps, grads, out.terms);
  } else {
    f(z, values, nullptr);
    q.scores(eps, h);
    scoreFunctionTerms(values, h, baseline, out.terms);
  }
  out.expectedF = values.mean();
  out.gradient = out.terms.colwise().mean().transpose() + q.entropyGradient();
  return out;
}

double expectedDiagonalQuadratic(const GaussianFamily& q, const Eigen::VectorXd& precision, Eigen::VectorXd* gradient) {
  const Eigen::Index p = q.dim();
  const Eigen::MatrixXd l = q.cholesky();
  const Eigen::VectorXd m = q.mean();
  const Eigen::VectorXd var = l.rowwise().squaredNorm();
  const double value = -0.5 * (precision.array() * (m.array().square() + var.array())).sum();
  if (gradient) {
    gradient->setZero(q.parameterCount());
    gradient->head(p) = -(precision.array() * m.array()).matrix();
    gradient->segment(p, p) = -(precision.array() * l.diagonal().array().square()).matrix();
    if (q.kind() == GaussianFamily::Kind::FullRank) {
      Eigen::Index k = 2 * p;
      for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index i = j + 1; i < p; ++i) (*gradient)[k++] = -precision[i] * l(i, j);
    }
  }
  return value;
}

}  // namespace vilab
