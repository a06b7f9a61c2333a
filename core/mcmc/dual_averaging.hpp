#pragma once
// Adaptation of a positive tuning parameter (HMC's leapfrog step size, random-walk Metropolis's
// proposal scale) during warm-up so that the mean acceptance probability approaches a target:
// the dual averaging scheme of Hoffman & Gelman 2014 (JMLR 15, Algorithm 5, after Nesterov
// 2009) with their constants gamma = 0.05, t0 = 10, kappa = 0.75 and mu = ln(10 x0). It applies
// to any parameter whose increase lowers the acceptance rate.

namespace vilab {

class DualAveraging {
 public:
  // initial > 0 (x0); targetAcceptance in (0, 1) (delta).
  DualAveraging(double initial, double targetAcceptance);

  // Records the acceptance probability of warm-up iteration m = 1, 2, ... and returns the value
  // to use next: x_{m+1} = exp(mu - sqrt(m) / gamma * Hbar_m) (Algorithm 5's update).
  double update(double acceptProbability);

  // The averaged value exp(ln x-bar_m) to keep after warm-up (the initial value before any update).
  double finalValue() const;

  int iterations() const { return m_iterations; }

 private:
  double m_initial;
  double m_target;
  double m_mu;
  double m_hBar = 0.0;
  double m_logBar = 0.0;
  int m_iterations = 0;
};

}  // namespace vilab
