#include "core/models/normal_gamma.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/math/random.hpp"
#include "core/math/special.hpp"

namespace vilab {
namespace {

struct Case {
  std::vector<double> x;
  NormalGammaPrior prior;
};

std::vector<Case> cases() {
  Random rng(5);
  std::vector<Case> out;
  for (int n : {1, 3, 20, 500}) {
    Case c;
    for (int i = 0; i < n; ++i) c.x.push_back(2.0 + 0.7 * rng.normal());
    c.prior = {0.5, 0.8, 1.5, 2.0};
    out.push_back(c);
  }
  out.push_back({{-3.0, 10.0, 4.0}, {100.0, 50.0, 0.01, 0.01}});  // a confident, wrong prior
  return out;
}

MeanFieldQ priorAsQ(const NormalGammaPrior& p) { return {p.mu0, p.kappa0 * p.a0 / p.b0, p.a0, p.b0}; }

TEST(NormalGamma, CaviReachesAnalyticFixedPoint) {
  for (const auto& c : cases()) {
    const auto s = GaussianStats::of(c.x);
    MeanFieldQ q = priorAsQ(c.prior);
    for (int i = 0; i < 500; ++i) q = updateQTau(updateQMu(q, c.prior, s), c.prior, s);
    const MeanFieldQ fixed = caviFixedPoint(c.prior, s);
    EXPECT_NEAR(q.m, fixed.m, 1e-12 * (1 + std::fabs(fixed.m)));
    EXPECT_NEAR(q.l, fixed.l, 1e-10 * fixed.l);
    EXPECT_NEAR(q.a, fixed.a, 1e-12 * fixed.a);
    EXPECT_NEAR(q.b, fixed.b, 1e-10 * fixed.b);
    // The fixed point is a fixed point of both updates.
    const MeanFieldQ again = updateQTau(updateQMu(fixed, c.prior, s), c.prior, s);
    EXPECT_NEAR(again.b, fixed.b, 1e-12 * fixed.b);
    EXPECT_NEAR(again.l, fixed.l, 1e-12 * fixed.l);
  }
}

TEST(NormalGamma, CaviElboNeverDecreasesAndStaysBelowEvidence) {
  for (const auto& c : cases()) {
    const auto s = GaussianStats::of(c.x);
    const double logp = logEvidence(c.prior, s);
    MeanFieldQ q = priorAsQ(c.prior);
    double previous = elbo(q, c.prior, s);
    EXPECT_LE(previous, logp);
    for (int half = 0; half < 60; ++half) {
      q = half % 2 == 0 ? updateQMu(q, c.prior, s) : updateQTau(q, c.prior, s);
      const double current = elbo(q, c.prior, s);
      EXPECT_GE(current, previous - 1e-10 * std::fabs(previous)) << "half step " << half;
      EXPECT_LE(current, logp + 1e-10 * std::fabs(logp)) << "half step " << half;
      previous = current;
    }
  }
}

TEST(NormalGamma, EvidenceIsElboPlusKl) {
  // ELBO and KL(q || exact posterior) are computed independently; their sum must be log p(x).
  for (const auto& c : cases()) {
    const auto s = GaussianStats::of(c.x);
    const auto post = exactPosterior(c.prior, s);
    const double logp = logEvidence(c.prior, s);
    for (const MeanFieldQ& q : {priorAsQ(c.prior), caviFixedPoint(c.prior, s),
                                MeanFieldQ{1.0, 3.0, 2.0, 5.0}}) {
      const double kl = klToPosterior(q, post);
      EXPECT_GE(kl, 0.0);
      EXPECT_NEAR(elbo(q, c.prior, s) + kl, logp, 1e-9 * (1 + std::fabs(logp)));
    }
  }
}

TEST(NormalGamma, KlIsZeroOnlyAtThePosteriorFactors) {
  // The exact posterior is not mean-field, so even the best q keeps a gap; a q equal to the
  // posterior's marginal of tau and the conditional of mu at E[tau] is close but not zero.
  const auto c = cases()[1];
  const auto s = GaussianStats::of(c.x);
  const auto post = exactPosterior(c.prior, s);
  const double gap = klToPosterior(caviFixedPoint(c.prior, s), post);
  EXPECT_GT(gap, 1e-4);
}

// log p(x) = log of the double integral of p(x|mu,tau) p(mu|tau) p(tau), by the trapezoid rule
// in log space over (log tau, z), where mu = muN + z / sqrt(kappaN tau) follows the funnel of the
// joint (at small tau the mean spreads widely). Only the grid uses the posterior's parameters.
double evidenceByQuadrature(const NormalGammaPrior& p, const GaussianStats& s) {
  const auto post = exactPosterior(p, s);
  const double logTauMean = std::log(post.a / post.b), logTauSd = 1.0 / std::sqrt(post.a);
  const int n = 1200;
  std::vector<double> terms;
  terms.reserve(n * n);
  const double zLo = -14, zHi = 14;
  const double ltLo = logTauMean - 20 * logTauSd - 4, ltHi = logTauMean + 14 * logTauSd;
  const double dZ = (zHi - zLo) / (n - 1), dLt = (ltHi - ltLo) / (n - 1);
  for (int i = 0; i < n; ++i) {
    const double lt = ltLo + i * dLt, tau = std::exp(lt);
    const double muScale = 1.0 / std::sqrt(post.kappa * tau);
    for (int j = 0; j < n; ++j) {
      const double mu = post.mu + (zLo + j * dZ) * muScale;
      const double w = (i == 0 || i == n - 1 ? 0.5 : 1.0) * (j == 0 || j == n - 1 ? 0.5 : 1.0);
      // Jacobian: dtau = tau dlt, dmu = muScale dz.
      terms.push_back(logJoint(mu, tau, p, s).value + lt + std::log(muScale * w));
    }
  }
  return logSumExp(terms) + std::log(dZ * dLt);
}

TEST(NormalGamma, EvidenceAgreesWithQuadrature) {
  for (const auto& c : cases()) {
    if (c.x.size() > 100) continue;
    const auto s = GaussianStats::of(c.x);
    EXPECT_NEAR(logEvidence(c.prior, s), evidenceByQuadrature(c.prior, s), 1e-6);
  }
}

TEST(NormalGamma, PosteriorIsJointOverEvidence) {
  for (const auto& c : cases()) {
    const auto s = GaussianStats::of(c.x);
    const auto post = exactPosterior(c.prior, s);
    const double logp = logEvidence(c.prior, s);
    for (double dmu : {-0.3, 0.0, 0.2})
      for (double ftau : {0.5, 1.0, 1.7}) {
        const double mu = post.mu + dmu, tau = ftau * post.a / post.b;
        EXPECT_NEAR(normalGammaLogPdf(mu, tau, post), logJoint(mu, tau, c.prior, s).value - logp,
                    1e-9 * (1 + std::fabs(logp)));
      }
  }
}

TEST(NormalGamma, LogJointGradientMatchesFiniteDifference) {
  const auto c = cases()[2];
  const auto s = GaussianStats::of(c.x);
  const double mu = 1.7, tau = 2.2, h = 1e-6;
  const auto j = logJoint(mu, tau, c.prior, s);
  EXPECT_NEAR(j.dMu, (logJoint(mu + h, tau, c.prior, s).value - logJoint(mu - h, tau, c.prior, s).value) / (2 * h), 1e-5);
  EXPECT_NEAR(j.dTau, (logJoint(mu, tau + h, c.prior, s).value - logJoint(mu, tau - h, c.prior, s).value) / (2 * h), 1e-5);
}

TEST(NormalGamma, StatsAreStableFarFromZero) {
  const std::vector<double> x = {1e9 + 1, 1e9 + 2, 1e9 + 3};
  const auto s = GaussianStats::of(x);
  EXPECT_DOUBLE_EQ(s.mean(), 1e9 + 2);
  EXPECT_NEAR(s.scatter, 2.0, 1e-6);
}

TEST(NormalGamma, DensitiesIntegrateToOne) {
  const NormalGamma ng{0.3, 4.0, 3.5, 2.0};
  double muMass = 0, predMass = 0, tauMass = 0;
  const double h = 1e-3;
  for (double x = -30; x < 30; x += h) {
    muMass += std::exp(posteriorMarginalMuLogPdf(x, ng)) * h;
    predMass += std::exp(posteriorPredictiveLogPdf(x, ng)) * h;
  }
  for (double t = h / 2; t < 40; t += h) tauMass += std::exp(gammaLogPdf(t, ng.a, ng.b)) * h;
  EXPECT_NEAR(muMass, 1.0, 1e-4);
  EXPECT_NEAR(predMass, 1.0, 1e-3);
  EXPECT_NEAR(tauMass, 1.0, 1e-6);
}

}  // namespace
}  // namespace vilab
