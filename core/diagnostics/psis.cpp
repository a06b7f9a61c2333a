#include "core/diagnostics/psis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "core/diagnostics/generalized_pareto.hpp"

namespace vilab {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void normalize(PsisResult& r) {
  const double maxLog = r.logWeights.maxCoeff();
  const double logSum = maxLog + std::log((r.logWeights.array() - maxLog).exp().sum());
  r.logWeights.array() -= logSum;
  r.effectiveSampleSize = 1.0 / (2.0 * r.logWeights.array()).exp().sum();
}

}  // namespace

PsisResult paretoSmoothedImportanceSampling(const Eigen::Ref<const Eigen::VectorXd>& logRatios) {
  PsisResult r;
  const Eigen::Index s = logRatios.size();
  const bool invalid = s == 0 || logRatios.array().isNaN().any() ||
                       (logRatios.array() == std::numeric_limits<double>::infinity()).any() ||
                       !(logRatios.maxCoeff() > -std::numeric_limits<double>::infinity());
  if (invalid) {
    r.khat = kNaN;
    r.logWeights = Eigen::VectorXd::Constant(s, kNaN);
    r.effectiveSampleSize = kNaN;
    return r;
  }
  // Shift by the largest log ratio so that the exponentials stay <= 1.
  const double maxLog = logRatios.maxCoeff();
  r.logWeights = logRatios.array() - maxLog;

  const auto tail =
      static_cast<Eigen::Index>(std::ceil(std::min(0.2 * double(s), 3.0 * std::sqrt(double(s)))));
  if (tail < 5 || tail >= s) {
    r.khat = kNaN;
    normalize(r);
    return r;
  }
  std::vector<Eigen::Index> order(static_cast<std::size_t>(s));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::sort(order.begin(), order.end(),
            [&](Eigen::Index a, Eigen::Index b) { return r.logWeights[a] < r.logWeights[b]; });
  const std::size_t first = static_cast<std::size_t>(s - tail);  // first tail index in `order`
  const double cutoff = r.logWeights[order[first - 1]];          // largest log weight left out
  const double tailMin = r.logWeights[order[first]];
  r.tailLength = static_cast<int>(tail);
  // The tail's spread in ln r is 0 - tailMin (the maximum is 0 after the shift).
  if (-tailMin <= 1e-9) {
    r.khat = -std::numeric_limits<double>::infinity();
    normalize(r);
    return r;
  }
  // Exceedances of the ratios (scaled by the largest) over the cutoff ratio, ascending.
  const double expCutoff = std::exp(cutoff);
  std::vector<double> exceedances(static_cast<std::size_t>(tail));
  for (std::size_t i = 0; i < exceedances.size(); ++i)
    exceedances[i] = std::max(0.0, std::exp(r.logWeights[order[first + i]]) - expCutoff);
  const GeneralizedPareto fit = fitGeneralizedPareto(exceedances);
  r.khat = fit.k;
  r.sigma = fit.sigma;
  if (std::isfinite(fit.k) && fit.sigma > 0.0) {
    for (std::size_t i = 0; i < exceedances.size(); ++i) {
      const double p = (double(i) + 0.5) / double(tail);
      const double q = generalizedParetoQuantile(p, fit.k, fit.sigma) + expCutoff;
      // Truncated at the largest raw ratio (ln 1 = 0 after the shift).
      r.logWeights[order[first + i]] = std::min(0.0, std::log(q));
    }
  }
  normalize(r);
  return r;
}

ParetoKReading readParetoK(double khat) {
  if (khat < 0.5) return ParetoKReading::Good;
  if (khat <= 0.7) return ParetoKReading::Usable;
  return ParetoKReading::Unreliable;
}

const char* paretoKReadingName(ParetoKReading reading) {
  switch (reading) {
    case ParetoKReading::Good:
      return "good";
    case ParetoKReading::Usable:
      return "usable";
    case ParetoKReading::Unreliable:
      return "unreliable";
  }
  return "unreliable";
}

}  // namespace vilab
