#include "core/math/special.hpp"

#include <math.h>  // lgamma_r: glibc's reentrant lgamma

#include <algorithm>
#include <cmath>
#include <limits>

namespace vilab {

double logGamma(double x) {
  int sign = 0;
  return lgamma_r(x, &sign);
}

double digamma(double x) {
  double shift = 0.0;
  while (x < 12.0) {  // psi(x) = psi(x + 1) - 1/x
    shift -= 1.0 / x;
    x += 1.0;
  }
  const double r = 1.0 / (x * x);
  // psi(x) ~ log x - 1/(2x) - sum_k B_2k / (2k x^2k)
  const double series =
      r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132)))));
  return shift + std::log(x) - 0.5 / x - series;
}

double trigamma(double x) {
  double shift = 0.0;
  while (x < 12.0) {  // psi'(x) = psi'(x + 1) + 1/x^2
    shift += 1.0 / (x * x);
    x += 1.0;
  }
  const double r = 1.0 / (x * x);
  // psi'(x) ~ 1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)
  const double series =
      r * (1.0 / 6 - r * (1.0 / 30 - r * (1.0 / 42 - r * (1.0 / 30 - r * (5.0 / 66)))));
  return shift + 1.0 / x + 0.5 * r + series / x;
}

double logSumExp(std::span<const double> v) {
  if (v.empty()) return -std::numeric_limits<double>::infinity();
  const double top = *std::max_element(v.begin(), v.end());
  if (!std::isfinite(top)) return top;
  double sum = 0.0;
  for (double x : v) sum += std::exp(x - top);
  return top + std::log(sum);
}

double logMultiGamma(double x, int dim) {
  double sum = 0.25 * dim * (dim - 1) * std::log(kPi);
  for (int j = 1; j <= dim; ++j) sum += logGamma(x + 0.5 * (1 - j));
  return sum;
}

namespace {

constexpr int kMaxTerms = 200000;
constexpr double kEps = 1e-16;

// Series sum_n x^n / ((a+1)...(a+n)) and, optionally, its weighted sum with log x - psi(a+n+1).
void gammaSeries(double a, double x, double& sum, double* derivSum) {
  double term = 1.0;
  double psi = digamma(a + 1.0);
  const double logX = std::log(x);
  sum = 1.0;
  double dsum = logX - psi;
  for (int n = 1; n < kMaxTerms; ++n) {
    term *= x / (a + n);
    psi += 1.0 / (a + n);
    sum += term;
    dsum += term * (logX - psi);
    if (term < kEps * sum && a + n > x) break;
  }
  if (derivSum) *derivSum = dsum;
}

// Upper tail Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1.
double upperGammaFraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxTerms; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEps) break;
  }
  return std::exp(a * std::log(x) - x - logGamma(a)) * h;
}

}  // namespace

double regularizedGammaP(double a, double x) {
  if (!(a > 0.0) || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0.0) return 0.0;
  if (std::isinf(x)) return 1.0;
  if (x < a + 1.0) {
    double sum = 0.0;
    gammaSeries(a, x, sum, nullptr);
    return std::exp(a * std::log(x) - x - logGamma(a + 1.0)) * sum;
  }
  return 1.0 - upperGammaFraction(a, x);
}

double regularizedGammaPDerivA(double a, double x) {
  if (!(a > 0.0) || !(x > 0.0) || std::isinf(x)) return 0.0;
  double sum = 0.0, dsum = 0.0;
  gammaSeries(a, x, sum, &dsum);
  return std::exp(a * std::log(x) - x - logGamma(a + 1.0)) * dsum;
}

double regularizedGammaPDerivAOverDensity(double a, double x) {
  if (!(a > 0.0) || !(x > 0.0) || std::isinf(x)) return 0.0;
  double sum = 0.0, dsum = 0.0;
  gammaSeries(a, x, sum, &dsum);
  return x / a * dsum;
}

}  // namespace vilab
