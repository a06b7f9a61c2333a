#pragma once
// The live equations of the Gaussian-mixture lab (core/equation.hpp), for one representative
// component k and data point n rather than all N x K of them: k is the heaviest component under
// the current responsibilities (largest N_k), n the point whose r_nk is nearest 1/2 (the one
// most shared between k and the others). Vectors show their first coordinate.
//   CAVI (Bishop PRML 10.2): the M-step of q(pi), q(mu_k, Lambda_k) (10.51-10.52, 10.58,
//     10.60-10.61, 10.63), then the E-step's r_nk (10.46, 10.49, 10.64-10.66) under the new q.
//   EM (PRML 9.2.2): the M-step pi_k, mu_k, Sigma_k (9.24-9.27), then the E-step's gamma(z_nk)
//     (9.23) at the new parameters. Both When::Next: results are what the next step sets.
//   BBVI: the last step's estimate of dELBO/dm_k with its first sample, and Adam's step
//     (When::Last; results are the current state).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/equation.hpp"
#include "core/models/gmm_cavi.hpp"
#include "core/models/gmm_data.hpp"
#include "core/models/gmm_kernel.hpp"

namespace vilab {

struct GmmShown {
  int point = 0, component = 0;  // 0-based
};
// r: N x K responsibilities (N, K >= 1).
GmmShown gmmShownPair(const Eigen::MatrixXd& r);

// stats: from the current responsibilities (what the next M-step uses); next: q after that
// M-step; x: the data (N x D).
std::vector<Equation> gmmCaviEquations(const NormalWishartPrior& prior, const ComponentStats& stats,
                                       const BayesianGmmPosterior& next, const Eigen::MatrixXd& x,
                                       GmmShown shown, const std::string& highlight);

// stats: from the current responsibilities; next: the mixture after the M-step (emUpdate).
std::vector<Equation> gmmEmEquations(const ComponentStats& stats, double regCovar,
                                     const GaussianMixture& next, const Eigen::MatrixXd& x,
                                     GmmShown shown, const std::string& highlight);

// What one BBVI step drew and did for component k (standardised units).
struct GmmBbviRecord {
  bool valid = false;
  bool reparam = true;
  int samples = 1, component = 0;
  double mean = 0.0, sd = 0.0;  // q(mu_k) before the step: m_k, sigma_k
  double eps = 0.0;             // the first sample's eps for mu_k
  double dLogP = 0.0;           // reparam: d ln p(x, z_1)/d mu_k
  double f = 0.0, baseline = 0.0;  // score: f_1 = ln p - ln q and its baseline b_1
  double gradient = 0.0;        // the estimate of dELBO/dm_k over the S samples
  double alpha = 0.0, first = 0.0, second = 0.0, epsilonHat = 0.0;  // Adam
};
// meanNow: m_k after the step.
std::vector<Equation> gmmBbviEquations(const GmmBbviRecord& last, double meanNow,
                                       const std::string& highlight);

}  // namespace vilab
