#pragma once
// The planar flow (Rezende & Mohamed 2015, eq. 10-12 and Appendix A.1) on a diagonal Gaussian
// base (flow_family.hpp): L layers
//   f(z) = z + u_hat h(w^T z + b),  h = tanh,  ln|det df/dz| = ln|1 + u_hat^T psi(z)|,
//   psi(z) = h'(w^T z + b) w,
// with the invertibility constraint w^T u_hat >= -1 built in (their A.1):
//   u_hat = u + (m(w^T u) - w^T u) w / ||w||^2,  m(x) = -1 + softplus(x),
// so that w^T u_hat = m(w^T u) > -1 for every finite (u, w) and
//   1 + u_hat^T psi = h^2 + softplus(w^T u) (1 - h^2) > 0,
// which is how the log-determinant is computed (no cancellation as w^T u_hat -> -1).
// Layer parameters, flat: [ u (P) | w (P) | b ]. At w = 0, where u_hat has no limit, the layer
// is read as the translation z + u tanh(b) (so that every finite lambda is valid).
// Inversion: with alpha = w^T z, w^T f(z) = alpha + m(w^T u) tanh(alpha + b) is increasing in
// alpha; alpha is found by Newton's method safeguarded by bisection on the bracket
// [w^T y - |m|, w^T y + |m|], and z = y - u_hat tanh(alpha + b).

#include <cstdint>

#include "core/vi/flow_family.hpp"

namespace vilab {

class PlanarFlow : public FlowFamily {
 public:
  // dim P >= 1, layers L >= 0 (the app uses 1-32), base N(baseMean, diag(baseSd^2)) (P each,
  // baseSd > 0). Each layer starts near the identity, from seed: w = v / rms(baseSd) for a random
  // unit direction v (so w^T z varies by O(1) over the base), u = ln(e - 1) w / ||w||^2 + initScale
  // xi (xi ~ N(0, I)), which makes softplus(w^T u) = 1 up to O(initScale) and so u_hat =
  // O(initScale), and b = -w^T baseMean + N(0, 1/4) (the hyperplane near the base's mean).
  PlanarFlow(Eigen::Index dim, int layers, const Eigen::VectorXd& baseMean,
             const Eigen::VectorXd& baseSd, std::uint64_t seed, double initScale = 0.01);

  std::unique_ptr<Family> clone() const override { return std::make_unique<PlanarFlow>(*this); }
  std::string name() const override;  // "planar flow (L = 8)"
  std::string parameterLayout() const override;

  // Layer k's u_hat (P) and w^T u_hat = m(w^T u) (> -1), for the current parameters.
  Eigen::VectorXd uHat(int k) const;
  double wDotUHat(int k) const;

 protected:
  void parametersChanged() override;
  void layerForward(int k, Eigen::MatrixXd& z, Eigen::VectorXd& logq,
                    Eigen::MatrixXd& cache) const override;
  void layerBackward(int k, const Eigen::MatrixXd& cache, const Eigen::VectorXd& ldBar,
                     Eigen::MatrixXd& zBar, double* grad) const override;
  void layerInverse(int k, Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::VectorXd> logq,
                    Eigen::MatrixXd& scratch) const override;

 private:
  // Per layer (columns): u_hat (P rows), then softplus(w^T u), sigmoid(w^T u), ||w||^2.
  Eigen::MatrixXd m_derived;
  mutable Eigen::VectorXd m_aBar;  // backward(): dF/da per sample (S)
};

}  // namespace vilab
