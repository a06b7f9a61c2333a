#pragma once
// The one pass over the data that every Gaussian-mixture iteration makes (CAVI's and EM's
// E-step, BBVI's log-likelihood per sample). Each component's per-point log score is a quadratic
// in x, so all N x K scores are one product of fixed quadratic features of the data with a small
// coefficient matrix; the pass turns them into responsibilities, their log-sum-exp, and the
// responsibility-weighted moments that the next M-step needs, in row blocks that stay in cache.

#include <Eigen/Core>
#include <vector>

#include "core/math/log_product.hpp"
#include "core/math/small_matrix.hpp"

namespace vilab {

// Quadratic features of the data about a fixed centre c: the columns 1, y_1..y_D and y_i y_j
// (i <= j, row by row), y = x - c. A score c0 + b^T y - (1/2) y^T A y is then phi_n . w for a
// coefficient vector w of length count(D), and sum_n r_n phi_n holds sum r, sum r y, sum r y y^T.
class QuadraticFeatures {
 public:
  static int count(int dim) { return 1 + dim + dim * (dim + 1) / 2; }
  static constexpr int kMaxCount = 1 + kMaxDim + kMaxDim * (kMaxDim + 1) / 2;

  // x: N x D (D = 1 or 2); centre: length D.
  void build(const Eigen::MatrixXd& x, const SmallVector& centre);

  const Eigen::MatrixXd& phi() const { return m_phi; }  // N x count(D), column-major
  const SmallVector& centre() const { return m_centre; }
  int dim() const { return m_dim; }
  Eigen::Index rows() const { return m_phi.rows(); }

  // w (length count(D)) for the score c0 + b^T y - (1/2) y^T A y, A symmetric.
  static void coefficients(int dim, double c0, const SmallVector& b, const SmallMatrix& a,
                           Eigen::Ref<Eigen::VectorXd> w);
  // w for the Gaussian-like score c0 - (1/2) (x - mean)^T P (x - mean) in x's own coordinates.
  void scoreCoefficients(double c0, const SmallVector& mean, const SmallMatrix& precision,
                         Eigen::Ref<Eigen::VectorXd> w) const;

 private:
  Eigen::MatrixXd m_phi;
  SmallVector m_centre;
  int m_dim = 1;
};

// N_k, xbar_k and S_k (Bishop PRML 10.51-10.53; the ML statistics of 9.24-9.25) from the moments
// sum_n r_nk phi_n of one pass. N_k gets 10 machine epsilons added, as scikit-learn does, so an
// empty component divides by a positive number.
struct ComponentStats {
  Eigen::VectorXd n;                 // K
  Eigen::MatrixXd mean;              // K x D, in data coordinates
  std::vector<SmallMatrix> scatter;  // K of D x D: sum_n r_nk (x_n - xbar_k)(x_n - xbar_k)^T / N_k

  // moments: K x count(D). Allocates only when K or D change.
  void fromMoments(const Eigen::MatrixXd& moments, const QuadraticFeatures& features);
};

// Sums over the data gathered by one pass.
struct PassTotals {
  double logSumExp = 0.0;         // sum_n log sum_k exp(L_nk)
  double scoreDotR = 0.0;         // sum_nk r_nk L_nk  (so sum r ln r = scoreDotR - logSumExp)
  double shiftedLogSumExp = 0.0;  // sum_n log sum_k exp(L_nk + shift_k), when shifts are given
  Eigen::MatrixXd moments;        // K x count(D): sum_n r_nk phi_n
  double entropyTerm() const { return scoreDotR - logSumExp; }  // sum r ln r (<= 0)
};

class ResponsibilityPass {
 public:
  // Scores L = phi * coefficients (N x K; coefficients F x K, finite), the totals, and, when r
  // is given, the responsibilities r_nk = exp(L_nk) / sum_j exp(L_nj) (r is resized to N x K
  // only when the shape changes). An iteration needs only the totals, so it reads D numbers per
  // point and writes nothing per point. With shifts (length K), also the log-sum-exp of
  // L + shift, e.g. the log-likelihood at plug-in parameters whose scores differ from L by a
  // constant per k. Works through the rows in blocks: the block's quadratic features are built
  // from the centred coordinates, then three sweeps over packets of four rows (scores and their
  // maxima; exponentials and their sums; normalisation and moments) keep everything in the L1
  // cache. Allocates only when the shapes change.
  // Without scoreDotR, totals.scoreDotR stays 0 (EM needs no entropy of q(Z)).
  void run(const QuadraticFeatures& features, const Eigen::MatrixXd& coefficients,
           const Eigen::VectorXd* shifts, Eigen::MatrixXd* r, PassTotals& totals,
           bool scoreDotR = true);

  static constexpr Eigen::Index kBlock = 128;  // a multiple of 4
  // Shifts spreading wider than this get exponentials of their own (see run()).
  static constexpr double kMaxShiftSpread = 16.0;

 private:
  void block(const double* phi, Eigen::Index ldPhi, double* r, Eigen::Index ldR, Eigen::Index rows,
             const Eigen::MatrixXd& coefficients, PassTotals& totals);
  void removePadding(Eigen::Index rows, const Eigen::MatrixXd& coefficients,
                     const Eigen::VectorXd* shifts, PassTotals& totals);
  template <int F, bool Dot>
  void blockOf(const double* phi, Eigen::Index ldPhi, double* r, Eigen::Index ldR,
               Eigen::Index rows, const Eigen::MatrixXd& coefficients, PassTotals& totals);

  Eigen::ArrayXXd m_score;  // kBlock x K
  Eigen::ArrayXd m_max = Eigen::ArrayXd(kBlock), m_sum = Eigen::ArrayXd(kBlock),
                 m_weighted = Eigen::ArrayXd(kBlock), m_inverse = Eigen::ArrayXd(kBlock);
  LogProduct m_rowSums, m_shiftedSums;   // products of the row normalisers, logged once per pass
  Eigen::MatrixXd m_blockPhi, m_blockR;  // a block's features and responsibilities, kBlock rows
  const Eigen::VectorXd* m_shifts = nullptr;
  bool m_scoreDotR = true;
  bool m_shiftReuse = false;
  double m_shiftMax = 0.0;
  Eigen::ArrayXd m_shiftWeight;
};

}  // namespace vilab
