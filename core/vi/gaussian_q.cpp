#include "core/vi/gaussian_q.hpp"

#include <cmath>
#include <numbers>

namespace vilab {

GaussianQ::GaussianQ(Kind kind, const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov)
    : GaussianQ(GaussianFamily(kind, mean, cov)) {}

GaussianQ::GaussianQ(const GaussianFamily& gaussian) : m_g(gaussian) {
  setParameters(gaussian.parameters());
}

std::unique_ptr<Family> GaussianQ::clone() const {
  return std::make_unique<GaussianQ>(*this);
}

std::string GaussianQ::parameterLayout() const {
  const std::string p = std::to_string(dim());
  return "m (" + p + ") | rho (" + p + "), L_jj = exp(rho_j)" +
         (m_g.kind() == Kind::FullRank ? " | L_ij for i > j, column by column" : "");
}

std::string GaussianQ::name() const {
  return m_g.kind() == Kind::MeanField ? "mean-field Gaussian" : "full-rank Gaussian";
}

void GaussianQ::setParameters(const Eigen::VectorXd& lambda) {
  m_g.setParameters(lambda);
  m_l = m_g.cholesky();
  const Eigen::Index p = m_g.dim();
  m_logNormaliser =
      -0.5 * double(p) * std::log(2.0 * std::numbers::pi) - lambda.segment(p, p).sum();
}

void GaussianQ::sample(Random& rng, Eigen::Index s, Sampling /*how*/, FamilyDraws& d) const {
  const Eigen::Index p = m_g.dim();
  d.eps.resize(s, p);
  for (Eigen::Index i = 0; i < s; ++i)
    for (Eigen::Index j = 0; j < p; ++j) d.eps(i, j) = rng.normal();
  d.z.resize(s, p);
  d.z.noalias() = d.eps * m_l.transpose();
  d.z.rowwise() += m_g.parameters().head(p).transpose();
  d.logq.resize(s);
  d.logq = (-0.5 * d.eps.rowwise().squaredNorm()).array() + m_logNormaliser;
  d.weight.setConstant(s, 1.0 / double(s));
  d.component.setZero(s);
}

void GaussianQ::backward(
    const FamilyDraws& d, const Eigen::MatrixXd& gz, const Eigen::VectorXd& glogq,
    const Eigen::VectorXd& /*gweight: the weights 1/S do not depend on lambda*/,
    Eigen::VectorXd& grad) const {
  const Eigen::Index p = m_g.dim();
  m_g.pathwiseTerms(d.eps, gz, m_terms);
  grad.noalias() += m_terms.colwise().sum().transpose();
  grad.segment(p, p).array() -= glogq.sum();
}

void GaussianQ::logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const {
  out = m_g.logDensity(x);
}

void GaussianQ::scores(const Eigen::MatrixXd& x, Eigen::MatrixXd& out) const {
  const Eigen::Index p = m_g.dim();
  m_eps = (x.rowwise() - m_g.parameters().head(p).transpose()).transpose();  // P x N
  m_l.triangularView<Eigen::Lower>().solveInPlace(m_eps);                    // L^-1 (x - m)
  m_eps.transposeInPlace();
  m_g.scores(m_eps, out);
}

bool GaussianQ::closedFormMoments(Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const {
  mean = m_g.mean();
  cov = m_l * m_l.transpose();
  return true;
}

}  // namespace vilab
