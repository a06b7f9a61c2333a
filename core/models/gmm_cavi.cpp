#include "core/models/gmm_cavi.hpp"

#include <cmath>

#include "core/math/special.hpp"
#include "core/math/student_t.hpp"
#include "core/math/wishart.hpp"

namespace vilab {

namespace {

// ln C(alpha) = ln Gamma(sum alpha) - sum ln Gamma(alpha_k), the Dirichlet normaliser (B.23).
double logDirichletNormaliser(const Eigen::VectorXd& alpha) {
  double sum = logGamma(alpha.sum());
  for (Eigen::Index k = 0; k < alpha.size(); ++k) sum -= logGamma(alpha(k));
  return sum;
}

// Tr(A B) for symmetric A, B.
double traceOfProduct(const SmallMatrix& a, const SmallMatrix& b) {
  return a.cwiseProduct(b).sum();
}

}  // namespace

void BayesianGmmPosterior::resize(int k, int dim) {
  alpha.resize(k);
  beta.resize(k);
  nu.resize(k);
  m.resize(k, dim);
  wInverse.assign(k, SmallMatrix::Identity(dim, dim));
  w.assign(k, SmallMatrix::Identity(dim, dim));
  logDetW.resize(k);
  expectedLogPi.resize(k);
  expectedLogDetLambda.resize(k);
}

void BayesianGmmPosterior::refresh() {
  const int k = components(), d = dim();
  const double psiSum = digamma(alpha.sum());
  for (int c = 0; c < k; ++c) {
    w[c] = smallInverse(wInverse[c]);
    logDetW(c) = -smallLogDeterminant(wInverse[c]);
    expectedLogPi(c) = digamma(alpha(c)) - psiSum;
    expectedLogDetLambda(c) = wishartExpectedLogDet(logDetW(c), nu(c), d);
  }
}

void caviUpdateGlobal(const NormalWishartPrior& p, const ComponentStats& s,
                      BayesianGmmPosterior& q) {
  const int k = static_cast<int>(s.n.size());
  const int d = static_cast<int>(s.mean.cols());
  if (q.components() != k || q.dim() != d) q.resize(k, d);
  for (int c = 0; c < k; ++c) {
    const double n = s.n(c);
    q.alpha(c) = p.alpha0 + n;  // 10.58
    q.beta(c) = p.beta0 + n;    // 10.60
    q.nu(c) = p.nu0 + n;        // 10.63
    const SmallVector xbar = s.mean.row(c).transpose();
    q.m.row(c) = ((p.beta0 * p.m0 + n * xbar) / q.beta(c)).transpose();  // 10.61
    const SmallVector diff = xbar - p.m0;
    q.wInverse[c] = p.w0Inverse + n * s.scatter[c] +
                    (p.beta0 * n / (p.beta0 + n)) * diff * diff.transpose();  // 10.62
  }
  q.refresh();
}

void caviScoreCoefficients(const BayesianGmmPosterior& q, const QuadraticFeatures& features,
                           Eigen::MatrixXd& coefficients, Eigen::VectorXd& plugInShift) {
  GaussianScores scores;
  caviScores(q, scores, plugInShift);
  features.coefficientsOf(scores, coefficients);
}

void caviScores(const BayesianGmmPosterior& q, GaussianScores& scores,
                Eigen::VectorXd& plugInShift) {
  const int k = q.components(), d = q.dim();
  scores.resize(k, d);
  scores.means = q.m;
  plugInShift.resize(k);
  const double logAlphaSum = std::log(q.alpha.sum());
  for (int c = 0; c < k; ++c) {
    const double c0 = q.expectedLogPi(c) + 0.5 * q.expectedLogDetLambda(c) - 0.5 * d * kLog2Pi -
                      0.5 * d / q.beta(c);
    scores.c0(c) = c0;
    scores.precisions[c] = q.nu(c) * q.w[c];
    const double plugIn = std::log(q.alpha(c)) - logAlphaSum - 0.5 * d * kLog2Pi +
                          0.5 * (d * std::log(q.nu(c)) + q.logDetW(c));
    plugInShift(c) = plugIn - c0;
  }
}

double caviDataTerms(const BayesianGmmPosterior& q, const ComponentStats& s) {
  const int k = q.components(), d = q.dim();
  double sum = 0.0;
  for (int c = 0; c < k; ++c) {
    const SmallVector diff = s.mean.row(c).transpose() - q.m.row(c).transpose();
    const double inner = q.expectedLogDetLambda(c) - d / q.beta(c) -
                         q.nu(c) * traceOfProduct(s.scatter[c], q.w[c]) -
                         q.nu(c) * diff.dot(q.w[c] * diff) - d * kLog2Pi;
    sum += s.n(c) * (0.5 * inner + q.expectedLogPi(c));  // 10.71 + 10.72
  }
  return sum;
}

double caviGlobalTerms(const BayesianGmmPosterior& q, const NormalWishartPrior& p) {
  const int k = q.components(), d = q.dim();
  // 10.73 - 10.76, combined so that a huge |E[ln pi_k]| (tiny alpha) meets a small factor.
  double sum = logGamma(k * p.alpha0) - k * logGamma(p.alpha0) - logDirichletNormaliser(q.alpha);
  for (int c = 0; c < k; ++c) sum += (p.alpha0 - q.alpha(c)) * q.expectedLogPi(c);

  const double logDetW0 = -smallLogDeterminant(p.w0Inverse);
  const double logB0 = wishartLogNormaliser(logDetW0, p.nu0, d);
  for (int c = 0; c < k; ++c) {
    const double eLogLambda = q.expectedLogDetLambda(c);
    const SmallVector diff = q.m.row(c).transpose() - p.m0;
    // 10.74
    sum += 0.5 * (d * std::log(p.beta0 / (2.0 * kPi)) + eLogLambda - d * p.beta0 / q.beta(c) -
                  p.beta0 * q.nu(c) * diff.dot(q.w[c] * diff)) +
           logB0 + 0.5 * (p.nu0 - d - 1) * eLogLambda -
           0.5 * q.nu(c) * traceOfProduct(p.w0Inverse, q.w[c]);
    // - 10.77
    sum -= 0.5 * eLogLambda + 0.5 * d * std::log(q.beta(c) / (2.0 * kPi)) - 0.5 * d -
           wishartEntropy(q.logDetW(c), q.nu(c), d);
  }
  return sum;
}

GaussianMixture caviPointEstimate(const BayesianGmmPosterior& q) {
  GaussianMixture g;
  g.weights = q.alpha / q.alpha.sum();
  g.means = q.m;
  g.covariances.resize(q.components());
  for (int c = 0; c < q.components(); ++c) g.covariances[c] = q.wInverse[c] / q.nu(c);
  return g;
}

StudentTMixture caviPredictive(const BayesianGmmPosterior& q) {
  const int k = q.components(), d = q.dim();
  StudentTMixture t;
  t.weights = q.alpha / q.alpha.sum();
  t.dof.resize(k);
  t.logScale.resize(k);
  t.precision.resize(k);
  t.means = q.m;
  for (int c = 0; c < k; ++c) {
    t.dof(c) = q.nu(c) + 1 - d;
    const double factor = t.dof(c) * q.beta(c) / (1.0 + q.beta(c));
    t.precision[c] = factor * q.w[c];
    const double logDetL = d * std::log(factor) + q.logDetW(c);
    t.logScale(c) = std::log(t.weights(c)) + studentTLogNormaliser(logDetL, t.dof(c), d);
  }
  return t;
}

}  // namespace vilab
