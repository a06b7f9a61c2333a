#include "core/models/fa.hpp"

#include <gtest/gtest.h>

#include <Eigen/LU>

#include <zlib.h>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/math/random.hpp"
#include "core/registry.hpp"
#include "core/runner.hpp"

namespace vilab {
namespace {

std::shared_ptr<const FaSnapshot> snap(const FaModel& m) {
  return std::static_pointer_cast<const FaSnapshot>(m.snapshot());
}

Eigen::MatrixXd covariance(const Eigen::MatrixXd& W, const Eigen::VectorXd& psi) {
  Eigen::MatrixXd C = W * W.transpose();
  C.diagonal() += psi;
  return C;
}

// Full EM iterations until the log-likelihood stops rising (or maxSteps).
void runToConvergence(FaModel& m, int maxSteps) {
  double previous = -INFINITY;
  for (int i = 0; i < maxSteps; ++i) {
    m.step();
    const double ll = m.logLik();
    if (ll - previous <= 1e-15 * std::fabs(ll)) return;
    previous = ll;
  }
}

bool contains(const std::vector<std::string>& notes, const std::string& part) {
  for (const auto& n : notes)
    if (n.find(part) != std::string::npos) return true;
  return false;
}

// --- scikit-learn fixtures ---

struct Fixture {
  std::string name;
  int k = 0;
  Eigen::MatrixXd data, W;
  Eigen::VectorXd psi, mean;
  double logLikPerPoint = 0.0;
};

Fixture loadFixture(const std::string& name) {
  std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/fa/" + name + ".json");
  EXPECT_TRUE(in.good()) << name;
  const nlohmann::json j = nlohmann::json::parse(in);
  Fixture f;
  f.name = name;
  f.k = j["k"];
  const int n = j["n"], d = j["d"];
  f.data.resize(n, d);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < d; ++c) f.data(r, c) = j["data"][r][c];
  f.W.resize(d, f.k);  // components_ is K x D
  for (int c = 0; c < f.k; ++c)
    for (int i = 0; i < d; ++i) f.W(i, c) = j["components"][c][i];
  f.psi.resize(d);
  f.mean.resize(d);
  for (int i = 0; i < d; ++i) f.psi[i] = j["noise_variance"][i], f.mean[i] = j["mean"][i];
  // loglike_ holds totals over the N rows.
  f.logLikPerPoint = j["loglike_total"].get<double>() / n;
  return f;
}

class FaPeer : public ::testing::TestWithParam<std::tuple<const char*, FaScenario::Init>> {};

TEST_P(FaPeer, EmReachesScikitLearnsFixedPoint) {
  const Fixture f = loadFixture(std::get<0>(GetParam()));
  FaModel model;
  ASSERT_TRUE(model.setData(f.data, f.name).isOk());
  FaScenario s;
  s.d = static_cast<int>(f.data.cols());
  s.k = f.k;
  s.halfsteps = false;
  s.init = std::get<1>(GetParam());
  ASSERT_TRUE(model.reset(s).isOk());
  runToConvergence(model, 200000);
  EXPECT_NEAR(model.logLik(), f.logLikPerPoint, 1e-6);
  const Eigen::MatrixXd C = model.W() * model.W().transpose();
  const Eigen::MatrixXd reference = f.W * f.W.transpose();
  EXPECT_LE((C - reference).norm(), 1e-4 * reference.norm());
  for (Eigen::Index i = 0; i < f.psi.size(); ++i)
    EXPECT_NEAR(model.psi()[i], f.psi[i], 1e-4 * f.psi[i]) << "psi " << i;
  for (Eigen::Index i = 0; i < f.mean.size(); ++i)
    EXPECT_NEAR(model.mu()[i], f.mean[i], 1e-12 * (1 + std::fabs(f.mean[i])));
}

// scikit-learn's 8x8 digits: 64 columns, three constant (all zero), which scikit-learn's
// FactorAnalysis keeps with psi_i on its floor 1e-12. Read at run time from Debian's copy, the
// file the fixture script reads; the fixture holds the fit and the data's checksums.
TEST(FaPeerDigits, EmReachesScikitLearnsFitWithItsConstantColumns) {
  std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/fa/digits.json");
  ASSERT_TRUE(in.good());
  const nlohmann::json j = nlohmann::json::parse(in);
  const std::string path = j["path"];
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) GTEST_SKIP() << path << " is missing (Debian's python3-sklearn)";
  std::string text;
  char buffer[65536];
  for (int got; (got = gzread(file, buffer, sizeof buffer)) > 0;) text.append(buffer, got);
  gzclose(file);
  const int n = j["n"], d = j["d"], k = j["k"];
  Eigen::MatrixXd y(n, d);
  std::istringstream lines(text);
  std::string line;
  for (int r = 0; r < n; ++r) {
    ASSERT_TRUE(std::getline(lines, line)) << "row " << r + 1;
    std::istringstream fields(line);
    std::string field;
    for (int c = 0; c < d; ++c) {  // the 65th field is the label
      ASSERT_TRUE(std::getline(fields, field, ','));
      y(r, c) = std::stod(field);
    }
  }
  ASSERT_DOUBLE_EQ(y.sum(), j["data_sum"].get<double>());
  ASSERT_DOUBLE_EQ(y.squaredNorm(), j["data_sum_squares"].get<double>());

