#pragma once
// The constrained target of the ADVI demonstration (Kucukelbir et al. 2017, JMLR 18(14), §2.3):
// a Poisson rate lambda > 0 with a Gamma prior and a Bernoulli probability theta in (0, 1) with
// a Beta prior, each observed dataCount times (data drawn from dataSeed). Its posterior is
// Gamma(a_n, b_n) x Beta(alpha_n, beta_n) (conjugacy, Bishop PRML §2.1, §2.3.6 ex. 2.41).
// q lives in z = T(lambda, theta) = (ln lambda, logit theta); the density there includes the
// log-Jacobian ln |det d(lambda, theta)/dz| = z1 + ln theta (1 - theta).

#include <Eigen/Core>
#include <memory>
#include <vector>

#include "core/models/targets/target.hpp"

namespace vilab {

struct ConstrainedModel {
  // Priors: lambda ~ Gamma(shape a0, rate b0), theta ~ Beta(alpha0, beta0); the data's truth.
  double a0 = 2.0, b0 = 1.0, alpha0 = 2.0, beta0 = 2.0;
  double trueLambda = 3.0, trueTheta = 0.3;
  std::vector<int> counts;     // y_i ~ Poisson(lambda), dataCount of them
  std::vector<int> successes;  // x_i ~ Bernoulli(theta), dataCount of them
  // Posterior parameters and ln p(y, x), the evidence (the unnormalized target is the joint
  // p(y, x, lambda, theta), so ln Z = ln p(y, x)).
  double an = 0.0, bn = 0.0, alphan = 0.0, betan = 0.0, logEvidence = 0.0;
};

// The model of spec.dataCount (>= 0) observations of each kind drawn from spec.dataSeed.
ConstrainedModel constrainedModel(const TargetSpec& spec);

// The target in z: ln p~(z) = ln p(y, x, lambda(z), theta(z)) + z1 + ln theta (1 - theta).
std::unique_ptr<Target> makeConstrainedTarget(const TargetSpec& spec);

// Maps between the spaces, row by row (N x 2 each; out is resized):
// z = (ln lambda, logit theta) -> x = (lambda, theta), and back.
void toConstrained(const Eigen::MatrixXd& z, Eigen::MatrixXd& x);
void toUnconstrained(const Eigen::MatrixXd& x, Eigen::MatrixXd& z);
// ln |det dx/dz| at each row of z (N x 2) into out (N): z1 + ln theta + ln (1 - theta).
void logJacobian(const Eigen::MatrixXd& z, Eigen::VectorXd& out);
// A density on z seen in the constrained space: ln q_x(x(z)) = ln q_z(z) - ln |det dx/dz|, in
// place on logDensityAtZ (N) for the rows of z (N x 2). Works for the target and for any q.
void toConstrainedLogDensity(const Eigen::MatrixXd& z, Eigen::VectorXd& logDensityAtZ);
// The image of a z box [lo0, hi0] x [lo1, hi1] in (lambda, theta).
Eigen::Vector4d constrainedBox(const Eigen::Vector4d& zBox);

}  // namespace vilab
