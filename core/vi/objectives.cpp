#include "core/vi/objectives.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace vilab {

std::string unsupportedReason(const Family& q, const ObjectiveSettings& s, bool haveReference) {
  if (s.samples < 1) return "samples must be at least 1, got " + std::to_string(s.samples) + ".";
  if (s.objective == Objective::Iwae && s.iwaeK < 1) return "iwae_k must be at least 1, got " + std::to_string(s.iwaeK) + ".";
  if (s.objective == Objective::Renyi && !std::isfinite(s.alpha)) return "the Renyi alpha must be finite.";
  if (s.objective == Objective::KlPq) {
    if (!q.hasScores())
      return "forward KL needs d ln q(x) / d lambda at fixed points x, which the " + q.name() + " family does not provide.";
    if (!s.forwardBySnis && !haveReference)
      return "forward KL by the exact grid needs the target's reference points, and none were given.";
    return {};
  }
  if (s.estimator == GradientEstimator::Score) {
    if (s.objective != Objective::KlQp)
      return "the score-function estimator is implemented for the ELBO (kl_qp) only; the Renyi and IWAE bounds use the "
             "reparameterization gradient.";
    if (!q.hasScores())
      return "the score-function estimator needs d ln q(z) / d lambda at fixed z, which the " + q.name() +
             " family does not provide; use the reparameterization gradient.";
  }
  return {};
}

const ObjectiveStep& ObjectiveEstimator::step(const Family& q, const BatchLogDensity& logp, const ObjectiveSettings& s,
                                              Random& rng, const WeightedPoints* reference) {
  if (std::string why = unsupportedReason(q, s, reference != nullptr); !why.empty()) throw std::invalid_argument(why);
  m_step.gradient.setZero(q.parameterCount());
  const bool reparam = s.objective == Objective::Renyi || s.objective == Objective::Iwae ||
                       (s.objective == Objective::KlQp && s.estimator == GradientEstimator::Reparam);
  const Sampling how = reparam ? Sampling::Reparameterized : Sampling::Ancestral;
  m_blocks = s.objective == Objective::Iwae ? s.samples : 1;
  const Eigen::Index perBlock = s.objective == Objective::Iwae ? s.iwaeK : s.samples;
  if (m_draws.size() < static_cast<std::size_t>(m_blocks)) m_draws.resize(static_cast<std::size_t>(m_blocks));
  Eigen::Index total = 0;
  for (int b = 0; b < m_blocks; ++b) {
    FamilyDraws& d = m_draws[static_cast<std::size_t>(b)];
    q.sample(rng, perBlock, how, d);
    total += d.z.rows();
  }
  m_logw.resize(total);

  if (!reparam) {
    // One block of Ancestral draws: ln w for the score function, SNIS and the diagnostics.
    const FamilyDraws& d = m_draws[0];
    logp(d.z, m_lp, nullptr);
    m_logw = m_lp - d.logq;
    m_step.value = s.objective == Objective::KlPq ? forwardKl(q, s, reference) : scoreFunctionElbo(q, s);
    return m_step;
  }

  const double alpha = s.objective == Objective::KlQp ? 1.0 : s.objective == Objective::Iwae ? 0.0 : s.alpha;
  const double scale = 1.0 / double(m_blocks);
  double value = 0.0;
  Eigen::Index offset = 0;
  for (int b = 0; b < m_blocks; ++b) {
    const FamilyDraws& d = m_draws[static_cast<std::size_t>(b)];
    const Eigen::Index n = d.z.rows();
    logp(d.z, m_lp, &m_glp);
    m_logw.segment(offset, n) = m_lp - d.logq;
    value += scale * renyiBlock(q, d, m_logw.segment(offset, n), alpha, scale);
    offset += n;
  }
  m_step.value = value;
  return m_step;
}

double ObjectiveEstimator::renyiBlock(const Family& q, const FamilyDraws& d, const Eigen::Ref<const Eigen::VectorXd>& logw,
                                      double alpha, double scale) {
  // With L = 1/(1 - alpha) ln sum_s weight_s e^((1 - alpha) l_s): dL/dl_s = w^_s and
  // dL/dweight_s = (w^_s / weight_s - 1) / (1 - alpha) (the -1 is free because the weights sum to
  // 1 for every lambda, and keeps the limit alpha -> 1 finite: l_s - L).
  double value;
  if (alpha == 1.0) {
    value = d.weight.dot(logw);
    m_what = d.weight;
    m_gweight = logw.array() - value;
  } else {
    const double beta = 1.0 - alpha;
    m_f = beta * logw + d.weight.array().log().matrix();
    const double mx = m_f.maxCoeff();
    const double lse = mx + std::log((m_f.array() - mx).exp().sum());
    value = lse / beta;
    m_what = (m_f.array() - lse).exp();
    m_gweight = (beta * logw.array() - lse).unaryExpr([](double t) { return std::expm1(t); }) / beta;
  }
  // d ln w_s = d ln p~(z_s) - d ln q(z_s): gz = w^ grad ln p~, glogq = -w^.
  m_gz = m_glp.array().colwise() * (scale * m_what).array();
  m_glogq = -scale * m_what;
  m_gweight *= scale;
  q.backward(d, m_gz, m_glogq, m_gweight, m_step.gradient);
  return value;
}

double ObjectiveEstimator::scoreFunctionElbo(const Family& q, const ObjectiveSettings& s) {
  const FamilyDraws& d = m_draws[0];
  q.scores(d.z, m_scores);
  scoreFunctionTerms(m_logw, m_scores, s.baseline, m_terms);
  m_step.gradient.noalias() = m_terms.transpose() * d.weight;
  return d.weight.dot(m_logw);
}

double ObjectiveEstimator::forwardKl(const Family& q, const ObjectiveSettings& s, const WeightedPoints* reference) {
  if (!s.forwardBySnis) {
    q.logDensity(reference->x, m_lq);
    q.scores(reference->x, m_scores);
    m_step.gradient.noalias() = m_scores.transpose() * reference->w;
    return reference->w.dot(m_lq);
  }
  // Self-normalized weights w^_s proportional to weight_s p~(z_s) / q(z_s).
  const FamilyDraws& d = m_draws[0];
  m_f = m_logw + d.weight.array().log().matrix();
  const double mx = m_f.maxCoeff();
  m_what = (m_f.array() - mx).exp();
  m_what /= m_what.sum();
  q.scores(d.z, m_scores);
  m_step.gradient.noalias() = m_scores.transpose() * m_what;
  return m_what.dot(d.logq);
}

}  // namespace vilab