  FaModel model;
  ASSERT_TRUE(model.setData(y, "digits").isOk());
  FaScenario s;
  s.k = k;
  s.halfsteps = false;
  s.init = FaScenario::Init::Pca;
  model.adaptScenario(s);
  ASSERT_TRUE(validate(s).empty());
  ASSERT_TRUE(model.reset(s).isOk());
  const auto first = snap(model);
  const std::vector<int> constant = j["constant_columns"];
  EXPECT_EQ(first->constant, constant);
  EXPECT_TRUE(contains(first->notes, "3 constant columns (y₁, y₃₃, y₄₀)")) << first->notes[0];
  runToConvergence(model, 200000);
  ASSERT_TRUE(model.health().isOk());

  // The log-likelihood (scikit-learn's loglike_ is the total) and the model covariance
  // W W^T + Psi, which is identifiable where W is not.
  EXPECT_NEAR(model.logLik(), j["loglike_total"].get<double>() / n, 1e-7);
  Eigen::MatrixXd W(d, k);
  Eigen::VectorXd psi(d);
  for (int i = 0; i < d; ++i) {
    psi[i] = j["noise_variance"][i];
    for (int c = 0; c < k; ++c) W(i, c) = j["components"][c][i];
  }
  const Eigen::MatrixXd reference = covariance(W, psi);
  EXPECT_LE((covariance(model.W(), model.psi()) - reference).norm(), 1e-5 * reference.norm());
  for (int i : constant) {
    EXPECT_EQ(model.psi()[i], psi[i]) << "psi " << i + 1;  // both exactly the floor 1e-12
    EXPECT_EQ(model.W().row(i).norm(), 0.0) << "w " << i + 1;
  }
  EXPECT_TRUE(snap(model)->floored.empty());  // the constant columns are not Heywood cases
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, FaPeer,
    ::testing::Combine(::testing::Values("one_factor", "two_factors", "mixed_units"),
                       ::testing::Values(FaScenario::Init::Random, FaScenario::Init::Pca)));

// --- EM as coordinate ascent ---

struct Mode {
  bool ppca, halfsteps;
};
class FaModes : public ::testing::TestWithParam<Mode> {};

// Data with a duplicated column and few points push psi to the floor (a Heywood case): the
// log-likelihood must still never decrease.
Eigen::MatrixXd heywoodData() {
  FaScenario s;
  s.d = 6;
  s.data.n = 40;
  FaModel gen;
  EXPECT_TRUE(gen.reset(s).isOk());
  Eigen::MatrixXd y = *snap(gen)->data;
  y.col(3) = 2.0 * y.col(1).array() + 1.0;
  return y;
}

