#include "core/models/fa_em.hpp"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>

namespace vilab {

namespace {

constexpr double kLog2Pi = 1.8378770664093454836;  // log(2 pi)

}  // namespace

FaEvaluation evaluate(const FaParams& theta, const Eigen::MatrixXd& S) {
  const Eigen::Index d = theta.W.rows(), k = theta.W.cols();
  FaEvaluation at;
  const Eigen::VectorXd invSqrt = theta.psi.cwiseSqrt().cwiseInverse();
  Eigen::MatrixXd stacked(d + k, k);
  stacked.topRows(d) = invSqrt.asDiagonal() * theta.W;
  stacked.bottomRows(k).setIdentity();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(stacked);
  const Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(d + k, k);
  at.R = qr.matrixQR().topRows(k).triangularView<Eigen::Upper>();
  at.Q2 = Q.bottomRows(k);
  at.Q1s = invSqrt.asDiagonal() * Q.topRows(d);
  at.T.noalias() = S * at.Q1s;
  at.H = Eigen::MatrixXd::Identity(k, k);
  at.H.noalias() += at.Q1s.transpose() * at.T;
  at.H = 0.5 * (at.H + at.H.transpose()).eval();
  at.logDetG = -2.0 * at.R.diagonal().cwiseAbs().array().log().sum();
  const double traceCinvS =
      S.diagonal().cwiseQuotient(theta.psi).sum() - (at.H.trace() - static_cast<double>(k));
  const double logDetC = theta.psi.array().log().sum() - at.logDetG;
  at.logLik = -0.5 * (static_cast<double>(d) * kLog2Pi + logDetC + traceCinvS);
  return at;
}

FaPosterior eStep(const FaEvaluation& at) {
  FaPosterior q;
  q.G.noalias() = at.Q2 * at.Q2.transpose();
  q.logDetG = at.logDetG;
  q.A.noalias() = at.Q2 * at.Q1s.transpose();
  q.Eyz.noalias() = at.T * at.Q2.transpose();
  q.Ezz.noalias() = at.Q2 * at.H * at.Q2.transpose();
  q.Ezz = 0.5 * (q.Ezz + q.Ezz.transpose()).eval();
  q.T = at.T;
  q.H = at.H;
  q.R = at.R;
  return q;
}

FaParams mStep(const FaPosterior& q, const Eigen::VectorXd& diagS, const Eigen::VectorXd& floor,
               bool ppca) {
  FaParams theta;
  // W = Eyz Ezz^-1 = T H^-1 R: H >= I is well conditioned where Ezz need not be.
  theta.W = q.H.llt().solve(q.T.transpose()).transpose() * q.R.triangularView<Eigen::Upper>();
  const Eigen::VectorXd residual = diagS - theta.W.cwiseProduct(q.Eyz).rowwise().sum();
  if (ppca) {
    const double sigma2 = residual.mean();
    theta.psi = Eigen::VectorXd::Constant(diagS.size(), sigma2 > floor[0] ? sigma2 : floor[0]);
  } else {
    theta.psi = residual;
    for (Eigen::Index i = 0; i < diagS.size(); ++i)
      if (!(residual[i] > floor[i])) theta.psi[i] = floor[i];  // also catches a NaN residual
  }
  return theta;
}

double elbo(const FaPosterior& q, const FaParams& theta, const Eigen::VectorXd& diagS) {
  const Eigen::Index d = theta.W.rows(), k = theta.W.cols();
  // E_q ||y - W z||^2 per coordinate: S_ii - 2 (W Eyz^T)_ii + (W Ezz W^T)_ii.
  const Eigen::MatrixXd WEzz = theta.W * q.Ezz;
  const Eigen::VectorXd residual = diagS - 2.0 * theta.W.cwiseProduct(q.Eyz).rowwise().sum() +
                                   WEzz.cwiseProduct(theta.W).rowwise().sum();
  const double expectedLogLik =
      -0.5 * (static_cast<double>(d) * kLog2Pi + theta.psi.array().log().sum() +
              residual.cwiseQuotient(theta.psi).sum());
  // E_q[log p(z)] + H[q] = -tr(Ezz)/2 + K/2 + log|G|/2 (the log 2 pi terms cancel).
  return expectedLogLik - 0.5 * q.Ezz.trace() + 0.5 * static_cast<double>(k) + 0.5 * q.logDetG;
}

Eigen::VectorXd psiFloor(const Eigen::VectorXd& diagS, bool ppca, const std::vector<int>& constant,
                         double constantFloor) {
  if (ppca) return Eigen::VectorXd::Constant(diagS.size(), kPsiFloorRelative * diagS.mean());
  Eigen::VectorXd floor = kPsiFloorRelative * diagS;
  for (int i : constant) floor[i] = constantFloor;
  return floor;
}

double covarianceDistance(const Eigen::MatrixXd& W, const Eigen::MatrixXd& V) {
  // Not the expansion tr(WW'WW') + tr(VV'VV') - 2 tr(W'VV'W), which cancels to sqrt(rounding)
  // ~ 1e-8 relative when W W' is close to V V': the small matrix difference keeps full accuracy.
  const Eigen::Index k = W.cols(), l = V.cols();
  Eigen::MatrixXd stacked(W.rows(), k + l);
  stacked << W, V;
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(stacked);
  const Eigen::Index m = std::min(stacked.rows(), k + l);
  const Eigen::MatrixXd R = qr.matrixQR().topRows(m).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd difference =
      R.leftCols(k) * R.leftCols(k).transpose() - R.rightCols(l) * R.rightCols(l).transpose();
  return difference.norm();
}

FaParams ppcaClosedForm(const Eigen::VectorXd& eigenvalues, const Eigen::MatrixXd& eigenvectors,
                        int k, double sigma2Floor) {
  const Eigen::Index d = eigenvalues.size();
  double sigma2 = eigenvalues.tail(d - k).mean();
  sigma2 = std::max(sigma2, sigma2Floor);
  FaParams theta;
  theta.W = eigenvectors.leftCols(k);
  for (int j = 0; j < k; ++j) theta.W.col(j) *= std::sqrt(std::max(eigenvalues[j] - sigma2, 0.0));
  theta.psi = Eigen::VectorXd::Constant(d, sigma2);
  return theta;
}

}  // namespace vilab
