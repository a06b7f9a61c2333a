#pragma once
// Black-box VI for the lecture's 1-D Gaussian mixture: x_n ~ sum_k (1/K) N(mu_k, sigma_k^2) with
// the assignments summed out, a normal prior on each mean and a log-normal prior on each variance
// (v_k = ln sigma_k^2 normal), and a mean-field Gaussian q over every mu_k and v_k. The ELBO and
// its gradient are Monte Carlo estimates from S samples of q, by the reparameterisation
// (pathwise) or the score-function (REINFORCE) estimator. Works on standardised data; the model
// converts to data units.

#include <Eigen/Core>

#include "core/math/random.hpp"
#include "core/models/gmm_kernel.hpp"

namespace vilab {

enum class BbviEstimator { Reparam, Score };

// Priors in standardised units: mu_k ~ N(0, meanSd^2), v_k = ln sigma_k^2 ~ N(logVarMean,
// logVarSd^2).
struct BbviPrior {
  double meanSd = 1.0;
  double logVarMean = -2.0;
  double logVarSd = 1.0;
};

// The variational parameters phi (length 4K), in this order: the means of q(mu_k), ln of their
// standard deviations, the means of q(v_k), ln of their standard deviations.
struct BbviLayout {
  int k;
  Eigen::Index muMean(int c) const { return c; }
  Eigen::Index muLogSd(int c) const { return k + c; }
  Eigen::Index vMean(int c) const { return 2 * k + c; }
  Eigen::Index vLogSd(int c) const { return 3 * k + c; }
};

class BbviObjective {
 public:
  // The 1-D standardised data (N x 1), kept as its quadratic features about 0. Owned here, not
  // pointed to, so that a copy of the objective (a model's clone) stands alone.
  void setData(const Eigen::MatrixXd& standardised);
  const QuadraticFeatures& features() const { return m_features; }
  void configure(int k, const BbviPrior& prior);
  void setPrior(const BbviPrior& prior) { m_prior = prior; }
  int components() const { return m_k; }

  // ln p(x, mu, v) for z = (mu_1..mu_K, v_1..v_K), and its gradient with respect to z.
  double logJoint(const Eigen::VectorXd& z, Eigen::VectorXd* gradient);

  // H[q] = sum over the 2K Gaussians of (1/2) ln(2 pi e) + ln sd; d H / d ln sd = 1.
  static double entropy(const Eigen::VectorXd& phi);

  struct Estimate {
    Eigen::VectorXd gradient;  // d ELBO / d phi, length 4K
    double elbo = 0.0;         // mean of ln p(x, z_s) over the samples, plus H[q]
  };
  // Reparam: z = m + sd eps, gradient mean_s d ln p/dz (1, sd eps) plus dH. Score: mean_s of
  // d ln q(z_s)/d phi (f_s - b_s), f = ln p - ln q, with b_s the mean f of the other samples
  // when baseline is on and S >= 2 (else 0). Draws 2K normals per sample from rng.
  void estimate(const Eigen::VectorXd& phi, BbviEstimator estimator, bool baseline, int samples,
                Random& rng, Estimate& out);

  // The last estimate's draws (for the live equations): eps (2K x S, rows 0..K-1 for the
  // means), d ln p / dz per sample (2K x S, reparam only) and f_s = ln p - ln q (S).
  const Eigen::MatrixXd& noise() const { return m_noise; }
  const Eigen::MatrixXd& sampleGradients() const { return m_sampleGrad; }
  const Eigen::VectorXd& sampleObjectives() const { return m_f; }

  // Log-likelihood sum_n ln sum_k (1/K) N(x_n | means_k, variances_k) and, if r is given, the
  // responsibilities (N x K).
  double plugInLogLikelihood(const Eigen::VectorXd& means, const Eigen::VectorXd& variances,
                             Eigen::MatrixXd* r);

  // Initial q from (standardised) statistics: means xbar_k, v = ln max(S_k, 0.01); an empty
  // component starts at the prior's centre; every sd starts at 0.1.
  static Eigen::VectorXd initialPhi(const ComponentStats& stats, const BbviPrior& prior);

 private:
  void fillCoefficients(Eigen::Ref<const Eigen::VectorXd> means,
                        Eigen::Ref<const Eigen::VectorXd> logVariances);

  QuadraticFeatures m_features;
  BbviPrior m_prior;
  int m_k = 1;
  ResponsibilityPass m_pass;
  GaussianScores m_scores;
  Eigen::MatrixXd m_noise, m_sampleGrad;
  Eigen::VectorXd m_z, m_g, m_f, m_logVariances;
  PassTotals m_totals;
};

}  // namespace vilab
