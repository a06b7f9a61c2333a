#pragma once
// Gauss-Hermite quadrature for expectations under a standard normal:
// E[f(z)], z ~ N(0, 1), is approximated by sum_i w_i f(z_i), exact for polynomials of degree < 2n.

#include <vector>

namespace vilab {

struct Quadrature {
  std::vector<double> nodes;
  std::vector<double> weights;  // sum to 1
};

// n nodes (n >= 1) by the Golub-Welsch algorithm (Golub & Welsch 1969): the nodes are the
// eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials (zero diagonal,
// off-diagonal sqrt(i), i = 1..n-1), the weights the squared first components of its unit
// eigenvectors.
Quadrature gaussHermiteNormal(int n);

}  // namespace vilab
