#include "core/models/gmm_bbvi.hpp"

#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

void BbviObjective::setData(const Eigen::MatrixXd& standardised) {
  m_features.build(standardised, SmallVector::Zero(1));
}

void BbviObjective::configure(int k, const BbviPrior& prior) {
  m_k = k;
  m_prior = prior;
}

void BbviObjective::fillCoefficients(Eigen::Ref<const Eigen::VectorXd> means,
                                     Eigen::Ref<const Eigen::VectorXd> logVariances) {
  m_scores.resize(m_k, 1);
  const double base = -std::log(double(m_k)) - 0.5 * kLog2Pi;
  for (int c = 0; c < m_k; ++c) {
    m_scores.c0(c) = base - 0.5 * logVariances(c);
    m_scores.means(c, 0) = means(c);
    m_scores.precisions[c] = SmallMatrix::Constant(1, 1, std::exp(-logVariances(c)));
  }
}

double BbviObjective::logJoint(const Eigen::VectorXd& z, Eigen::VectorXd* gradient) {
  const auto mu = z.head(m_k);
  const auto v = z.tail(m_k);
  fillCoefficients(mu, v);
  m_pass.run(m_features, m_scores, nullptr, nullptr, m_totals);
  const double s0 = m_prior.meanSd, a0 = m_prior.logVarMean, b0 = m_prior.logVarSd;
  double value = m_totals.logSumExp;
  for (int c = 0; c < m_k; ++c) {
    value += -0.5 * kLog2Pi - std::log(s0) - 0.5 * mu(c) * mu(c) / (s0 * s0);
    value += -0.5 * kLog2Pi - std::log(b0) - 0.5 * (v(c) - a0) * (v(c) - a0) / (b0 * b0);
  }
  if (gradient) {
    gradient->resize(2 * m_k);
    const bool ownCentres = m_totals.centres.size() > 0;  // the pass's centred path
    for (int c = 0; c < m_k; ++c) {
      // sum r (x - mu) and sum r (x - mu)^2 from the moments about the features' centre, or
      // about mu itself (shift 0) when the pass took its centred path.
      const double shift = mu(c) - (ownCentres ? m_totals.centres(c, 0) : m_features.centre()(0));
      const double r0 = m_totals.moments(c, 0), r1 = m_totals.moments(c, 1),
                   r2 = m_totals.moments(c, 2);
      const double d1 = r1 - shift * r0;
      const double d2 = r2 - 2.0 * shift * r1 + shift * shift * r0;
      const double precision = std::exp(-v(c));
      (*gradient)(c) = precision * d1 - mu(c) / (s0 * s0);
      (*gradient)(m_k + c) = 0.5 * (precision * d2 - r0) - (v(c) - a0) / (b0 * b0);
    }
  }
  return value;
}

double BbviObjective::entropy(const Eigen::VectorXd& phi) {
  const Eigen::Index k = phi.size() / 4;
  const double perCoordinate = 0.5 * (kLog2Pi + 1.0);
  return 2 * k * perCoordinate + phi.segment(k, k).sum() + phi.segment(3 * k, k).sum();
}

void BbviObjective::estimate(const Eigen::VectorXd& phi, BbviEstimator estimator, bool baseline,
                             int samples, Random& rng, Estimate& out) {
  const BbviLayout at{m_k};
  const int dims = 2 * m_k;
  m_noise.resize(dims, samples);
  m_sampleGrad.resize(dims, samples);
  m_f.resize(samples);
  m_z.resize(dims);
  out.gradient.setZero(4 * m_k);
  double meanLogJoint = 0.0;
  for (int s = 0; s < samples; ++s) {
    double logQ = 0.0;
    for (int c = 0; c < m_k; ++c) {
      const double e1 = rng.normal(), e2 = rng.normal();
      m_noise(c, s) = e1;
      m_noise(m_k + c, s) = e2;
      m_z(c) = phi(at.muMean(c)) + std::exp(phi(at.muLogSd(c))) * e1;
      m_z(m_k + c) = phi(at.vMean(c)) + std::exp(phi(at.vLogSd(c))) * e2;
      logQ += -kLog2Pi - phi(at.muLogSd(c)) - phi(at.vLogSd(c)) - 0.5 * (e1 * e1 + e2 * e2);
    }
    const double lp = logJoint(m_z, estimator == BbviEstimator::Reparam ? &m_g : nullptr);
    meanLogJoint += lp;
    m_f(s) = lp - logQ;
    if (estimator == BbviEstimator::Reparam) m_sampleGrad.col(s) = m_g;
  }
  meanLogJoint /= samples;
  out.elbo = meanLogJoint + entropy(phi);

  const double fSum = m_f.sum();
  for (int s = 0; s < samples; ++s) {
    for (int c = 0; c < m_k; ++c) {
      const double e1 = m_noise(c, s), e2 = m_noise(m_k + c, s);
      const double sdMu = std::exp(phi(at.muLogSd(c))), sdV = std::exp(phi(at.vLogSd(c)));
      if (estimator == BbviEstimator::Reparam) {
        const double gMu = m_sampleGrad(c, s), gV = m_sampleGrad(m_k + c, s);
        out.gradient(at.muMean(c)) += gMu;
        out.gradient(at.muLogSd(c)) += gMu * sdMu * e1;
        out.gradient(at.vMean(c)) += gV;
        out.gradient(at.vLogSd(c)) += gV * sdV * e2;
      } else {
        const double b = baseline && samples > 1 ? (fSum - m_f(s)) / (samples - 1) : 0.0;
        const double weight = m_f(s) - b;
        out.gradient(at.muMean(c)) += weight * e1 / sdMu;
        out.gradient(at.muLogSd(c)) += weight * (e1 * e1 - 1.0);
        out.gradient(at.vMean(c)) += weight * e2 / sdV;
        out.gradient(at.vLogSd(c)) += weight * (e2 * e2 - 1.0);
      }
    }
  }
  out.gradient /= samples;
  if (estimator == BbviEstimator::Reparam) {
    out.gradient.segment(m_k, m_k).array() += 1.0;      // d H / d ln sd(mu)
    out.gradient.segment(3 * m_k, m_k).array() += 1.0;  // d H / d ln sd(v)
  }
}

double BbviObjective::plugInLogLikelihood(const Eigen::VectorXd& means,
                                          const Eigen::VectorXd& variances, Eigen::MatrixXd* r) {
  m_logVariances = variances.array().log();  // resizes only when K changes
  fillCoefficients(means, m_logVariances);
  m_pass.run(m_features, m_scores, nullptr, r, m_totals);
  return m_totals.logSumExp;
}

Eigen::VectorXd BbviObjective::initialPhi(const ComponentStats& stats, const BbviPrior& prior) {
  const int k = static_cast<int>(stats.n.size());
  const BbviLayout at{k};
  Eigen::VectorXd phi(4 * k);
  for (int c = 0; c < k; ++c) {
    const bool empty = stats.n(c) < 1e-12;
    phi(at.muMean(c)) = empty ? 0.0 : stats.mean(c, 0);
    phi(at.vMean(c)) = empty ? prior.logVarMean : std::log(std::max(stats.scatter[c](0, 0), 0.01));
    phi(at.muLogSd(c)) = phi(at.vLogSd(c)) = std::log(0.1);
  }
  return phi;
}

}  // namespace vilab
