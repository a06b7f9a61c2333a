#include "core/models/targets/reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/models/targets/constrained.hpp"

namespace vilab {

namespace {

// Cell centres of n cells over [lo, hi].
Eigen::VectorXd cellCentres(double lo, double hi, int n) {
  const double h = (hi - lo) / n;
  return Eigen::VectorXd::LinSpaced(n, lo + 0.5 * h, hi - 0.5 * h);
}

void storeView(DensityView& v, const Eigen::VectorXd& values) {
  v.logDensity = Eigen::Map<const Eigen::MatrixXd>(values.data(), v.x1.size(), v.x0.size());
}

DensityView makeView(const Eigen::Vector4d& box, int n) {
  DensityView v;
  v.box = box;
  v.x0 = cellCentres(box[0], box[1], n);
  v.x1 = cellCentres(box[2], box[3], n);
  return v;
}

// The smallest set of nodes holding all but `leftOut` of the mass: weights binned by their
// binary exponent relative to the largest (one frexp per node, no sort), the lightest bins
// dropped while their total stays within leftOut. Returns the mass dropped.
double prune(const TargetReference& ref, double leftOut, Eigen::MatrixXd& points,
             Eigen::VectorXd& weight, Eigen::VectorXd& logDensity) {
  const Eigen::VectorXd& w = ref.massWeight;
  const double top = w.maxCoeff();
  constexpr int kBins = 1100;  // 2^-1100 is below the smallest double
  std::vector<double> binMass(kBins, 0.0);
  std::vector<int> bin(static_cast<std::size_t>(w.size()), kBins);
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    if (!(w[i] > 0.0)) continue;
    int e = 0;
    std::frexp(w[i] / top, &e);  // w / top in [2^(e-1), 2^e), e <= 1
    const int b = std::clamp(1 - e, 0, kBins - 1);
    bin[static_cast<std::size_t>(i)] = b;
    binMass[static_cast<std::size_t>(b)] += w[i];
  }
  int keep = kBins - 1;  // keep bins 0..keep
  double dropped = 0.0;
  while (keep > 0 && dropped + binMass[static_cast<std::size_t>(keep)] <= leftOut)
    dropped += binMass[static_cast<std::size_t>(keep--)];
  Eigen::Index m = 0;
  for (int b : bin) m += b <= keep;
  points.resize(m, 2);
  weight.resize(m);
  logDensity.resize(m);
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < w.size(); ++i)
    if (bin[static_cast<std::size_t>(i)] <= keep) {
      points.row(k) = ref.nodes.row(i);
      logDensity[k] = ref.logDensity[i] - ref.logZ;
      weight[k++] = w[i];
    }
  weight /= weight.sum();
  return dropped;
}

}  // namespace

Eigen::MatrixXd viewNodes(const DensityView& v) {
  const Eigen::Index n0 = v.x0.size(), n1 = v.x1.size();
  Eigen::MatrixXd z(n0 * n1, 2);
  for (Eigen::Index i = 0; i < n0; ++i)
    for (Eigen::Index j = 0; j < n1; ++j) {
      z(i * n1 + j, 0) = v.x0[i];
      z(i * n1 + j, 1) = v.x1[j];
    }
  return z;
}

GridIntegrals integrateOnGrid(const TargetReference& ref, const Eigen::VectorXd& logDensity) {
  const QuadratureAxis &a0 = ref.axes[0], &a1 = ref.axes[1];
  const Eigen::Index n0 = a0.size(), n1 = a1.size();
  GridIntegrals g;
  const double m = logDensity.maxCoeff();
  if (!std::isfinite(m)) {
    g.logMass = m;
    return g;
  }
  // Sums about the grid's centre c (no cancellation far from 0).
  const double c0 = 0.5 * (a0.nodes[0] + a0.nodes[n0 - 1]),
               c1 = 0.5 * (a1.nodes[0] + a1.nodes[n1 - 1]);
  Eigen::VectorXd row = Eigen::VectorXd::Zero(n0), col = Eigen::VectorXd::Zero(n1);
  double s0 = 0, s1 = 0, s00 = 0, s01 = 0, s11 = 0;
  for (Eigen::Index i0 = 0; i0 < n0; ++i0) {
    const double* ld = logDensity.data() + i0 * n1;
    double r = 0, r1 = 0, r11 = 0;  // this row's sums of u, u t1, u t1^2
    for (Eigen::Index i1 = 0; i1 < n1; ++i1) {
      const double u = a1.weights[i1] * std::exp(ld[i1] - m);
      const double t1 = a1.nodes[i1] - c1;
      r += u;
      r1 += u * t1;
      r11 += u * t1 * t1;
      col[i1] += u * a0.weights[i0];
    }
    const double t0 = a0.nodes[i0] - c0;
    row[i0] = r;  // sum_i1 w1 e^{ld - m}: the marginal along axis 0 up to 1/total
    const double w0 = a0.weights[i0];
    s0 += w0 * r * t0;
    s1 += w0 * r1;
    s00 += w0 * r * t0 * t0;
    s01 += w0 * r1 * t0;
    s11 += w0 * r11;
  }
  const double total = row.dot(a0.weights);
  g.logMass = m + std::log(total);
  const double e0 = s0 / total, e1 = s1 / total;
  g.mean << c0 + e0, c1 + e1;
  g.cov << s00 / total - e0 * e0, s01 / total - e0 * e1, s01 / total - e0 * e1,
      s11 / total - e1 * e1;
  g.marginal[0] = row / total;
  g.marginal[1] = col.cwiseQuotient(a1.weights) / total;
  return g;
}