TEST_P(FaModes, LogLikelihoodNeverDecreasesAndTheElboTouchesItAfterEachEStep) {
  const auto [ppca, halfsteps] = GetParam();
  for (bool heywood : {false, true}) {
    FaModel model;
    if (heywood) {
      ASSERT_TRUE(model.setData(heywoodData(), "heywood").isOk());
    }
    FaScenario s;
    s.ppca = ppca;
    s.halfsteps = halfsteps;
    s.k = 2;
    ASSERT_TRUE(model.reset(s).isOk());
    for (int i = 0; i < 600; ++i) model.step();
    const TraceView t = model.trace().view();
    ASSERT_EQ(t.rows(), 600u);
    const int elbo = t.column("elbo"), ll = t.column("loglik"), kl = t.column("kl");
    const int phase = t.column("phase");
    // ELBO and log-likelihood come from different formulas; with psi on its floor both cancel
    // terms of size S_ii / psi_i = 1 / kPsiFloorRelative, so they agree to ~1e-16 / 1e-6 there.
    const double agree = heywood && !ppca ? 1e-8 : 1e-10;
    for (std::size_t r = 0; r < t.rows(); ++r) {
      const double scale = std::fabs(t.at(r, ll));
      ASSERT_TRUE(std::isfinite(t.at(r, ll)) && std::isfinite(t.at(r, elbo)));
      if (r > 0) {
        ASSERT_GE(t.at(r, ll), t.at(r - 1, ll) - 1e-10 * scale) << "row " << r;
      }
      // The bound, and the gap is exactly what the kl column says.
      ASSERT_LE(t.at(r, elbo), t.at(r, ll) + agree * scale) << "row " << r;
      ASSERT_NEAR(t.at(r, ll) - t.at(r, elbo), t.at(r, kl), 1e-12 * scale);
      if (!halfsteps) {
        ASSERT_EQ(t.at(r, phase), 0.0);
      } else if (r % 2 == 0) {
        ASSERT_EQ(t.at(r, phase), 1.0);
        ASSERT_NEAR(t.at(r, elbo), t.at(r, ll), agree * scale) << "after E, row " << r;
        if (r > 0) {
          ASSERT_GE(t.at(r, elbo), t.at(r - 1, elbo) - agree * scale);
        }
      } else {
        // The M step raises the ELBO of the same q.
        ASSERT_EQ(t.at(r, phase), 2.0);
        ASSERT_GE(t.at(r, elbo), t.at(r - 1, elbo) - 1e-10 * scale) << "after M, row " << r;
      }
    }
    if (heywood) {
      const auto sn = snap(model);
      if (!ppca) {
        EXPECT_FALSE(sn->floored.empty());
      }
      EXPECT_TRUE(sn->W.allFinite() && sn->psi.allFinite());
      EXPECT_TRUE(model.health().isOk()) << model.health().message();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, FaModes,
                         ::testing::Values(Mode{false, false}, Mode{false, true}, Mode{true, false},
                                           Mode{true, true}));

TEST(FaModel, HalfStepsChangeOnlyTheirOwnCoordinate) {
  FaScenario s;
  s.halfsteps = true;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.step();  // E
  model.step();  // M
  const auto beforeE = snap(model);
  model.step();  // E: theta unchanged, q (the latent means) new
  const auto afterE = snap(model);
  EXPECT_FALSE(afterE->nextIsE);
  EXPECT_EQ(afterE->lastPhase, FaSnapshot::Phase::E);
  EXPECT_EQ(afterE->W, beforeE->W);
  EXPECT_EQ(afterE->psi, beforeE->psi);
  EXPECT_NE(*afterE->latent, *beforeE->latent);
  model.step();  // M: q unchanged, theta new
  const auto afterM = snap(model);
  EXPECT_EQ(afterM->lastPhase, FaSnapshot::Phase::M);
  EXPECT_EQ(afterM->latent, afterE->latent);  // the same shared array
  EXPECT_EQ(afterM->G, afterE->G);
  EXPECT_NE(afterM->W, afterE->W);
}

TEST(FaModel, PpcaEmReachesTheClosedForm) {
  for (const bool generatedSpread : {false, true}) {
    FaScenario s;
    s.ppca = true;
    s.halfsteps = false;
    s.d = 8;
    s.k = 2;
    s.data.k = 2;
    s.data.psiSpread = generatedSpread ? 30.0 : 1.0;
    FaModel model;
    ASSERT_TRUE(model.reset(s).isOk());
    runToConvergence(model, 100000);
    const auto sn = snap(model);
    EXPECT_NEAR(sn->logLik, sn->ppcaLogLik, 1e-10 * std::fabs(sn->ppcaLogLik));
    EXPECT_NEAR(sn->psi[0], sn->ppcaSigma2, 1e-6 * sn->ppcaSigma2);
    EXPECT_TRUE((sn->psi.array() == sn->psi[0]).all());
    const Eigen::MatrixXd ppca = sn->ppcaW * sn->ppcaW.transpose();
    EXPECT_LE((sn->W * sn->W.transpose() - ppca).norm(), 1e-6 * ppca.norm());
    // FA can only do better than PPCA on the same data.
    FaScenario fa = s;
    fa.ppca = false;
    FaModel faModel;
    ASSERT_TRUE(faModel.reset(fa).isOk());
    runToConvergence(faModel, 100000);
    EXPECT_GE(faModel.logLik(), sn->ppcaLogLik - 1e-9);
  }
}

TEST(FaModel, SameSeedSameTraceWhateverTheSnapshots) {
  FaScenario s;
  s.d = 7;
  s.k = 3;
  FaModel a, b;
  ASSERT_TRUE(a.reset(s).isOk());
  ASSERT_TRUE(b.reset(s).isOk());
  for (int i = 0; i < 150; ++i) {
    a.step();
    b.step();
    if (i % 7 == 0) (void)b.snapshot();  // snapshots must not disturb the fit
  }
  const TraceView ta = a.trace().view(), tb = b.trace().view();
  ASSERT_EQ(ta.rows(), tb.rows());
  for (std::size_t r = 0; r < ta.rows(); ++r)
    for (std::size_t c = 0; c < ta.columnCount(); ++c) ASSERT_EQ(ta.at(r, c), tb.at(r, c));
  EXPECT_EQ(snap(a)->W, snap(b)->W);
  s.seed = 2;
  ASSERT_TRUE(b.reset(s).isOk());
  b.step();
  EXPECT_NE(b.trace().view().at(0, 2), ta.at(0, 2));
}

TEST(FaModel, TraceColumnsAndRegistry) {
  FaModel model;
  const auto& columns = model.trace().columns();
  ASSERT_GE(columns.size(), 3u);
  EXPECT_EQ(columns[0], "iteration");
  EXPECT_EQ(columns[1], "elbo");
  EXPECT_EQ(columns[2], "loglik");
  auto made = makeModel("fa");
  ASSERT_TRUE(made);
  EXPECT_EQ(made->info().name, "fa");
  EXPECT_EQ(made->defaultScenario()->modelName(), "fa");
  EXPECT_TRUE(validate(*made->defaultScenario()).empty());
}

TEST(FaModel, ErrorTracksTheTrueCovariance) {
  FaScenario s;
  s.data.n = 20000;
  s.halfsteps = false;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  const double start = snap(model)->error;
  runToConvergence(model, 20000);
  const auto sn = snap(model);
  const Eigen::MatrixXd truth = sn->trueW * sn->trueW.transpose();
  const double expected = (sn->W * sn->W.transpose() - truth).norm();
  EXPECT_NEAR(sn->error, expected, 1e-9 * truth.norm());
  EXPECT_LT(sn->error, 0.1 * start);
  EXPECT_LT(sn->error, 0.05 * truth.norm());  // many points: close to the truth
  const TraceView t = model.trace().view();
  EXPECT_EQ(t.lastRow()[t.column("error")], sn->error);
}

// --- the snapshot ---

TEST(FaModel, SnapshotProjectsTheModelIntoTheView) {
  for (const bool pca : {false, true}) {
    FaScenario s;
    s.d = 5;
    s.k = 3;
    s.view.pca = pca;
    s.view.x = 4;
    s.view.y = 2;
    FaModel model;
    ASSERT_TRUE(model.reset(s).isOk());
    for (int i = 0; i < 9; ++i) model.step();
    const auto sn = snap(model);
    const auto& P = sn->projection;
    ASSERT_EQ(P.cols(), 5);
    if (!pca) {
      EXPECT_EQ(P(0, 3), 1.0);
      EXPECT_EQ(P(1, 1), 1.0);
      EXPECT_EQ(sn->viewXLabel, "y₄");
    } else {
      EXPECT_NEAR((P * P.transpose() - Eigen::Matrix2d::Identity()).norm(), 0.0, 1e-12);
    }
    const Eigen::Matrix2d model2 = P * covariance(sn->W, sn->psi) * P.transpose();
    EXPECT_LE((sn->modelCov - model2).norm(), 1e-12 * model2.norm());
    const Eigen::Matrix2d true2 = P * covariance(sn->trueW, sn->truePsi) * P.transpose();
    EXPECT_LE((sn->trueCov - true2).norm(), 1e-12 * true2.norm());
    EXPECT_LE((sn->wArrows - P * sn->W).norm(), 1e-12 * sn->W.norm());
    EXPECT_LE((sn->centre - P * sn->mu).norm(), 1e-12 * (1 + sn->mu.norm()));
    ASSERT_EQ(sn->pcaArrows.cols(), 3);
    const Eigen::VectorXd pc1 = sn->pcaDirections.col(0) * std::sqrt(sn->pcaVariances[0]);
    EXPECT_LE((sn->pcaArrows.col(0) - P * pc1).norm(), 1e-12 * pc1.norm());
    // Sample covariance of the data, computed here from the rows.
    const Eigen::MatrixXd c = sn->data->rowwise() - sn->data->colwise().mean();
    const Eigen::MatrixXd S = c.transpose() * c / static_cast<double>(c.rows());
    EXPECT_LE((sn->sampleCov - P * S * P.transpose()).norm(), 1e-10 * S.norm());
    // The cloud is the projected data; the latent means are A (y - mu) for each point.
    ASSERT_EQ(sn->cloud->rows(), sn->n);
    ASSERT_EQ(sn->latent->rows(), sn->n);
    ASSERT_EQ(sn->latent->cols(), 3);
    for (int r : {0, 17, sn->n - 1}) {
      const Eigen::VectorXd y = sn->data->row(r).transpose();
      EXPECT_LE((sn->cloud->row(r).transpose() - P * y).norm(), 1e-12 * (1 + y.norm()));
      const Eigen::VectorXd z = sn->A * (y - sn->mu);
      EXPECT_LE((sn->latent->row(r).transpose() - z).norm(), 1e-10 * (1 + z.norm()));
    }
    EXPECT_EQ(sn->latentCov, sn->G.topLeftCorner(2, 2));
    EXPECT_EQ(sn->colour->size(), static_cast<std::size_t>(sn->n));
    EXPECT_EQ(sn->colourLabel, "true z₁");
    EXPECT_NEAR(sn->kl, sn->logLik - sn->elbo, 1e-12);
    // The M step's statistics, as the tooltips state them: W = Eyz Ezz^-1 after an M step
    // (9 half steps: the last was E, so the next M would give this W).
    const Eigen::MatrixXd nextW = sn->Eyz * sn->Ezz.inverse();
    EXPECT_TRUE(nextW.allFinite());
  }
}

TEST(FaModel, SnapshotMatchesTheMStepFormulas) {
  FaScenario s;
  s.halfsteps = true;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 5; ++i) model.step();  // ends with an E step
  const auto afterE = snap(model);
  model.step();  // M
  const auto afterM = snap(model);
  // W = Eyz Ezz^-1 and psi = diag(S - W Eyz^T) in the data's units, from the shown numbers.
  const Eigen::MatrixXd W = afterE->Eyz * afterE->Ezz.inverse();
  EXPECT_LE((afterM->W - W).norm(), 1e-9 * W.norm());
  const Eigen::VectorXd psi = afterE->sampleVariance - W.cwiseProduct(afterE->Eyz).rowwise().sum();
  EXPECT_LE((afterM->psi - psi).norm(), 1e-9 * psi.norm());
  // G = (I + W^T Psi^-1 W)^-1 and A = G W^T Psi^-1 at the parameters of the E step.
  const auto before = afterE;  // E left W, psi as they were
  const Eigen::MatrixXd M =
      Eigen::MatrixXd::Identity(2, 2) +
      before->W.transpose() * before->psi.cwiseInverse().asDiagonal() * before->W;
  EXPECT_LE((before->G - M.inverse()).norm(), 1e-10);
  const Eigen::MatrixXd A =
      before->G * before->W.transpose() * before->psi.cwiseInverse().asDiagonal();
  EXPECT_LE((before->A - A).norm(), 1e-10 * A.norm());
}

TEST(FaModel, SnapshotsShareTheDataAndSkipUnchangedLatents) {
  FaScenario s;
  s.halfsteps = true;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.step();
  const auto a = snap(model), b = snap(model);
  EXPECT_EQ(a->cloud, b->cloud);
  EXPECT_EQ(a->latent, b->latent);
  EXPECT_EQ(a->data, b->data);
}

// --- apply ---

TEST(FaModel, ApplyKeepsTheFitForViewHalfStepsAndPpca) {
  FaScenario s;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  for (int i = 0; i < 20; ++i) model.step();
  const Eigen::MatrixXd W = model.W();
  FaScenario next = s;
  next.view.pca = true;
  next.halfsteps = false;
  next.speed = 100;
  ASSERT_TRUE(model.apply(next).isOk());
  EXPECT_EQ(model.iteration(), 20);
  EXPECT_EQ(model.W(), W);
  EXPECT_TRUE(snap(model)->viewPca);
  next.ppca = true;
  ASSERT_TRUE(model.apply(next).isOk());
  EXPECT_EQ(model.iteration(), 20);
  EXPECT_EQ(model.W(), W);
  EXPECT_TRUE((model.psi().array() == model.psi()[0]).all());
  model.step();
  EXPECT_TRUE((model.psi().array() == model.psi()[0]).all());
  next.k = 3;
  ASSERT_TRUE(model.apply(next).isOk());
  EXPECT_EQ(model.iteration(), 0);
  EXPECT_EQ(model.W().cols(), 3);
  next.data.noise = 0.2;
  model.step();
  ASSERT_TRUE(model.apply(next).isOk());
  EXPECT_EQ(model.iteration(), 0);
}

// --- bad input ---

TEST(FaModel, ImpossibleScenariosAreRejectedWithAMessage) {
  FaScenario s;
  s.k = 6;
  s.d = 6;
  auto errors = validate(s);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("k = 6"), std::string::npos) << errors[0];
  s.k = 3;
  s.data.n = 3;
  errors = validate(s);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("data.n"), std::string::npos);
  s.data.n = 100;
  s.view.x = 7;
  EXPECT_FALSE(validate(s).empty());
  s.view.pca = true;
  EXPECT_TRUE(validate(s).empty());
  // reset without validation still refuses, changing nothing.
  FaModel model;
  s.k = 9;
  s.d = 6;
  const Status status = model.reset(s);
  EXPECT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("k = 9"), std::string::npos);
}

