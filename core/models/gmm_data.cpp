#include "core/models/gmm_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include "core/math/special.hpp"

namespace vilab {

GaussianMixture makeTrueMixture(const MixtureDataSettings& s, int dim, Random& rng) {
  const int k = std::max(1, s.components);
  GaussianMixture m;
  m.weights.resize(k);
  for (int j = 0; j < k; ++j) m.weights(j) = std::pow(1.0 - s.imbalance, j);
  m.weights /= m.weights.sum();
  m.means.setZero(k, dim);
  m.covariances.resize(k);
  const double gap = s.separation * s.spread;
  if (dim == 1) {
    for (int j = 0; j < k; ++j) m.means(j, 0) = (j - 0.5 * (k - 1)) * gap;
  } else if (k > 1) {
    // Neighbours on a circle of radius R are 2 R sin(pi / k) apart.
    const double radius = k == 2 ? 0.5 * gap : gap / (2.0 * std::sin(kPi / k));
    const double turn = 2.0 * kPi * rng.uniform();
    for (int j = 0; j < k; ++j) {
      const double a = turn + 2.0 * kPi * j / k;
      m.means(j, 0) = radius * std::cos(a);
      m.means(j, 1) = radius * std::sin(a);
    }
  }
  for (int j = 0; j < k; ++j) {
    const double sd = s.spread * std::exp(0.2 * rng.normal());
    SmallMatrix& c = m.covariances[j];
    if (dim == 1) {
      c.resize(1, 1);
      c(0, 0) = sd * sd;
    } else if (dim > 2) {
      // Standard deviations log-spaced from sd sqrt(anisotropy) down to sd / sqrt(anisotropy)
      // along the axes of a random rotation (the Q of a Gaussian matrix's QR decomposition).
      Eigen::MatrixXd g(dim, dim);
      for (int a = 0; a < dim; ++a)
        for (int b = 0; b < dim; ++b) g(a, b) = rng.normal();
      const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(g).householderQ();
      Eigen::VectorXd variances(dim);
      for (int a = 0; a < dim; ++a)
        variances(a) = sd * sd * std::pow(s.anisotropy, 1.0 - 2.0 * a / (dim - 1));
      c = q * variances.asDiagonal() * q.transpose();
      c = 0.5 * (c + c.transpose()).eval();
    } else {
      const double ratio = std::sqrt(s.anisotropy);
      const double major = sd * ratio, minor = sd / ratio;
      const double a = kPi * rng.uniform();
      const double co = std::cos(a), si = std::sin(a);
      c.resize(2, 2);
      c(0, 0) = major * major * co * co + minor * minor * si * si;
      c(1, 1) = major * major * si * si + minor * minor * co * co;
      c(0, 1) = c(1, 0) = (major * major - minor * minor) * co * si;
    }
  }
  return m;
}

Eigen::MatrixXd sampleMixture(const GaussianMixture& mixture, int n, Random& rng) {
  const int k = mixture.components(), d = mixture.dim();
  std::vector<SmallMatrix> chol(k);
  for (int j = 0; j < k; ++j) {
    const SmallMatrix& c = mixture.covariances[j];
    chol[j].setZero(d, d);
    chol[j](0, 0) = std::sqrt(c(0, 0));
    if (d == 2) {
      chol[j](1, 0) = c(1, 0) / chol[j](0, 0);
      chol[j](1, 1) = std::sqrt(std::max(0.0, c(1, 1) - chol[j](1, 0) * chol[j](1, 0)));
    } else if (d > 2) {
      chol[j] = Eigen::LLT<SmallMatrix>(c).matrixL();
    }
  }
  Eigen::MatrixXd x(n, d);
  SmallVector z(d);
  for (int i = 0; i < n; ++i) {
    double u = rng.uniform();
    int j = 0;
    while (j < k - 1 && u >= mixture.weights(j)) u -= mixture.weights(j++);
    for (int t = 0; t < d; ++t) z(t) = rng.normal();
    x.row(i) = (mixture.means.row(j).transpose() + chol[j] * z).transpose();
  }
  return x;
}

void mixtureDensity(const GaussianMixture& mixture, const Eigen::MatrixXd& points,
                    Eigen::VectorXd& total, Eigen::MatrixXd* perComponent) {
  const int k = mixture.components(), d = mixture.dim();
  const Eigen::Index m = points.rows();
  total.setZero(m);
  if (perComponent) perComponent->setZero(k, m);
  for (int j = 0; j < k; ++j) {
    const SmallMatrix precision = smallInverse(mixture.covariances[j]);
    const double logNorm = std::log(mixture.weights(j)) - 0.5 * d * kLog2Pi -
                           0.5 * smallLogDeterminant(mixture.covariances[j]);
    Eigen::ArrayXd quad = Eigen::ArrayXd::Zero(m);
    for (int a = 0; a < d; ++a)
      for (int b = 0; b < d; ++b)
        quad += precision(a, b) * (points.col(a).array() - mixture.means(j, a)) *
                (points.col(b).array() - mixture.means(j, b));
    const Eigen::ArrayXd density = (logNorm - 0.5 * quad).exp();
    total.array() += density;
    if (perComponent) perComponent->row(j) = density.transpose();
  }
}

DataSummary summarise(const Eigen::MatrixXd& x) {
  DataSummary s;
  s.n = x.rows();
  s.dim = static_cast<int>(x.cols());
  const int d = s.dim;
  s.mean = x.colwise().mean().transpose();
  s.covariance.setZero(d, d);
  if (s.n > 1) {
    const Eigen::MatrixXd centred = x.rowwise() - s.mean.transpose();
    s.covariance = (centred.transpose() * centred) / double(s.n - 1);
  }
  s.lo = x.colwise().minCoeff().transpose();
  s.hi = x.colwise().maxCoeff().transpose();

  // Duplicates: sort the row indices lexicographically and compare neighbours.
  std::vector<Eigen::Index> order(s.n);
  std::iota(order.begin(), order.end(), 0);
  const auto less = [&](Eigen::Index a, Eigen::Index b) {
    for (int j = 0; j < d; ++j)
      if (x(a, j) != x(b, j)) return x(a, j) < x(b, j);
    return false;
  };
  std::sort(order.begin(), order.end(), less);
  for (std::size_t i = 1; i < order.size(); ++i)
    if (!less(order[i - 1], order[i])) ++s.duplicates;
  s.identical = s.duplicates == s.n - 1;

  // Judged on the correlation matrix, so that columns in very different units (1e9 next to
  // 1e-3) are not mistaken for a line; a constant column (NaN) is singular.
  s.singular = s.identical || !(smallestCorrelationEigenvalue(s.covariance) > kCollinear);
  return s;
}

Eigen::MatrixXd kMeansPlusPlusResponsibilities(const Eigen::MatrixXd& x, int k, Random& rng) {
  const Eigen::Index n = x.rows();
  Eigen::MatrixXd seeds(k, x.cols());
  Eigen::VectorXd nearest = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::infinity());
  for (int c = 0; c < k; ++c) {
    Eigen::Index pick = 0;
    const double total = c == 0 ? 0.0 : nearest.sum();
    if (c == 0 || !(total > 0.0)) {
      pick = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
    } else {
      double u = rng.uniform() * total;
      while (pick < n - 1 && u >= nearest(pick)) u -= nearest(pick++);
    }
    seeds.row(c) = x.row(pick);
    nearest = nearest.cwiseMin((x.rowwise() - seeds.row(c)).rowwise().squaredNorm());
  }
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(n, k);
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Index best;
    (seeds.rowwise() - x.row(i)).rowwise().squaredNorm().minCoeff(&best);
    r(i, best) = 1.0;
  }
  return r;
}

Eigen::MatrixXd randomResponsibilities(Eigen::Index n, int k, Random& rng) {
  Eigen::MatrixXd r(n, k);
  for (Eigen::Index i = 0; i < n; ++i)
    for (int c = 0; c < k; ++c) r(i, c) = rng.uniformOpen();
  r.array().colwise() /= r.rowwise().sum().array();
  return r;
}

}  // namespace vilab
