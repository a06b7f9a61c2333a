// The objectives over any Family, on a correlated Gaussian target (rho 0.9, sds 1 and 2) with a
// known log Z: gradients against central differences of the same draws' estimate, unbiasedness
// against 2-D grid quadrature of the exact ELBO, the IWAE bound's monotonicity and ceiling, the
// Renyi bound's alpha -> 1 limit, and the fixed points of reverse and forward KL (Bishop PRML
// §10.1.2: mean-field variances 1/Lambda_ii under KL(q||p), Sigma_ii under KL(p||q)).

#include "core/vi/objectives.hpp"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>
#include <numbers>

#include "core/math/grid_quadrature.hpp"
#include "core/optim/adam.hpp"
#include "core/vi/gaussian_q.hpp"
#include "core/vi/mixture_family.hpp"

namespace vilab {
namespace {

using Kind = GaussianQ::Kind;

// ln p~(z) = log Z + ln N(z; mu, Sigma).
struct GaussianTarget {
  Eigen::Vector2d mu{0.5, -1.0};
  Eigen::Matrix2d sigma;
  Eigen::Matrix2d lambda;  // Sigma^-1
  double logZ = 0.7;
  GaussianTarget() {
    sigma << 1.0, 0.9 * 2.0, 0.9 * 2.0, 4.0;
    lambda = sigma.inverse();
  }
  double logDensity(const Eigen::Vector2d& z) const {
    const Eigen::Vector2d c = z - mu;
    return logZ - std::log(2 * std::numbers::pi) - 0.5 * std::log(sigma.determinant()) -
           0.5 * c.dot(lambda * c);
  }
  BatchLogDensity batch() const {
    return [this](const Eigen::MatrixXd& z, Eigen::VectorXd& v, Eigen::MatrixXd* g) {
      const Eigen::MatrixXd c = z.rowwise() - mu.transpose();
      const Eigen::MatrixXd grad = -c * lambda;
      v = (0.5 * (c.array() * grad.array()).rowwise().sum()).matrix();
      v.array() += logDensity(mu);
      if (g) *g = grad;
    };
  }
  // KL(N(m, S) || p) in closed form.
  double klFrom(const Eigen::Vector2d& m, const Eigen::Matrix2d& s) const {
    const Eigen::Vector2d c = m - mu;
    return 0.5 * ((lambda * s).trace() + c.dot(lambda * c) - 2.0 +
                  std::log(sigma.determinant() / s.determinant()));
  }
};

// Grid nodes (N x 2) and the cell area for expectations by the trapezoid rule's interior.
struct Grid {
  Eigen::MatrixXd x;
  double cell = 0.0;
  explicit Grid(int n = 201) {
    const GridQuadrature g({GridAxis{-9.0, 10.0, n}, GridAxis{-13.0, 11.0, n}});
    x.resize(static_cast<Eigen::Index>(g.size()), 2);
    for (std::size_t i = 0; i < g.size(); ++i)
      x.row(static_cast<Eigen::Index>(i)) = g.node(i).transpose();
    cell = g.cellVolume();
  }
};

double quadratureElbo(const Family& q, const GaussianTarget& p, const Grid& grid) {
  Eigen::VectorXd lq, lp;
  q.logDensity(grid.x, lq);
  p.batch()(grid.x, lp, nullptr);
  return grid.cell * (lq.array().exp() * (lp - lq).array()).sum();
}

// Central differences of a function of lambda.
template <class F>
Eigen::VectorXd centralDifferences(const Family& q, F&& f, double h) {
  auto work = q.clone();
  const Eigen::VectorXd lambda = q.parameters();
  Eigen::VectorXd g(lambda.size());
  for (Eigen::Index k = 0; k < lambda.size(); ++k) {
    Eigen::VectorXd a = lambda, b = lambda;
    a[k] += h;
    b[k] -= h;
    work->setParameters(a);
    const double fa = f(*work);
    work->setParameters(b);
    g[k] = (fa - f(*work)) / (2 * h);
  }
  return g;
}

GaussianQ startingGaussian(Kind kind) {
  Eigen::Matrix2d cov;
  cov << 0.8, -0.2, -0.2, 1.5;
  return GaussianQ(kind, Eigen::Vector2d(-0.3, 0.4), cov);
}

MixtureFamily startingMixture() {
  MixtureFamily q(2, Eigen::Vector2d(0.0, -0.5), Eigen::Matrix2d::Identity(), 3);
  Eigen::VectorXd lambda = q.parameters();
  lambda[0] = 0.4;  // unequal weights
  q.setParameters(lambda);
  return q;
}

TEST(Objectives, ReparameterizedGradientsMatchCentralDifferencesOfTheSameDraws) {
  const GaussianTarget p;
  const GaussianQ fullRank = startingGaussian(Kind::FullRank);
  const MixtureFamily mixture = startingMixture();
  const std::vector<const Family*> families = {&fullRank, &mixture};
  ObjectiveSettings cases[4];
  cases[0].objective = Objective::KlQp;
  cases[1].objective = Objective::Renyi;
  cases[1].alpha = 0.5;
  cases[2].objective = Objective::Renyi;
  cases[2].alpha = -1.5;
  cases[3].objective = Objective::Iwae;
  cases[3].iwaeK = 5;
  for (const Family* q : families)
    for (ObjectiveSettings s : cases) {
      s.samples = 6;
      ObjectiveEstimator est;
      Random rng(21);
      const Eigen::VectorXd grad = est.step(*q, p.batch(), s, rng, nullptr).gradient;
      const Eigen::VectorXd fd = centralDifferences(
          *q,
          [&](const Family& f) {
            ObjectiveEstimator e;
            Random r(21);
            return e.step(f, p.batch(), s, r, nullptr).value;
          },
          1e-6);
      for (Eigen::Index k = 0; k < grad.size(); ++k)
        EXPECT_NEAR(grad[k], fd[k], 1e-5 * (1 + std::abs(fd[k])))
            << q->name() << " objective " << int(s.objective) << " alpha " << s.alpha
            << " parameter " << k;
    }
}

// Mean of many small-S gradients within 4 standard errors of the exact ELBO gradient (central
// differences of the quadrature ELBO).
TEST(Objectives, ElboGradientEstimatorsAreUnbiased) {
  const GaussianTarget p;
  const Grid grid;
  const GaussianQ meanField = startingGaussian(Kind::MeanField);
  const GaussianQ fullRank = startingGaussian(Kind::FullRank);
  const MixtureFamily mixture = startingMixture();
  const std::vector<const Family*> families = {&meanField, &fullRank, &mixture};
  struct Case {
    GradientEstimator estimator;
    ScoreBaseline baseline;
    int samples;
  };
  const Case cases[] = {{GradientEstimator::Reparam, ScoreBaseline::None, 1},
                        {GradientEstimator::Score, ScoreBaseline::None, 1},
                        {GradientEstimator::Score, ScoreBaseline::Loo, 4},
                        {GradientEstimator::Score, ScoreBaseline::Optimal, 4}};
  for (const Family* q : families) {
    const Eigen::VectorXd exact = centralDifferences(
        *q, [&](const Family& f) { return quadratureElbo(f, p, grid); }, 1e-5);
    for (const Case& c : cases) {
      ObjectiveSettings s;
      s.estimator = c.estimator;
      s.baseline = c.baseline;
      s.samples = c.samples;
      ObjectiveEstimator est;
      Random rng(8);
      const int reps = 6000;
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(q->parameterCount()), sum2 = sum;
      for (int r = 0; r < reps; ++r) {
        const Eigen::VectorXd& g = est.step(*q, p.batch(), s, rng, nullptr).gradient;
        sum += g;
        sum2 += g.cwiseProduct(g);
      }
      const Eigen::VectorXd mean = sum / reps;
      const Eigen::VectorXd se = ((sum2 / reps - mean.cwiseProduct(mean)) / (reps - 1)).cwiseSqrt();
      for (Eigen::Index k = 0; k < mean.size(); ++k)
        EXPECT_LT(std::abs(mean[k] - exact[k]), 4 * se[k] + 1e-6)
            << q->name() << " estimator " << int(c.estimator) << " baseline " << int(c.baseline)
            << " parameter " << k << ": " << mean[k] << " vs " << exact[k];
    }
  }
}

TEST(Objectives, RenyiAtAlphaOneIsTheElboAndAtAlphaZeroTheIwaeBound) {
  const GaussianTarget p;
  const MixtureFamily mixture = startingMixture();
  const GaussianQ fullRank = startingGaussian(Kind::FullRank);
  for (const Family* q : std::vector<const Family*>{&fullRank, &mixture}) {
    auto run = [&](Objective o, double alpha, int samples, int k) {
      ObjectiveSettings s;
      s.objective = o;
      s.alpha = alpha;
      s.samples = samples;
      s.iwaeK = k;
      ObjectiveEstimator e;
      Random rng(4);
      return e.step(*q, p.batch(), s, rng, nullptr);
    };
    const ObjectiveStep elbo = run(Objective::KlQp, 0, 10, 1);
    const ObjectiveStep renyi1 = run(Objective::Renyi, 1.0, 10, 1);
    EXPECT_NEAR(renyi1.value, elbo.value, 1e-13);
    EXPECT_LT((renyi1.gradient - elbo.gradient).norm(), 1e-12);
    // The general formula is continuous at alpha = 1.
    for (double a : {1.0 - 1e-6, 1.0 + 1e-6}) {
      const ObjectiveStep near = run(Objective::Renyi, a, 10, 1);
      EXPECT_NEAR(near.value, elbo.value, 1e-4);
      EXPECT_LT((near.gradient - elbo.gradient).norm(), 1e-4 * (1 + elbo.gradient.norm()));
    }
    // IWAE with one bound of K = S draws is the Renyi bound at alpha = 0 on the same draws.
    const ObjectiveStep renyi0 = run(Objective::Renyi, 0.0, 8, 1);
    const ObjectiveStep iwae = run(Objective::Iwae, 0.0, 1, 8);
    EXPECT_NEAR(iwae.value, renyi0.value, 1e-12);
    EXPECT_LT((iwae.gradient - renyi0.gradient).norm(), 1e-12);
  }
}

// E[IWAE_K] is non-decreasing in K and at most log Z (Burda et al. 2016, Theorem 1); at K = 1
// it is the ELBO, log Z - KL(q || p).
TEST(Objectives, IwaeBoundRisesWithKAndStaysBelowLogZ) {
  const GaussianTarget p;
  const Eigen::Matrix2d cov = Eigen::Vector2d(1.0, 4.0).asDiagonal();
  const GaussianQ q(Kind::MeanField, p.mu, cov);  // the marginals, without the correlation
  const double elbo = p.logZ - p.klFrom(p.mu, cov);
  double previous = -1e300, previousSe = 0.0;
  for (int k : {1, 2, 5, 20, 100}) {
    ObjectiveSettings s;
    s.objective = Objective::Iwae;
    s.iwaeK = k;
    s.samples = 20000 / k;
    ObjectiveEstimator est;
    Random rng(30 + k);
    const double value = est.step(q, p.batch(), s, rng, nullptr).value;
    // Each bound from the log weights (blocks of K draws): their mean is the value; their spread
    // gives the standard error.
    const Eigen::VectorXd& lw = est.logWeights();
    ASSERT_EQ(lw.size(), k * s.samples);
    Eigen::VectorXd bound(s.samples);
    for (int b = 0; b < s.samples; ++b) {
      const auto seg = lw.segment(b * k, k);
      const double mx = seg.maxCoeff();
      bound[b] = mx + std::log((seg.array() - mx).exp().mean());
    }
    EXPECT_NEAR(bound.mean(), value, 1e-10);
    const double se =
        std::sqrt((bound.array() - value).square().sum() / (s.samples - 1) / s.samples);
    if (k == 1) EXPECT_LT(std::abs(value - elbo), 4 * se);
    EXPECT_LT(value, p.logZ + 4 * se) << "K = " << k;
    EXPECT_GT(value - previous, -4 * std::hypot(se, previousSe)) << "K = " << k;
    EXPECT_GT(value, elbo - 4 * se);
    previous = value;
    previousSe = se;
  }
  EXPECT_GT(previous, elbo + 0.5 * (p.logZ - elbo));  // K = 100 closes most of the gap
}

// Adam on one objective with a decaying step; returns the family at the averaged iterate.
template <class Q>
Q fit(Q q, const BatchLogDensity& logp, const ObjectiveSettings& s, const WeightedPoints* reference,
      int steps, double lr0, double decay) {
  Adam<double> adam(q.parameterCount(), {lr0});
  ObjectiveEstimator est;
  Random rng(12);
  Eigen::VectorXd lambda = q.parameters();
  Eigen::VectorXd average = Eigen::VectorXd::Zero(lambda.size());
  for (int t = 0; t < steps; ++t) {
    adam.setLearningRate(lr0 / (1.0 + decay * t / steps));  // to lr0 / (1 + decay)
    adam.ascend(lambda, est.step(q, logp, s, rng, reference).gradient);
    q.setParameters(lambda);
    if (2 * t >= steps) average += lambda / double(steps - steps / 2);
  }
  // Polyak-Ruppert averaging of the second half's iterates: the Monte Carlo noise averages out.
  q.setParameters(average);
  return q;
}

WeightedPoints exactReference(const GaussianTarget& p) {
  const GridQuadrature grid({GridAxis{-9.0, 10.0, 121}, GridAxis{-17.0, 15.0, 161}});  // +-8 sd
  std::vector<double> logp(grid.size());
  for (std::size_t i = 0; i < grid.size(); ++i) logp[i] = p.logDensity(grid.node(i));
  return weightedGridPoints(grid, logp, 1e-14);
}

TEST(Objectives, WeightedGridPointsKeepTheMassAndMoments) {
  const GaussianTarget p;
  const WeightedPoints ref = exactReference(p);
  EXPECT_NEAR(ref.w.sum(), 1.0, 1e-14);
  EXPECT_LT(ref.x.rows(), 121 * 161);  // the tails were pruned
  const Eigen::Vector2d mean = ref.x.transpose() * ref.w;
  const Eigen::MatrixXd c = ref.x.rowwise() - mean.transpose();
  const Eigen::Matrix2d cov = c.transpose() * ref.w.asDiagonal() * c;
  EXPECT_LT((mean - p.mu).norm(), 1e-9);
  EXPECT_LT((cov - p.sigma).norm(), 1e-9);
}

TEST(Objectives, FullRankReverseKlReachesTheTarget) {
  const GaussianTarget p;
  ObjectiveSettings s;
  s.samples = 64;
  const GaussianQ q =
      fit(GaussianQ(Kind::FullRank, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity()),
          p.batch(), s, nullptr, 30000, 0.03, 300.0);
  Eigen::VectorXd m;
  Eigen::MatrixXd c;
  q.closedFormMoments(m, c);
  EXPECT_LT(p.klFrom(m, c), 1e-4) << "mean " << m.transpose() << "\ncov\n" << c;
}

TEST(Objectives, MeanFieldReverseKlUnderestimatesTheVariances) {
  const GaussianTarget p;
  ObjectiveSettings s;
  // The reparameterization gradient on rho_j has a per-draw sd of about 1.7 here, so 1e-3
  // needs about 3e7 draws: 1024 per step, the iterates of the second half averaged.
  s.samples = 1024;
  const GaussianQ q =
      fit(GaussianQ(Kind::MeanField, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity()),
          p.batch(), s, nullptr, 30000, 0.03, 10.0);
  Eigen::VectorXd m;
  Eigen::MatrixXd c;
  q.closedFormMoments(m, c);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(c(j, j), 1.0 / p.lambda(j, j), 1e-3 / p.lambda(j, j)) << j;
    EXPECT_NEAR(m[j], p.mu[j], 1e-3) << j;
  }
}

TEST(Objectives, ForwardKlMatchesTheMarginalVariances) {
  const GaussianTarget p;
  const WeightedPoints ref = exactReference(p);
  ObjectiveSettings s;
  s.objective = Objective::KlPq;
  const GaussianQ mf =
      fit(GaussianQ(Kind::MeanField, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity()),
          p.batch(), s, &ref, 2000, 0.05, 20.0);
  const GaussianQ fr =
      fit(GaussianQ(Kind::FullRank, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity()),
          p.batch(), s, &ref, 2000, 0.05, 20.0);
  Eigen::VectorXd m;
  Eigen::MatrixXd c;
  mf.closedFormMoments(m, c);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(c(j, j), p.sigma(j, j), 1e-3 * p.sigma(j, j)) << j;
    EXPECT_NEAR(m[j], p.mu[j], 1e-3) << j;
  }
  fr.closedFormMoments(m, c);
  EXPECT_LT(p.klFrom(m, c), 1e-4);
  // The gradient by the grid is exactly the gradient of sum_i w_i ln q(x_i).
  ObjectiveEstimator est;
  Random rng(1);
  const GaussianQ q = startingGaussian(Kind::FullRank);
  const ObjectiveStep& st = est.step(q, p.batch(), s, rng, &ref);
  const Eigen::VectorXd fd = centralDifferences(
      q,
      [&](const Family& f) {
        Eigen::VectorXd lq;
        f.logDensity(ref.x, lq);
        return ref.w.dot(lq);
      },
      1e-6);
  EXPECT_LT((st.gradient - fd).norm(), 1e-6);
}

