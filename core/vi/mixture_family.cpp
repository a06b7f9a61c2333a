#include "core/vi/mixture_family.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace vilab {

MixtureFamily::MixtureFamily(int components, const Eigen::VectorXd& centre,
                             const Eigen::MatrixXd& cov, std::uint64_t seed)
    : m_k(components), m_p(centre.size()) {
  if (components < 1 || components > kMaxComponents)
    throw std::invalid_argument("mixture components must be in [1, " +
                                std::to_string(kMaxComponents) + "], got " +
                                std::to_string(components));
  const Eigen::MatrixXd l = Eigen::LLT<Eigen::MatrixXd>(cov).matrixL();
  Random rng(seed);
  Eigen::VectorXd lambda;
  for (int k = 0; k < m_k; ++k) {
    Eigen::VectorXd mean = centre;
    if (m_k > 1) {
      Eigen::VectorXd e(m_p);
      for (Eigen::Index j = 0; j < m_p; ++j) e[j] = rng.normal();
      mean += l * e;
    }
    const GaussianFamily g(GaussianFamily::Kind::FullRank, mean, cov);
    if (k == 0) {
      m_nc = g.parameterCount();
      lambda.setZero(m_k + m_k * m_nc);  // logits 0: equal weights
    }
    lambda.segment(offset(k), m_nc) = g.parameters();
    m_comp.push_back(g);
  }
  m_l.resize(static_cast<std::size_t>(m_k));
  setParameters(lambda);
}

std::unique_ptr<Family> MixtureFamily::clone() const {
  return std::make_unique<MixtureFamily>(*this);
}

std::string MixtureFamily::parameterLayout() const {
  const std::string p = std::to_string(m_p);
  return std::to_string(m_k) + " logits, pi = softmax | per component: m (" + p + ") | rho (" + p +
         "), L_jj = exp(rho_j) | L_ij for i > j, column by column";
}

std::string MixtureFamily::name() const {
  return "mixture of " + std::to_string(m_k) + (m_k == 1 ? " Gaussian" : " Gaussians");
}

void MixtureFamily::setParameters(const Eigen::VectorXd& lambda) {
  m_params = lambda;
  const Eigen::VectorXd a = lambda.head(m_k);
  const double amax = a.maxCoeff();
  const double lse = amax + std::log((a.array() - amax).exp().sum());
  m_logPi = a.array() - lse;
  m_pi = m_logPi.array().exp();
  m_logNorm.resize(m_k);
  for (int k = 0; k < m_k; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    m_comp[uk].setParameters(lambda.segment(offset(k), m_nc));
    m_l[uk] = m_comp[uk].cholesky();
    m_logNorm[k] = -0.5 * double(m_p) * std::log(2.0 * std::numbers::pi) -
                   lambda.segment(offset(k) + m_p, m_p).sum();
  }
}

void MixtureFamily::evaluate(const Eigen::MatrixXd& x, std::vector<Eigen::MatrixXd>& cache,
                             Eigen::VectorXd& logq) const {
  const Eigen::Index n = x.rows();
  cache.resize(static_cast<std::size_t>(m_k) + 1);
  Eigen::MatrixXd& r = cache[0];
  r.resize(n, m_k);
  for (int k = 0; k < m_k; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    Eigen::MatrixXd& u = cache[uk + 1];
    u = (x.rowwise() - m_params.segment(offset(k), m_p).transpose()).transpose();  // P x N
    m_l[uk].triangularView<Eigen::Lower>().solveInPlace(u);
    u.transposeInPlace();  // N x P
    r.col(k) = (-0.5 * u.rowwise().squaredNorm()).array() + (m_logNorm[k] + m_logPi[k]);
  }
  // log-sum-exp over components, then r = exp(ln pi_k N_k - ln q).
  logq.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double mx = r.row(i).maxCoeff();
    logq[i] = mx + std::log((r.row(i).array() - mx).exp().sum());
    r.row(i) = (r.row(i).array() - logq[i]).exp();
  }
}

