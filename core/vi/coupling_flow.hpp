#pragma once
// The affine coupling flow (real NVP, Dinh, Sohl-Dickstein & Bengio 2017, sec. 3.2-3.5) on a
// diagonal Gaussian base (flow_family.hpp): L layers, each splitting z into a conditioning part
// x_a and a transformed part x_b, alternating between layers (for P = 2: z_1 conditions z_2 in
// even layers, z_2 conditions z_1 in odd ones; in general the first floor(P/2) coordinates and
// the rest swap roles):
//   y_a = x_a,  y_b = x_b * exp(s(x_a)) + t(x_a)     (their eq. 4-5; the inverse is closed-form)
//   ln|det| = sum_j s_j(x_a)                           (their eq. 6),
// with s and t from one small MLP per layer, H tanh hidden units:
//   g = tanh(W1 x_a + c1),  s = B tanh((Ws g + cs) / B),  t = Wt g + ct.
// The scale is bounded by B = kScaleBound through the tanh (|s| < B, a factor of at most
// e^B per layer and coordinate) so that an unlucky step cannot blow a layer up; near zero
// s = Ws g + cs to first order.
// Layer parameters, flat (da = |x_a|, db = |x_b|): [ W1 (H x da, row by row) | c1 (H) |
//   Ws (db x H, row by row) | cs (db) | Wt (db x H, row by row) | ct (db) ].

#include <cstdint>

#include "core/vi/flow_family.hpp"

namespace vilab {

class CouplingFlow : public FlowFamily {
 public:
  static constexpr double kScaleBound = 2.0;

  // dim P >= 2, layers L >= 0 (the app uses 1-32), hidden H >= 1 tanh units per layer, base
  // N(baseMean, diag(baseSd^2)) (P each, baseSd > 0). From seed: W1 ~ N(0, 1 / (da rms(baseSd)^2)),
  // c1 = -W1 baseMean_a + N(0, 1) (hidden units active over the base), and the output layer
  // (Ws, cs, Wt, ct) ~ N(0, initScale^2): every layer starts within O(initScale) of the identity.
  CouplingFlow(Eigen::Index dim, int layers, const Eigen::VectorXd& baseMean,
               const Eigen::VectorXd& baseSd, std::uint64_t seed, int hidden = 16,
               double initScale = 0.01);

  std::unique_ptr<Family> clone() const override { return std::make_unique<CouplingFlow>(*this); }
  std::string name() const override;  // "affine coupling flow (L = 8)"
  std::string parameterLayout() const override;
  int hidden() const { return m_hidden; }

  // The coordinates that condition (x_a) and that are transformed (x_b) in layer k.
  struct Split {
    Eigen::Index aStart, aSize, bStart, bSize;
  };
  Split split(int k) const;

 protected:
  void layerForward(int k, Eigen::MatrixXd& z, Eigen::VectorXd& logq,
                    Eigen::MatrixXd& cache) const override;
  void layerBackward(int k, const Eigen::MatrixXd& cache, const Eigen::VectorXd& ldBar,
                     Eigen::MatrixXd& zBar, double* grad) const override;
  void layerInverse(int k, Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::VectorXd> logq,
                    Eigen::MatrixXd& scratch) const override;

 private:
  // g = tanh(W1 x_a + c1) into g (rows x H) and s (rows x db) = B tanh((Ws g + cs) / B).
  void hiddenAndScale(int k, const Eigen::Ref<const Eigen::MatrixXd>& x, Eigen::Ref<Eigen::MatrixXd> g,
                      Eigen::Ref<Eigen::MatrixXd> s) const;

  int m_hidden = 16;
  mutable Eigen::MatrixXd m_scratch;  // backward(): dF/d(pre-scale) (S x db), dF/dg (S x H)
};

}  // namespace vilab
