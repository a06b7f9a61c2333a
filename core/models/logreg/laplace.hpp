#pragma once
// The MAP of Bayesian logistic regression by Newton's method (iteratively reweighted least
// squares, PRML 4.3.3, with the prior's precision added) and the Laplace approximation at it,
// q(theta) = N(theta_MAP, A^-1), A = -Hessian of the log joint (PRML 4.4, eqs. 4.133-4.134), with
// its evidence estimate ln p(y) ~ ln p(y, theta_MAP) + P/2 ln 2 pi - 1/2 ln |A| (eq. 4.137).

#include <Eigen/Core>

#include "core/models/logreg/likelihood.hpp"

namespace vilab {

// One Newton iterate theta_k with the quantities at it.
struct NewtonIterate {
  Eigen::VectorXd theta;     // P
  Eigen::VectorXd gradient;  // P, of the log joint
  Eigen::MatrixXd precision; // P x P, A = -Hessian of the log joint (positive definite when the
                             // prior is proper, else possibly singular)
  double logJoint = 0.0;     // ln p(y, theta)
  bool finite = true;
};

// Evaluates the log joint, its gradient and A at theta.
NewtonIterate evaluateNewton(const LogregLikelihood& likelihood, const LogregPrior& prior,
                             const Eigen::VectorXd& theta);
// One damped Newton step: direction A^-1 g (A regularised by a tiny ridge when singular),
// halved until the log joint does not decrease (at most 30 halvings).
NewtonIterate newtonStep(const LogregLikelihood& likelihood, const LogregPrior& prior,
                         const NewtonIterate& current);

struct LaplaceFit {
  Eigen::VectorXd map;         // theta_MAP (P)
  Eigen::MatrixXd covariance;  // A^-1 (P x P)
  double logJoint = 0.0;       // ln p(y, theta_MAP)
  double logEvidence = 0.0;    // eq. 4.137
  int iterations = 0;
  bool converged = false;      // |step| below 1e-10 (1 + |theta|) within the limit
};

// Newton from `start` (zero by default) for at most maxIterations steps.
LaplaceFit fitLaplace(const LogregLikelihood& likelihood, const LogregPrior& prior,
                      const Eigen::VectorXd& start = Eigen::VectorXd(), int maxIterations = 100);

}  // namespace vilab