TEST(FaModel, UserDataThatDoesNotFitTheScenario) {
  FaModel model;
  Eigen::MatrixXd y(5, 3);
  y << 1, 2, 3, 2, 1, 0, 4, 4, 1, 0, 2, 5, 3, 3, 3;
  ASSERT_TRUE(model.setData(y, "small.csv").isOk());
  FaScenario s;  // d = 6 is ignored; k = 2 < 3 columns
  ASSERT_TRUE(model.reset(s).isOk());
  const auto sn = snap(model);
  EXPECT_EQ(sn->d, 3);
  EXPECT_FALSE(sn->hasTruth);
  EXPECT_EQ(sn->colourLabel, "row");
  EXPECT_TRUE(contains(sn->notes, "small.csv"));
  s.k = 3;  // K >= D
  Status status = model.reset(s);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("D = 3"), std::string::npos) << status.message();
  s.k = 2;
  s.view.x = 5;  // beyond the data's columns: fall back with a note
  s.view.y = 1;
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_TRUE(contains(snap(model)->notes, "showing y₁, y₂"));
  Eigen::MatrixXd tiny(2, 3);  // N = 2 rows, K = 2: N must exceed K
  tiny << 1, 2, 3, 4, 5, 7;
  ASSERT_TRUE(model.setData(tiny, "tiny.csv").isOk());
  status = model.reset(s);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("observations"), std::string::npos) << status.message();
}

