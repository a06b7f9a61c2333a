#pragma once
// The live equations of the univariate-Gaussian lab (core/equation.hpp): CAVI's closed-form
// updates of q(mu) and q(tau) with this iteration's numbers, and gradient VI's estimate of
// dELBO/dm with the last step's first sample and the optimizer's update of m (m: the mean of
// q(mu), the representative parameter; the other three follow the same pattern).

#include <vector>

#include "core/equation.hpp"
#include "core/models/normal_gamma.hpp"

namespace vilab {

// What one gradient-VI step drew and did, for its equations (When::Last).
struct GaussianGradientRecord {
  bool valid = false;   // a gradient step has run since the last reset
  bool reparam = true;  // estimator
  bool adam = true;     // optimizer
  int samples = 1;      // S
  MeanFieldQ before;    // q when the samples were drawn
  // The first sample: eps ~ N(0, 1), mu_1 = m + sigma eps, tau_1, its d ln p(x, mu, tau)/d mu,
  // f_1 = ln p - ln q, the baseline b_1 it was given (0 without), and its term of the m-gradient.
  double eps = 0.0, mu = 0.0, tau = 0.0, dLogPdMu = 0.0, f = 0.0, baseline = 0.0;
  double gradientM = 0.0;  // the estimate of dELBO/dm, averaged over the S samples
  double lr = 0.0;         // SGD: eta; Adam: the bias-corrected step alpha_t
  double adamFirst = 0.0, adamSecond = 0.0, adamEpsilon = 0.0;  // Adam's M_t, V_t, eps_hat for m
};

// CAVI: the next step's updates. halfsteps with nextUpdatesMu: q(mu) only (Bishop PRML
// 10.26-10.27); halfsteps without: q(tau) only (10.29-10.30); otherwise both, q(mu) first, the
// q(tau) update then using the new q(mu). Results are what updateQMu/updateQTau will set.
std::vector<Equation> gaussianCaviEquations(const MeanFieldQ& q, const NormalGammaPrior& prior,
                                            const GaussianStats& stats, bool halfsteps,
                                            bool nextUpdatesMu);

// Gradient VI: the last step's estimator and optimizer update for m (empty before a step);
// results are the current state (`now`).
std::vector<Equation> gaussianGradientEquations(const GaussianGradientRecord& last,
                                                const MeanFieldQ& now);

}  // namespace vilab