void MixtureFamily::sample(Random& rng, Eigen::Index s, Sampling how, FamilyDraws& d) const {
  if (how == Sampling::Reparameterized) {
    const Eigen::Index per = (s + m_k - 1) / m_k;  // S_k = ceil(S / K)
    const Eigen::Index n = per * m_k;
    d.eps.resize(n, m_p);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < m_p; ++j) d.eps(i, j) = rng.normal();
    d.z.resize(n, m_p);
    d.weight.resize(n);
    d.component.resize(n);
    for (int k = 0; k < m_k; ++k) {
      auto zk = d.z.middleRows(k * per, per);
      zk.noalias() = d.eps.middleRows(k * per, per) * m_l[static_cast<std::size_t>(k)].transpose();
      zk.rowwise() += m_params.segment(offset(k), m_p).transpose();
      d.weight.segment(k * per, per).setConstant(m_pi[k] / double(per));
      d.component.segment(k * per, per).setConstant(k);
    }
  } else {
    d.eps.resize(s, m_p);
    d.z.resize(s, m_p);
    d.component.resize(s);
    for (Eigen::Index i = 0; i < s; ++i) {
      const double u = rng.uniform();
      int k = 0;
      double cum = m_pi[0];
      while (k + 1 < m_k && u >= cum) cum += m_pi[++k];
      d.component[i] = k;
      for (Eigen::Index j = 0; j < m_p; ++j) d.eps(i, j) = rng.normal();
      d.z.row(i) = m_params.segment(offset(k), m_p).transpose() +
                   d.eps.row(i) * m_l[static_cast<std::size_t>(k)].transpose();
    }
    d.weight.setConstant(s, 1.0 / double(s));
  }
  evaluate(d.z, d.cache, d.logq);
}

void MixtureFamily::backward(const FamilyDraws& d, const Eigen::MatrixXd& gz,
                             const Eigen::VectorXd& glogq, const Eigen::VectorXd& gweight,
                             Eigen::VectorXd& grad) const {
  const Eigen::Index n = d.z.rows();
  const Eigen::Index per = n / m_k;  // stratified: component k owns rows [k per, (k + 1) per)
  const Eigen::MatrixXd& r = d.cache[0];
  // m_g = gz + glogq d ln q / dz, with d ln q / dz_s = -sum_j r_sj L_j^-T u_sj.
  m_g = gz;
  for (int k = 0; k < m_k; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    m_t = d.cache[uk + 1].transpose();  // P x N
    m_l[uk].transpose().triangularView<Eigen::Upper>().solveInPlace(m_t);
    m_c = glogq.cwiseProduct(r.col(k));
    m_g.noalias() -= (m_t.transpose().array().colwise() * m_c.array()).matrix();
    // ln q's direct dependence on component k's parameters: r_sk times its score.
    m_comp[uk].scores(d.cache[uk + 1], m_terms);
    grad.segment(offset(k), m_nc).noalias() += m_terms.transpose() * m_c;
  }
  // Each draw's path through its own component.
  for (int k = 0; k < m_k; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    m_comp[uk].pathwiseTerms(d.eps.middleRows(k * per, per), m_g.middleRows(k * per, per), m_terms);
    grad.segment(offset(k), m_nc).noalias() += m_terms.colwise().sum().transpose();
  }
  // Logits: sum_s glogq_s (r_sj - pi_j) + sum_s gweight_s w_s (delta_k(s)j - pi_j).
  const double gl = glogq.sum(), gw = gweight.dot(d.weight);
  grad.head(m_k).noalias() += r.transpose() * glogq;
  grad.head(m_k) -= (gl + gw) * m_pi;
  for (Eigen::Index i = 0; i < n; ++i) grad[d.component[i]] += gweight[i] * d.weight[i];
}

void MixtureFamily::logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const {
  evaluate(x, m_cache, out);
}

void MixtureFamily::scores(const Eigen::MatrixXd& x, Eigen::MatrixXd& out) const {
  evaluate(x, m_cache, m_logq);
  const Eigen::MatrixXd& r = m_cache[0];
  out.resize(x.rows(), m_params.size());
  out.leftCols(m_k) = r.rowwise() - m_pi.transpose();
  for (int k = 0; k < m_k; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    m_comp[uk].scores(m_cache[uk + 1], m_terms);
    out.middleCols(offset(k), m_nc) = m_terms.array().colwise() * r.col(k).array();
  }
}

bool MixtureFamily::closedFormMoments(Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const {
  mean.setZero(m_p);
  cov.setZero(m_p, m_p);
  for (int k = 0; k < m_k; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    const Eigen::VectorXd mk = m_params.segment(offset(k), m_p);
    mean += m_pi[k] * mk;
    cov += m_pi[k] * (m_l[uk] * m_l[uk].transpose() + mk * mk.transpose());
  }
  cov -= mean * mean.transpose();
  return true;
}

}  // namespace vilab
