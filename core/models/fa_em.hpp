#pragma once
// EM for factor analysis y = W z + mu + e, z ~ N(0, I_K), e ~ N(0, Psi), Psi diagonal (Bishop
// PRML 12.2.4; Ghahramani & Hinton 1996), written on the sample covariance S of the centred data
// so that every step costs O(D^2 K) whatever N is. Probabilistic PCA (Psi = sigma^2 I, Tipping &
// Bishop 1999) is the same EM with the M step for Psi averaged over coordinates.
//
// Shapes: D data dimensions, K factors; S is D x D symmetric; W is D x K; psi has D entries.
// Every log-likelihood and ELBO here is per data point (the total divided by N).

#include <Eigen/Core>
#include <vector>

namespace vilab {

struct FaParams {
  Eigen::MatrixXd W;    // D x K loadings
  Eigen::VectorXd psi;  // D noise variances (all equal under PPCA)
};

// What the log-likelihood at theta and the next E step share, computed once per theta. For
// numerical stability (psi_i on its floor makes W^T Psi^-1 W ill-conditioned) everything comes
// from a thin QR of the stacked matrix [Psi^-1/2 W; I_K] = [Q1; Q2] R, which gives
// I + W^T Psi^-1 W = R^T R without squaring its condition number, Q2 = R^-1, G = Q2 Q2^T.
struct FaEvaluation {
  Eigen::MatrixXd R;    // K x K upper triangular
  Eigen::MatrixXd Q2;   // K x K: R^-1
  Eigen::MatrixXd Q1s;  // D x K: Psi^-1/2 Q1
  Eigen::MatrixXd T;    // D x K: S Psi^-1/2 Q1 (the one O(D^2 K) product)
  Eigen::MatrixXd H;    // K x K: I + Q1^T Psi^-1/2 S Psi^-1/2 Q1
  double logDetG = 0.0;
  double logLik = 0.0;  // (1/N) sum_n log N(y_n | mu, W W^T + Psi)
};

// q(z_n) = N(A y_n, G) for every centred y_n, and its expected sufficient statistics averaged
// over the data: what an E step computes (Bishop PRML eqs. 12.66-12.67 in matrix form).
struct FaPosterior {
  Eigen::MatrixXd G;    // K x K: (I + W^T Psi^-1 W)^-1 = Q2 Q2^T
  Eigen::MatrixXd A;    // K x D: E[z|y] = A y, A = G W^T Psi^-1 = Q2 Q1^T Psi^-1/2
  Eigen::MatrixXd Eyz;  // D x K: (1/N) sum y E[z]^T = S A^T = T Q2^T
  Eigen::MatrixXd Ezz;  // K x K: (1/N) sum E[z z^T] = G + A S A^T = Q2 H Q2^T
  double logDetG = 0.0;
  // Factors for a stable M step: W = Eyz Ezz^-1 = T H^-1 R.
  Eigen::MatrixXd T, H, R;
};

// Lower bounds on psi: the M step keeps psi_i >= floor_i (Heywood cases, where the ML estimate
// of psi_i is 0). Relative to the coordinate's sample variance (FA) or the mean variance (PPCA).
inline constexpr double kPsiFloorRelative = 1e-6;
// psi_i of a constant column (S_ii = 0, where the likelihood grows without bound as psi_i -> 0),
// in the data's units squared: scikit-learn's FactorAnalysis floor (SMALL = 1e-12 in
// sklearn/decomposition/_factor_analysis.py, psi = max(var - sum W^2, SMALL)). Such a column is
// independent of the others under the fitted model (its loadings are exactly 0), so the floor
// changes only the log-likelihood, by -(1/2) log psi_i per column, as it does in scikit-learn.
inline constexpr double kConstantColumnPsi = 1e-12;

// Exact log-likelihood per point at theta, C = W W^T + Psi (Bishop PRML eq. 12.43 for the
// marginal), by the matrix determinant lemma and Woodbury in QR form: log|C| = sum log psi +
// 2 sum log|R_jj|, tr(C^-1 S) = sum S_ii/psi_i - tr(Q1^T Psi^-1/2 S Psi^-1/2 Q1).
FaEvaluation evaluate(const FaParams& theta, const Eigen::MatrixXd& S);

// E step: q(z|y) = p(z|y, theta) (the ELBO then equals the log-likelihood).
FaPosterior eStep(const FaEvaluation& at);

// M step (Bishop PRML eqs. 12.69-12.70 on the covariance): W = Eyz Ezz^-1 (as T H^-1 R),
// psi_i = max(diag(S - W Eyz^T)_i, floor_i); PPCA: sigma^2 = max(mean_i (S - W Eyz^T)_ii,
// floor_0) (Tipping & Bishop 1999 eq. 28). The max is the exact maximiser of the ELBO over
// psi_i >= floor_i, so the floored step still never lowers the bound.
FaParams mStep(const FaPosterior& q, const Eigen::VectorXd& diagS, const Eigen::VectorXd& floor,
               bool ppca);

// ELBO per point of q at theta: E_q[log p(y|z) + log p(z) - log q(z)] averaged over the data,
// = logLik(theta) - mean KL(q(z|y_n) || p(z|y_n, theta)).
double elbo(const FaPosterior& q, const FaParams& theta, const Eigen::VectorXd& diagS);

// Floors for the M step: kPsiFloorRelative times each S_ii (FA) or the mean S_ii (PPCA). Under
// FA, the 0-based `constant` columns (S_ii = 0) get `constantFloor` (kConstantColumnPsi in
// internal units) instead.
Eigen::VectorXd psiFloor(const Eigen::VectorXd& diagS, bool ppca,
                         const std::vector<int>& constant = {}, double constantFloor = 0.0);

// ||W W^T - V V^T||_F (W: D x K, V: D x L) without forming a D x D matrix: with the thin QR
// [W V] = Q R, W W^T - V V^T = Q (R1 R1^T - R2 R2^T) Q^T, so the norm is that of a
// (K+L) x (K+L) matrix, O(D (K+L)^2). Rotation invariant in W and in V.
double covarianceDistance(const Eigen::MatrixXd& W, const Eigen::MatrixXd& V);

// Maximum-likelihood PPCA in closed form from the eigenvalues (descending) and eigenvectors of S
// (Tipping & Bishop 1999, eqs. 7-8): sigma^2 = mean of the D-K smallest eigenvalues (floored),
// W = U_K (Lambda_K - sigma^2 I)^(1/2) (the rotation R = I).
FaParams ppcaClosedForm(const Eigen::VectorXd& eigenvalues, const Eigen::MatrixXd& eigenvectors,
                        int k, double sigma2Floor);

}  // namespace vilab
