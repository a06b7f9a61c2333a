#include "core/math/view_plane.hpp"

#include <algorithm>
#include <cmath>

#include "core/text/subscript.hpp"

namespace vilab {

std::string coordinateName(int i, std::string_view symbol, std::span<const std::string> names) {
  if (i >= 0 && static_cast<std::size_t>(i) < names.size() && !names[i].empty()) return names[i];
  return indexed(symbol, i + 1);
}

std::string coordinateList(std::span<const std::string> names) {
  if (names.empty()) return {};
  std::string out = " The file's columns:";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? ", " : " ") + std::to_string(i + 1) + " " +
           coordinateName(static_cast<int>(i), "x", names);
  return out + ".";
}

ViewPlane coordinatePlane(int x, int y, int dim, std::string_view symbol,
                          std::span<const std::string> names) {
  ViewPlane plane;
  if (x < 1 || y < 1 || x > dim || y > dim || x == y) {
    plane.note = "view.x = " + std::to_string(x) + ", view.y = " + std::to_string(y) +
                 " do not fit the data's " + std::to_string(dim) + " coordinates: showing " +
                 coordinateName(0, symbol, names) + ", " + coordinateName(1, symbol, names);
    x = 1, y = 2;
  }
  plane.projection.setZero(2, dim);
  plane.projection(0, x - 1) = 1.0;
  plane.projection(1, y - 1) = 1.0;
  plane.xLabel = coordinateName(x - 1, symbol, names);
  plane.yLabel = coordinateName(y - 1, symbol, names);
  return plane;
}

ViewPlane principalPlane(const Eigen::Ref<const Eigen::VectorXd>& eigenvalues,
                         const Eigen::Ref<const Eigen::MatrixXd>& eigenvectors,
                         double totalVariance) {
  ViewPlane plane;
  plane.projection = eigenvectors.leftCols(2).transpose();
  const double total = std::max(totalVariance, 0.0);
  for (int j = 0; j < 2; ++j) {
    const long percent =
        total > 0.0 ? std::lround(100.0 * std::max(eigenvalues(j), 0.0) / total) : 0;
    (j == 0 ? plane.xLabel : plane.yLabel) =
        "PC " + std::to_string(j + 1) + " (" + std::to_string(percent) + "% of variance)";
  }
  return plane;
}

}  // namespace vilab
