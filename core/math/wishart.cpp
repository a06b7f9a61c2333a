#include "core/math/wishart.hpp"

#include <cmath>

#include "core/math/special.hpp"

namespace vilab {

namespace {
constexpr double kLn2 = 0.69314718055994530942;
}

double wishartLogNormaliser(double logDetW, double nu, int dim) {
  return -0.5 * nu * logDetW - 0.5 * nu * dim * kLn2 - logMultiGamma(0.5 * nu, dim);
}

double wishartExpectedLogDet(double logDetW, double nu, int dim) {
  double sum = dim * kLn2 + logDetW;
  for (int i = 1; i <= dim; ++i) sum += digamma(0.5 * (nu + 1 - i));
  return sum;
}

double wishartEntropy(double logDetW, double nu, int dim) {
  return -wishartLogNormaliser(logDetW, nu, dim) -
         0.5 * (nu - dim - 1) * wishartExpectedLogDet(logDetW, nu, dim) + 0.5 * nu * dim;
}

}  // namespace vilab
