#pragma once
// Normalizing flows on a learnable diagonal Gaussian base (Rezende & Mohamed 2015, sec. 3):
//   z_0 = m + s * eps (elementwise), eps ~ N(0, I_P), s = exp(rho);  z_k = f_k(z_{k-1}), k = 1..L;
//   ln q(z_L) = ln N(eps; 0, I) - sum_j rho_j - sum_k ln |det df_k/dz (z_{k-1})|   (their eq. 7).
// This class owns the base, the parameter vector and the three passes over the layers: drawing
// (forward), the reverse pass for backward() and the layer-by-layer inversion for logDensity().
// A flow kind (planar_flow.hpp, coupling_flow.hpp) supplies one layer's forward, backward and
// inverse on a batch of rows, each working column by column so that loops run over samples.
// Parameters, flat: lambda = [ m (P) | rho (P) | layer 1 | ... | layer L ] (layer layouts in the
// flow kinds' headers). Reparameterized and ancestral draws are the same (weights 1/S).
// backward() reuses scratch buffers held by the object: do not call it concurrently on one
// object (each worker owns its family; clone() for another thread).

#include <Eigen/Core>
#include <vector>

#include "core/vi/family.hpp"

namespace vilab {

class FlowFamily : public Family {
 public:
  Eigen::Index dim() const override { return m_dim; }
  Eigen::Index parameterCount() const override { return m_params.size(); }
  const Eigen::VectorXd& parameters() const override { return m_params; }
  // lambda: parameterCount() finite values.
  void setParameters(const Eigen::VectorXd& lambda) override;

  int layers() const { return int(m_layerOffsets.size()) - 1; }
  // Offset in lambda of layer k's parameters (0 <= k < L) and their number.
  Eigen::Index layerOffset(int k) const { return m_layerOffsets[std::size_t(k)]; }
  Eigen::Index layerParameterCount(int k) const {
    return m_layerOffsets[std::size_t(k) + 1] - m_layerOffsets[std::size_t(k)];
  }
  Eigen::VectorXd baseMean() const { return m_params.head(m_dim); }
  Eigen::VectorXd baseSd() const { return m_params.segment(m_dim, m_dim).array().exp(); }

  // Draws eps (S x P, standard normal, row by row from rng), pushes them through the base and
  // the layers; d.cache holds one matrix per layer for backward(). how is ignored (the same draws).
  void sample(Random& rng, Eigen::Index s, Sampling how, FamilyDraws& d) const override;
  // The same for given base noise eps (S x P): d.eps = eps, d.z = T_lambda(eps), d.logq, ...
  void transform(const Eigen::MatrixXd& eps, FamilyDraws& d) const;
  // Family::backward: reverse pass through the layers (from d.cache) and the base. gweight is
  // ignored (the weights 1/S do not depend on lambda).
  void backward(const FamilyDraws& d, const Eigen::MatrixXd& gz, const Eigen::VectorXd& glogq,
                const Eigen::VectorXd& gweight, Eigen::VectorXd& grad) const override;
  // ln q(x_n) for x (N x P): each layer inverted, last to first; -inf for rows with an infinite
  // coordinate, NaN for rows with a NaN.
  void logDensity(const Eigen::MatrixXd& x, Eigen::VectorXd& out) const override;

 protected:
  // layerCounts[k]: the number of parameters of layer k. baseMean (P) and baseSd (P, > 0) set
  // m and rho = ln s; the layers' parameters start at zero for the flow kind to initialise.
  FlowFamily(Eigen::Index dim, const std::vector<Eigen::Index>& layerCounts,
             const Eigen::VectorXd& baseMean, const Eigen::VectorXd& baseSd);

  Eigen::VectorXd& mutableParameters() { return m_params; }
  // Called after every change of the parameters (derived constants of the layers, e.g. u_hat).
  virtual void parametersChanged() {}

  // Layer k (0-based) on the batch z (S x P), in place z <- f_k(z); logq (S) -= ln|det J_k|.
  // cache: the layer's own intermediates for layerBackward (resized by the layer; no allocation
  // once S settles).
  virtual void layerForward(int k, Eigen::MatrixXd& z, Eigen::VectorXd& logq,
                            Eigen::MatrixXd& cache) const = 0;
  // Reverse pass through layer k for F = sum_s [zBar_s . z_k,s + ldBar_s ln|det J_k|(z_k-1,s)]
  // + (terms in z_k only): on entry zBar (S x P) is dF/dz_k; on exit dF/dz_{k-1}. Adds dF/d
  // (layer k's parameters) to grad (layerParameterCount(k) entries).
  virtual void layerBackward(int k, const Eigen::MatrixXd& cache, const Eigen::VectorXd& ldBar,
                             Eigen::MatrixXd& zBar, double* grad) const = 0;
  // Inverse of layer k on the rows of y (n x P, n <= kInverseBlockRows), in place
  // y <- f_k^-1(y); logq (n) -= ln|det J_k| at the pre-image. scratch: the layer's working space
  // (resized as needed).
  static constexpr Eigen::Index kInverseBlockRows = 256;
  virtual void layerInverse(int k, Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::VectorXd> logq,
                            Eigen::MatrixXd& scratch) const = 0;

  const double* layerParameters(int k) const { return m_params.data() + layerOffset(k); }

 private:
  // z, ln q, weights and the layers' caches of the base noise in d.eps.
  void pushForward(FamilyDraws& d) const;

  Eigen::Index m_dim = 0;
  Eigen::VectorXd m_params;
  std::vector<Eigen::Index> m_layerOffsets;  // L + 1 entries: offset of layer k, then the total
  // backward()'s reverse-pass buffers: dF/dz_k (S x P) and dF/d ln|det J_k| (S).
  mutable Eigen::MatrixXd m_zBar;
  mutable Eigen::VectorXd m_ldBar;
};

}  // namespace vilab