// Self-normalized importance sampling from q is consistent: with many draws its forward-KL
// gradient approaches the grid's (its bias and noise shrink like 1/S and 1/sqrt(S)).
TEST(Objectives, ForwardKlBySnisApproachesTheGridGradient) {
  const GaussianTarget p;
  const WeightedPoints ref = exactReference(p);
  Eigen::Matrix2d cov;
  cov << 2.0, 1.0, 1.0, 5.0;  // wider than p: bounded importance ratios
  const GaussianQ q(Kind::FullRank, Eigen::Vector2d(0.2, -0.5), cov);
  ObjectiveSettings s;
  s.objective = Objective::KlPq;
  ObjectiveEstimator est;
  Random rng(3);
  const Eigen::VectorXd exact = est.step(q, p.batch(), s, rng, &ref).gradient;
  const double exactValue = est.step(q, p.batch(), s, rng, &ref).value;
  s.forwardBySnis = true;
  s.samples = 200000;
  const ObjectiveStep& snis = est.step(q, p.batch(), s, rng, nullptr);
  EXPECT_LT((snis.gradient - exact).norm(), 0.02 * (1.0 + exact.norm()))
      << snis.gradient.transpose() << " vs " << exact.transpose();
  EXPECT_NEAR(snis.value, exactValue, 0.02);
}

