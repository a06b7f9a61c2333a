#include "core/models/gmm_cavi.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>

#include "core/math/random.hpp"
#include "core/math/special.hpp"
#include "core/models/gmm_data.hpp"

namespace vilab {
namespace {

struct Problem {
  Eigen::MatrixXd x;
  QuadraticFeatures features;
  NormalWishartPrior prior;
};

Problem makeProblem(int n, int d, std::uint64_t seed, double alpha0 = 0.3) {
  Random rng(seed);
  MixtureDataSettings settings;
  settings.components = 3;
  const GaussianMixture truth = makeTrueMixture(settings, d, rng);
  Problem p;
  p.x = sampleMixture(truth, n, rng);
  const DataSummary s = summarise(p.x);
  p.features.build(p.x, s.mean);
  p.prior.alpha0 = alpha0;
  p.prior.beta0 = 0.7;
  p.prior.nu0 = d + 0.5;
  p.prior.m0 = s.mean;
  p.prior.w0Inverse = s.covariance;
  return p;
}

ComponentStats statsOf(const Problem& p, const Eigen::MatrixXd& r) {
  ComponentStats stats;
  stats.fromMoments(r.transpose() * p.features.phi(), p.features);
  return stats;
}

double sumRLogR(const Eigen::MatrixXd& r) {
  return (r.array() > 0).select(r.array() * r.array().log(), 0.0).sum();
}

// Murphy (2007), "Conjugate Bayesian analysis of the Gaussian distribution", eq. 266: the
// evidence of a Gaussian with a Normal-inverse-Wishart prior (Lambda0 = W0^-1, kappa = beta).
double normalWishartLogEvidence(const Problem& p) {
  const int n = static_cast<int>(p.x.rows()), d = static_cast<int>(p.x.cols());
  const Eigen::VectorXd mean = p.x.colwise().mean().transpose();
  const Eigen::MatrixXd centred = p.x.rowwise() - mean.transpose();
  const Eigen::VectorXd diff = mean - Eigen::VectorXd(p.prior.m0);
  const double betaN = p.prior.beta0 + n, nuN = p.prior.nu0 + n;
  const Eigen::MatrixXd scaleN = Eigen::MatrixXd(p.prior.w0Inverse) +
                                 centred.transpose() * centred +
                                 (p.prior.beta0 * n / betaN) * diff * diff.transpose();
  return -0.5 * n * d * std::log(kPi) + logMultiGamma(0.5 * nuN, d) -
         logMultiGamma(0.5 * p.prior.nu0, d) +
         0.5 * p.prior.nu0 * std::log(smallDeterminant(p.prior.w0Inverse)) -
         0.5 * nuN * std::log(scaleN.determinant()) + 0.5 * d * std::log(p.prior.beta0 / betaN);
}

// With one component q(Z) is exact and the CAVI update of q(mu, Lambda) is the exact posterior,
// so the ELBO with every constant equals log p(X).
TEST(CaviElbo, OneComponentEqualsTheNormalWishartEvidence) {
  for (int d : {1, 2}) {
    Problem p = makeProblem(40, d, 3 + d);
    p.prior.alpha0 = 1.0;
    const Eigen::MatrixXd r = Eigen::MatrixXd::Ones(40, 1);
    const ComponentStats stats = statsOf(p, r);
    BayesianGmmPosterior q;
    caviUpdateGlobal(p.prior, stats, q);
    const double evidence = normalWishartLogEvidence(p);
    EXPECT_NEAR(caviElbo(q, p.prior, stats, 0.0), evidence, 1e-9 * std::fabs(evidence)) << d;
    // The same through the E-step form: sum_n ln rho_n + global terms.
    Eigen::MatrixXd coeff;
    Eigen::VectorXd shift;
    caviScoreCoefficients(q, p.features, coeff, shift);
    const Eigen::VectorXd lnRho = p.features.phi() * coeff;
    EXPECT_NEAR(lnRho.sum() + caviGlobalTerms(q, p.prior), evidence, 1e-9 * std::fabs(evidence));
  }
}

// For fixed q(Z) the CAVI update maximises the ELBO over q(pi, mu, Lambda): moving any
// parameter away from it lowers the ELBO computed by 10.70-10.77.
TEST(CaviElbo, GlobalUpdateIsTheMaximiserForFixedResponsibilities) {
  for (int d : {1, 2}) {
    const Problem p = makeProblem(60, d, 17 + d);
    Random rng(2);
    Eigen::MatrixXd r(60, 3);
    for (int i = 0; i < 60; ++i) {
      for (int c = 0; c < 3; ++c) r(i, c) = rng.uniformOpen();
      r.row(i) /= r.row(i).sum();
    }
    const ComponentStats stats = statsOf(p, r);
    const double h = sumRLogR(r);
    BayesianGmmPosterior best;
    caviUpdateGlobal(p.prior, stats, best);
    const double top = caviElbo(best, p.prior, stats, h);
    const auto lower = [&](auto perturb, const char* what) {
      for (double sign : {-1.0, 1.0}) {
        BayesianGmmPosterior q = best;
        perturb(q, sign);
        q.refresh();
        EXPECT_LT(caviElbo(q, p.prior, stats, h), top - 1e-10) << what << " d=" << d;
      }
    };
    for (int c = 0; c < 3; ++c) {
      lower([&](BayesianGmmPosterior& q, double s) { q.alpha(c) *= 1.0 + 0.01 * s; }, "alpha");
      lower([&](BayesianGmmPosterior& q, double s) { q.beta(c) *= 1.0 + 0.01 * s; }, "beta");
      lower([&](BayesianGmmPosterior& q, double s) { q.nu(c) += 0.05 * s; }, "nu");
      lower([&](BayesianGmmPosterior& q, double s) { q.m(c, d - 1) += 0.01 * s; }, "m");
      lower([&](BayesianGmmPosterior& q, double s) { q.wInverse[c] *= 1.0 + 0.01 * s; }, "W");
      if (d == 2)
        lower(
            [&](BayesianGmmPosterior& q, double s) {
              q.wInverse[c](0, 1) += 0.01 * s;
              q.wInverse[c](1, 0) += 0.01 * s;
            },
            "W off-diagonal");
    }
  }
}

// For fixed q(pi, mu, Lambda) the E-step responsibilities maximise the ELBO, where it equals
// sum_n ln sum_k rho_nk + the global terms.
TEST(CaviElbo, ResponsibilitiesAreTheMaximiserForFixedGlobals) {
  const Problem p = makeProblem(80, 2, 29);
  Eigen::MatrixXd r0 = Eigen::MatrixXd::Constant(80, 3, 1.0 / 3);
  r0.col(0).head(30).array() += 0.3;
  r0.col(1).head(30).array() -= 0.3;
  BayesianGmmPosterior q;
  caviUpdateGlobal(p.prior, statsOf(p, r0), q);
  Eigen::MatrixXd coeff;
  Eigen::VectorXd shift;
  caviScoreCoefficients(q, p.features, coeff, shift);
  ResponsibilityPass pass;
  Eigen::MatrixXd r;
  PassTotals totals;
  pass.run(p.features, coeff, &shift, &r, totals);
  const double viaLse = totals.logSumExp + caviGlobalTerms(q, p.prior);
  const double full = caviElbo(q, p.prior, statsOf(p, r), sumRLogR(r));
  EXPECT_NEAR(viaLse, full, 1e-10 * std::fabs(full));
  EXPECT_NEAR(totals.entropyTerm(), sumRLogR(r), 1e-10 * std::fabs(sumRLogR(r)));
  Random rng(4);
  for (int trial = 0; trial < 5; ++trial) {
    Eigen::MatrixXd other = r;
    for (int i = 0; i < 80; ++i) {
      for (int c = 0; c < 3; ++c) other(i, c) *= std::exp(0.2 * rng.normal());
      other.row(i) /= other.row(i).sum();
    }
    EXPECT_LT(caviElbo(q, p.prior, statsOf(p, other), sumRLogR(other)), full);
  }
}

double integrate1d(const StudentTMixture& t, double lo, double hi, int n) {
  double sum = 0.0;
  const double h = (hi - lo) / n;
  for (int i = 0; i <= n; ++i) {
    const double x = lo + i * h;
    double density = 0.0;
    for (Eigen::Index c = 0; c < t.weights.size(); ++c) {
      const double delta2 = t.precision[c](0, 0) * (x - t.means(c, 0)) * (x - t.means(c, 0));
      density += std::exp(t.logScale(c) - 0.5 * (t.dof(c) + 1) * std::log1p(delta2 / t.dof(c)));
    }
    sum += (i == 0 || i == n ? 0.5 : 1.0) * density * h;
  }
  return sum;
}

TEST(CaviPredictive, StudentTMixtureIsNormalised) {
  const Problem p = makeProblem(50, 1, 8);
  Eigen::MatrixXd r = Eigen::MatrixXd::Constant(50, 3, 1.0 / 3);
  BayesianGmmPosterior q;
  caviUpdateGlobal(p.prior, statsOf(p, r), q);
  const StudentTMixture t = caviPredictive(q);
  EXPECT_NEAR(t.weights.sum(), 1.0, 1e-14);
  // Heavy tails: integrate far out.
  EXPECT_NEAR(integrate1d(t, -300, 300, 60000), 1.0, 1e-3);
}

TEST(CaviPointEstimate, FollowsScikitLearnsConvention) {
  const Problem p = makeProblem(50, 2, 9);
  Eigen::MatrixXd r = Eigen::MatrixXd::Constant(50, 3, 1.0 / 3);
  BayesianGmmPosterior q;
  caviUpdateGlobal(p.prior, statsOf(p, r), q);
  const GaussianMixture g = caviPointEstimate(q);
  EXPECT_NEAR(g.weights.sum(), 1.0, 1e-14);
  for (int c = 0; c < 3; ++c) {
    // (nu W)^-1 = E[Lambda]^-1.
    EXPECT_TRUE(
        (g.covariances[c] * (q.nu(c) * q.w[c])).isApprox(SmallMatrix::Identity(2, 2), 1e-12));
  }
}

}  // namespace
}  // namespace vilab