TargetReference computeReference(const Target& target, const ReferenceSettings& settings) {
  TargetReference ref;
  ref.axes = target.quadratureAxes(settings.points);
  const QuadratureAxis &a0 = ref.axes[0], &a1 = ref.axes[1];
  const Eigen::Index n0 = a0.size(), n1 = a1.size(), n = n0 * n1;
  ref.nodes.resize(n, 2);
  ref.cellWeight.resize(n);
  for (Eigen::Index i0 = 0; i0 < n0; ++i0)
    for (Eigen::Index i1 = 0; i1 < n1; ++i1) {
      const Eigen::Index i = i0 * n1 + i1;
      ref.nodes(i, 0) = a0.nodes[i0];
      ref.nodes(i, 1) = a1.nodes[i1];
      ref.cellWeight[i] = a0.weights[i0] * a1.weights[i1];
    }
  target.logDensity(ref.nodes, ref.logDensity, nullptr);

  GridIntegrals g = integrateOnGrid(ref, ref.logDensity);
  ref.logZ = g.logMass;
  ref.mean = g.mean;
  ref.cov = g.cov;
  ref.marginal = std::move(g.marginal);
  ref.massWeight = (ref.logDensity.array() - ref.logZ).exp() * ref.cellWeight.array();

  double edge = 0.0;
  for (Eigen::Index i0 = 0; i0 < n0; ++i0)
    for (Eigen::Index i1 = 0; i1 < n1; ++i1)
      if (i0 == 0 || i0 == n0 - 1 || i1 == 0 || i1 == n1 - 1) edge += ref.massWeight[i0 * n1 + i1];
  ref.edgeMass = edge;
  if (std::isfinite(ref.logZ))
    ref.pointsLeftOut =
        prune(ref, settings.prunedMass, ref.points, ref.pointWeight, ref.pointLogDensity);

  Eigen::VectorXd values;
  ref.view = makeView(target.box(), settings.viewPoints);
  target.logDensity(viewNodes(ref.view), values, nullptr);
  storeView(ref.view, values.array() - ref.logZ);

  ref.constrained = target.constrained();
  if (ref.constrained) {
    ref.constrainedView = makeView(constrainedBox(target.box()), settings.viewPoints);
    Eigen::MatrixXd z;
    toUnconstrained(viewNodes(ref.constrainedView), z);
    target.logDensity(z, values, nullptr);
    toConstrainedLogDensity(z, values);
    storeView(ref.constrainedView, values.array() - ref.logZ);
  }
  return ref;
}

double klQP(const TargetReference& ref, const Eigen::VectorXd& logq) {
  double kl = 0.0;
  for (Eigen::Index i = 0; i < logq.size(); ++i) {
    const double lq = logq[i];
    if (lq == -std::numeric_limits<double>::infinity()) continue;  // q = 0: no contribution
    kl += ref.cellWeight[i] * std::exp(lq) * (lq - ref.logDensity[i] + ref.logZ);
  }
  return kl;
}

double klPQ(const TargetReference& ref, const Eigen::VectorXd& logq) {
  double kl = 0.0;
  for (Eigen::Index i = 0; i < logq.size(); ++i) {
    const double w = ref.massWeight[i];
    if (w > 0.0) kl += w * (ref.logDensity[i] - ref.logZ - logq[i]);
  }
  return kl;
}

double klPQAtPoints(const TargetReference& ref, const Eigen::VectorXd& logqAtPoints) {
  return ref.pointWeight.dot(ref.pointLogDensity - logqAtPoints);
}

double exactElbo(const TargetReference& ref, const Eigen::VectorXd& logq) {
  return ref.logZ - klQP(ref, logq);
}

}  // namespace vilab