TEST(FaModel, BadDataGetsOneClearLine) {
  FaModel model;
  Eigen::MatrixXd y = Eigen::MatrixXd::Random(50, 4);
  struct Bad {
    const char* expect;
    Eigen::MatrixXd data;
  };
  std::vector<Bad> cases;
  cases.push_back({"not a finite number", y});
  cases.back().data(4, 1) = NAN;
  cases.push_back({"rescale the data", y});
  cases.back().data(0, 0) = 1e120;
  cases.push_back({"more than", y});
  cases.back().data.col(1) *= 1e-70;
  cases.push_back({"2 to 784 columns", y.leftCols(1)});
  cases.push_back({"2 to 784 columns", Eigen::MatrixXd::Random(3, 785)});
  cases.push_back({"at least 2 rows", y.topRows(1)});
  cases.push_back(
      {"all columns but one are constant", y});  // constant, and constant up to rounding
  cases.back().data.col(2).setConstant(7.5);
  cases.back().data.col(1).array() = 1e9 + 1e-9 * cases.back().data.col(1).array();
  cases.back().data.col(3).setZero();
  cases.push_back({"every column is constant", Eigen::MatrixXd::Ones(5, 3)});
  for (const auto& [expect, data] : cases) {
    const Status status = model.setData(data, "bad.csv");
    ASSERT_FALSE(status.isOk()) << expect;
    EXPECT_NE(status.message().find(expect), std::string::npos) << status.message();
    EXPECT_EQ(status.message().find('\n'), std::string::npos);
  }
  ASSERT_TRUE(model.reset(FaScenario{}).isOk());  // still on generated data
  EXPECT_TRUE(snap(model)->hasTruth);
}

