#include "core/vi/planar_flow.hpp"

#include <array>
#include <cmath>
#include <numbers>

#include "core/math/fast_tanh.hpp"

namespace vilab {

namespace {
// Rows of m_derived after u_hat's P rows.
enum Derived : Eigen::Index { kSoftplus = 0, kSigmoid, kNormSq, kShift, kDerivedCount };

// ln(1 + e^x) and ln(1 + e^-x) - 1 = softplus(x) - 1 - x, both without overflow.
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double softplusShift(double x) { return (x > 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x))) - 1.0; }

// The Newton iteration stops when every row's step is below this (relative to 1 + |alpha|).
constexpr double kInverseTolerance = 1e-13;
constexpr int kMaxInverseIterations = 200;
}  // namespace

PlanarFlow::PlanarFlow(Eigen::Index dim, int layers, const Eigen::VectorXd& baseMean,
                       const Eigen::VectorXd& baseSd, std::uint64_t seed, double initScale)
    : FlowFamily(dim, std::vector<Eigen::Index>(std::size_t(layers), 2 * dim + 1), baseMean, baseSd) {
  Random rng(seed);
  const double rmsSd = std::sqrt(baseSd.squaredNorm() / double(dim));
  const double identityDot = std::log(std::numbers::e - 1.0);  // softplus(x) = 1 at x = ln(e - 1)
  Eigen::VectorXd& lambda = mutableParameters();
  for (int k = 0; k < layers; ++k) {
    Eigen::VectorXd v(dim);
    do {
      for (Eigen::Index j = 0; j < dim; ++j) v[j] = rng.normal();
    } while (v.norm() < 1e-3);
    const Eigen::VectorXd w = v.normalized() / rmsSd;
    auto layer = lambda.segment(layerOffset(k), 2 * dim + 1);
    for (Eigen::Index j = 0; j < dim; ++j) layer[j] = identityDot * w[j] / w.squaredNorm() + initScale * rng.normal();
    layer.segment(dim, dim) = w;
    layer[2 * dim] = -w.dot(baseMean) + 0.5 * rng.normal();
  }
  parametersChanged();
}

std::string PlanarFlow::parameterLayout() const {
  const std::string p = std::to_string(dim());
  return "base m (" + p + ") | base rho (" + p + "), sd_j = exp(rho_j) | per layer: " + "u (" + p + ") | w (" + p + ") | b";
}

std::string PlanarFlow::name() const { return "planar flow (L = " + std::to_string(layers()) + ")"; }

void PlanarFlow::parametersChanged() {
  const Eigen::Index p = dim();
  m_derived.resize(p + kDerivedCount, layers());
  for (int k = 0; k < layers(); ++k) {
    const Eigen::Map<const Eigen::VectorXd> u(layerParameters(k), p), w(layerParameters(k) + p, p);
    const double wu = w.dot(u), n2 = w.squaredNorm();
    auto col = m_derived.col(k);
    if (!(n2 > 0.0)) {
      // w = 0: u_hat has no limit there; read the layer as the translation z + u tanh(b)
      // (w^T u_hat = 0: sp = 1, no shift, no dependence through sp).
      col.head(p) = u;
      col[p + kSoftplus] = 1.0;
      col[p + kSigmoid] = 0.0;
      col[p + kNormSq] = 1.0;
      col[p + kShift] = 0.0;
      continue;
    }
    const double shift = softplusShift(wu);
    col.head(p) = u + (shift / n2) * w;
    col[p + kSoftplus] = softplus(wu);
    col[p + kSigmoid] = 1.0 / (1.0 + std::exp(-wu));
    col[p + kNormSq] = n2;
    col[p + kShift] = shift;
  }
}

Eigen::VectorXd PlanarFlow::uHat(int k) const { return m_derived.col(k).head(dim()); }
double PlanarFlow::wDotUHat(int k) const { return m_derived(dim() + kSoftplus, k) - 1.0; }

void PlanarFlow::layerForward(int k, Eigen::MatrixXd& z, Eigen::VectorXd& logq, Eigen::MatrixXd& cache) const {
  const Eigen::Index s = z.rows(), p = dim();
  const double* w = layerParameters(k) + p;
  const double b = layerParameters(k)[2 * p];
  const auto uHat = m_derived.col(k).head(p);
  const double sp = m_derived(p + kSoftplus, k);
  // cache: [ z_{k-1} (P columns) | h = tanh(w^T z_{k-1} + b) ].
  cache.resize(s, p + 1);
  cache.leftCols(p) = z;
  auto h = cache.col(p).array();
  h = b + w[0] * z.col(0).array();
  for (Eigen::Index j = 1; j < p; ++j) h += w[j] * z.col(j).array();
  tanhInPlace(cache.col(p).data(), s);
  for (Eigen::Index j = 0; j < p; ++j) z.col(j).array() += uHat[j] * h;
  // 1 + u_hat^T psi = 1 + (sp - 1)(1 - h^2) = h^2 + sp (1 - h^2).
  logq.array() -= (h.square() + sp * (1.0 - h.square())).log();
}

