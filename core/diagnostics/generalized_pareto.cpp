#include "core/diagnostics/generalized_pareto.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vilab {

GeneralizedPareto fitGeneralizedPareto(std::span<const double> x, bool weaklyInformativePrior) {
  const std::size_t n = x.size();
  const double dn = double(n);
  const std::size_t m = 30 + static_cast<std::size_t>(std::floor(std::sqrt(dn)));
  constexpr double kPriorWeight = 3.0;  // Zhang & Stephens's prior on theta
  // The first quartile x* (the (floor(n/4 + 0.5))-th order statistic, 1-based).
  const std::size_t quartile =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(dn / 4.0 + 0.5))) - 1;
  const double xStar = x[quartile];
  const double xMax = x[n - 1];

  // theta_j = 1 / x_(n) + (1 - sqrt(m / (j - 1/2))) / (3 x*), all < 1 / x_(n), so 1 - theta x > 0.
  // Profile log-likelihood l(theta) = n (ln(theta / k(theta)) - k(theta) - 1) with
  // k(theta) = -mean ln(1 - theta x_i) (written for a = -theta to keep the logs positive).
  std::vector<double> theta(m), logLik(m);
  double maxLogLik = -INFINITY;
  for (std::size_t j = 0; j < m; ++j) {
    theta[j] =
        1.0 / xMax + (1.0 - std::sqrt(double(m) / (double(j + 1) - 0.5))) / (kPriorWeight * xStar);
    const double a = -theta[j];
    double kj = 0.0;
    for (double xi : x) kj += std::log1p(a * xi);
    kj /= dn;
    logLik[j] = dn * (std::log(a / kj) - kj - 1.0);
    if (std::isfinite(logLik[j])) maxLogLik = std::max(maxLogLik, logLik[j]);
  }
  // The posterior mean of theta: weights proportional to exp(l(theta_j)).
  double wSum = 0.0, thetaHat = 0.0;
  for (std::size_t j = 0; j < m; ++j) {
    const double w = std::isfinite(logLik[j]) ? std::exp(logLik[j] - maxLogLik) : 0.0;
    wSum += w;
    thetaHat += w * theta[j];
  }
  thetaHat /= wSum;

  GeneralizedPareto out;
  double k = 0.0;
  for (double xi : x) k += std::log1p(-thetaHat * xi);
  k /= dn;
  out.sigma = -k / thetaHat;
  if (weaklyInformativePrior) {
    constexpr double a = 10.0;
    k = (dn * k + a * 0.5) / (dn + a);
  }
  out.k = k;
  return out;
}

double generalizedParetoQuantile(double p, double k, double sigma) {
  if (k == 0.0) return -sigma * std::log1p(-p);
  return sigma * std::expm1(-k * std::log1p(-p)) / k;
}

}  // namespace vilab
