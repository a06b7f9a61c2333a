#pragma once
// A mixture of K full-rank Gaussians, q(z) = sum_k pi_k N(z; m_k, L_k L_k^T), pi = softmax(a).
// Full-rank components (not mean-field): in 2-D they cost 5 parameters instead of 4 and let one
// component fit a tilted mode, which a mean-field mixture could only tile with many components.
// Parameters lambda, flat: [ a (K logits) | component 0 | ... | component K-1 ], each component
// in GaussianFamily's full-rank layout [ m (P) | rho (P) | L_ij, i > j ] (gaussian_family.hpp).
//
// Reparameterized draws are stratified (the ELBO as sum_k pi_k E_{q_k}[...], reparameterized per
// component): S_k = ceil(S / K) draws of each component, so S is rounded up to a multiple of K
// (the draws have K S_k rows), with weight_s = pi_k / S_k; sum_s weight_s f(z_s) is then an
// unbiased estimate of E_q[f] that depends on the logits exactly, through the weights. Ancestral
// draws are iid from q (component by the weights, then the Gaussian), weights 1/S.
// const methods use mutable scratch buffers: one object per thread (clone() for another).

#include <cstdint>
#include <vector>

#include "core/vi/family.hpp"
#include "core/vi/gaussian_family.hpp"

namespace vilab {

class MixtureFamily final : public Family {
 public:
  static constexpr int kMaxComponents = 10;

  // K in [1, kMaxComponents] components with equal weights, each with covariance cov (P x P,
  // positive definite); the means are drawn from N(centre, cov) by Random(seed) (component 0 at
  // the centre when K = 1), so that the components start apart and can find separate modes.
  // Throws std::invalid_argument for K out of range.
  MixtureFamily(int components, const Eigen::VectorXd& centre, const Eigen::MatrixXd& cov,
                std::uint64_t seed);

  int components() const { return m_k; }
  const Eigen::VectorXd& weights() const { return m_pi; }  // pi (K)
  const GaussianFamily& component(int k) const { return m_comp[static_cast<std::size_t>(k)]; }

  std::unique_ptr<Family> clone() const override;
  std::string name() const override;
  std::string parameterLayout() const override;
  Eigen::Index dim() const override { return m_p; }
  Eigen::Index parameterCount() const override { return m_params.size(); }
  const Eigen::VectorXd& parameters() const override { return m_params; }
  void setParameters(const Eigen::VectorXd& lambda) override;

  // d.cache holds [ r (S x K responsibilities pi_j N_j(z_s) / q(z_s)) | u_j = L_j^-1 (z - m_j)
  // (S x P) for each j ].
  void sample(Random& rng, Eigen::Index s, Sampling how, FamilyDraws& d) const override;
  // With ln q the full mixture density: d ln q / dz = -sum_j r_j Sigma_j^-1 (z - m_j) carried
  // along component k(s)'s path, d ln q / d theta_j = r_j (component j's score) for every j, and
  // d ln q / d a_j = r_j - pi_j; the weights pi_k / S_k give d w_s / d a_j = w_s (delta_kj - pi_j).
  void backward(const FamilyDraws& d, const Eigen::MatrixXd& gz, const Eigen::VectorXd& glogq,
                const Eigen::VectorXd& gweight, Eigen::VectorXd& grad) const override;
  void logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const override;
  bool hasScores() const override { return true; }
  // d ln q(x) / d a_j = r_j(x) - pi_j; d ln q(x) / d theta_j = r_j(x) x component j's score.
  void scores(const Eigen::MatrixXd& x, Eigen::MatrixXd& out) const override;
  // mean = sum_k pi_k m_k; cov = sum_k pi_k (Sigma_k + m_k m_k^T) - mean mean^T.
  bool closedFormMoments(Eigen::VectorXd& mean, Eigen::MatrixXd& cov) const override;

 private:
  // ln q of each row of x into logq, and into cache [ r | u_0 | ... | u_{K-1} ].
  void evaluate(const Eigen::MatrixXd& x, std::vector<Eigen::MatrixXd>& cache,
                Eigen::VectorXd& logq) const;
  Eigen::Index offset(int k) const { return m_k + k * m_nc; }

  int m_k = 1;
  Eigen::Index m_p = 0, m_nc = 0;  // dimension, parameters per component
  Eigen::VectorXd m_params;
  Eigen::VectorXd m_pi, m_logPi;
  std::vector<GaussianFamily> m_comp;
  std::vector<Eigen::MatrixXd> m_l;              // Cholesky factors
  Eigen::VectorXd m_logNorm;                     // -P/2 ln(2 pi) - sum_j rho_kj per component
  mutable std::vector<Eigen::MatrixXd> m_cache;  // scratch for logDensity() and scores()
  mutable Eigen::MatrixXd m_g, m_t, m_terms;     // scratch for backward() and scores()
  mutable Eigen::VectorXd m_logq, m_c;
};

}  // namespace vilab
