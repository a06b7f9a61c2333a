#include "core/models/fa_data.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/data/data_range.hpp"
#include "core/math/random.hpp"

namespace vilab {

namespace {

// Correlations closer to +-1 than this mark a pair of coordinates as collinear.
constexpr double kCollinear = 1e-10;
// A column whose spread is below this fraction of its largest magnitude varies only by rounding.
constexpr double kConstantRelative = kConstantColumnRelative;

std::string sci(double v) {
  std::ostringstream out;
  out.precision(3);
  out << v;
  return out.str();
}

}  // namespace

FaTruth generateFaData(const FaGenerateOptions& o, Eigen::MatrixXd& y) {
  Random rng(o.seed);
  FaTruth t;
  t.W.resize(o.d, o.k);
  for (int i = 0; i < o.d; ++i)
    for (int j = 0; j < o.k; ++j) t.W(i, j) = o.scale * rng.normal();
  t.mu.resize(o.d);
  for (int i = 0; i < o.d; ++i) t.mu[i] = o.scale * rng.normal();
  t.psi.resize(o.d);
  const double base = o.scale * o.noise;
  for (int i = 0; i < o.d; ++i)
    t.psi[i] = base * base * std::pow(o.spread, static_cast<double>(i) / (o.d - 1) - 0.5);
  // Row by row: z_n then e_n, so a row's values never depend on N.
  t.z.resize(o.n, o.k);
  Eigen::MatrixXd e(o.n, o.d);
  for (int r = 0; r < o.n; ++r) {
    for (int j = 0; j < o.k; ++j) t.z(r, j) = rng.normal();
    for (int i = 0; i < o.d; ++i) e(r, i) = rng.normal();
  }
  y.noalias() = t.z * t.W.transpose();
  y += e * t.psi.cwiseSqrt().asDiagonal();
  y.rowwise() += t.mu.transpose();
  return t;
}

std::vector<int> constantColumns(const Eigen::MatrixXd& y) {
  std::vector<int> out;
  double top = 0.0;
  for (Eigen::Index c = 0; c < y.cols(); ++c)
    if (!(relativeColumnSpread(y, c, top) > kConstantRelative)) out.push_back(static_cast<int>(c));
  return out;
}

Status checkFaData(const Eigen::MatrixXd& y) {
  const Eigen::Index n = y.rows(), d = y.cols();
  if (d < 2 || d > kMaxColumns)
    return Status::error("factor analysis needs 2 to " + std::to_string(kMaxColumns) +
                         " columns (coordinates); the data have " + std::to_string(d));
  if (n < 2)
    return Status::error("factor analysis needs at least 2 rows (observations); the data have " +
                         std::to_string(n));
  // Non-finite or huge values, varying columns whose variance would underflow: the check all
  // labs share (user data are checked with their editor lines before they get here).
  if (Status range = checkDataRange(y); !range) return range;
  // Standard deviations of the varying columns; constant ones are kept (see constantColumns).
  Eigen::VectorXd sd = Eigen::VectorXd::Zero(d);
  int varying = 0;
  for (Eigen::Index c = 0; c < d; ++c) {
    double top = 0.0;
    const double sdUnit = relativeColumnSpread(y, c, top);
    if (!(sdUnit > kConstantRelative)) continue;
    sd[c] = top * sdUnit;
    ++varying;
  }
  if (varying < 2)
    return Status::error("factor analysis needs at least 2 columns that vary; " +
                         (varying == 0 ? std::string("every column is constant")
                                       : std::string("all columns but one are constant")));
  Eigen::Index widest = 0;
  const double sdMax = sd.maxCoeff(&widest);
  for (Eigen::Index c = 0; c < d; ++c) {
    if (sd[c] == 0.0) continue;  // constant
    if (sd[c] < kMinColumnSdRatio * sdMax)
      return Status::error("column " + std::to_string(c + 1) + " (sd " + sci(sd[c]) +
                           ") is more than " + sci(1 / kMinColumnSdRatio) +
                           " times narrower than column " + std::to_string(widest + 1) + " (sd " +
                           sci(sdMax) + "); rescale the columns to comparable units");
  }
  return Status::ok();
}

FaStats faStats(const Eigen::MatrixXd& y) {
  FaStats s;
  const Eigen::Index n = y.rows(), d = y.cols();
  s.n = static_cast<int>(n);
  s.mean = y.colwise().mean().transpose();
  s.constant = constantColumns(y);
  // Divide by the largest centred magnitude first so that squares can neither overflow nor
  // underflow; accumulate S over blocks of rows (a centred copy of 60000 images would take
  // 376 MB). Constant columns are exactly 0 once centred.
  double top = 0.0;
  for (Eigen::Index c = 0; c < d; ++c)
    top = std::max({top, std::fabs(y.col(c).maxCoeff() - s.mean[c]),
                    std::fabs(y.col(c).minCoeff() - s.mean[c])});
  constexpr Eigen::Index kBlock = 2048;
  Eigen::MatrixXd S1 = Eigen::MatrixXd::Zero(d, d), block;
  for (Eigen::Index r0 = 0; r0 < n; r0 += kBlock) {
    const Eigen::Index rows = std::min(kBlock, n - r0);
    block = (y.middleRows(r0, rows).rowwise() - s.mean.transpose()) / top;
    for (int c : s.constant) block.col(c).setZero();
    S1.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose(), 1.0 / static_cast<double>(n));
  }
  S1.triangularView<Eigen::StrictlyUpper>() = S1.transpose();
  const double unit = std::sqrt(S1.diagonal().mean());
  s.S = S1 / (unit * unit);
  s.scale = top * unit;

  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(s.S);
  s.eigenvalues = eig.eigenvalues().reverse().cwiseMax(0.0);
  s.eigenvectors = eig.eigenvectors().rowwise().reverse();
  // A deterministic sign: the largest entry of each direction positive.
  for (Eigen::Index j = 0; j < d; ++j) {
    Eigen::Index at = 0;
    s.eigenvectors.col(j).cwiseAbs().maxCoeff(&at);
    if (s.eigenvectors(at, j) < 0) s.eigenvectors.col(j) *= -1.0;
  }

  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index j = i + 1; j < d; ++j) {
      if (s.S(i, i) == 0.0 || s.S(j, j) == 0.0) continue;  // constant
      const double r = s.S(i, j) / std::sqrt(s.S(i, i) * s.S(j, j));
      if (std::fabs(r) >= 1.0 - kCollinear)
        s.collinear.emplace_back(static_cast<int>(i), static_cast<int>(j));
    }
  return s;
}

Eigen::MatrixXd imageRows(const ImageSet& set, Eigen::Index n) {
  const Eigen::Index pixels = set.pixelsPerImage();
  Eigen::MatrixXd out(n, pixels);
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::uint8_t* image = set.image(static_cast<std::size_t>(r));
    for (Eigen::Index c = 0; c < pixels; ++c) out(r, c) = image[c] / 255.0;
  }
  return out;
}

Eigen::MatrixXd centredRows(const Eigen::MatrixXd& y, const FaStats& stats, Eigen::Index stride) {
  const Eigen::Index rows = (y.rows() + stride - 1) / stride;
  Eigen::MatrixXd out(rows, y.cols());
  for (Eigen::Index r = 0; r < rows; ++r) out.row(r) = y.row(r * stride) - stats.mean.transpose();
  out /= stats.scale;
  for (int c : stats.constant) out.col(c).setZero();
  return out;
}

}  // namespace vilab
