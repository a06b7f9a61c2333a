#include "core/estimators/gamma_gradients.hpp"

#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

double gammaSampleShapeDerivative(double a, double g) {
  return -regularizedGammaPDerivAOverDensity(a, g);
}

GammaScore gammaScore(double tau, double a, double b) {
  return {std::log(b) - digamma(a) + std::log(tau), a / b - tau};
}

}  // namespace vilab
