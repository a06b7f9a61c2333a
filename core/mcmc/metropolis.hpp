#pragma once
// What every Metropolis-type sampler in core/mcmc shares: the log density it targets, the point a
// chain carries between iterations (with its cached ln p and gradient), and the accept step
// (Metropolis et al. 1953; Hastings 1970) for a proposal whose log acceptance ratio is known.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <functional>

#include "core/math/random.hpp"

namespace vilab {

// ln p(x) up to a constant; writes grad ln p(x) (size of x) into `gradient`. May return -inf
// outside the support (such points are never accepted).
using LogDensityWithGradient =
    std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& gradient)>;

// The current state of a chain: x (dim), grad ln p(x) (dim) and ln p(x).
struct ChainPoint {
  Eigen::VectorXd x;
  Eigen::VectorXd gradient;
  double logDensity = 0.0;
};

// The outcome of one iteration of a sampler.
struct MetropolisStep {
  double acceptProbability = 0.0;  // min(1, exp(log ratio)); 0 when the ratio is not finite
  bool accepted = false;
  bool divergent = false;  // HMC: energy error > 1000 nats or not finite (Stan's rule)
  int evaluations = 0;     // calls of the log density in this iteration
};

// Accept probability min(1, exp(logRatio)) (0 for a NaN or infinite ratio), then one uniform
// from rng decides. Always draws exactly one uniform, so streams stay aligned.
inline bool metropolisAccept(double logRatio, Random& rng, double& acceptProbability) {
  acceptProbability = std::isfinite(logRatio) ? std::min(1.0, std::exp(logRatio)) : 0.0;
  return rng.uniform() < acceptProbability;
}

}  // namespace vilab
