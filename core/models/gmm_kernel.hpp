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

// Per-component log scores s_nk = c0_k - (1/2) (x_n - m_k)^T P_k (x_n - m_k) in the data's own
// coordinates: the form that every E-step score takes (PRML 9.23 for EM, 10.46 and 10.64 for
// CAVI). The pass evaluates them through quadratic features when that is exact, and about each
// component's own mean when it is not.
struct GaussianScores {
  Eigen::VectorXd c0;                   // K
  Eigen::MatrixXd means;                // K x D
  std::vector<SmallMatrix> precisions;  // K of D x D, symmetric
  int components() const { return static_cast<int>(c0.size()); }
  void resize(int k, int dim);
};

// Above this ratio between the terms that the quadratic-feature form adds up and the result
// (the squared Mahalanobis distance of a component's mean from the features' centre, or the
// second moment about the centre over the scatter), the fast form could lose more than
// 1e4 machine epsilons (2e-12 relative): the pass and the statistics then work about each
// component's own mean instead.
inline constexpr double kCancellation = 1e4;

// Quadratic features of the data about a fixed centre c: the columns 1, y_1..y_D and y_i y_j
// (i <= j, row by row), y = x - c. A score c0 + b^T y - (1/2) y^T A y is then phi_n . w for a
// coefficient vector w of length count(D), and sum_n r_n phi_n holds sum r, sum r y, sum r y y^T.
class QuadraticFeatures {
 public:
  static int count(int dim) { return 1 + dim + dim * (dim + 1) / 2; }
  static constexpr int kMaxCount = 1 + kMaxDim + kMaxDim * (kMaxDim + 1) / 2;

  // x: N x D (D = 1 to kMaxDim); centre: length D.
  void build(const Eigen::MatrixXd& x, const SmallVector& centre);

  const Eigen::MatrixXd& phi() const { return m_phi; }  // N x count(D), column-major
  // The data themselves (N x D): y = x - c rounds away what lies below the resolution of c, so
  // the centred paths work from x.
  const Eigen::MatrixXd& x() const { return m_x; }
  const SmallVector& centre() const { return m_centre; }
  int dim() const { return m_dim; }
  Eigen::Index rows() const { return m_phi.rows(); }

  // w (length count(D)) for the score c0 + b^T y - (1/2) y^T A y, A symmetric.
  static void coefficients(int dim, double c0, const SmallVector& b, const SmallMatrix& a,
                           Eigen::Ref<Eigen::VectorXd> w);
  // w for the Gaussian-like score c0 - (1/2) (x - mean)^T P (x - mean) in x's own coordinates.
  void scoreCoefficients(double c0, const SmallVector& mean, const SmallMatrix& precision,
                         Eigen::Ref<Eigen::VectorXd> w) const;
  // The coefficients (count(D) x K) of all K scores.
  void coefficientsOf(const GaussianScores& scores, Eigen::MatrixXd& coefficients) const;
  // Whether the scores about this centre would cancel: the largest squared Mahalanobis distance
  // (m_k - c)^T P_k (m_k - c) exceeds kCancellation.
  bool cancels(const GaussianScores& scores) const;

 private:
  Eigen::MatrixXd m_phi, m_x;
  SmallVector m_centre;
  int m_dim = 1;
};

struct PassTotals;

// N_k, xbar_k and S_k (Bishop PRML 10.51-10.53; the ML statistics of 9.24-9.25) from the moments
// sum_n r_nk phi_n of one pass. N_k gets 10 machine epsilons added, as scikit-learn does, so an
// empty component divides by a positive number. S_k = E[y y^T] - ybar ybar^T cancels when the
// component lies far from the centre compared with its spread (far-apart tight clusters): given
// the responsibilities r (N x K), a component whose second moment exceeds its scatter by more
// than kCancellation on some axis gets its mean and scatter again from the data x themselves,
// xbar = sum r x / N_k and S = sum r (x - xbar)(x - xbar)^T / N_k, as scikit-learn forms them.
// (The pass's centred path accumulates each component's moments about its own mean already, so
// that the test rarely fires after it.)
struct ComponentStats {
  Eigen::VectorXd n;                 // K
  Eigen::MatrixXd mean;              // K x D, in data coordinates
  std::vector<SmallMatrix> scatter;  // K of D x D: sum_n r_nk (x_n - xbar_k)(x_n - xbar_k)^T / N_k

  // moments: K x count(D); r: N x K or null (no second pass). Allocates only when K or D change.
  // centres (K x D): the point each component's moments are about; null: the features' centre.
  void fromMoments(const Eigen::MatrixXd& moments, const QuadraticFeatures& features,
                   const Eigen::MatrixXd* r = nullptr, const Eigen::MatrixXd* centres = nullptr);
  // From a pass's totals (moments about the centres it says).
  void fromPass(const PassTotals& totals, const QuadraticFeatures& features,
                const Eigen::MatrixXd* r);
  int recentred = 0;  // components whose scatter took the second pass
};

// Sums over the data gathered by one pass.
struct PassTotals {
  double logSumExp = 0.0;         // sum_n log sum_k exp(L_nk)
  double scoreDotR = 0.0;         // sum_nk r_nk L_nk  (so sum r ln r = scoreDotR - logSumExp)
  double shiftedLogSumExp = 0.0;  // sum_n log sum_k exp(L_nk + shift_k), when shifts are given
  // K x count(D): sum_n r_nk phi_n, the features about the features' centre c, or on the
  // centred path about each component's own mean (centres, K x D; empty on the fast path).
  Eigen::MatrixXd moments;
  Eigen::MatrixXd centres;
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
  // The same for scores in their Gaussian form: through the coefficients (above) when the
  // features' centre makes that exact, else each score evaluated about its component's own
  // mean, (x - m_k)^T P_k (x - m_k) from the data themselves, as scikit-learn does, with the
  // moments accumulated about each m_k (totals.centres).
  // exact() says which path the last run took.
  void run(const QuadraticFeatures& features, const GaussianScores& scores,
           const Eigen::VectorXd* shifts, Eigen::MatrixXd* r, PassTotals& totals,
           bool scoreDotR = true);
  bool exact() const { return m_lastExact; }

  static constexpr Eigen::Index kBlock = 128;  // a multiple of 4
  // Shifts spreading wider than this get exponentials of their own (see run()).
  static constexpr double kMaxShiftSpread = 16.0;

 private:
  void block(const double* phi, Eigen::Index ldPhi, double* r, Eigen::Index ldR, Eigen::Index rows,
             const Eigen::MatrixXd& coefficients, PassTotals& totals);
  void removePadding(Eigen::Index rows, const Eigen::MatrixXd& coefficients,
                     const Eigen::VectorXd* shifts, PassTotals& totals);
  void exactScores(const Eigen::MatrixXd& x, Eigen::Index first, Eigen::Index rows,
                   Eigen::Index padded);
  void accumulateCentred(const Eigen::MatrixXd& x, Eigen::Index first, Eigen::Index rows,
                         const double* r, Eigen::Index ldR);
  void runBlocks(const QuadraticFeatures& features, const Eigen::MatrixXd& coefficients,
                 const Eigen::VectorXd* shifts, Eigen::MatrixXd* r, PassTotals& totals,
                 bool scoreDotR);
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
  // The centred path: the scores, and a block's x - m_k and (x - m_k) P_k.
  const GaussianScores* m_exact = nullptr;
  bool m_lastExact = false;
  Eigen::MatrixXd m_z, m_zp, m_coeff, m_centred;
  int m_dim = 1;
};

}  // namespace vilab
