#include "core/vi/objectives.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace vilab {

std::string unsupportedReason(const Family& q, const ObjectiveSettings& s, bool haveReference) {
  if (s.samples < 1) return "samples must be at least 1, got " + std::to_string(s.samples) + ".";
  if (s.objective == Objective::Iwae && s.iwaeK < 1)
    return "iwae_k must be at least 1, got " + std::to_string(s.iwaeK) + ".";
  if (s.objective == Objective::Renyi && !std::isfinite(s.alpha))
    return "the Renyi alpha must be finite.";
  if (s.objective == Objective::KlPq) {
    if (!q.hasScores())
      return "forward KL needs d ln q(x) / d lambda at fixed points x, which the " + q.name() +
             " family does not provide.";
    if (!s.forwardBySnis && !haveReference)
      return "forward KL by the exact grid needs the target's reference points, and none were "
             "given.";
    return {};
  }
  if (s.estimator == GradientEstimator::Score) {
    if (s.objective != Objective::KlQp)
      return "the score-function estimator is implemented for the ELBO (kl_qp) only; the Renyi "
             "and IWAE bounds use the reparameterization gradient.";
    if (!q.hasScores())
      return "the score-function estimator needs d ln q(z) / d lambda at fixed z, which the " +
             q.name() + " family does not provide; use the reparameterization gradient.";
  }
  return {};
}

WeightedPoints weightedGridPoints(const GridQuadrature& grid, const std::vector<double>& logDensity,
                                  double cutoff) {
  double peak = -std::numeric_limits<double>::infinity();
  for (double v : logDensity) peak = std::max(peak, v);
  const double floor = peak + std::log(cutoff);
  Eigen::Index kept = 0;
  for (double v : logDensity) kept += v >= floor;
  WeightedPoints out;
  out.x.resize(kept, grid.dims());
  out.w.resize(kept);
  Eigen::Index j = 0;
  for (std::size_t i = 0; i < logDensity.size(); ++i)
    if (logDensity[i] >= floor) {
      out.x.row(j) = grid.node(i).transpose();
      out.w[j++] = std::exp(logDensity[i] - peak);
    }
  out.w /= out.w.sum();
  return out;
}

const ObjectiveStep& ObjectiveEstimator::step(const Family& q, const BatchLogDensity& logp,
                                              const ObjectiveSettings& s, Random& rng,
                                              const WeightedPoints* reference) {
  if (std::string why = unsupportedReason(q, s, reference != nullptr); !why.empty())
    throw std::invalid_argument(why);
  m_step.gradient.setZero(q.parameterCount());
  const bool reparam =
      s.objective == Objective::Renyi || s.objective == Objective::Iwae ||
      (s.objective == Objective::KlQp && s.estimator == GradientEstimator::Reparam);
  if (m_draws.empty()) m_draws.resize(1);
  if (m_buffers.empty()) m_buffers.resize(1);
  m_blocks = 1;

  if (!reparam) {
    // One block of Ancestral draws: ln w for the score function, SNIS and the diagnostics.
    FamilyDraws& d = m_draws[0];
    q.sample(rng, s.samples, Sampling::Ancestral, d);
    Block& buf = m_buffers[0];
    logp(d.z, buf.lp, nullptr);
    m_logw = buf.lp - d.logq;
    m_step.value =
        s.objective == Objective::KlPq ? forwardKl(q, s, reference) : scoreFunctionElbo(q, s);
    return m_step;
  }

  // B bounds of K draws each (B = 1 except for IWAE). Bound 0 is drawn first; a family that
  // returns it unstratified (one component) then draws bounds 1..B-1 in one call, rows in blocks
  // of K; a stratified family (a mixture) draws each bound as its own stratified set.
  const bool iwae = s.objective == Objective::Iwae;
  const Eigen::Index k = iwae ? s.iwaeK : s.samples;
  const int bounds = iwae ? s.samples : 1;
  q.sample(rng, k, Sampling::Reparameterized, m_draws[0]);
  const bool stratified = m_draws[0].component.minCoeff() != m_draws[0].component.maxCoeff();
  if (bounds > 1) {
    m_blocks = stratified ? bounds : 2;
    if (m_draws.size() < static_cast<std::size_t>(m_blocks)) {
      m_draws.resize(static_cast<std::size_t>(m_blocks));
      m_buffers.resize(static_cast<std::size_t>(m_blocks));
    }
    if (stratified) {
      for (int b = 1; b < bounds; ++b)
        q.sample(rng, k, Sampling::Reparameterized, m_draws[static_cast<std::size_t>(b)]);
    } else {
      q.sample(rng, (bounds - 1) * k, Sampling::Reparameterized, m_draws[1]);
    }
  }
  Eigen::Index total = 0;
  for (int b = 0; b < m_blocks; ++b) total += m_draws[static_cast<std::size_t>(b)].z.rows();
  m_logw.resize(total);

  const double alpha = s.objective == Objective::KlQp ? 1.0 : iwae ? 0.0 : s.alpha;
  const double scale = 1.0 / double(bounds);
  double value = 0.0;
  Eigen::Index offset = 0;
  for (int b = 0; b < m_blocks; ++b) {
    const FamilyDraws& d = m_draws[static_cast<std::size_t>(b)];
    const Eigen::Index n = d.z.rows();
    Block& buf = m_buffers[static_cast<std::size_t>(b)];
    logp(d.z, buf.lp, &buf.glp);
    m_logw.segment(offset, n) = buf.lp - d.logq;
    buf.gz.resize(n, d.z.cols());
    buf.glogq.resize(n);
    buf.gweight.resize(n);
    buf.what.resize(n);
    buf.f.resize(n);
    if (stratified) {
      value += scale * renyiTerms(d, buf, m_logw.segment(offset, n), 0, n, alpha, scale);
    } else {
      for (Eigen::Index c = 0; c < n / k; ++c)
        value += scale * renyiTerms(d, buf, m_logw.segment(offset, n), c * k, k, alpha, scale);
    }
    q.backward(d, buf.gz, buf.glogq, buf.gweight, m_step.gradient);
    offset += n;
  }
  m_step.value = value;
  return m_step;
}