void PlanarFlow::layerBackward(int k, const Eigen::MatrixXd& cache, const Eigen::VectorXd& ldBar,
                               Eigen::MatrixXd& zBar, double* grad) const {
  const Eigen::Index s = cache.rows(), p = dim();
  const double* u = layerParameters(k);
  const double* w = u + p;
  const auto col = m_derived.col(k);
  const auto uHat = col.head(p);
  const double sp = col[p + kSoftplus], sig = col[p + kSigmoid], n2 = col[p + kNormSq],
               shift = col[p + kShift];
  const auto h = cache.col(p).array();
  const auto hp = 1.0 - h.square();       // h'(a)
  const auto det = h.square() + sp * hp;  // 1 + u_hat^T psi
  // z_k = z + u_hat h(a), a = w^T z + b, ld = ln det, det = 1 + (sp - 1) h'(a).
  // dF/da = h' (zBar . u_hat) + ldBar d ln det/da, with d det/da = -2 (sp - 1) h h';
  // dF/dsp = sum_s ldBar_s h'_s / det_s; dF/du_hat = sum_s zBar_s h_s.
  m_aBar.resize(s);
  auto aBar = m_aBar.array();
  aBar = uHat[0] * zBar.col(0).array();
  for (Eigen::Index j = 1; j < p; ++j) aBar += uHat[j] * zBar.col(j).array();
  const double spBar = (ldBar.array() * hp / det).sum();
  aBar = hp * (aBar - 2.0 * (sp - 1.0) * ldBar.array() * h / det);
  // The chain through u_hat(u, w) and sp(w^T u) (Appendix A.1): with U = dF/du_hat,
  // c = m(w^T u) - w^T u and sigma = sigmoid(w^T u) = m'(w^T u),
  //   dF/du = U + ((sigma - 1) U.w / |w|^2 + spBar sigma) w,
  //   dF/dw = sum_s aBar_s z_s + ((sigma - 1) U.w / |w|^2 + spBar sigma) u + (c / |w|^2) U
  //           - 2 c (U.w / |w|^4) w.
  double uw = 0.0;
  for (Eigen::Index j = 0; j < p; ++j) uw += zBar.col(j).dot(cache.col(p)) * w[j];
  const double along = (sig - 1.0) * uw / n2 + spBar * sig;
  for (Eigen::Index j = 0; j < p; ++j) {
    const double uHatBar = zBar.col(j).dot(cache.col(p));
    grad[j] += uHatBar + along * w[j];
    grad[p + j] += (aBar * cache.col(j).array()).sum() + along * u[j] + (shift / n2) * uHatBar -
                   2.0 * shift * uw / (n2 * n2) * w[j];
  }
  grad[2 * p] += aBar.sum();
  for (Eigen::Index j = 0; j < p; ++j) zBar.col(j).array() += w[j] * aBar;
}

void PlanarFlow::layerInverse(int k, Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::VectorXd> logq,
                              Eigen::MatrixXd& scratch) const {
  const Eigen::Index n = y.rows(), p = dim();
  const double* w = layerParameters(k) + p;
  const double b = layerParameters(k)[2 * p];
  const auto uHat = m_derived.col(k).head(p);
  const double sp = m_derived(p + kSoftplus, k), m = sp - 1.0;
  scratch.resize(n, 6);
  auto wy = scratch.col(0).array(), alpha = scratch.col(1).array(), lo = scratch.col(2).array(),
       hi = scratch.col(3).array(), t = scratch.col(4).array(), stepBefore = scratch.col(5).array();
  wy = w[0] * y.col(0).array();
  for (Eigen::Index j = 1; j < p; ++j) wy += w[j] * y.col(j).array();
  // Solve g(alpha) = alpha + m tanh(alpha + b) - w^T y = 0, g' = t^2 + sp (1 - t^2) > 0, on the
  // bracket [w^T y - |m|, w^T y + |m|] by Newton's method safeguarded by bisection as in
  // Numerical Recipes' rtsafe (Press et al. 2007, sec. 9.4): bisect when the Newton step leaves
  // the bracket or does not halve the step before last (no cycles, at worst bisection's pace).
  lo = wy - std::abs(m);
  hi = wy + std::abs(m);
  stepBefore = hi - lo;
  t = wy + b;
  tanhInPlace(scratch.col(4).data(), n);
  alpha = wy - m * t;
  // Rows still moving, compacted after every iteration: a few slow rows (bisecting on a wide
  // bracket) do not keep the whole block iterating.
  eigen_assert(n <= kInverseBlockRows);
  std::array<int, kInverseBlockRows> active;
  int activeCount = 0;
  for (Eigen::Index i = 0; i < n; ++i) active[std::size_t(activeCount++)] = int(i);
  double* buffer = scratch.col(4).data();
  for (int it = 0; it < kMaxInverseIterations && activeCount > 0; ++it) {
    for (int r = 0; r < activeCount; ++r) buffer[r] = alpha[active[std::size_t(r)]] + b;
    tanhInPlace(buffer, activeCount);
    int kept = 0;
    for (int r = 0; r < activeCount; ++r) {
      const Eigen::Index i = active[std::size_t(r)];
      const double ti = buffer[r], a = alpha[i];
      const double g = a + m * ti - wy[i];
      if (g == 0.0) continue;
      const double slope = ti * ti + sp * (1.0 - ti * ti);
      if (g < 0) lo[i] = a;
      else hi[i] = a;
      double next = a - g / slope;
      if (!(next > lo[i] && next < hi[i]) || std::abs(2.0 * g) > std::abs(stepBefore[i] * slope)) {
        next = 0.5 * (lo[i] + hi[i]);  // also when the Newton step is NaN
      }
      stepBefore[i] = next - a;
      alpha[i] = next;
      if (std::abs(next - a) > kInverseTolerance * (1.0 + std::abs(a))) active[std::size_t(kept++)] = int(i);
    }
    activeCount = kept;
  }
  t = alpha + b;
  tanhInPlace(scratch.col(4).data(), n);
  for (Eigen::Index j = 0; j < p; ++j) y.col(j).array() -= uHat[j] * t;
  logq.array() -= (t.square() + sp * (1.0 - t.square())).log();
}

}  // namespace vilab
