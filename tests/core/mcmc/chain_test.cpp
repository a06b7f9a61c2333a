// The incremental MCMC chain on a correlated 2-D Gaussian (rho = 0.9): sample moments within a
// few Monte Carlo standard errors (from the chain's own effective sample size), the warm-up
// reaching its target acceptance, bounded memory that keeps exactly every stride-th draw, and
// the same draws however the iterations are split into advance() calls.

#include "core/mcmc/chain.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>
#include <cmath>

#include "core/diagnostics/ess.hpp"

namespace vilab {
namespace {

struct Gaussian2 {
  Eigen::Vector2d mean{1.0, -1.0};
  Eigen::Matrix2d cov;
  Eigen::Matrix2d prec;
  explicit Gaussian2(double rho = 0.9) {
    cov << 1.0, rho * 2.0, rho * 2.0, 4.0;  // sds 1 and 2
    prec = cov.inverse();
  }
  LogDensityWithGradient density() const {
    return [this](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
      const Eigen::Vector2d t = x - mean;
      g = -(prec * t);
      return -0.5 * t.dot(prec * t);
    };
  }
};

// Each mean and covariance entry within z Monte Carlo standard errors, the errors from the ESS
// of the draws (for the mean) and of the centred products (for the covariance).
void expectMomentsWithinMonteCarloError(const McmcChain& chain, const Gaussian2& t, double z) {
  const Eigen::MatrixXd x = chain.samples();
  ASSERT_GT(x.rows(), 100);
  const Eigen::VectorXd ess = effectiveSampleSizes(x);
  Eigen::VectorXd m;
  Eigen::MatrixXd c;
  chain.keptMoments(m, c);
  for (int j = 0; j < 2; ++j) {
    const double se = std::sqrt(t.cov(j, j) / ess[j]);
    EXPECT_NEAR(m[j], t.mean[j], z * se) << "mean " << j << ", ESS " << ess[j];
    for (int k = 0; k <= j; ++k) {
      const Eigen::VectorXd prod = (x.col(j).array() - m[j]) * (x.col(k).array() - m[k]);
      const double sd = std::sqrt((prod.array() - prod.mean()).square().mean());
      const double seCov = sd / std::sqrt(effectiveSampleSize(prod));
      EXPECT_NEAR(c(j, k), t.cov(j, k), z * seCov) << "cov " << j << "," << k;
    }
  }
}

TEST(McmcChain, HmcMomentsAndAcceptanceOnACorrelatedGaussian) {
  const Gaussian2 t;
  McmcChain chain;
  McmcSettings s;
  s.warmup = 300;
  ASSERT_TRUE(chain.reset(McmcKind::Hmc, t.density(), Eigen::Vector2d(3.0, 3.0), 17, s));
  chain.advance(4000);
  EXPECT_EQ(chain.postWarmupIterations(), 4000 - 300);
  EXPECT_EQ(chain.keptCount(), 3700);
  // Dual averaging drives the warm-up's mean acceptance to its target; the averaged step size
  // kept afterwards lands near it too, though with a fixed number of leapfrog steps HMC's
  // acceptance on a Gaussian is not monotone in the step size (trajectory resonances).
  EXPECT_NEAR(chain.warmupAcceptanceRate(), s.hmcTargetAcceptance, 0.03);
  EXPECT_GT(chain.acceptanceRate(), 0.65);
  EXPECT_EQ(chain.divergences(), 0);
  EXPECT_EQ(chain.densityEvaluations(), 1 + 4000LL * s.leapfrogSteps);
  expectMomentsWithinMonteCarloError(chain, t, 4.0);
}

TEST(McmcChain, RwmMomentsAndAcceptanceOnACorrelatedGaussian) {
  const Gaussian2 t;
  McmcChain chain;
  McmcSettings s;
  s.warmup = 2000;
  s.proposalScale = 3.0;  // far too wide at first: the warm-up must shrink it
  ASSERT_TRUE(chain.reset(McmcKind::Rwm, t.density(), Eigen::Vector2d(0.0, 0.0), 5, s));
  chain.advance(60000);
  EXPECT_NEAR(chain.warmupAcceptanceRate(), s.rwmTargetAcceptance, 0.03);
  EXPECT_NEAR(chain.acceptanceRate(), s.rwmTargetAcceptance, 0.06);
  EXPECT_LT(chain.stepSize(), 3.0);
  EXPECT_EQ(chain.divergences(), 0);
  EXPECT_LE(chain.keptCount(), static_cast<Eigen::Index>(s.maxKept));
  expectMomentsWithinMonteCarloError(chain, t, 4.0);
  // RWM diffuses slowly along the long axis: its ESS is a small fraction of its iterations
  // (thinning only lowers the ESS, so the kept draws' ESS bounds it from above).
  EXPECT_LT(chain.effectiveSampleSizes().maxCoeff(), 0.1 * double(chain.postWarmupIterations()));
}

TEST(McmcChain, BoundedMemoryKeepsEveryStrideThDraw) {
  const Gaussian2 t;
  McmcSettings s;
  s.warmup = 50;
  McmcChain all, capped;
  ASSERT_TRUE(all.reset(McmcKind::Rwm, t.density(), Eigen::Vector2d::Zero(), 3, s));
  s.maxKept = 100;
  ASSERT_TRUE(capped.reset(McmcKind::Rwm, t.density(), Eigen::Vector2d::Zero(), 3, s));
  all.advance(5050);
  for (int i = 0; i < 101; ++i) capped.advance(50);  // the same 5050 iterations in chunks
  ASSERT_EQ(all.keptCount(), 5000);
  EXPECT_LE(capped.keptCount(), 100);
  EXPECT_GE(capped.keptCount(), 50);
  const long long stride = capped.keptStride();
  EXPECT_EQ(stride & (stride - 1), 0);  // a power of two
  EXPECT_EQ(capped.keptCount(), (5000 + stride - 1) / stride);
  for (Eigen::Index i = 0; i < capped.keptCount(); ++i)
    EXPECT_EQ(capped.samples().row(i), all.samples().row(i * stride)) << "kept row " << i;
  EXPECT_EQ(capped.position(), all.position());
}

TEST(McmcChain, SameDrawsHoweverAdvanceIsSplitAndPerSeed) {
  const Gaussian2 t;
  McmcSettings s;
  s.warmup = 20;
  McmcChain a, b, c;
  ASSERT_TRUE(a.reset(McmcKind::Hmc, t.density(), Eigen::Vector2d::Zero(), 9, s));
  ASSERT_TRUE(b.reset(McmcKind::Hmc, t.density(), Eigen::Vector2d::Zero(), 9, s));
  ASSERT_TRUE(c.reset(McmcKind::Hmc, t.density(), Eigen::Vector2d::Zero(), 10, s));
  a.advance(200);
  for (int i = 0; i < 200; ++i) b.advance(1);
  c.advance(200);
  EXPECT_EQ(Eigen::MatrixXd(a.samples()), Eigen::MatrixXd(b.samples()));
  EXPECT_EQ(a.stepSize(), b.stepSize());
  EXPECT_NE(Eigen::MatrixXd(a.samples()), Eigen::MatrixXd(c.samples()));
}

TEST(McmcChain, WarmupStateAndBadInput) {
  const Gaussian2 t;
  McmcChain chain;
  McmcSettings s;
  s.warmup = 10;
  EXPECT_TRUE(chain.empty());
  chain.advance(5);  // nothing to advance
  EXPECT_EQ(chain.iterations(), 0);
  ASSERT_TRUE(chain.reset(McmcKind::Hmc, t.density(), Eigen::Vector2d::Zero(), 1, s));
  chain.advance(5);
  EXPECT_TRUE(chain.inWarmup());
  EXPECT_EQ(chain.keptCount(), 0);
  EXPECT_TRUE(std::isnan(chain.acceptanceRate()));
  EXPECT_FALSE(std::isnan(chain.warmupAcceptanceRate()));
  chain.advance(5);
  EXPECT_FALSE(chain.inWarmup());

  McmcSettings bad = s;
  bad.leapfrogSteps = 0;
  Status st = chain.reset(McmcKind::Hmc, t.density(), Eigen::Vector2d::Zero(), 1, bad);
  EXPECT_FALSE(st);
  EXPECT_NE(st.message().find("leapfrog steps"), std::string::npos) << st.message();
  EXPECT_TRUE(chain.empty());
  bad = s;
  bad.rwmTargetAcceptance = 1.0;
  EXPECT_FALSE(chain.reset(McmcKind::Rwm, t.density(), Eigen::Vector2d::Zero(), 1, bad));
  bad = s;
  bad.maxKept = 1;
  EXPECT_FALSE(chain.reset(McmcKind::Rwm, t.density(), Eigen::Vector2d::Zero(), 1, bad));
  const LogDensityWithGradient positive = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g.setZero(x.size());
    return x[0] > 0.0 ? 0.0 : -std::numeric_limits<double>::infinity();
  };
  st = chain.reset(McmcKind::Rwm, positive, Eigen::Vector2d(-1.0, 0.0), 1, s);
  EXPECT_FALSE(st);
  EXPECT_NE(st.message().find("support"), std::string::npos) << st.message();
  // Inside the support, RWM never leaves it (proposals outside are rejected).
  ASSERT_TRUE(chain.reset(McmcKind::Rwm, positive, Eigen::Vector2d(1.0, 0.0), 1, s));
  chain.advance(500);
  EXPECT_GT(chain.samples().col(0).minCoeff(), 0.0);
}

}  // namespace
}  // namespace vilab