double ObjectiveEstimator::renyiTerms(const FamilyDraws& d, Block& b,
                                      const Eigen::Ref<const Eigen::VectorXd>& logw,
                                      Eigen::Index start, Eigen::Index n, double alpha,
                                      double scale) {
  // The bound of rows [start, start + n) with weights omega = weight / W, W their sum:
  //   L = 1/(1 - alpha) ln sum_s omega_s e^((1 - alpha) l_s)   (alpha = 1: sum_s omega_s l_s),
  // dL/dl_s = w^_s = omega_s e^((1 - alpha) l_s - (1 - alpha) L), and
  // dL/dweight_s = (w^_s / omega_s - 1) / ((1 - alpha) W)         (alpha = 1: (l_s - L) / W).
  const auto l = logw.segment(start, n);
  const auto weight = d.weight.segment(start, n);
  const double total = weight.sum();
  auto what = b.what.segment(start, n);
  double value;
  if (alpha == 1.0) {
    what = weight / total;
    value = what.dot(l);
    b.gweight.segment(start, n) = (l.array() - value) * (scale / total);
  } else {
    const double beta = 1.0 - alpha;
    auto t = b.f.segment(start, n);
    t = beta * l + (weight / total).array().log().matrix();
    const double mx = t.maxCoeff();
    const double lse = mx + std::log((t.array() - mx).exp().sum());
    value = lse / beta;
    what = (t.array() - lse).exp();
    b.gweight.segment(start, n) = (beta * l.array() - lse).unaryExpr([](double x) {
      return std::expm1(x);
    }) * (scale / (beta * total));
  }
  // d ln w_s = d ln p~(z_s) - d ln q(z_s): gz = w^ grad ln p~, glogq = -w^.
  what *= scale;
  b.gz.middleRows(start, n) = b.glp.middleRows(start, n).array().colwise() * what.array();
  b.glogq.segment(start, n) = -what;
  return value;
}

double ObjectiveEstimator::scoreFunctionElbo(const Family& q, const ObjectiveSettings& s) {
  const FamilyDraws& d = m_draws[0];
  q.scores(d.z, m_scores);
  scoreFunctionTerms(m_logw, m_scores, s.baseline, m_terms);
  m_step.gradient.noalias() = m_terms.transpose() * d.weight;
  return d.weight.dot(m_logw);
}

double ObjectiveEstimator::forwardKl(const Family& q, const ObjectiveSettings& s,
                                     const WeightedPoints* reference) {
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