// A constant column is independent of the rest under the fitted model: loadings 0, psi_i on the
// floor, and the log-likelihood that of the other columns plus log N(0 | 0, floor) per column.
TEST(FaModel, ConstantColumnsAreKeptOnScikitLearnsFloor) {
  FaScenario gen;
  gen.d = 5;
  gen.data.n = 200;
  gen.data.noise = 1.0;  // no psi_i near 0, where EM crawls
  gen.seed = 3;
  FaModel generator;
  ASSERT_TRUE(generator.reset(gen).isOk());
  const Eigen::MatrixXd varying = *snap(generator)->data;
  Eigen::MatrixXd y(200, 7);
  y << varying.leftCols(2), Eigen::VectorXd::Constant(200, 3.25), varying.rightCols(3),
      Eigen::VectorXd::Constant(200, -1e6);
  y(7, 6) = -1e6 * (1 + 1e-15);  // differs only by rounding: constant too
  FaScenario s;
  s.halfsteps = false;
  s.init = FaScenario::Init::Pca;
  FaModel with, without;
  ASSERT_TRUE(with.setData(y, "with.csv").isOk());
  ASSERT_TRUE(without.setData(varying, "without.csv").isOk());
  ASSERT_TRUE(with.reset(s).isOk());
  ASSERT_TRUE(without.reset(s).isOk());
  for (int i = 0; i < 20000; ++i) with.step(), without.step();
  ASSERT_TRUE(with.health().isOk());
  const double constantTerm = -0.5 * (std::log(2 * M_PI) + std::log(kConstantColumnPsi));
  EXPECT_NEAR(with.logLik(), without.logLik() + 2 * constantTerm, 1e-9 * std::fabs(with.logLik()));
  const std::vector<int> keep = {0, 1, 3, 4, 5};
  const Eigen::MatrixXd W = with.W();
  EXPECT_LE((W(keep, Eigen::all) * W(keep, Eigen::all).transpose() -
             without.W() * without.W().transpose())
                .norm(),
            1e-6 * without.W().squaredNorm());
  for (int i : {2, 6}) {
    EXPECT_EQ(W.row(i).norm(), 0.0);
    EXPECT_NEAR(with.psi()[i], kConstantColumnPsi, 1e-12 * kConstantColumnPsi);
  }
  const auto sn = snap(with);
  EXPECT_EQ(sn->constant, (std::vector<int>{2, 6}));
  EXPECT_TRUE(sn->floored.empty());
  EXPECT_TRUE(contains(
      sn->notes, "2 constant columns (y₃, y₇): loadings 0, ψᵢ held at scikit-learn's floor 1e-12"));
  EXPECT_TRUE(sn->latent->allFinite());

  // K must stay below the number of columns that vary.
  s.k = 5;
  const Status status = with.reset(s);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("have 5 (of 7)"), std::string::npos) << status.message();
}

