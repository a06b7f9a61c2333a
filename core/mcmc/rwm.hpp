#pragma once
// Random-walk Metropolis (Metropolis et al. 1953): a symmetric Gaussian proposal
// x' = x + s z, z ~ N(0, I), accepted with probability min(1, p(x') / p(x)). The contrast to
// HMC in the lab: no gradient is used, and on a correlated target the isotropic proposal must
// shrink to the narrowest direction, so the chain diffuses slowly along the long one.

#include <Eigen/Core>

#include "core/math/random.hpp"
#include "core/mcmc/metropolis.hpp"

namespace vilab {

// One RWM iteration. Holds only scratch vectors.
class RwmKernel {
 public:
  // Draws dim normals and one uniform from rng; `scale` (s > 0) is the proposal's standard
  // deviation per coordinate, in the units of x. The density's gradient is computed (the
  // interface returns it) but not used. On acceptance `point` becomes the proposal.
  MetropolisStep step(const LogDensityWithGradient& logDensity, double scale, Random& rng,
                      ChainPoint& point);

 private:
  Eigen::VectorXd m_x1, m_g1;
};

}  // namespace vilab
