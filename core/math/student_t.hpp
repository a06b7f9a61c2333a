#pragma once
// The multivariate Student-t St(x | mu, L, nu) with precision-like matrix L (Bishop PRML B.68):
// ln St = studentTLogNormaliser(ln|L|, nu, D) - ((nu + D)/2) ln(1 + Delta^2 / nu),
// Delta^2 = (x - mu)^T L (x - mu). The Bayesian GMM's predictive is a mixture of these (10.81).

#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

// ln Gamma((nu + D)/2) - ln Gamma(nu/2) + (1/2) ln|L| - (D/2) ln(nu pi), nu > 0.
inline double studentTLogNormaliser(double logDetL, double nu, int dim) {
  return logGamma(0.5 * (nu + dim)) - logGamma(0.5 * nu) + 0.5 * logDetL -
         0.5 * dim * std::log(nu * kPi);
}

}  // namespace vilab
