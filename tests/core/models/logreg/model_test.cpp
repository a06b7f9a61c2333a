// The logistic-regression lab as a whole: its trace contract, user tables (label by name, bad
// labels as errors naming the column), clicks, the snapshot's views, the estimators against the
// Gauss-Hermite gradient, control variates, and full-rank against mean-field q.

#include "core/models/logreg/model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/data/csv.hpp"

namespace vilab {
namespace {

const LogregSnapshot& view(const std::shared_ptr<const Snapshot>& s) { return dynamic_cast<const LogregSnapshot&>(*s); }

TEST(LogregModel, TraceColumnsAreTheContract) {
  LogregModel m;
  ASSERT_TRUE(m.reset(LogregScenario()).isOk());
  const std::vector<std::string> expected = {"iteration", "elbo", "elbo_estimate", "method", "accuracy", "log_loss",
                                             "log_evidence", "jj_bound"};
  EXPECT_EQ(m.trace().columns(), expected);
  m.step();
  const auto row = m.trace().view().lastRow();
  EXPECT_TRUE(std::isfinite(row[6]));  // quadrature's log evidence with D = 2
  EXPECT_TRUE(std::isnan(row[7]));     // JJ has not run
  EXPECT_LE(row[1], row[6]);
}

Status loadInto(LogregModel& m, const std::string& name) {
  CsvData table;
  if (Status s = loadCsv(std::string(VILAB_SOURCE_DIR) + "/tests/data/logreg/" + name, table); !s) return s;
  return m.setDataTable(table);
}

TEST(LogregModel, BadLabelsAreErrorsNamingTheColumn) {
  LogregModel m;
  Status s = loadInto(m, "one_class.csv");
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("column 3 (label)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("one value"), std::string::npos) << s.message();
  s = loadInto(m, "three_classes.csv");
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("column 3 (class)"), std::string::npos) << s.message();
  s = loadInto(m, "nonnumeric_label.csv");
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("species"), std::string::npos) << s.message();
}

TEST(LogregModel, LabelColumnFoundByNameAndClassesNamed) {
  LogregModel m;
  ASSERT_TRUE(loadInto(m, "label_first.csv").isOk());
  auto sc = m.defaultScenario();
  m.adaptScenario(*sc);
  ASSERT_TRUE(validate(*sc).empty());
  ASSERT_TRUE(m.reset(*sc).isOk());
  const auto& s = view(m.snapshot());
  EXPECT_EQ(s.n, 6);
  EXPECT_EQ(s.d, 2);
  EXPECT_EQ(s.classNames[0], "3");
  EXPECT_EQ(s.classNames[1], "7");
  EXPECT_EQ(s.inputNames, (std::vector<std::string>{"height", "weight"}));
  EXPECT_EQ((*s.labels)[1], 1);
  EXPECT_DOUBLE_EQ((*s.inputs)(1, 1), 1.9);
  EXPECT_FALSE(m.dataDecidedFields().empty());
}

TEST(LogregModel, IrisWithFourFeaturesUsesHmc) {
  LogregModel m;
  ASSERT_TRUE(loadInto(m, "iris_versicolor_virginica.csv").isOk());
  LogregScenario sc;
  sc.view.x = 1;
  sc.view.y = 4;
  sc.prior.sigma = 10.0;
  sc.exact.hmc = 1000;
  m.adaptScenario(sc);
  ASSERT_TRUE(validate(sc).empty());
  ASSERT_TRUE(m.reset(sc).isOk());
  for (int i = 0; i < 20; ++i) m.step();
  EXPECT_TRUE(m.health().isOk());
  const auto& s = view(m.snapshot());
  EXPECT_EQ(s.d, 4);
  EXPECT_FALSE(s.exactByQuadrature);
  EXPECT_GT(s.hmcAcceptance, 0.5);
  EXPECT_EQ(s.classNames[0], "1");
  EXPECT_EQ(s.inputNames[3], "petal_width");
  EXPECT_EQ(s.weightYName, "w₄");
  // With 100 points the posterior mean sits within a posterior sd of the MAP in every weight.
  for (int j = 0; j < 5; ++j)
    EXPECT_LT(std::abs(s.exact.mean[j] - s.map[j]), std::sqrt(s.exact.cov(j, j))) << j;
  EXPECT_GT(s.mapAccuracy, 0.9);
}

TEST(LogregModel, ClicksAddAndRemovePoints) {
  LogregModel m;
  LogregScenario sc;
  sc.data.n = 20;
  ASSERT_TRUE(m.reset(sc).isOk());
  ASSERT_TRUE(m.addPoint(5.0, 5.0, 1).isOk());
  EXPECT_EQ(view(m.snapshot()).n, 21);
  EXPECT_TRUE(view(m.snapshot()).edited);
  EXPECT_EQ(m.data().y[20], 1.0);
  ASSERT_TRUE(m.removeNearestPoint(5.1, 4.9).isOk());
  EXPECT_EQ(m.data().n(), 20);
  EXPECT_FALSE(m.addPoint(0, 0, 2).isOk());
  m.step();
  EXPECT_TRUE(m.health().isOk());
  // Edits survive a reset with the same data settings.
  ASSERT_TRUE(m.addPoint(1.0, 1.0, 0).isOk());
  ASSERT_TRUE(m.reset(sc).isOk());
  EXPECT_EQ(m.data().n(), 21);
}

TEST(LogregModel, SnapshotViewsAreConsistent) {
  for (int dim : {2, 3}) {
    LogregModel m;
    LogregScenario sc;
    sc.data.dim = dim;
    sc.data.n = 60;
    sc.exact.hmc = 500;
    sc.predictive = LogregScenario::Predictive::MonteCarlo;
    ASSERT_TRUE(m.reset(sc).isOk());
    for (int i = 0; i < 5; ++i) m.step();
    const auto& s = view(m.snapshot());
    EXPECT_EQ(s.exactByQuadrature, dim == 2);
    EXPECT_EQ(std::isfinite(s.logEvidence), dim == 2);
    ASSERT_EQ(s.predictiveGrid.values.size(), s.predictiveGrid.x.size() * s.predictiveGrid.y.size());
    for (double v : s.predictiveGrid.values) ASSERT_TRUE(v >= 0.0 && v <= 1.0);
    ASSERT_EQ(s.exactDensity.values.size(), s.exactDensity.x.size() * s.exactDensity.y.size());
    const double hx = s.exactDensity.x[1] - s.exactDensity.x[0], hy = s.exactDensity.y[1] - s.exactDensity.y[0];
    double mass = 0.0;
    for (double v : s.exactDensity.values) mass += v * hx * hy;
    EXPECT_NEAR(mass, 1.0, dim == 2 ? 1e-9 : 0.05);
    EXPECT_EQ(s.sampledBoundaries.size(), 8u);
    EXPECT_EQ(s.p, dim + 1);
    EXPECT_TRUE(s.q.valid && s.laplace.valid && s.exact.valid && s.jj.valid);
    EXPECT_EQ(s.weightYName, "w₂");
    for (const auto& e : s.estimators) EXPECT_EQ(e.counts.size() + 1, e.edges.size());
  }
}

TEST(LogregModel, ControlVariatesLowerTheScoreFunctionsVariance) {
  LogregModel m;
  ASSERT_TRUE(m.reset(LogregScenario()).isOk());
  for (int i = 0; i < 200; ++i) m.step();  // near the optimum, where the comparison matters
  const auto& s = view(m.snapshot());
  const double reparam = s.estimators[0].variance, score = s.estimators[1].variance;
  const double loo = s.estimators[2].variance, optimal = s.estimators[3].variance;
  EXPECT_LT(loo / score, 0.1);
  EXPECT_LT(optimal / score, 0.1);
  EXPECT_LT(reparam, loo);
}

// grad_lambda E_q[ln p(y|X,theta)] by central differences of its Gauss-Hermite value: the exact
// gradient the estimators must average to.
Eigen::VectorXd quadratureGradient(const LogregLikelihood& lik, const GaussianFamily& q) {
  Eigen::VectorXd out(q.parameterCount());
  for (Eigen::Index k = 0; k < out.size(); ++k) {
    GaussianFamily a = q, b = q;
    Eigen::VectorXd la = q.parameters(), lb = la;
    la[k] += 1e-5;
    lb[k] -= 1e-5;
    a.setParameters(la);
    b.setParameters(lb);
    out[k] = (lik.expectedLogLikelihood(a.mean(), a.covariance()) - lik.expectedLogLikelihood(b.mean(), b.covariance())) / 2e-5;
  }
  return out;
}

TEST(LogregModel, EstimatorsAreUnbiasedAgainstTheQuadratureGradient) {
  LogregModel m;
  LogregScenario sc;
  sc.data.n = 50;
  ASSERT_TRUE(m.reset(sc).isOk());
  const BatchLogDensity f = [&](const Eigen::MatrixXd& z, Eigen::VectorXd& v, Eigen::MatrixXd* g) {
    m.likelihood().logLikelihoodBatch(z, v, g);
  };
  Eigen::Matrix3d cov;
  cov << 0.30, 0.10, -0.05, 0.10, 0.20, 0.02, -0.05, 0.02, 0.15;
  for (auto kind : {GaussianFamily::Kind::MeanField, GaussianFamily::Kind::FullRank}) {
    const GaussianFamily q(kind, Eigen::Vector3d(1.0, 0.8, -0.2), cov);
    const Eigen::VectorXd exact = quadratureGradient(m.likelihood(), q);
    for (auto [est, base] : {std::pair{GradientEstimator::Reparam, ScoreBaseline::None},
                             {GradientEstimator::Score, ScoreBaseline::None},
                             {GradientEstimator::Score, ScoreBaseline::Loo},
                             {GradientEstimator::Score, ScoreBaseline::Optimal}}) {
      Random rng(23);
      const int draws = 20000;
      const ElboGradient g = monteCarloElboGradient(q, f, est, base, draws, rng);
      const Eigen::VectorXd mean = g.terms.colwise().mean().transpose();
      const Eigen::VectorXd se =
          ((g.terms.rowwise() - mean.transpose()).colwise().squaredNorm().transpose() / (double(draws) * (draws - 1))).cwiseSqrt();
      for (Eigen::Index k = 0; k < mean.size(); ++k)
        EXPECT_NEAR(mean[k], exact[k], 4 * se[k] + 1e-5) << "estimator " << int(est) << " baseline " << int(base) << " k " << k;
    }
  }
}

TEST(LogregModel, FullRankBeatsMeanFieldOnCorrelatedWeights) {
  // Inputs far from the origin correlate w_1 with b in the posterior.
  double kl[2];
  for (int f = 0; f < 2; ++f) {
    LogregModel m;
    LogregScenario sc;
    sc.data.n = 60;
    sc.data.offset = 4.0;
    sc.data.correlation = 0.8;
    sc.samples = 16;
    sc.lr = 0.03;
    sc.family = f == 0 ? LogregScenario::Family::MeanField : LogregScenario::Family::FullRank;
    ASSERT_TRUE(m.reset(sc).isOk());
    for (int i = 0; i < 2500; ++i) m.step();
    ASSERT_TRUE(m.health().isOk());
    kl[f] = view(m.snapshot()).klToExact;
    EXPECT_GE(kl[f], -1e-6);
  }
  EXPECT_LT(kl[1], 0.5 * kl[0]) << "mean-field " << kl[0] << " full-rank " << kl[1];
}

TEST(LogregModel, MethodsSwitchLiveAndKeepTheirTraces) {
  LogregModel m;
  LogregScenario sc;
  ASSERT_TRUE(m.reset(sc).isOk());
  for (int i = 0; i < 5; ++i) m.step();
  sc.method = LogregScenario::Method::Jj;
  ASSERT_TRUE(m.apply(sc).isOk());
  for (int i = 0; i < 3; ++i) m.step();
  sc.method = LogregScenario::Method::Laplace;
  ASSERT_TRUE(m.apply(sc).isOk());
  for (int i = 0; i < 8; ++i) m.step();
  const auto& s = view(m.snapshot());
  EXPECT_EQ(s.gradientTrace.rows(), 5u);
  EXPECT_EQ(s.jjTrace.rows(), 3u);
  EXPECT_EQ(s.laplaceTrace.rows(), 8u);
  EXPECT_EQ(s.trace.rows(), 16u);
  EXPECT_TRUE(std::isfinite(s.jjBound));
  // Newton has converged: its iterate is the MAP and its q is Laplace's.
  EXPECT_LT((s.laplaceIterate - s.map).norm(), 1e-8);
  EXPECT_LT((s.q.cov - s.laplace.cov).norm(), 1e-8);
  EXPECT_LE(s.elbo, s.logEvidence);
}

}  // namespace
}  // namespace vilab
