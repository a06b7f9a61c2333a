// The targets lab's model end to end: its trace contract, every target with every family, the
// textbook fixed points through the model, live changes, and the scenario's cross-checks.

#include "core/models/targets/model.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>

#include "core/models/targets/reference.hpp"
#include "core/vi/family.hpp"

namespace vilab {
namespace {

using S = TargetsScenario;

const TargetsSnapshot& snap(const std::shared_ptr<const Snapshot>& s) {
  return dynamic_cast<const TargetsSnapshot&>(*s);
}

// A clone (revert's checkpoint, the timeline, compare's B) is the whole state: its snapshot shows
// what the original's does, and both go on bit for bit, with each objective's own machinery
// (forward KL's grid points among it). Cloned between the exact evaluations (iteration 105).
TEST(TargetsModel, CloneShowsAndContinuesAsTheOriginal) {
  for (const auto objective : {S::Objective::KlQp, S::Objective::KlPq}) {
    SCOPED_TRACE(static_cast<int>(objective));
    S s;
    s.objective = objective;
    s.samples = 8;
    s.psisSamples = 200;
    TargetsModel model;
    ASSERT_TRUE(model.reset(s));
    for (int i = 0; i < 105; ++i) model.step();
    const auto copy = model.clone();
    const TargetsSnapshot& a = snap(model.snapshot());
    const TargetsSnapshot& b = snap(copy->snapshot());
    EXPECT_EQ(a.qMarginalX, b.qMarginalX);
    EXPECT_EQ(a.qMarginalY, b.qMarginalY);
    EXPECT_FALSE(b.qMarginalX.empty());
    EXPECT_EQ(a.qGridMass, b.qGridMass);
    EXPECT_EQ(a.elbo, b.elbo);
    EXPECT_EQ(a.klPq, b.klPq);
    for (int i = 0; i < 15; ++i) model.step(), copy->step();
    const auto sa = model.snapshot(), sb = copy->snapshot();
    const auto& ra = sa->trace.lastRow();
    const auto& rb = sb->trace.lastRow();
    ASSERT_EQ(ra.size(), rb.size());
    for (std::size_t c = 0; c < ra.size(); ++c) EXPECT_EQ(std::bit_cast<std::uint64_t>(ra[c]), std::bit_cast<std::uint64_t>(rb[c])) << c;
  }
}

TEST(TargetsModel, TraceColumnsAreTheContract) {
  TargetsModel model;
  ASSERT_TRUE(model.reset(*model.defaultScenario()));
  const std::vector<std::string> expected{"iteration", "elbo", "objective", "kl_qp", "kl_pq", "log_z",
                                          "psis_k", "var_ratio_1", "var_ratio_2", "mcmc_acceptance"};
  EXPECT_EQ(model.trace().columns(), expected);
}

// Every target with every family runs, stays healthy, and gives an exact ELBO below log Z with
// both KLs non-negative (quadrature, up to its own error).
TEST(TargetsModel, EveryTargetWithEveryFamilyRuns) {
  for (int t = 0; t <= static_cast<int>(S::TargetKind::Custom); ++t) {
    for (int f = 0; f <= static_cast<int>(S::FamilyKind::Coupling); ++f) {
      S s;
      s.target = static_cast<S::TargetKind>(t);
      s.family = static_cast<S::FamilyKind>(f);
      s.layers = 2;
      s.samples = 8;
      s.psisSamples = 200;
      s.chain.leapfrog = 4;
      s.chain.warmup = 20;
      SCOPED_TRACE("target " + std::to_string(t) + ", family " + std::to_string(f));
      ASSERT_TRUE(validate(s).empty()) << validate(s).front();
      TargetsModel model;
      ASSERT_TRUE(model.reset(s));
      for (int i = 0; i < 20; ++i) model.step();
      EXPECT_TRUE(model.health()) << model.health().message();
      const auto& sn = snap(model.snapshot());
      EXPECT_TRUE(std::isfinite(sn.logZ));
      EXPECT_LE(sn.elbo, sn.logZ + 1e-6);
      EXPECT_GE(sn.klQp, -1e-6);
      EXPECT_GE(sn.klPq, -1e-6);
      EXPECT_EQ(sn.qDensity.values.size(), sn.p->values.size());
      EXPECT_EQ(sn.qMarginalX.size(), sn.exactMarginals->x.size());
      EXPECT_EQ(sn.constrained, s.target == S::TargetKind::Constrained);
      if (sn.constrained) EXPECT_EQ(sn.qConstrained.values.size(), sn.pConstrained->values.size());
      ASSERT_TRUE(sn.mcmcSamples);
      EXPECT_GT(sn.mcmcSamples->rows(), 0);
    }
  }
}

// PRML §10.1.2 through the model: on a Gaussian target with correlation rho, mean-field q under
// reverse KL has variances 1/Lambda_ii = (1 - rho^2) sigma_i^2, so each variance ratio is
// 1 - rho^2; under forward KL it matches the marginals (ratio 1). Full-rank q is exact.
TEST(TargetsModel, MeanFieldVarianceRatiosAreTheTextbookOnes) {
  const double rho = 0.9;
  struct Case {
    S::FamilyKind family;
    S::Objective objective;
    double ratio;
  };
  for (const Case c : {Case{S::FamilyKind::MeanField, S::Objective::KlQp, 1 - rho * rho},
                       Case{S::FamilyKind::MeanField, S::Objective::KlPq, 1.0},
                       Case{S::FamilyKind::FullRank, S::Objective::KlQp, 1.0}}) {
    S s;
    s.spec.rho = rho;
    s.spec.sigma1 = 1.5;
    s.family = c.family;
    s.objective = c.objective;
    s.samples = 64;
    s.lr = 0.02;
    s.mcmc = S::Mcmc::Off;
    s.psisSamples = 100;
    TargetsModel model;
    ASSERT_TRUE(model.reset(s));
    for (int i = 0; i < 2000; ++i) model.step();
    // The trace's ratios averaged over the last 1000 iterations (Adam's noise averages out).
    const TraceView trace = model.trace().view();
    for (int j = 0; j < 2; ++j) {
      const int column = trace.column(j == 0 ? "var_ratio_1" : "var_ratio_2");
      double sum = 0.0;
      int n = 0;
      for (std::size_t r = 0; r < trace.rows(); ++r)
        if (trace.at(r, 0) > 1000) sum += trace.at(r, column), ++n;
      EXPECT_NEAR(sum / n, c.ratio, 0.03 * c.ratio) << "axis " << j;
    }
  }
}

TEST(TargetsModel, TargetChangeKeepsQAndFamilyChangeRestartsIt) {
  S s;
  s.mcmc = S::Mcmc::Off;
  TargetsModel model;
  ASSERT_TRUE(model.reset(s));
  for (int i = 0; i < 30; ++i) model.step();
  const Eigen::VectorXd lambda = model.family().parameters();
  const double logZ = snap(model.snapshot()).logZ;
  S changed = s;
  changed.spec.sigma1 = 3.0;
  ASSERT_TRUE(model.apply(changed));
  EXPECT_EQ(model.family().parameters(), lambda);
  EXPECT_EQ(model.iteration(), 30);
  EXPECT_NEAR(snap(model.snapshot()).logZ - logZ, std::log(3.0), 1e-6);  // Z = 2 pi s1 s2 sqrt(1 - rho^2)
  changed.family = S::FamilyKind::Planar;
  ASSERT_TRUE(model.apply(changed));
  EXPECT_NE(model.family().parameterCount(), lambda.size());
}

TEST(TargetsModel, CrossChecksRefuseWhatAFamilyCannotDo) {
  S s;
  s.family = S::FamilyKind::Planar;
  s.estimator = S::Estimator::Score;
  auto errors = validate(s);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("score"), std::string::npos) << errors[0];
  s.estimator = S::Estimator::Reparam;
  s.objective = S::Objective::KlPq;
  errors = validate(s);
  ASSERT_EQ(errors.size(), 1u);
  s.family = S::FamilyKind::Mixture;
  EXPECT_TRUE(validate(s).empty());
  s.target = S::TargetKind::Custom;
  s.bumps = "0,0,1,1; 1,2,-1,1";
  errors = validate(s);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("bump 2"), std::string::npos) << errors[0];
}

TEST(TargetsModel, TakesNoDataFile) {
  TargetsModel model;
  const Status st = model.setData(Eigen::MatrixXd::Ones(3, 2), "x.csv");
  EXPECT_FALSE(st);
  EXPECT_NE(st.message().find("takes no data file"), std::string::npos);
}

}  // namespace
}  // namespace vilab
