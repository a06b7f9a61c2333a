#include "core/mcmc/hmc.hpp"

#include <cmath>

#include "core/mcmc/dual_averaging.hpp"

namespace vilab {

MetropolisStep HmcKernel::step(const LogDensityWithGradient& logDensity, double stepSize,
                               int leapfrogSteps, Random& rng, ChainPoint& point) {
  const Eigen::Index d = point.x.size();
  m_r.resize(d);
  for (Eigen::Index j = 0; j < d; ++j) m_r[j] = rng.normal();
  const double h0 = -point.logDensity + 0.5 * m_r.squaredNorm();
  m_x1 = point.x;
  m_g1 = point.gradient;
  double logp1 = point.logDensity;
  MetropolisStep out;
  // Leapfrog: half momentum step, alternating full steps, half momentum step.
  m_r += 0.5 * stepSize * m_g1;
  for (int k = 0; k < leapfrogSteps; ++k) {
    m_x1 += stepSize * m_r;
    logp1 = logDensity(m_x1, m_g1);
    ++out.evaluations;
    if (!std::isfinite(logp1)) break;
    if (k + 1 < leapfrogSteps) m_r += stepSize * m_g1;
  }
  m_r += 0.5 * stepSize * m_g1;
  const double h1 = -logp1 + 0.5 * m_r.squaredNorm();
  const double dh = h0 - h1;
  out.divergent = !std::isfinite(dh) || -dh > 1000.0;
  out.accepted = metropolisAccept(dh, rng, out.acceptProbability);
  if (out.accepted) {
    point.x.swap(m_x1);
    point.gradient.swap(m_g1);
    point.logDensity = logp1;
  }
  return out;
}

HmcResult runHmc(const LogDensityWithGradient& logDensity, const Eigen::VectorXd& start,
                 const Eigen::MatrixXd& scale, const HmcSettings& settings, Random& rng) {
  const Eigen::Index d = start.size();
  const Eigen::MatrixXd l = scale.size() == 0 ? Eigen::MatrixXd::Identity(d, d) : scale;
  const Eigen::MatrixXd lt = l.transpose();
  // The whitened target: u with x = start + L u; grad_u = L^T grad_x.
  const LogDensityWithGradient target = [&](const Eigen::VectorXd& u, Eigen::VectorXd& gradU) {
    Eigen::VectorXd gx(d);
    const double v = logDensity(start + l * u, gx);
    gradU = lt * gx;
    return v;
  };

  HmcResult result;
  result.samples.resize(settings.samples, d);
  ChainPoint point;
  point.x = Eigen::VectorXd::Zero(d);
  point.gradient.resize(d);
  point.logDensity = target(point.x, point.gradient);

  DualAveraging adaptation(settings.initialStepSize, settings.targetAcceptance);
  double eps = settings.initialStepSize;
  double acceptSum = 0.0;
  HmcKernel kernel;
  const int total = settings.warmup + settings.samples;
  for (int it = 0; it < total; ++it) {
    const MetropolisStep s = kernel.step(target, eps, settings.leapfrogSteps, rng, point);
    if (it < settings.warmup) {
      eps = adaptation.update(s.acceptProbability);
      if (it + 1 == settings.warmup) eps = adaptation.finalValue();
    } else {
      result.samples.row(it - settings.warmup) = (start + l * point.x).transpose();
      acceptSum += s.acceptProbability;
      if (s.divergent) ++result.divergences;
    }
  }
  result.acceptance = settings.samples > 0 ? acceptSum / settings.samples : 0.0;
  result.stepSize = eps;
  return result;
}

}  // namespace vilab
