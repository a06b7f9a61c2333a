#include "core/mcmc/rwm.hpp"

namespace vilab {

MetropolisStep RwmKernel::step(const LogDensityWithGradient& logDensity, double scale, Random& rng,
                               ChainPoint& point) {
  const Eigen::Index d = point.x.size();
  m_x1.resize(d);
  m_g1.resize(d);  // densities may write the gradient by coordinate
  for (Eigen::Index j = 0; j < d; ++j) m_x1[j] = point.x[j] + scale * rng.normal();
  MetropolisStep out;
  const double logp1 = logDensity(m_x1, m_g1);
  out.evaluations = 1;
  out.accepted = metropolisAccept(logp1 - point.logDensity, rng, out.acceptProbability);
  if (out.accepted) {
    point.x.swap(m_x1);
    point.gradient.swap(m_g1);
    point.logDensity = logp1;
  }
  return out;
}

}  // namespace vilab
