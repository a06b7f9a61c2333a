#pragma once
// The plane in which a lab shows D-dimensional data: two of its coordinates, or its two leading
// principal axes. The mixture and factor-analysis labs both draw their points, ellipses and
// densities as projections onto this plane.

#include <Eigen/Core>
#include <span>
#include <string>
#include <string_view>

namespace vilab {

struct ViewPlane {
  Eigen::MatrixXd projection;  // 2 x D: a point's plane coordinates are projection * x
  std::string xLabel, yLabel;  // axis names: "x₃", "petal_length", or "PC 1 (73% of variance)"
  std::string note;            // why the requested coordinates were replaced; empty when they fit
};

// The name of coordinate i (0-based): the data file's column name names[i] when the file had a
// header (names holds one entry per coordinate) and it is not empty, else symbol_(i+1) ("x₃").
std::string coordinateName(int i, std::string_view symbol,
                           std::span<const std::string> names = {});

// For the view.x / view.y help: " The file's columns: 1 radius, 2 texture, ..." (empty without
// names).
std::string coordinateList(std::span<const std::string> names);

// Coordinates x and y (1-based) of `dim` (>= 2), named as coordinateName says. When they do not
// fit (beyond dim, or equal) the plane falls back to coordinates 1 and 2 and `note` says so.
ViewPlane coordinatePlane(int x, int y, int dim, std::string_view symbol,
                          std::span<const std::string> names = {});

// The two leading principal axes: eigenvalues of the data covariance in decreasing order (at
// least 2, the total variance is their sum over `totalVariance`) and their unit eigenvectors as
// columns (D x >= 2). Negative rounding in an eigenvalue counts as 0 in the percentages.
ViewPlane principalPlane(const Eigen::Ref<const Eigen::VectorXd>& eigenvalues,
                         const Eigen::Ref<const Eigen::MatrixXd>& eigenvectors,
                         double totalVariance);

}  // namespace vilab