// A two-component mixture whose components start on either side of the saddle between two
// well-separated unit modes at (+-3, 0): reverse KL puts one component on each mode with weights
// 1/2 (the target is in the family), through the stratified ELBO and its weight gradient.
TEST(Objectives, MixtureUnderReverseKlCoversBothModesOfABimodalTarget) {
  const BatchLogDensity bimodal = [](const Eigen::MatrixXd& z, Eigen::VectorXd& v,
                                     Eigen::MatrixXd* g) {
    v.resize(z.rows());
    if (g) g->resize(z.rows(), 2);
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const Eigen::Vector2d a = z.row(i).transpose() - Eigen::Vector2d(-3, 0),
                            b = z.row(i).transpose() - Eigen::Vector2d(3, 0);
      const double la = -0.5 * a.squaredNorm(), lb = -0.5 * b.squaredNorm(), m = std::max(la, lb);
      const double ea = std::exp(la - m), eb = std::exp(lb - m);
      v[i] =
          m + std::log(0.5 * (ea + eb)) - std::log(2 * std::numbers::pi);  // normalized: log Z = 0
      if (g) g->row(i) = -(ea * a + eb * b).transpose() / (ea + eb);
    }
  };
  MixtureFamily q(2, Eigen::Vector2d::Zero(), Eigen::Matrix2d::Identity(), 1);
  Eigen::VectorXd lambda = q.parameters();
  lambda.segment(2, 2) << -1.0, 0.5;  // component 0's mean
  lambda.segment(7, 2) << 1.0, -0.5;  // component 1's mean
  q.setParameters(lambda);
  ObjectiveSettings s;
  s.samples = 64;
  q = fit(q, bimodal, s, nullptr, 8000, 0.05, 20.0);
  EXPECT_NEAR(q.weights()[0], 0.5, 0.02);
  EXPECT_LT((q.component(0).mean() - Eigen::Vector2d(-3, 0)).norm(), 0.05);
  EXPECT_LT((q.component(1).mean() - Eigen::Vector2d(3, 0)).norm(), 0.05);
  EXPECT_LT((q.component(0).covariance() - Eigen::Matrix2d::Identity()).norm(), 0.05);
  EXPECT_LT((q.component(1).covariance() - Eigen::Matrix2d::Identity()).norm(), 0.05);
}

TEST(Objectives, UnsupportedSettingsSaySo) {
  const GaussianQ q = startingGaussian(Kind::FullRank);
  ObjectiveSettings s;
  EXPECT_EQ(unsupportedReason(q, s), "");
  s.samples = 0;
  EXPECT_NE(unsupportedReason(q, s), "");
  s.samples = 4;
  s.objective = Objective::Iwae;
  s.estimator = GradientEstimator::Score;
  EXPECT_NE(unsupportedReason(q, s), "");
  s.objective = Objective::KlPq;
  EXPECT_NE(unsupportedReason(q, s, false), "");
  s.forwardBySnis = true;
  EXPECT_EQ(unsupportedReason(q, s, false), "");
  ObjectiveEstimator est;
  Random rng(1);
  const GaussianTarget p;
  s.forwardBySnis = false;
  EXPECT_THROW(est.step(q, p.batch(), s, rng, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace vilab
