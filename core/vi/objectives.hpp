#pragma once
// Variational objectives over any Family (core/vi/family.hpp) for an unnormalized target
// ln p~(z), and their Monte Carlo gradients (for ascent) with respect to q's parameters lambda:
//   KlQp:  the ELBO E_q[ln p~ - ln q] = ln Z - KL(q || p) (Blei, Kucukelbir & McAuliffe
//          2017); the reparameterization gradient through Family::backward, or the
//          score-function gradient E_q[(ln p~ - ln q) grad ln q] with the baselines of
//          core/estimators/score_function.hpp (Ranganath et al. 2014) from Ancestral draws;
//   KlPq:  E_p[ln q] = -KL(p || q) - H[p], with gradient E_p[grad ln q(x)] at fixed points: by the
//          exact target on a grid (WeightedPoints), or by self-normalized importance sampling
//          from q, sum_s w^_s grad ln q(z_s), w^ proportional to p~/q (noisy and biased, shown as
//          such). Needs Family::scores(); the GradientEstimator setting does not apply;
//   Renyi: the variational Renyi bound L_alpha = 1/(1 - alpha) ln E_q[(p~/q)^(1 - alpha)]
//          (Li & Turner 2016, the VR bound), estimated from S draws as 1/(1 - alpha) ln sum_s
//          weight_s w_s^(1 - alpha), w_s = p~(z_s)/q(z_s), with the reparameterization gradient
//          sum_s w^_s grad ln w_s, w^_s proportional to weight_s w_s^(1 - alpha) (Li & Turner
//          2016); alpha = 1 is the ELBO (the limit, taken exactly), alpha = 0 the IWAE bound with K
//          = S;
//   Iwae:  the importance-weighted bound ln (1/K sum_k w_k) (Burda, Grosse & Salakhutdinov
//          2016) with K = iwaeK draws per bound, averaged over `samples` independent
//          bounds; its gradient is the Renyi alpha = 0 gradient of each bound.
// With a mixture q the reparameterized draws are stratified (weights pi_k / S_k, S rounded up to
// a multiple of K components, mixture_family.hpp): the ELBO and the Renyi bound use the weights,
// and each IWAE bound is its own stratified set of draws (iwaeK rounded up likewise); its
// logWeights() are then those of stratified, not iid, draws. Other families draw IWAE bound 0,
// then the other bounds in one call (rows in blocks of iwaeK).
// Not thread-safe: an estimator, like a family, belongs to one thread (families keep scratch).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/estimators/score_function.hpp"
#include "core/math/grid_quadrature.hpp"
#include "core/vi/family.hpp"
#include "core/vi/gradient_estimator.hpp"

namespace vilab {

enum class Objective { KlQp, KlPq, Renyi, Iwae };

struct ObjectiveSettings {
  Objective objective = Objective::KlQp;
  double alpha = 0.5;  // Renyi's alpha, any finite value (alpha = 1: the ELBO)
  int iwaeK = 10;      // IWAE: draws per bound, >= 1
  GradientEstimator estimator = GradientEstimator::Reparam;  // KlQp: reparam or score
  ScoreBaseline baseline = ScoreBaseline::None;              // score function only
  int samples = 16;            // S >= 1: draws per step (IWAE: the number of bounds averaged)
  bool forwardBySnis = false;  // KlPq: importance sampling from q instead of the reference grid
};

// Points x (N x P) with weights w (N, sum 1): the exact normalized target on the quadrature
// grid, pruned to the nodes of non-negligible mass, for KL(p || q).
struct WeightedPoints {
  Eigen::MatrixXd x;
  Eigen::VectorXd w;
};

// The normalized density on grid's nodes from its log, possibly unnormalized (grid.size()
// values, GridQuadrature's node order), keeping the nodes whose density is at least cutoff x the
// peak's: the mass dropped is below cutoff x (peak density x cell volume) x the nodes dropped.
// w sums to 1. Meant to be computed when the target changes, not per step.
WeightedPoints weightedGridPoints(const GridQuadrature& grid, const std::vector<double>& logDensity,
                                  double cutoff = 1e-12);

struct ObjectiveStep {
  double value = 0.0;        // the objective's estimate (nats; see the header comment)
  Eigen::VectorXd gradient;  // parameterCount(): its gradient, for ascent
};

// Empty when the settings can be estimated for q; otherwise one sentence saying why not (the
// score function or forward KL without scores, score function with Renyi/IWAE, a count below 1,
// a non-finite alpha, forward KL by the grid without reference points).
std::string unsupportedReason(const Family& q, const ObjectiveSettings& settings,
                              bool haveReference = true);

// One step's estimate and gradient; keeps every buffer, so that a step allocates nothing once the
// sizes settle (only the family and the target's callback may).
class ObjectiveEstimator {
 public:
  // Draws from rng, evaluates logp (ln p~ of each row of z, with its gradient S x P when asked)
  // and returns the estimate. reference: the exact target's points for KlPq by the grid (may be
  // null otherwise). Throws std::invalid_argument with unsupportedReason() when not supported.
  // KlPq also draws S Ancestral points of q, for the views and logWeights().
  const ObjectiveStep& step(const Family& q, const BatchLogDensity& logp,
                            const ObjectiveSettings& settings, Random& rng,
                            const WeightedPoints* reference);

  // The last step's draws: one block; for IWAE two (bound 0, then the others in blocks of
  // iwaeK rows), or one per bound for a stratified family.
  int drawBlocks() const { return m_blocks; }
  const FamilyDraws& draws(int block = 0) const { return m_draws[static_cast<std::size_t>(block)]; }
  // ln p~(z_s) - ln q(z_s) of every draw of the last step, blocks in order (for PSIS k-hat).
  const Eigen::VectorXd& logWeights() const { return m_logw; }

 private:
  // One FamilyDraws' buffers: ln p~ and its gradient, and the inputs of backward().
  struct Block {
    Eigen::VectorXd lp, glogq, gweight, what, f;
    Eigen::MatrixXd glp, gz;
  };
  // Fills rows [start, start + n) of b's backward() inputs with scale x the derivatives of the
  // Renyi bound of those rows of d (alpha = 1: the ELBO) and returns the bound; logw: ln w_s of
  // every row of d.
  double renyiTerms(const FamilyDraws& d, Block& b, const Eigen::Ref<const Eigen::VectorXd>& logw,
                    Eigen::Index start, Eigen::Index n, double alpha, double scale);
  double forwardKl(const Family& q, const ObjectiveSettings& settings,
                   const WeightedPoints* reference);
  double scoreFunctionElbo(const Family& q, const ObjectiveSettings& settings);

  ObjectiveStep m_step;
  std::vector<FamilyDraws> m_draws;  // kept apart per block so that sizes settle
  std::vector<Block> m_buffers;
  int m_blocks = 0;
  Eigen::VectorXd m_logw, m_lq, m_what, m_f;
  Eigen::MatrixXd m_scores, m_terms;
};

}  // namespace vilab
