#pragma once
// Hamiltonian Monte Carlo (Neal 2011, "MCMC using Hamiltonian dynamics") on any log density
// with a gradient: leapfrog integration in whitened coordinates x = center + L u (L lower
// triangular, e.g. the Cholesky factor of a Laplace covariance, which acts as the inverse mass
// matrix), a Metropolis accept step, and the step size tuned during warm-up by dual averaging
// (Hoffman & Gelman 2014, Algorithm 5) to a target acceptance rate.

#include <Eigen/Core>
#include <functional>

#include "core/math/random.hpp"

namespace vilab {

// ln p(x) up to a constant; writes grad ln p(x) (size of x) into `gradient`.
using LogDensityWithGradient = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;

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