// Images from an MNIST-format IDX pair (12 training images of 5 rows x 7 columns, whose pixel
// (5, 1) is 0 in every image): D = 35 pixels decided by the data, rows = bytes / 255.
TEST(FaModel, ImagesComeFromTheDatasetField) {
  const std::string dir = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/nonsquare_5x7_idx";
  FaScenario s;
  s.dataset = dir;
  s.data.n = 12;
  s.k = 2;
  s.view.pca = true;
  ASSERT_TRUE(validate(s).empty());
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.adaptScenario(s);
  EXPECT_EQ(s.d, 35);
  model.step();
  const auto sn = snap(model);
  EXPECT_EQ(sn->d, 35);
  EXPECT_EQ(sn->n, 12);
  EXPECT_EQ(sn->imageRows, 5);
  EXPECT_EQ(sn->imageCols, 7);
  EXPECT_FALSE(sn->hasTruth);
  EXPECT_EQ(sn->colourLabel, "class");
  ASSERT_EQ(sn->classNames.size(), 3u);
  // The first image's top row is 200, 255, ..., 255 (the file's bytes).
  EXPECT_DOUBLE_EQ((*sn->data)(0, 0), 200.0 / 255.0);
  for (int c = 1; c < 7; ++c) EXPECT_DOUBLE_EQ((*sn->data)(0, c), 1.0);
  EXPECT_EQ(sn->constant, std::vector<int>{28});
  EXPECT_TRUE(contains(sn->notes, "1 constant column (y₂₉)"));
  EXPECT_TRUE(contains(sn->notes, "the first 12 training images"));
  EXPECT_EQ(sn->pcaDirections.rows(), 35);
  EXPECT_EQ(sn->pcaDirections.cols(), 2);

  s.data.n = 13;
  Status status = model.reset(s);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("has 12 training images"), std::string::npos) << status.message();
  s.data.n = 12;
  s.dataset = dir + "/missing";
  status = model.reset(s);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find(dir + "/missing"), std::string::npos) << status.message();
  EXPECT_EQ(snap(model)->d, 35);  // a failed reset changes nothing
}

// Through the runner, as the GUI changes fields: choosing images makes D follow their pixels in
// the scenario the UI shows, read-only while they are loaded.
TEST(FaModel, TheRunnerAdoptsTheDimensionThatImagesDecide) {
  auto model = std::make_unique<FaModel>();
  auto scenario = std::make_unique<FaScenario>();
  ASSERT_TRUE(model->reset(*scenario).isOk());
  Runner runner(std::move(model), std::move(scenario));
  runner.sync();
  const std::uint64_t adoptions = runner.state().scenarioAdoptions;
  EXPECT_TRUE(runner.state().dataDecidedFields.empty());
  auto images = std::make_unique<FaScenario>();
  images->dataset = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/nonsquare_5x7_idx";
  images->data.n = 12;
  runner.apply(std::move(images));
  runner.sync();
  Runner::State state = runner.state();
  EXPECT_TRUE(state.problem.empty()) << state.problem;
  EXPECT_EQ(dynamic_cast<const FaScenario&>(*state.scenario).d, 35);
  EXPECT_GT(state.scenarioAdoptions, adoptions);
  for (const char* key : {"d", "data.k", "data.noise"})
    EXPECT_NE(std::find(state.dataDecidedFields.begin(), state.dataDecidedFields.end(), key),
              state.dataDecidedFields.end())
        << key;
  EXPECT_EQ(std::find(state.dataDecidedFields.begin(), state.dataDecidedFields.end(), "data.n"),
            state.dataDecidedFields.end());
  // Generated data again: d is the user's, every field edits.
  auto generated = std::make_unique<FaScenario>();
  generated->d = 7;
  runner.apply(std::move(generated));
  runner.sync();
  state = runner.state();
  EXPECT_EQ(dynamic_cast<const FaScenario&>(*state.scenario).d, 7);
  EXPECT_TRUE(state.dataDecidedFields.empty());
}

TEST(FaModel, DuplicatedColumnsAreAHeywoodCaseFlaggedByName) {
  FaModel model;
  ASSERT_TRUE(model.setData(heywoodData(), "dup.csv").isOk());
  FaScenario s;
  s.halfsteps = false;
  ASSERT_TRUE(model.reset(s).isOk());
  EXPECT_TRUE(contains(snap(model)->notes, "y₂ and y₄ are perfectly correlated"));
  runToConvergence(model, 5000);
  const auto sn = snap(model);
  EXPECT_TRUE(model.health().isOk());
  EXPECT_TRUE(std::find(sn->floored.begin(), sn->floored.end(), 1) != sn->floored.end());
  EXPECT_TRUE(std::find(sn->floored.begin(), sn->floored.end(), 3) != sn->floored.end());
  EXPECT_TRUE(contains(sn->notes, "Heywood case: ψ₂, ψ₄"));
  for (int i : sn->floored) EXPECT_EQ(sn->psi[i], sn->psiFloor[i]);
  EXPECT_NEAR(sn->psiFloor[1], kPsiFloorRelative * sn->sampleVariance[1],
              1e-12 * sn->sampleVariance[1]);
}

// With a header (setDataTable) the columns' names replace y₁..y_D in the notes, the axes, the
// snapshot (for the lab's tooltips) and the view.x / view.y help; setData alone gives none.
TEST(FaModel, HeaderNamesNameTheCoordinates) {
  CsvData table;
  table.values = heywoodData();
  table.source = "dup.csv";
  for (Eigen::Index j = 0; j < table.values.cols(); ++j)
    table.header.push_back("col_" + std::string(1, char('a' + j)));
  FaModel model;
  ASSERT_TRUE(model.setDataTable(table).isOk());
  FaScenario s;
  s.view.x = 4;
  s.view.y = 2;
  model.adaptScenario(s);
  EXPECT_EQ(s.columnNames, table.header);
  EXPECT_NE(findField(s, "view.x")->help.find("1 col_a, 2 col_b"), std::string::npos);
  ASSERT_TRUE(model.reset(s).isOk());
  auto sn = snap(model);
  EXPECT_TRUE(contains(sn->notes, "col_b and col_d are perfectly correlated"));
  EXPECT_EQ(sn->viewXLabel, "col_d");
  EXPECT_EQ(sn->viewYLabel, "col_b");
  EXPECT_EQ(sn->columnNames, table.header);

  ASSERT_TRUE(model.setData(heywoodData(), "dup.csv").isOk());
  model.adaptScenario(s);
  EXPECT_TRUE(s.columnNames.empty());
  ASSERT_TRUE(model.reset(s).isOk());
  sn = snap(model);
  EXPECT_EQ(sn->viewXLabel, "y₄");
  EXPECT_TRUE(sn->columnNames.empty());
  EXPECT_TRUE(contains(sn->notes, "y₂ and y₄ are perfectly correlated"));
}

