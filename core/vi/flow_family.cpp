#include "core/vi/flow_family.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace vilab {

FlowFamily::FlowFamily(Eigen::Index dim, const std::vector<Eigen::Index>& layerCounts,
                       const Eigen::VectorXd& baseMean, const Eigen::VectorXd& baseSd)
    : m_dim(dim) {
  eigen_assert(dim >= 1 && baseMean.size() == dim && baseSd.size() == dim && (baseSd.array() > 0).all());
  m_layerOffsets.push_back(2 * dim);
  for (Eigen::Index c : layerCounts) m_layerOffsets.push_back(m_layerOffsets.back() + c);
  m_params.setZero(m_layerOffsets.back());
  m_params.head(dim) = baseMean;
  m_params.segment(dim, dim) = baseSd.array().log().matrix();
}

void FlowFamily::setParameters(const Eigen::VectorXd& lambda) {
  eigen_assert(lambda.size() == m_params.size());
  m_params = lambda;
  parametersChanged();
}

void FlowFamily::sample(Random& rng, Eigen::Index s, Sampling /*how*/, FamilyDraws& d) const {
  d.eps.resize(s, m_dim);
  for (Eigen::Index i = 0; i < s; ++i)
    for (Eigen::Index j = 0; j < m_dim; ++j) d.eps(i, j) = rng.normal();
  pushForward(d);
}

void FlowFamily::transform(const Eigen::MatrixXd& eps, FamilyDraws& d) const {
  eigen_assert(eps.cols() == m_dim);
  d.eps = eps;
  pushForward(d);
}

void FlowFamily::pushForward(FamilyDraws& d) const {
  const Eigen::Index p = m_dim, s = d.eps.rows();
  d.z.resize(s, p);
  d.logq.resize(s);
  const double constant =
      -0.5 * double(p) * std::log(2.0 * std::numbers::pi) - m_params.segment(p, p).sum();
  d.logq.setConstant(constant);
  for (Eigen::Index j = 0; j < p; ++j) {
    d.z.col(j) = (m_params[j] + std::exp(m_params[p + j]) * d.eps.col(j).array()).matrix();
    d.logq.array() -= 0.5 * d.eps.col(j).array().square();
  }
  d.weight.setConstant(s, 1.0 / double(s));
  d.component.setZero(s);
  d.cache.resize(std::size_t(layers()));
  for (int k = 0; k < layers(); ++k) layerForward(k, d.z, d.logq, d.cache[std::size_t(k)]);
}

void FlowFamily::backward(const FamilyDraws& d, const Eigen::MatrixXd& gz, const Eigen::VectorXd& glogq,
                          const Eigen::VectorXd& /*gweight*/, Eigen::VectorXd& grad) const {
  const Eigen::Index p = m_dim;
  eigen_assert(gz.rows() == d.z.rows() && gz.cols() == p && glogq.size() == d.z.rows());
  eigen_assert(grad.size() == m_params.size() && d.cache.size() == std::size_t(layers()));
  m_zBar = gz;          // no allocation once S settles
  m_ldBar = -glogq;     // ln q = ... - sum_k ln|det J_k|
  for (int k = layers() - 1; k >= 0; --k)
    layerBackward(k, d.cache[std::size_t(k)], m_ldBar, m_zBar, grad.data() + layerOffset(k));
  // Base: z_0 = m + exp(rho) eps, and ln q carries -sum_j rho_j.
  const double glogqSum = glogq.sum();
  for (Eigen::Index j = 0; j < p; ++j) {
    grad[j] += m_zBar.col(j).sum();
    grad[p + j] += std::exp(m_params[p + j]) * m_zBar.col(j).dot(d.eps.col(j)) - glogqSum;
  }
}

void FlowFamily::logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const {
  const Eigen::Index p = m_dim, n = x.rows();
  out.resize(n);
  const Eigen::Index blockRows = std::min(n, kInverseBlockRows);  // working set stays in cache
  Eigen::MatrixXd y(blockRows, p), scratch;
  Eigen::VectorXd lq(blockRows);
  const double constant =
      -0.5 * double(p) * std::log(2.0 * std::numbers::pi) - m_params.segment(p, p).sum();
  for (Eigen::Index start = 0; start < n; start += blockRows) {
    const Eigen::Index rows = std::min(blockRows, n - start);
    auto yb = y.topRows(rows);
    auto lb = lq.head(rows);
    // Non-finite rows go through as zeros (so that no layer iterates on NaN) and are set below.
    yb = x.middleRows(start, rows).unaryExpr([](double v) { return std::isfinite(v) ? v : 0.0; });
    lb.setConstant(constant);
    for (int k = layers() - 1; k >= 0; --k) layerInverse(k, yb, lb, scratch);
    for (Eigen::Index j = 0; j < p; ++j)
      lb.array() -= 0.5 * ((yb.col(j).array() - m_params[j]) * std::exp(-m_params[p + j])).square();
    out.segment(start, rows) = lb;
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (x.row(i).allFinite()) continue;
    out[i] = x.row(i).hasNaN() ? std::numeric_limits<double>::quiet_NaN()
                               : -std::numeric_limits<double>::infinity();
  }
}

}  // namespace vilab
