#pragma once
// The exact reference of a 2-D target, computed once per target change (by the worker, never
// per frame): ln p~ on a tensor grid chosen by the target (Target::quadratureAxes, about
// 256 x 256 nodes), ln Z, the mean and covariance, both 1-D marginals, the weighted points of p
// for forward-KL gradients, and heatmap grids for the views. With ln q at the same nodes (any
// family's logDensity on `nodes`) it gives KL(q||p), KL(p||q) and the exact ELBO by quadrature.
// Every integral is sum_i W_i f(node_i) with W_i the product of the axes' weights (a tensor
// trapezoid rule, uniform or sinh-mapped; exact to within the mass beyond the grid, reported
// as edgeMass, when the grid resolves the densities involved).

#include <Eigen/Core>
#include <array>

#include "core/math/grid_quadrature.hpp"
#include "core/models/targets/target.hpp"

namespace vilab {

struct ReferenceSettings {
  int points = 256;          // quadrature nodes per axis (>= 8)
  int viewPoints = 128;      // heatmap cells per axis (>= 2)
  double prunedMass = 1e-7;  // mass of p the weighted points may leave out
};

// A uniform heatmap over a box: nodes at the cells' centres lo + (i + 1/2) h.
struct DensityView {
  Eigen::Vector4d box = Eigen::Vector4d::Zero();  // [lo0, hi0] x [lo1, hi1]
  Eigen::VectorXd x0, x1;                         // node coordinates along each axis
  Eigen::MatrixXd
      logDensity;  // x1.size() x x0.size(): (j, i) = ln p(x0_i, x1_j), normalized (- ln Z)
};

// The view's nodes as rows (n0 n1 x 2): row i n1 + j is (x0_i, x1_j), so that values at them
// (n0 n1) read as the n1 x n0 image column by column: Eigen::Map<MatrixXd>(values, n1, n0).
// Evaluate q there for its contours; for the constrained view map them with toUnconstrained.
Eigen::MatrixXd viewNodes(const DensityView& view);

// Integrals of one density given by its log at a reference's nodes (unnormalized is fine).
struct GridIntegrals {
  double logMass = 0.0;  // ln sum_i W_i e^{logDensity_i}
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  // marginal[a][i]: the normalized density's marginal along axis a at axes[a].nodes[i].
  std::array<Eigen::VectorXd, 2> marginal;
};

struct TargetReference {
  std::array<QuadratureAxis, 2> axes;  // n0 and n1 nodes
  // N = n0 n1 nodes; row i0 n1 + i1 is (axes[0].nodes[i0], axes[1].nodes[i1]) (axis 1 fastest).
  Eigen::MatrixXd nodes;       // N x 2
  Eigen::VectorXd cellWeight;  // N: W_i = axes[0].weights[i0] axes[1].weights[i1]
  Eigen::VectorXd logDensity;  // N: ln p~(node_i)
  Eigen::VectorXd massWeight;  // N: W_i p(node_i), summing to 1 (expectations under p)
  double logZ = 0.0;
  Eigen::Vector2d mean = Eigen::Vector2d::Zero();
  Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
  std::array<Eigen::VectorXd, 2> marginal;  // p's marginals at each axis's nodes
  double edgeMass = 0.0;  // share of p's mass on the grid's outermost nodes (should be ~0)
  // p as weighted points: the fewest nodes holding all but prunedMass of the mass, weights
  // renormalized to sum 1. -E_p[grad ln q] ~ -sum_n pointWeight_n grad ln q(points_n).
  Eigen::MatrixXd points;           // M x 2
  Eigen::VectorXd pointWeight;      // M
  double pointsLeftOut = 0.0;       // the mass of the nodes left out (<= settings.prunedMass)
  Eigen::VectorXd pointLogDensity;  // M: ln p(points_n) = ln p~ - ln Z
  DensityView view;                 // over target.box()
  bool constrained = false;
  DensityView constrainedView;  // constrained target only: (lambda, theta) over the image of box()
};

// Everything above for `target` (errors: none; a target whose ln p~ is -inf or NaN on every node
// gives a NaN logZ).
TargetReference computeReference(const Target& target, const ReferenceSettings& settings = {});

// Integrals of a density given by ln of it at ref.nodes (N; -inf where it has no mass).
GridIntegrals integrateOnGrid(const TargetReference& ref, const Eigen::VectorXd& logDensity);

// KL(q||p) = sum_i W_i q_i (ln q_i - ln p_i) and KL(p||q) = sum_i W_i p_i (ln p_i - ln q_i), with
// ln p_i = ln p~_i - ln Z and logq (N) q's normalized log density at ref.nodes. Accurate when the
// grid resolves q and holds its mass (integrateOnGrid(ref, logq).logMass ~ 0); KL(p||q) is +inf
// where q underflows to 0 on p's mass. Bishop PRML §1.6.1, eq. 1.113.
double klQP(const TargetReference& ref, const Eigen::VectorXd& logq);
double klPQ(const TargetReference& ref, const Eigen::VectorXd& logq);
// KL(p||q) from ln q at ref.points only (M): sum_n pointWeight_n (ln p_n - ln q_n), within
// ~pointsLeftOut x (ln p - ln q in the tails) of klPQ; for callers that evaluate q at the
// points anyway (the forward-KL gradient) and not on the whole grid.
double klPQAtPoints(const TargetReference& ref, const Eigen::VectorXd& logqAtPoints);
// The exact ELBO: ln Z - KL(q||p) (Blei et al. 2017, eq. 13).
double exactElbo(const TargetReference& ref, const Eigen::VectorXd& logq);

}  // namespace vilab
