#pragma once
// Symmetric matrices of size 1 or 2 (the Gaussian-mixture lab's covariances and precisions)
// stored on the stack, so that per-iteration updates never allocate, with their closed-form
// determinant, inverse and eigen decomposition.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace vilab {

inline constexpr int kMaxDim = 2;
using SmallMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, kMaxDim, kMaxDim>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kMaxDim, 1>;

// a . b for vectors of size 1 or 2 (a plain loop: Eigen's vectorised reduction paths for longer
// vectors make GCC warn about reads past these small buffers).
inline double smallDot(const SmallVector& a, const SmallVector& b) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < a.size(); ++i) sum += a(i) * b(i);
  return sum;
}

// det(A) for symmetric A of size 1 or 2.
inline double smallDeterminant(const SmallMatrix& a) {
  return a.rows() == 1 ? a(0, 0) : a(0, 0) * a(1, 1) - a(0, 1) * a(1, 0);
}

// A^-1 for symmetric positive definite A of size 1 or 2 (the caller guarantees det > 0).
inline SmallMatrix smallInverse(const SmallMatrix& a) {
  SmallMatrix inv(a.rows(), a.cols());
  if (a.rows() == 1) {
    inv(0, 0) = 1.0 / a(0, 0);
  } else {
    const double det = smallDeterminant(a);
    inv(0, 0) = a(1, 1) / det;
    inv(1, 1) = a(0, 0) / det;
    inv(0, 1) = inv(1, 0) = -0.5 * (a(0, 1) + a(1, 0)) / det;
  }
  return inv;
}

// Eigenvalues in increasing order and unit eigenvectors (columns) of symmetric A, size 1 or 2.
inline void smallSymmetricEigen(const SmallMatrix& a, SmallVector& values, SmallMatrix& vectors) {
  const int d = static_cast<int>(a.rows());
  values.resize(d);
  vectors.setIdentity(d, d);
  if (d == 1) {
    values(0) = a(0, 0);
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

}  // namespace vilab
