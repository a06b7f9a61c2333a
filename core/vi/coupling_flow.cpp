#include "core/vi/coupling_flow.hpp"

#include <cmath>

#include "core/math/fast_tanh.hpp"

namespace vilab {

namespace {
// Offsets of the blocks inside one layer's parameters.
struct LayerLayout {
  Eigen::Index w1, c1, ws, cs, wt, ct, count;
  LayerLayout(Eigen::Index h, Eigen::Index da, Eigen::Index db)
      : w1(0), c1(h * da), ws(c1 + h), cs(ws + db * h), wt(cs + db), ct(wt + db * h), count(ct + db) {}
};

std::vector<Eigen::Index> layerCounts(Eigen::Index dim, int layers, int hidden) {
  std::vector<Eigen::Index> counts;
  const Eigen::Index first = dim / 2;
  for (int k = 0; k < layers; ++k) {
    const Eigen::Index da = k % 2 == 0 ? first : dim - first;
    counts.push_back(LayerLayout(hidden, da, dim - da).count);
  }
  return counts;
}
}  // namespace

CouplingFlow::CouplingFlow(Eigen::Index dim, int layers, const Eigen::VectorXd& baseMean,
                           const Eigen::VectorXd& baseSd, std::uint64_t seed, int hidden, double initScale)
    : FlowFamily(dim, layerCounts(dim, layers, hidden), baseMean, baseSd), m_hidden(hidden) {
  eigen_assert(dim >= 2 && hidden >= 1);
  Random rng(seed);
  const double rmsSd = std::sqrt(baseSd.squaredNorm() / double(dim));
  Eigen::VectorXd& lambda = mutableParameters();
  for (int k = 0; k < layers; ++k) {
    const Split sp = split(k);
    const LayerLayout at(hidden, sp.aSize, sp.bSize);
    double* q = lambda.data() + layerOffset(k);
    for (Eigen::Index h = 0; h < hidden; ++h) {
      double centre = 0.0;
      for (Eigen::Index i = 0; i < sp.aSize; ++i) {
        const double w = rng.normal() / (std::sqrt(double(sp.aSize)) * rmsSd);
        q[at.w1 + h * sp.aSize + i] = w;
        centre += w * baseMean[sp.aStart + i];
      }
      q[at.c1 + h] = -centre + rng.normal();
    }
    for (Eigen::Index i = at.ws; i < at.count; ++i) q[i] = initScale * rng.normal();
  }
}

std::string CouplingFlow::parameterLayout() const {
  const std::string p = std::to_string(dim());
  return "base m (" + p + ") | base rho (" + p + "), sd_j = exp(rho_j) | per layer: " + "W1 (H x d_a, rows) | c1 (H) | Ws (d_b x H, rows) | cs (d_b) | Wt (d_b x H, rows) | ct (d_b), H = " + std::to_string(hidden());
}

std::string CouplingFlow::name() const { return "affine coupling flow (L = " + std::to_string(layers()) + ")"; }

CouplingFlow::Split CouplingFlow::split(int k) const {
  const Eigen::Index first = dim() / 2;
  if (k % 2 == 0) return {0, first, first, dim() - first};
  return {first, dim() - first, 0, first};
}

void CouplingFlow::hiddenAndScale(int k, const Eigen::Ref<const Eigen::MatrixXd>& x, Eigen::Ref<Eigen::MatrixXd> g,
                                  Eigen::Ref<Eigen::MatrixXd> s) const {
  const Split sp = split(k);
  const LayerLayout at(m_hidden, sp.aSize, sp.bSize);
  const double* q = layerParameters(k);
  const Eigen::Index rows = x.rows();
  for (Eigen::Index h = 0; h < m_hidden; ++h) {
    auto gh = g.col(h).array();
    gh = q[at.c1 + h] + q[at.w1 + h * sp.aSize] * x.col(sp.aStart).array();
    for (Eigen::Index i = 1; i < sp.aSize; ++i) gh += q[at.w1 + h * sp.aSize + i] * x.col(sp.aStart + i).array();
    tanhInPlace(g.col(h).data(), rows);
  }
  for (Eigen::Index j = 0; j < sp.bSize; ++j) {
    auto sj = s.col(j).array();
    const double* ws = q + at.ws + j * m_hidden;
    sj = q[at.cs + j] + ws[0] * g.col(0).array();
    for (Eigen::Index h = 1; h < m_hidden; ++h) sj += ws[h] * g.col(h).array();
    sj *= 1.0 / kScaleBound;
    tanhInPlace(s.col(j).data(), rows);
    sj *= kScaleBound;
  }
}

void CouplingFlow::layerForward(int k, Eigen::MatrixXd& z, Eigen::VectorXd& logq, Eigen::MatrixXd& cache) const {
  const Split sp = split(k);
  const LayerLayout at(m_hidden, sp.aSize, sp.bSize);
  const double* q = layerParameters(k);
  const Eigen::Index rows = z.rows(), p = dim(), hn = m_hidden, db = sp.bSize;
  // cache: [ x = z_{k-1} (P) | g (H) | s (db) | exp(s) (db) ].
  cache.resize(rows, p + hn + 2 * db);
  cache.leftCols(p) = z;
  hiddenAndScale(k, z, cache.middleCols(p, hn), cache.middleCols(p + hn, db));
  cache.middleCols(p + hn + db, db).array() = cache.middleCols(p + hn, db).array().exp();
  for (Eigen::Index j = 0; j < db; ++j) {
    auto yb = z.col(sp.bStart + j).array();
    const double* wt = q + at.wt + j * hn;
    yb = yb * cache.col(p + hn + db + j).array() + q[at.ct + j];
    for (Eigen::Index h = 0; h < hn; ++h) yb += wt[h] * cache.col(p + h).array();
    logq -= cache.col(p + hn + j);
  }
}

void CouplingFlow::layerBackward(int k, const Eigen::MatrixXd& cache, const Eigen::VectorXd& ldBar,
                                 Eigen::MatrixXd& zBar, double* grad) const {
  const Split sp = split(k);
  const LayerLayout at(m_hidden, sp.aSize, sp.bSize);
  const double* q = layerParameters(k);
  const Eigen::Index rows = cache.rows(), p = dim(), hn = m_hidden, db = sp.bSize;
  // scratch: [ dF/d(Ws g + cs) (db) | dF/dg (H) ].
  m_scratch.resize(rows, db + hn);
  auto gBar = m_scratch.middleCols(db, hn);
  gBar.setZero();
  for (Eigen::Index j = 0; j < db; ++j) {
    const Eigen::Index b = sp.bStart + j;
    const auto s = cache.col(p + hn + j).array(), es = cache.col(p + hn + db + j).array();
    // y_b = x_b e^s + t: dF/ds = yBar x_b e^s + ldBar (ln det = sum s), dF/dt = yBar;
    // s = B tanh(r / B): ds/dr = 1 - (s / B)^2.
    auto rBar = m_scratch.col(j).array();
    rBar = (zBar.col(b).array() * cache.col(b).array() * es + ldBar.array()) *
           (1.0 - (s * (1.0 / kScaleBound)).square());
    const double* ws = q + at.ws + j * hn;
    const double* wt = q + at.wt + j * hn;
    for (Eigen::Index h = 0; h < hn; ++h) {
      const auto g = cache.col(p + h);
      grad[at.ws + j * hn + h] += m_scratch.col(j).dot(g);
      grad[at.wt + j * hn + h] += zBar.col(b).dot(g);
      gBar.col(h).array() += ws[h] * rBar + wt[h] * zBar.col(b).array();
    }
    grad[at.cs + j] += rBar.sum();
    grad[at.ct + j] += zBar.col(b).sum();
    zBar.col(b).array() *= es;
  }
  // g = tanh(W1 x_a + c1): dF/d(pre) = gBar (1 - g^2), and x_a feeds both y_a and the MLP.
  for (Eigen::Index h = 0; h < hn; ++h) {
    auto pre = gBar.col(h).array();
    pre *= 1.0 - cache.col(p + h).array().square();
    grad[at.c1 + h] += pre.sum();
    for (Eigen::Index i = 0; i < sp.aSize; ++i) {
      const Eigen::Index a = sp.aStart + i;
      grad[at.w1 + h * sp.aSize + i] += gBar.col(h).dot(cache.col(a));
      zBar.col(a).array() += q[at.w1 + h * sp.aSize + i] * pre;
    }
  }
}

void CouplingFlow::layerInverse(int k, Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::VectorXd> logq,
                                Eigen::MatrixXd& scratch) const {
  const Split sp = split(k);
  const LayerLayout at(m_hidden, sp.aSize, sp.bSize);
  const double* q = layerParameters(k);
  const Eigen::Index rows = y.rows(), hn = m_hidden, db = sp.bSize;
  scratch.resize(rows, hn + db);
  hiddenAndScale(k, y, scratch.leftCols(hn), scratch.middleCols(hn, db));  // x_a = y_a
  for (Eigen::Index j = 0; j < db; ++j) {
    auto xb = y.col(sp.bStart + j).array();
    const double* wt = q + at.wt + j * hn;
    xb -= q[at.ct + j];
    for (Eigen::Index h = 0; h < hn; ++h) xb -= wt[h] * scratch.col(h).array();
    xb *= (-scratch.col(hn + j).array()).exp();
    logq -= scratch.col(hn + j);
  }
}

}  // namespace vilab
