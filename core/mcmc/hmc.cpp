#include "core/mcmc/hmc.hpp"

#include <algorithm>
#include <cmath>

namespace vilab {

HmcResult runHmc(const LogDensityWithGradient& logDensity, const Eigen::VectorXd& start, const Eigen::MatrixXd& scale,
                 const HmcSettings& settings, Random& rng) {
  const Eigen::Index d = start.size();
  const Eigen::MatrixXd l = scale.size() == 0 ? Eigen::MatrixXd::Identity(d, d) : scale;
  const Eigen::MatrixXd lt = l.transpose();
  // The whitened target: u with x = start + L u; grad_u = L^T grad_x.
  auto target = [&](const Eigen::VectorXd& u, Eigen::VectorXd& gradU) {
    Eigen::VectorXd gx(d);
    const double v = logDensity(start + l * u, gx);
    gradU = lt * gx;
    return v;
  };

  HmcResult result;
  result.samples.resize(settings.samples, d);
  Eigen::VectorXd u = Eigen::VectorXd::Zero(d), grad(d);
  double logp = target(u, grad);

  // Dual averaging (Hoffman & Gelman 2014, Algorithm 5; gamma = 0.05, t0 = 10, kappa = 0.75).
  double eps = settings.initialStepSize;
  const double mu = std::log(10.0 * eps);
  double hBar = 0.0, logEpsBar = 0.0;
  double acceptSum = 0.0;

  Eigen::VectorXd u1(d), g1(d), r(d);
  const int total = settings.warmup + settings.samples;
  for (int it = 0; it < total; ++it) {
    for (Eigen::Index j = 0; j < d; ++j) r[j] = rng.normal();
    const double h0 = -logp + 0.5 * r.squaredNorm();
    u1 = u;
    g1 = grad;
    double logp1 = logp;
    // Leapfrog: half momentum step, alternating full steps, half momentum step.
    r += 0.5 * eps * g1;
    for (int k = 0; k < settings.leapfrogSteps; ++k) {
      u1 += eps * r;
      logp1 = target(u1, g1);
      if (!std::isfinite(logp1)) break;
      if (k + 1 < settings.leapfrogSteps) r += eps * g1;
    }
    r += 0.5 * eps * g1;
    const double h1 = -logp1 + 0.5 * r.squaredNorm();
    const double dh = h0 - h1;
    const double accept = std::isfinite(dh) ? std::min(1.0, std::exp(dh)) : 0.0;
    if (rng.uniform() < accept) {
      u = u1;
      grad = g1;
      logp = logp1;
    }
    if (it < settings.warmup) {
      const double m = it + 1;
      hBar = (1.0 - 1.0 / (m + 10.0)) * hBar + (settings.targetAcceptance - accept) / (m + 10.0);
      const double logEps = mu - std::sqrt(m) / 0.05 * hBar;
      const double w = std::pow(m, -0.75);
      logEpsBar = w * logEps + (1.0 - w) * logEpsBar;
      eps = std::exp(logEps);
      if (it + 1 == settings.warmup) eps = std::exp(logEpsBar);
    } else {
      const int k = it - settings.warmup;
      result.samples.row(k) = (start + l * u).transpose();
      acceptSum += accept;
      if (!std::isfinite(dh) || -dh > 1000.0) ++result.divergences;
    }
  }
  result.acceptance = settings.samples > 0 ? acceptSum / settings.samples : 0.0;
  result.stepSize = eps;
  return result;
}

}  // namespace vilab
