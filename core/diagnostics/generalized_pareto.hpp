#pragma once
// The generalized Pareto distribution GPD(k, sigma) of exceedances x >= 0 over a threshold:
// F(x) = 1 - (1 + k x / sigma)^(-1/k) (k != 0), shape k (the tail index; k > 0 heavy-tailed with
// finite moments of order < 1/k), scale sigma > 0. Fitted by the empirical-Bayes estimator of
// Zhang & Stephens 2009 (Technometrics 51, section 4) as used by PSIS (Vehtari, Simpson, Gelman,
// Yao & Gabry 2024, JMLR 25, appendix): a posterior-mean of theta = -k / sigma over a quasi-grid
// of m = 30 + floor(sqrt(n)) values weighted by the profile likelihood, then k shrunk towards
// 0.5 by a weakly informative prior worth 10 observations: k <- (n k + 10 * 0.5) / (n + 10).

#include <span>

namespace vilab {

struct GeneralizedPareto {
  double k = 0.0;      // shape
  double sigma = 0.0;  // scale (units of the exceedances)
};

// sortedExceedances: n >= 1 values >= 0 in ascending order, not all zero. With
// weaklyInformativePrior false, k is Zhang & Stephens's estimate itself.
GeneralizedPareto fitGeneralizedPareto(std::span<const double> sortedExceedances,
                                       bool weaklyInformativePrior = true);

// The p-quantile (p in [0, 1)) of GPD(k, sigma): sigma ((1 - p)^(-k) - 1) / k, or
// -sigma ln(1 - p) at k = 0.
double generalizedParetoQuantile(double p, double k, double sigma);

}  // namespace vilab
