#include "core/math/gauss_hermite.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>

namespace vilab {

Quadrature gaussHermiteNormal(int n) {
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(n, n);
  for (int i = 1; i < n; ++i) jacobi(i, i - 1) = jacobi(i - 1, i) = std::sqrt(double(i));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(jacobi);
  Quadrature q;
  q.nodes.resize(n);
  q.weights.resize(n);
  double total = 0.0;
  for (int i = 0; i < n; ++i) {
    q.nodes[i] = solver.eigenvalues()[i];
    q.weights[i] = solver.eigenvectors()(0, i) * solver.eigenvectors()(0, i);
    total += q.weights[i];
  }
  for (auto& w : q.weights) w /= total;  // the normal measure has mass 1
  return q;
}

}  // namespace vilab
