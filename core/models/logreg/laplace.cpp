#include "core/models/logreg/laplace.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <numbers>

namespace vilab {

NewtonIterate evaluateNewton(const LogregLikelihood& likelihood, const LogregPrior& prior, const Eigen::VectorXd& theta) {
  NewtonIterate it;
  it.theta = theta;
  Eigen::MatrixXd h;
  likelihood.gradientHessian(theta, it.gradient, h);
  it.gradient -= (prior.precision.array() * theta.array()).matrix();
  it.precision = -h;
  it.precision.diagonal() += prior.precision;
  it.logJoint = likelihood.logLikelihood(theta) + prior.logDensity(theta);
  it.finite = std::isfinite(it.logJoint) && it.gradient.allFinite();
  return it;
}

NewtonIterate newtonStep(const LogregLikelihood& likelihood, const LogregPrior& prior, const NewtonIterate& current) {
  Eigen::MatrixXd a = current.precision;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(a);
  if (ldlt.info() != Eigen::Success || ldlt.vectorD().minCoeff() <= 0.0) {
    // Singular A (e.g. separable data with a flat direction): a ridge keeps the step finite.
    a.diagonal().array() += 1e-8 * std::max(1.0, a.diagonal().maxCoeff());
    ldlt.compute(a);
  }
  const Eigen::VectorXd direction = ldlt.solve(current.gradient);
  double t = 1.0;
  for (int halving = 0; halving <= 30; ++halving, t *= 0.5) {
    NewtonIterate next = evaluateNewton(likelihood, prior, current.theta + t * direction);
    if (next.finite && next.logJoint >= current.logJoint) return next;
  }
  return current;  // no ascent along the direction: at the optimum to rounding
}

LaplaceFit fitLaplace(const LogregLikelihood& likelihood, const LogregPrior& prior, const Eigen::VectorXd& start,
                      int maxIterations) {
  const Eigen::Index p = likelihood.p();
  NewtonIterate it = evaluateNewton(likelihood, prior, start.size() == p ? start : Eigen::VectorXd::Zero(p));
  LaplaceFit fit;
  for (int k = 0; k < maxIterations; ++k) {
    NewtonIterate next = newtonStep(likelihood, prior, it);
    const double moved = (next.theta - it.theta).norm();
    it = std::move(next);
    fit.iterations = k + 1;
    if (moved <= 1e-10 * (1.0 + it.theta.norm())) {
      fit.converged = true;
      break;
    }
  }
  fit.map = it.theta;
  fit.logJoint = it.logJoint;
  const Eigen::LLT<Eigen::MatrixXd> llt(it.precision);
  fit.covariance = llt.solve(Eigen::MatrixXd::Identity(p, p));
  const double logDetA = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  fit.logEvidence = fit.logJoint + 0.5 * double(p) * std::log(2.0 * std::numbers::pi) - 0.5 * logDetA;
  return fit;
}

}  // namespace vilab
