#pragma once
// Symmetric matrices of size 1 to kMaxDim (the Gaussian-mixture lab's covariances and
// precisions) stored on the stack, so that per-iteration updates never allocate, with their
// determinant, inverse and eigen decomposition: closed forms for sizes 1 and 2 (the common case,
// kept as fast as plain arithmetic), Eigen's Cholesky (LLT) and SelfAdjointEigenSolver above.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>

namespace vilab {

inline constexpr int kMaxDim = 16;
using SmallMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxDim, kMaxDim>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kMaxDim, 1>;

// a . b for vectors of size 1 to kMaxDim (a plain loop: Eigen's vectorised reduction paths for
// longer vectors make GCC warn about reads past these small buffers).
inline double smallDot(const SmallVector& a, const SmallVector& b) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < a.size(); ++i) sum += a(i) * b(i);
  return sum;
}

inline double smallDeterminant(const SmallMatrix& a);
// ln det(A) for symmetric positive definite A: no overflow or underflow of the determinant
// itself in 16 dimensions.
inline double smallLogDeterminant(const SmallMatrix& a) {
  if (a.rows() <= 2) return std::log(smallDeterminant(a));
  const Eigen::LLT<SmallMatrix> llt(a);
  if (llt.info() != Eigen::Success) return std::numeric_limits<double>::quiet_NaN();
  const auto diagonal = llt.matrixLLT().diagonal();
  double logDet = 0.0;
  for (Eigen::Index i = 0; i < diagonal.size(); ++i) logDet += std::log(diagonal(i));
  return 2.0 * logDet;
}

// det(A) for symmetric A (positive definite above size 2: through the Cholesky factor, so a
// matrix that is not gives NaN).
inline double smallDeterminant(const SmallMatrix& a) {
  if (a.rows() == 1) return a(0, 0);
  if (a.rows() == 2) return a(0, 0) * a(1, 1) - a(0, 1) * a(1, 0);
  return std::exp(smallLogDeterminant(a));
}

// A^-1 for symmetric positive definite A (the caller guarantees it).
inline SmallMatrix smallInverse(const SmallMatrix& a) {
  SmallMatrix inv(a.rows(), a.cols());
  if (a.rows() == 1) {
    inv(0, 0) = 1.0 / a(0, 0);
  } else if (a.rows() == 2) {
    const double det = smallDeterminant(a);
    inv(0, 0) = a(1, 1) / det;
    inv(1, 1) = a(0, 0) / det;
    inv(0, 1) = inv(1, 0) = -0.5 * (a(0, 1) + a(1, 0)) / det;
  } else {
    inv = Eigen::LLT<SmallMatrix>(a).solve(SmallMatrix::Identity(a.rows(), a.cols()));
    inv = 0.5 * (inv + inv.transpose()).eval();  // exactly symmetric
  }
  return inv;
}

// Eigenvalues in increasing order and unit eigenvectors (columns) of symmetric A.
inline void smallSymmetricEigen(const SmallMatrix& a, SmallVector& values, SmallMatrix& vectors) {
  const int d = static_cast<int>(a.rows());
  values.resize(d);
  vectors.setIdentity(d, d);
  if (d == 1) {
    values(0) = a(0, 0);
    return;
  }
  if (d > 2) {
    const Eigen::SelfAdjointEigenSolver<SmallMatrix> solver(a);
    values = solver.eigenvalues();
    vectors = solver.eigenvectors();
    return;
  }
  const double b = 0.5 * (a(0, 1) + a(1, 0));
  const double mean = 0.5 * (a(0, 0) + a(1, 1));
  const double half = 0.5 * (a(0, 0) - a(1, 1));
  const double radius = std::hypot(half, b);
  values << mean - radius, mean + radius;
  if (radius == 0.0) return;  // a multiple of the identity: any basis
  // Angle of the eigenvector of the larger eigenvalue: tan(2 theta) = 2b / (a00 - a11).
  const double theta = 0.5 * std::atan2(b, half);
  const double c = std::cos(theta), s = std::sin(theta);
  vectors << -s, c, c, s;  // columns: smaller, larger
}

// The largest eigenvalue of symmetric A.
inline double largestEigenvalue(const SmallMatrix& a) {
  SmallVector values;
  SmallMatrix vectors;
  smallSymmetricEigen(a, values, vectors);
  return values(values.size() - 1);
}

// A with every eigenvalue raised to at least `floor`; returns how many were raised.
inline int floorEigenvalues(SmallMatrix& a, double floor) {
  SmallVector values;
  SmallMatrix vectors;
  smallSymmetricEigen(a, values, vectors);
  int raised = 0;
  for (int i = 0; i < values.size(); ++i)
    if (!(values(i) >= floor)) values(i) = floor, ++raised;  // NaN counts as too small
  if (raised) a = vectors * values.asDiagonal() * vectors.transpose();
  return raised;
}

// The correlation matrix C = S^-1 A S^-1 of symmetric A with a positive diagonal, and
// S = diag(sqrt(A_ii)) as `scale`.
inline SmallMatrix smallCorrelation(const SmallMatrix& a, SmallVector& scale) {
  const int d = static_cast<int>(a.rows());
  scale.resize(d);
  for (int i = 0; i < d; ++i) scale(i) = std::sqrt(a(i, i));
  SmallMatrix c = a;
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) c(i, j) /= scale(i) * scale(j);
  return c;
}

// A (symmetric, positive diagonal) with every eigenvalue of its correlation matrix C raised to
// at least `floor`, i.e. A = S C' S; returns how many were raised. Unlike a floor on A's own
// eigenvalues it does not depend on the coordinates' units: rescaling a coordinate rescales the
// result the same way (a floor relative to A's largest eigenvalue cuts every direction of a
// coordinate with small units). A diagonal entry that is not positive is the caller's to raise
// first.
inline int floorCorrelationEigenvalues(SmallMatrix& a, double floor) {
  const int d = static_cast<int>(a.rows());
  if (d < 2) return 0;  // a 1 x 1 correlation is 1
  SmallVector scale;
  SmallMatrix c = smallCorrelation(a, scale);
  const int raised = floorEigenvalues(c, floor);
  if (raised)
    for (int j = 0; j < d; ++j)
      for (int i = 0; i < d; ++i) a(i, j) = c(i, j) * scale(i) * scale(j);
  return raised;
}

// The smallest eigenvalue of the correlation matrix of symmetric A (1 for D = 1; NaN when a
// diagonal entry is not positive): how close A is to singular, whatever the coordinates' units.
inline double smallestCorrelationEigenvalue(const SmallMatrix& a) {
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    if (!(a(i, i) > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  if (a.rows() < 2) return 1.0;
  SmallVector scale, values;
  SmallMatrix vectors;
  smallSymmetricEigen(smallCorrelation(a, scale), values, vectors);
  return values(0);
}

}  // namespace vilab
