#include "core/mcmc/dual_averaging.hpp"

#include <cmath>

namespace vilab {

namespace {
constexpr double kGamma = 0.05;
constexpr double kT0 = 10.0;
constexpr double kKappa = 0.75;
}  // namespace

DualAveraging::DualAveraging(double initial, double targetAcceptance)
    : m_initial(initial), m_target(targetAcceptance), m_mu(std::log(10.0 * initial)) {}

double DualAveraging::update(double acceptProbability) {
  const double m = ++m_iterations;
  m_hBar = (1.0 - 1.0 / (m + kT0)) * m_hBar + (m_target - acceptProbability) / (m + kT0);
  const double logX = m_mu - std::sqrt(m) / kGamma * m_hBar;
  const double w = std::pow(m, -kKappa);
  m_logBar = w * logX + (1.0 - w) * m_logBar;
  return std::exp(logX);
}

double DualAveraging::finalValue() const {
  return m_iterations == 0 ? m_initial : std::exp(m_logBar);
}

}  // namespace vilab
