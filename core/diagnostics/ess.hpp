#pragma once
// Effective sample size of one Markov chain, per coordinate: N / tau with the integrated
// autocorrelation time tau = -1 + 2 sum_k P_k (+ the next even lag's autocorrelation when
// positive), P_k = rho_2k + rho_2k+1 summed over Geyer's (1992) initial positive sequence and
// made monotone (initial monotone sequence), as in Stan and Vehtari, Gelman, Simpson, Carpenter &
// Buerkner 2021 (Bayesian Analysis 16(2), eqs. 10-11, with one chain). Autocovariances by FFT
// (zero-padded to a power of two >= 2N), so the cost is O(N log N) however slowly the chain mixes.
// tau is bounded below by 1 / log10(N) (Stan's cap: ESS <= N log10 N for antithetic chains).

#include <Eigen/Core>

namespace vilab {

// draws: N values of one scalar in chain order. Returns the ESS in draws (may exceed N for an
// antithetic chain); NaN when N < 4; 1 when every draw is the same (a chain that never moved).
double effectiveSampleSize(const Eigen::Ref<const Eigen::VectorXd>& draws);

// draws: N x P, one row per iteration. Returns P effective sample sizes, one per column.
Eigen::VectorXd effectiveSampleSizes(const Eigen::Ref<const Eigen::MatrixXd>& draws);

}  // namespace vilab
