#pragma once
// The plane in which a lab shows D-dimensional data: two of its coordinates, or its two leading
// principal axes. The mixture and factor-analysis labs both draw their points, ellipses and
// densities as projections onto this plane.

#include <Eigen/Core>
#include <string>
#include <string_view>

namespace vilab {

struct ViewPlane {
  Eigen::MatrixXd projection;  // 2 x D: a point's plane coordinates are projection * x
  std::string xLabel, yLabel;  // axis names: "x₃", or "PC 1 (73% of variance)"
  std::string note;            // why the requested coordinates were replaced; empty when they fit
};

// Coordinates x and y (1-based) of `dim` (>= 2) named symbol₁..symbol_D. When they do not fit
// (beyond dim, or equal) the plane falls back to coordinates 1 and 2 and `note` says so.
ViewPlane coordinatePlane(int x, int y, int dim, std::string_view symbol);

// The two leading principal axes: eigenvalues of the data covariance in decreasing order (at
// least 2, the total variance is their sum over `totalVariance`) and their unit eigenvectors as
// columns (D x >= 2). Negative rounding in an eigenvalue counts as 0 in the percentages.
ViewPlane principalPlane(const Eigen::Ref<const Eigen::VectorXd>& eigenvalues,
                         const Eigen::Ref<const Eigen::MatrixXd>& eigenvectors,
                         double totalVariance);

}  // namespace vilab
