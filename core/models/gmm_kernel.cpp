#include "core/models/gmm_kernel.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "core/math/fast_exp.hpp"
#include "core/math/log_product.hpp"

namespace vilab {

void QuadraticFeatures::build(const Eigen::MatrixXd& x, const SmallVector& centre) {
  m_dim = static_cast<int>(x.cols());
  m_centre = centre;
  m_x = x;
  m_phi.resize(x.rows(), count(m_dim));
  m_phi.col(0).setOnes();
  for (int i = 0; i < m_dim; ++i) m_phi.col(1 + i) = x.col(i).array() - centre(i);
  int c = 1 + m_dim;
  for (int i = 0; i < m_dim; ++i)
    for (int j = i; j < m_dim; ++j, ++c)
      m_phi.col(c) = m_phi.col(1 + i).cwiseProduct(m_phi.col(1 + j));
}

void QuadraticFeatures::coefficients(int dim, double c0, const SmallVector& b, const SmallMatrix& a,
                                     Eigen::Ref<Eigen::VectorXd> w) {
  w(0) = c0;
  for (int i = 0; i < dim; ++i) w(1 + i) = b(i);
  int c = 1 + dim;
  for (int i = 0; i < dim; ++i)
    for (int j = i; j < dim; ++j, ++c)
      w(c) = i == j ? -0.5 * a(i, i) : -0.5 * (a(i, j) + a(j, i));  // y_i y_j appears once
}

void QuadraticFeatures::scoreCoefficients(double c0, const SmallVector& mean,
                                          const SmallMatrix& precision,
                                          Eigen::Ref<Eigen::VectorXd> w) const {
  // c0 - 1/2 (y - m')^T P (y - m') = c0 - 1/2 m'^T P m' + (P m')^T y - 1/2 y^T P y, m' = m - c.
  const SmallVector shifted = mean - m_centre;
  const SmallVector pm = precision * shifted;
  coefficients(m_dim, c0 - 0.5 * smallDot(shifted, pm), pm, precision, w);
}

void GaussianScores::resize(int k, int dim) {
  c0.resize(k);
  means.resize(k, dim);
  precisions.resize(k);
}

void QuadraticFeatures::coefficientsOf(const GaussianScores& scores,
                                       Eigen::MatrixXd& coefficients) const {
  const int k = scores.components();
  coefficients.resize(count(m_dim), k);
  for (int c = 0; c < k; ++c)
    scoreCoefficients(scores.c0(c), scores.means.row(c).transpose(), scores.precisions[c],
                      coefficients.col(c));
}

bool QuadraticFeatures::cancels(const GaussianScores& scores) const {
  for (int c = 0; c < scores.components(); ++c) {
    const SmallVector shifted = scores.means.row(c).transpose() - m_centre;
    const double distance2 = smallDot(shifted, scores.precisions[c] * shifted);
    if (!(distance2 <= kCancellation)) return true;  // NaN: take the careful path too
  }
  return false;
}

void ComponentStats::fromPass(const PassTotals& totals, const QuadraticFeatures& features,
                              const Eigen::MatrixXd* r) {
  fromMoments(totals.moments, features, r, totals.centres.size() ? &totals.centres : nullptr);
}

void ComponentStats::fromMoments(const Eigen::MatrixXd& moments, const QuadraticFeatures& features,
                                 const Eigen::MatrixXd* r, const Eigen::MatrixXd* centres) {
  const int k = static_cast<int>(moments.rows());
  const int d = features.dim();
  n.resize(k);
  mean.resize(k, d);
  scatter.resize(k);
  recentred = 0;
  for (int c = 0; c < k; ++c) {
    n(c) = moments(c, 0) + 10.0 * DBL_EPSILON;
    SmallVector ybar(d);
    for (int i = 0; i < d; ++i) ybar(i) = moments(c, 1 + i) / n(c);
    SmallMatrix& s = scatter[c];
    s.resize(d, d);
    int col = 1 + d;
    bool cancelled = false;
    for (int i = 0; i < d; ++i)
      for (int j = i; j < d; ++j, ++col) {
        const double second = moments(c, col) / n(c);
        s(i, j) = s(j, i) = second - ybar(i) * ybar(j);
        if (i == j && second > 0.0 && !(s(i, i) * kCancellation >= second)) cancelled = true;
      }
    if (centres)
      mean.row(c) = ybar.transpose() + centres->row(c);
    else
      mean.row(c) = (ybar + features.centre()).transpose();
    if (cancelled && r) {
      // From x itself: nothing left to cancel, nothing rounded to the centre's resolution.
      const Eigen::MatrixXd& x = features.x();
      mean.row(c) = r->col(c).transpose() * x / n(c);
      const Eigen::MatrixXd z = x.rowwise() - mean.row(c);
      s = z.transpose() * (z.array().colwise() * r->col(c).array()).matrix() / n(c);
      ++recentred;
    }
  }
}

namespace {

using Packet = Eigen::Array4d;
inline Packet load(const double* p) {
  return Eigen::Map<const Packet>(p);
}
inline void store(double* p, const Packet& v) {
  Eigen::Map<Packet> out(p);
  out = v;
}

}  // namespace

void ResponsibilityPass::run(const QuadraticFeatures& features, const GaussianScores& scores,
                             const Eigen::VectorXd* shifts, Eigen::MatrixXd* r, PassTotals& totals,
                             bool scoreDotR) {
  features.coefficientsOf(scores, m_coeff);
  if (!features.cancels(scores)) return run(features, m_coeff, shifts, r, totals, scoreDotR);
  m_lastExact = true;
  m_exact = &scores;
  runBlocks(features, m_coeff, shifts, r, totals, scoreDotR);
  m_exact = nullptr;  // no pointer outlives the call (the pass is copied with its model)
  m_lastExact = true;
}

void ResponsibilityPass::run(const QuadraticFeatures& features, const Eigen::MatrixXd& coeff,
                             const Eigen::VectorXd* shifts, Eigen::MatrixXd* r, PassTotals& totals,
                             bool scoreDotR) {
  m_exact = nullptr;
  m_lastExact = false;
  runBlocks(features, coeff, shifts, r, totals, scoreDotR);
}

void ResponsibilityPass::exactScores(const Eigen::MatrixXd& x, Eigen::Index first,
                                     Eigen::Index rows, Eigen::Index padded) {
  const int k = m_exact->components();
  const auto block = x.middleRows(first, rows);
  m_z.resize(rows, m_dim);
  m_zp.resize(rows, m_dim);
  for (int c = 0; c < k; ++c) {
    m_z = block.rowwise() - m_exact->means.row(c);
    m_zp.noalias() = m_z * m_exact->precisions[c];
    m_score.col(c).head(rows) = m_exact->c0(c) - 0.5 * (m_zp.array() * m_z.array()).rowwise().sum();
    m_score.col(c).segment(rows, padded - rows).setZero();  // padding rows score 0
  }
}

void ResponsibilityPass::runBlocks(const QuadraticFeatures& features, const Eigen::MatrixXd& coeff,
                                   const Eigen::VectorXd* shifts, Eigen::MatrixXd* r,
                                   PassTotals& totals, bool scoreDotR) {
  using Eigen::Index;
  const Index n = features.rows();
  const Index k = coeff.cols();
  const Index f = coeff.rows();
  const int d = features.dim();
  m_dim = d;
  const Eigen::MatrixXd& phi = features.phi();
  if (r && (r->rows() != n || r->cols() != k)) r->resize(n, k);
  if (m_score.cols() != k) {
    m_score.resize(kBlock, k);
    m_blockR.resize(kBlock, k);
  }
  if (m_blockPhi.cols() != f) m_blockPhi.resize(kBlock, f);
  totals.logSumExp = totals.scoreDotR = totals.shiftedLogSumExp = 0.0;
  totals.moments.setZero(k, f);
  if (m_exact) m_centred.setZero(k, f);

  // Shifted scores: ln sum_k exp(L_k + s_k) = max + smax + ln sum_k e_k w_k with w_k =
  // exp(s_k - smax) in [e^-spread, 1], reusing e_k = exp(L_k - max). When the shifts spread
  // too far for that (extreme priors), the shifted scores get their own exponentials.
  m_shifts = shifts;
  m_scoreDotR = scoreDotR;
  m_shiftReuse = false;
  if (shifts) {
    m_shiftMax = shifts->maxCoeff();
    m_shiftReuse = m_shiftMax - shifts->minCoeff() <= kMaxShiftSpread;
    m_shiftWeight = (shifts->array() - m_shiftMax).exp();
  }

  m_rowSums.clear();
  m_shiftedSums.clear();
  for (Index i0 = 0; i0 < n; i0 += kBlock) {
    const Index b = std::min(kBlock, n - i0);
    const Index padded = (b + 3) / 4 * 4;
    // The block's features, built from the centred coordinates (columns 1..D), so that a pass
    // reads D numbers per point from memory; rows past the data (padding to a multiple of 4)
    // are zero and taken back out of the totals below.
    for (int j = 0; j < d; ++j) {
      m_blockPhi.col(1 + j).head(b) = phi.col(1 + j).segment(i0, b);
      m_blockPhi.col(1 + j).segment(b, padded - b).setZero();
    }
    Index c = 1 + d;
    for (int a = 0; a < d; ++a)
      for (int e = a; e < d; ++e, ++c)
        m_blockPhi.col(c).head(padded) =
            m_blockPhi.col(1 + a).head(padded).cwiseProduct(m_blockPhi.col(1 + e).head(padded));
    if (m_exact) exactScores(features.x(), i0, b, padded);
    const bool direct = r && padded == b;
    double* rBlock = direct ? r->data() + i0 : m_blockR.data();
    block(m_blockPhi.data(), kBlock, rBlock, direct ? n : kBlock, padded, coeff, totals);
    if (m_exact) accumulateCentred(features.x(), i0, b, rBlock, direct ? n : kBlock);
    if (r && !direct) r->middleRows(i0, b) = m_blockR.topRows(b);
    if (padded != b) removePadding(padded - b, coeff, shifts, totals);
  }
  totals.logSumExp += m_rowSums.log();
  if (shifts) totals.shiftedLogSumExp += m_shiftedSums.log();
  if (m_exact) {
    // Every moment but sum r about the component's own mean (the blocks' feature moments about
    // the centre are dropped: they are what would cancel).
    totals.moments.rightCols(f - 1) = m_centred.rightCols(f - 1);
    totals.centres = m_exact->means;
  } else {
    totals.centres.resize(0, 0);
  }
}

void ResponsibilityPass::accumulateCentred(const Eigen::MatrixXd& x, Eigen::Index first,
                                           Eigen::Index rows, const double* r, Eigen::Index ldR) {
  const int k = m_exact->components(), d = m_dim;
  const auto block = x.middleRows(first, rows);
  for (int c = 0; c < k; ++c) {
    m_z = block.rowwise() - m_exact->means.row(c);
    const Eigen::Map<const Eigen::ArrayXd> rc(r + c * ldR, rows);
    m_zp = (m_z.array().colwise() * rc).matrix();  // r z
    for (int i = 0; i < d; ++i) m_centred(c, 1 + i) += m_zp.col(i).sum();
    int col = 1 + d;
    for (int i = 0; i < d; ++i)
      for (int j = i; j < d; ++j, ++col) m_centred(c, col) += m_zp.col(i).dot(m_z.col(j));
  }
}

void ResponsibilityPass::removePadding(Eigen::Index rows, const Eigen::MatrixXd& coeff,
                                       const Eigen::VectorXd* shifts, PassTotals& totals) {
  // A padding row (features 0 after the constant) has scores w_0k and responsibilities
  // softmax(w_0). Scalar loops over K: no temporaries.
  const Eigen::Index k = coeff.cols();
  const auto logSumExp = [&](auto score) {
    double m = score(0);
    for (Eigen::Index c = 1; c < k; ++c) m = std::max(m, score(c));
    double sum = 0.0;
    for (Eigen::Index c = 0; c < k; ++c) sum += std::exp(score(c) - m);
    return m + std::log(sum);
  };
  // (On the centred path padding rows score 0.)
  const auto w0 = [&](Eigen::Index c) { return m_exact ? 0.0 : coeff(0, c); };
  const double lse = logSumExp(w0);
  totals.logSumExp -= rows * lse;
  for (Eigen::Index c = 0; c < k; ++c) {
    const double r = std::exp(w0(c) - lse);
    if (m_scoreDotR) totals.scoreDotR -= rows * r * w0(c);
    totals.moments(c, 0) -= rows * r;
  }
  if (shifts)
    totals.shiftedLogSumExp -=
        rows * logSumExp([&](Eigen::Index c) { return w0(c) + (*shifts)(c); });
}

void ResponsibilityPass::block(const double* phi, Eigen::Index ldPhi, double* r, Eigen::Index ldR,
                               Eigen::Index rows, const Eigen::MatrixXd& coeff,
                               PassTotals& totals) {
  const bool dot = m_scoreDotR;
  switch (coeff.rows()) {
    case 3:
      return dot ? blockOf<3, true>(phi, ldPhi, r, ldR, rows, coeff, totals)
                 : blockOf<3, false>(phi, ldPhi, r, ldR, rows, coeff, totals);
    case 6:
      return dot ? blockOf<6, true>(phi, ldPhi, r, ldR, rows, coeff, totals)
                 : blockOf<6, false>(phi, ldPhi, r, ldR, rows, coeff, totals);
    default:
      return dot ? blockOf<0, true>(phi, ldPhi, r, ldR, rows, coeff, totals)
                 : blockOf<0, false>(phi, ldPhi, r, ldR, rows, coeff, totals);
  }
}

template <int F, bool Dot>
void ResponsibilityPass::blockOf(const double* phi, Eigen::Index ldPhi, double* r, Eigen::Index ldR,
                                 Eigen::Index rows, const Eigen::MatrixXd& coeff,
                                 PassTotals& totals) {
  using Eigen::Index;
  const Index k = coeff.cols();
  const Index f = F > 0 ? F : coeff.rows();
  double* score = m_score.data();
  double* mx = m_max.data();
  double* sum = m_sum.data();
  double* weighted = m_weighted.data();
  const auto feature = [&](Index j, Index p) { return load(phi + j * ldPhi + p); };

  // Scores L_k = sum_j w_jk phi_j (unless the centred path gave them) and their row maxima.
  for (Index c = 0; c < k && m_exact; ++c) {
    const double* sc = score + c * kBlock;
    for (Index p = 0; p < rows; p += 4)
      store(mx + p, c == 0 ? load(sc + p) : load(mx + p).max(load(sc + p)));
  }
  for (Index c = 0; c < k && !m_exact; ++c) {
    const double* w = coeff.col(c).data();
    double* sc = score + c * kBlock;
    for (Index p = 0; p < rows; p += 4) {
      Packet s = Packet::Constant(w[0]);  // feature 0 is the constant 1
      for (Index j = 1; j < f; ++j) s += w[j] * feature(j, p);
      store(sc + p, s);
      store(mx + p, c == 0 ? s : load(mx + p).max(s));
    }
  }
  // e_k = exp(L_k - max) and their row sums, which lie in [1, K].
  for (Index c = 0; c < k; ++c) {
    const double* sc = score + c * kBlock;
    double* rc = r + c * ldR;
    for (Index p = 0; p < rows; p += 4) {
      const Packet e = expNonPositive(load(sc + p) - load(mx + p));
      store(rc + p, e);
      store(sum + p, c == 0 ? e : load(sum + p) + e);
    }
  }
  const double maxSum = Eigen::Map<const Eigen::ArrayXd>(mx, rows).sum();
  const double logK = std::log(double(k));
  totals.logSumExp += maxSum;
  m_rowSums.multiply(sum, rows, logK);
  double* inv = m_inverse.data();
  for (Index p = 0; p < rows; p += 4) store(inv + p, load(sum + p).inverse());

  // Normalise; accumulate the moments sum r phi_j, sum r L and the shift-weighted r.
  for (Index c = 0; c < k; ++c) {
    const double* sc = score + c * kBlock;
    double* rc = r + c * ldR;
    const double wc = m_shiftReuse ? m_shiftWeight(c) : 0.0;
    Packet acc[QuadraticFeatures::kMaxCount];
    for (Index j = 0; j < f; ++j) acc[j].setZero();
    Packet dot = Packet::Zero();
    for (Index p = 0; p < rows; p += 4) {
      const Packet rr = load(rc + p) * load(inv + p);
      store(rc + p, rr);
      if constexpr (Dot) dot += rr * load(sc + p);
      acc[0] += rr;
      for (Index j = 1; j < f; ++j) acc[j] += rr * feature(j, p);
      if (m_shiftReuse)
        store(weighted + p, c == 0 ? Packet(wc * rr) : Packet(load(weighted + p) + wc * rr));
    }
    for (Index j = 0; j < f; ++j) totals.moments(c, j) += acc[j].sum();
    totals.scoreDotR += dot.sum();
  }

  if (m_shiftReuse) {
    // sum_k e_k w_k = (sum_k r_k w_k)(sum_k e_k), in [e^-spread, K].
    for (Index p = 0; p < rows; p += 4) store(weighted + p, load(weighted + p) * load(sum + p));
    totals.shiftedLogSumExp += maxSum + rows * m_shiftMax;
    m_shiftedSums.multiply(weighted, rows, std::max(kMaxShiftSpread, logK));
  } else if (m_shifts) {
    for (Index c = 0; c < k; ++c) {
      double* sc = score + c * kBlock;
      const double shift = (*m_shifts)(c);
      for (Index p = 0; p < rows; p += 4) {
        const Packet s = load(sc + p) + shift;
        store(sc + p, s);
        store(mx + p, c == 0 ? s : load(mx + p).max(s));
      }
    }
    for (Index c = 0; c < k; ++c) {
      const double* sc = score + c * kBlock;
      for (Index p = 0; p < rows; p += 4) {
        const Packet e = expNonPositive(load(sc + p) - load(mx + p));
        store(weighted + p, c == 0 ? e : load(weighted + p) + e);
      }
    }
    totals.shiftedLogSumExp += Eigen::Map<const Eigen::ArrayXd>(mx, rows).sum();
    m_shiftedSums.multiply(weighted, rows, logK);
  }
}

}  // namespace vilab
