#pragma once
// The interface of a variational family q_lambda(z) over z in R^P with a flat parameter vector
// lambda: draws by reparameterization z = T_lambda(eps) with ln q along the path, a backward
// pass for the pathwise gradient of any function of the draws, ln q at arbitrary points, and
// (where q has an explicit density in lambda) the scores d ln q(x) / d lambda at fixed points.
// Every objective in core/vi/objectives works through this interface only.

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "core/math/random.hpp"

namespace vilab {

// The draws of one step and what backward() needs. Owned by the caller and reused from step to
// step, so that a step allocates nothing once the sizes settle.
struct FamilyDraws {
  Eigen::MatrixXd eps;        // S x B: base noise (B = P for Gaussians and flows)
  Eigen::MatrixXd z;          // S x P: the draws
  Eigen::VectorXd logq;       // S: ln q(z_s)
  Eigen::VectorXd weight;     // S: weight of draw s in expectations under q (sum 1): 1/S, or
                              // pi_k / S_k for a mixture's stratified draws
  Eigen::VectorXi component;  // S: the mixture component of draw s (0 for other families)
  std::vector<Eigen::MatrixXd> cache;  // family-specific intermediates for backward()
};

enum class Sampling {
  // z_s = T_lambda(eps_s), differentiable by backward(); a mixture draws S/K per component
  // (stratified) with weights pi_k / S_k, so that sum_s weight_s f(z_s) estimates E_q[f] with
  // an exact dependence on the mixture weights.
  Reparameterized,
  // iid draws from q, weights 1/S (score-function estimators; no backward()).
  Ancestral,
};

class Family {
 public:
  virtual ~Family() = default;
  virtual std::unique_ptr<Family> clone() const = 0;

  virtual std::string name() const = 0;  // "mean-field Gaussian", "planar flow (L = 8)", ...
  // What the flat parameters are, in order, e.g. "m (2) | rho (2), sd_j = exp(rho_j)": for files
  // that carry parameters() (--params-out).
  virtual std::string parameterLayout() const = 0;
  virtual Eigen::Index dim() const = 0;  // P
  virtual Eigen::Index parameterCount() const = 0;
  virtual const Eigen::VectorXd& parameters() const = 0;
  // Any finite lambda is valid (constraints are built into the parameterization).
  virtual void setParameters(const Eigen::VectorXd& lambda) = 0;

  // Draws S >= 1 points from rng into d (resizing its buffers only when S changes).
  virtual void sample(Random& rng, Eigen::Index s, Sampling how, FamilyDraws& d) const = 0;

  // Adds to grad (parameterCount()) the total derivative with respect to lambda of
  //   sum_s [ gz_s . z_s + glogq_s ln q(z_s) + gweight_s weight_s ]
  // along the reparameterized path of d (drawn by sample(..., Reparameterized) with the current
  // lambda): z_s = T_lambda(eps_s), ln q(z_s) including its direct dependence on lambda.
  // gz: S x P; glogq, gweight: S.
  virtual void backward(const FamilyDraws& d, const Eigen::MatrixXd& gz,
                        const Eigen::VectorXd& glogq, const Eigen::VectorXd& gweight,
                        Eigen::VectorXd& grad) const = 0;

  // ln q(x_n) for each row of x (N x P); -inf where q has no mass. Flows invert their layers.
  virtual void logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const = 0;

  // True when scores() is available (Gaussians and mixtures; not the flows).
  virtual bool hasScores() const { return false; }
  // out (N x parameterCount()): d ln q_lambda(x_n) / d lambda at the fixed points x (N x P).
  virtual void scores(const Eigen::MatrixXd& /*x*/, Eigen::MatrixXd& /*out*/) const {}

  // q's mean (P) and covariance (P x P) when they have a closed form; false for flows (the
  // caller integrates ln q on a grid instead).
  virtual bool closedFormMoments(Eigen::VectorXd& /*mean*/, Eigen::MatrixXd& /*cov*/) const {
    return false;
  }
};

}  // namespace vilab
