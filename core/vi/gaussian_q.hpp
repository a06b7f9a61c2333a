#pragma once
// The mean-field and full-rank Gaussian families behind the Family interface: q = N(m, L L^T)
// with GaussianFamily's parameterization [ m (P) | rho (P), L_jj = exp(rho_j) | L_ij, i > j ],
// its pathwise terms and its scores (core/vi/gaussian_family.hpp). Along the reparameterized
// path z = m + L eps, ln q(z) = -|eps|^2 / 2 - P/2 ln(2 pi) - sum_j rho_j, so the total
// derivative of ln q along the path is -1 on each rho_j and 0 elsewhere.
// const methods use mutable scratch buffers: one object per thread (clone() for another).

#include "core/vi/family.hpp"
#include "core/vi/gaussian_family.hpp"

namespace vilab {

class GaussianQ final : public Family {
 public:
  using Kind = GaussianFamily::Kind;

  // q = N(mean (P), cov (P x P, positive definite)); mean-field keeps cov's diagonal.
  GaussianQ(Kind kind, const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov);
  explicit GaussianQ(const GaussianFamily& gaussian);

  const GaussianFamily& gaussian() const { return m_g; }

  std::unique_ptr<Family> clone() const override;
  std::string name() const override;
  std::string parameterLayout() const override;
  Eigen::Index dim() const override { return m_g.dim(); }
  Eigen::Index parameterCount() const override { return m_g.parameterCount(); }
  const Eigen::VectorXd& parameters() const override { return m_g.parameters(); }
  void setParameters(const Eigen::VectorXd& lambda) override;

  // Both Sampling modes draw the same way (eps row by row from rng, z = m + L eps); weights 1/S,
  // components 0; d.cache is unused.
  void sample(Random& rng, Eigen::Index s, Sampling how, FamilyDraws& d) const override;
  void backward(const FamilyDraws& d, const Eigen::MatrixXd& gz, const Eigen::VectorXd& glogq,
                const Eigen::VectorXd& gweight, Eigen::VectorXd& grad) const override;
  void logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const override;
  bool hasScores() const override { return true; }
  // Scores at fixed x: GaussianFamily::scores with eps = L^-1 (x - m).
  void scores(const Eigen::MatrixXd& x, Eigen::MatrixXd& out) const override;
  bool closedFormMoments(Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const override;

 private:
  GaussianFamily m_g;
  Eigen::MatrixXd m_l;                     // the Cholesky factor of the current lambda
  double m_logNormaliser = 0.0;            // -P/2 ln(2 pi) - sum_j rho_j
  mutable Eigen::MatrixXd m_terms, m_eps;  // scratch for backward() and scores()
};

}  // namespace vilab