TEST(FaModel, HugeAndTinyUnitsGiveTheSameFitRescaled) {
  FaScenario s;
  s.halfsteps = false;
  FaModel unit;
  ASSERT_TRUE(unit.reset(s).isOk());
  for (int i = 0; i < 50; ++i) unit.step();
  for (double scale : {1e-60, 1e60}) {
    FaScenario scaled = s;
    scaled.data.scale = scale;
    FaModel model;
    ASSERT_TRUE(model.reset(scaled).isOk());
    for (int i = 0; i < 50; ++i) model.step();
    ASSERT_TRUE(model.health().isOk());
    // log N(c y | c mu, c^2 C) = log N(y | mu, C) - D log c.
    const double shift = s.d * std::log(scale);
    EXPECT_NEAR(model.logLik(), unit.logLik() - shift, 1e-9 * std::fabs(shift));
    EXPECT_LE((model.W() / scale - unit.W()).norm(), 1e-9 * unit.W().norm());
    EXPECT_LE((model.psi() / (scale * scale) - unit.psi()).norm(), 1e-9 * unit.psi().norm());
    const auto sn = snap(model);
    EXPECT_TRUE(sn->modelCov.allFinite() && sn->latent->allFinite());
    EXPECT_TRUE(std::isfinite(sn->error) && sn->error > 0);
  }
}

TEST(FaModel, ExtremeShapesStayFinite) {
  struct Shape {
    int n, d, k, dataK;
    bool ppca;
  };
  for (const auto& [n, d, k, dataK, ppca] :
       {Shape{11, 50, 10, 10, false}, Shape{11, 50, 10, 1, true}, Shape{3, 2, 1, 1, false},
        Shape{2000, 50, 10, 3, false}, Shape{30, 2, 1, 2, true}}) {
    FaScenario s;
    s.data.n = n;
    s.d = d;
    s.k = k;
    s.data.k = dataK;
    s.ppca = ppca;
    s.halfsteps = false;
    ASSERT_TRUE(validate(s).empty());
    FaModel model;
    ASSERT_TRUE(model.reset(s).isOk());
    for (int i = 0; i < 300; ++i) model.step();
    EXPECT_TRUE(model.health().isOk()) << model.health().message();
    const auto sn = snap(model);
    EXPECT_TRUE(sn->W.allFinite() && sn->psi.allFinite() && std::isfinite(sn->logLik));
    EXPECT_TRUE(sn->latent->allFinite() && sn->modelCov.allFinite());
    const TraceView t = model.trace().view();
    for (std::size_t r = 1; r < t.rows(); ++r)
      ASSERT_GE(t.at(r, 2), t.at(r - 1, 2) - 1e-10 * std::fabs(t.at(r, 2))) << n << "x" << d;
    if (n <= d) {
      EXPECT_TRUE(contains(sn->notes, "singular"));
    }
  }
}

TEST(FaModel, ManyPointsAreDrawnThinned) {
  FaScenario s;
  s.data.n = 50000;
  s.d = 3;
  s.k = 1;
  FaModel model;
  ASSERT_TRUE(model.reset(s).isOk());
  model.step();
  const auto sn = snap(model);
  EXPECT_EQ(sn->cloudStride, 3u);
  EXPECT_EQ(sn->cloud->rows(), 16667);
  EXPECT_EQ(sn->latent->rows(), 16667);
  EXPECT_EQ(sn->latent->cols(), 1);
  EXPECT_EQ(sn->latentCov(1, 1), 0.0);
  EXPECT_TRUE(contains(sn->notes, "drawing 1 in 3 of the 50000 points"));
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

TEST(FaModel, DataFilesSetTheDimension) {
  FaModel model;
  Eigen::MatrixXd y(40, 9);
  Random rng(3);
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = rng.normal();
  ASSERT_TRUE(model.setData(y, "y.csv").isOk());
  FaScenario s;
  s.k = 6;  // impossible with the default d, fine with the file's 9 columns
  EXPECT_FALSE(validate(s).empty());
  model.adaptScenario(s);
  EXPECT_EQ(s.d, 9);
  EXPECT_TRUE(validate(s).empty());
  ASSERT_TRUE(model.reset(s).isOk());
}

}  // namespace
}  // namespace vilab
