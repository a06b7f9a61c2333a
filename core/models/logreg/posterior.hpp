#pragma once
// The exact posterior of Bayesian logistic regression, for the views and the oracles: with at
// most three parameters (w_1, w_2, b) by quadrature on a regular grid placed from the Laplace fit
// (log evidence, moments, 2-D marginals); with more, by a long HMC run (moments, samples).

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "core/math/grid_quadrature.hpp"
#include "core/models/logreg/laplace.hpp"
#include "core/models/logreg/likelihood.hpp"

namespace vilab {

struct LogregPosterior {
  bool byQuadrature = true;
  // Quadrature: the grid and ln p(y, theta) on it (P <= 3).
  GridQuadrature grid;
  std::vector<double> logJoint;  // ln p(y, theta) on the grid's nodes (grid.size())
  double logEvidence = 0.0;  // ln p(y | X), NaN with HMC
  // Both: the posterior mean (P) and covariance (P x P).
  Eigen::VectorXd mean;
  Eigen::MatrixXd cov;
  // HMC: samples (M x P) and the mean acceptance rate of the kept iterations.
  Eigen::MatrixXd samples;
  double acceptance = 0.0;
};

struct ExactSettings {
  int gridPoints = 64;   // per axis
  int hmcSamples = 2000;
  std::uint64_t seed = 1;
};

// Quadrature when P <= 3, else HMC started at the MAP with the Laplace covariance as mass matrix.
// The grid spans the MAP +- 7 Laplace standard deviations per axis, widened (up to 4 times, by
// 1.5) while the density on a face exceeds 1e-6 of its peak.
LogregPosterior computeExactPosterior(const LogregLikelihood& likelihood, const LogregPrior& prior,
                                      const LaplaceFit& laplace, const ExactSettings& settings);

// The log joint on every point of a grid over P = 2 or 3 parameters (the hot loop of the
// quadrature): out[i] = ln p(y, theta_i), theta_i the grid's i-th point (GridQuadrature order).
void logJointOnGrid(const LogregLikelihood& likelihood, const LogregPrior& prior,
                    const GridQuadrature& grid, std::vector<double>& out);

}  // namespace vilab
