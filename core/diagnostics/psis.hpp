#pragma once
// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao & Gabry 2024, "Pareto
// smoothed importance sampling", JMLR 25(72), section 3 and algorithm 1) and its k-hat
// diagnostic read for variational inference as in Yao, Vehtari, Simpson & Gelman 2018 ("Yes,
// but did it work?", ICML): with draws z_s ~ q and log ratios ln r_s = ln p~(z_s) - ln q(z_s)
// (p~ unnormalized), the M = min(S/5, 3 sqrt(S)) largest ratios are fitted by a generalized
// Pareto (core/diagnostics/generalized_pareto.hpp) above the largest ratio left out; its shape
// is k-hat, and the tail ratios are replaced by the fitted quantiles at (i - 1/2) / M,
// i = 1..M, truncated at the largest raw ratio. k-hat < 0.5: q is a good importance proposal
// (and a good fit); 0.5..0.7: usable; > 0.7: the ratios' variance is effectively infinite and
// neither IS nor q's moments can be trusted.

#include <Eigen/Core>

namespace vilab {

struct PsisResult {
  // The Pareto shape of the ratios' tail. NaN when it cannot be estimated: fewer than 5 tail
  // draws (S < 25), or invalid input (see below). -infinity when the M largest ratios are all
  // equal (to 1e-9 in ln r): then q matches p on its tail (q = p up to rounding) and no
  // smoothing is done.
  double khat = 0.0;
  // S smoothed, self-normalized log weights (logsumexp = 0), in the order of the input; a
  // monotone map of the log ratios (a larger ratio never gets a smaller weight). All NaN on
  // invalid input.
  Eigen::VectorXd logWeights;
  int tailLength = 0;  // M (0 when no tail was fitted)
  double sigma = 0.0;  // the fitted scale, in units of the largest raw ratio
  // Effective sample size of the smoothed weights, 1 / sum w_s^2 (Kong 1992), in draws.
  double effectiveSampleSize = 0.0;
};

// logRatios: S >= 1 values ln p~(z_s) - ln q(z_s); -infinity (p~ = 0) is allowed, NaN and
// +infinity are invalid (khat NaN, weights NaN), as is a vector with every entry -infinity.
PsisResult paretoSmoothedImportanceSampling(const Eigen::Ref<const Eigen::VectorXd>& logRatios);

// The usual reading of k-hat (Vehtari et al. 2024, section 3.2; Yao et al. 2018).
enum class ParetoKReading {
  Good,        // k-hat < 0.5
  Usable,      // 0.5 <= k-hat <= 0.7
  Unreliable,  // k-hat > 0.7, or NaN (not estimated)
};
ParetoKReading readParetoK(double khat);
// "good", "usable" or "unreliable".
const char* paretoKReadingName(ParetoKReading reading);

}  // namespace vilab
