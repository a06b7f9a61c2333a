#pragma once
// Single-threaded matrix product C = op(A) op(B) (or C += ...) for the VAE's hot path. Floats go
// through our own packed-panel kernel (Goto & van de Geijn 2008 layering, a 16x6 AVX2/FMA
// micro-kernel): GCC 12 compiles Eigen 3.4's product kernel to about half of this machine's peak.
// Doubles, small shapes and builds without AVX2/FMA use Eigen's product.

#include <Eigen/Core>

namespace vilab {

// c (m x n) = op(a) op(b), op(x) = x or x^T; with accumulate, c += op(a) op(b). All operands are
// column-major with unit inner stride; c must not alias a or b.
void gemm(Eigen::Ref<Eigen::MatrixXf> c, const Eigen::Ref<const Eigen::MatrixXf>& a, bool transA,
          const Eigen::Ref<const Eigen::MatrixXf>& b, bool transB, bool accumulate = false);
void gemm(Eigen::Ref<Eigen::MatrixXd> c, const Eigen::Ref<const Eigen::MatrixXd>& a, bool transA,
          const Eigen::Ref<const Eigen::MatrixXd>& b, bool transB, bool accumulate = false);

// True when the float product uses our AVX2/FMA kernel (else Eigen's).
bool gemmHasFastKernel();

}  // namespace vilab
