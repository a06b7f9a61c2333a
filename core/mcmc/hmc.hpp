#pragma once
// Hamiltonian Monte Carlo (Neal 2011, "MCMC using Hamiltonian dynamics", Handbook of MCMC ch. 5)
// on any log density with a gradient. HmcKernel is one iteration (identity mass matrix: fresh
// N(0, I) momentum, leapfrog, Metropolis accept); McmcChain (core/mcmc/chain.hpp) advances it a
// few iterations at a time, and runHmc below runs a whole batch in whitened coordinates
// x = center + L u (L lower triangular, e.g. the Cholesky factor of a Laplace covariance, which
// acts as the inverse mass matrix), with the step size tuned during warm-up by dual averaging
// (Hoffman & Gelman 2014, Algorithm 5) to a target acceptance rate.

#include <Eigen/Core>

#include "core/math/random.hpp"
#include "core/mcmc/metropolis.hpp"

namespace vilab {

// One HMC iteration. Holds only scratch vectors, so one kernel serves any number of iterations.
class HmcKernel {
 public:
  // Draws momentum r ~ N(0, I) (dim normals from rng), takes `leapfrogSteps` >= 1 leapfrog steps
  // of size `stepSize` from point (Neal 2011, eqs. 5.18-5.20), and accepts the end point with
  // probability min(1, exp(H0 - H1)), H = -ln p(x) + |r|^2 / 2 (one uniform from rng). On
  // acceptance `point` becomes the end point. A trajectory stops early where ln p is not
  // finite (rejected). Divergent: H1 - H0 > 1000 or not finite.
  MetropolisStep step(const LogDensityWithGradient& logDensity, double stepSize, int leapfrogSteps, Random& rng,
                      ChainPoint& point);

 private:
  Eigen::VectorXd m_x1, m_g1, m_r;
};

struct HmcSettings {
  int warmup = 500;            // iterations tuning the step size (discarded)
  int samples = 2000;          // iterations kept
  int leapfrogSteps = 16;      // per iteration; the trajectory length is steps x step size
  double targetAcceptance = 0.8;
  double initialStepSize = 0.25;  // in whitened units
};

struct HmcResult {
  Eigen::MatrixXd samples;   // samples x dim
  double acceptance = 0.0;   // mean acceptance probability over the kept iterations
  double stepSize = 0.0;     // after warm-up
  int divergences = 0;       // kept iterations whose energy error exceeded 1000 or was not finite
};

// Starts at `start`; `scale` is L (dim x dim, lower triangular; identity if empty).
HmcResult runHmc(const LogDensityWithGradient& logDensity, const Eigen::VectorXd& start,
                 const Eigen::MatrixXd& scale, const HmcSettings& settings, Random& rng);

}  // namespace vilab
