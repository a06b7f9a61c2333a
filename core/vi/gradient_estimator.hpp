#pragma once
// What the Monte Carlo gradients of variational objectives are built from: the choice of
// estimator and the batched log density they differentiate (shared by gaussian_family and the
// objectives over any Family, core/vi/objectives.hpp).

#include <Eigen/Core>
#include <functional>

namespace vilab {

// Reparam: the pathwise gradient through z = T_lambda(eps) (Kingma & Welling 2014); Score: the
// score-function (REINFORCE) gradient E_q[f grad ln q] (Williams 1992; Ranganath et al. 2014).
enum class GradientEstimator { Reparam, Score };

// f for S points at once: values (S) and, when `gradients` is not null, gradients (S x P).
using BatchLogDensity = std::function<void(const Eigen::MatrixXd& z, Eigen::VectorXd& values,
                                           Eigen::MatrixXd* gradients)>;

}  // namespace vilab
