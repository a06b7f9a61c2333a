// The mixture lab on the command line with the user's files: fields that the data decide follow
// the data, and a fit at any scale matches scikit-learn (tests/reference/gmm_fixtures.py).

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

using test::Result;
using test::run;
using test::slurp;

const std::string kData = std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/";

class GmmCommandLine : public test::TempDirTest {};

// one_column.csv: the scenario's dim (2 by default) follows the file, so bbvi runs.
TEST_F(GmmCommandLine, OneColumnFileSetsTheDimensionToOne) {
  const auto params = dir / "p.json";
  const Result r = run("--model gmm --data " + kData +
                       "one_column.csv --set algorithm=bbvi --set k=2 --headless --steps 50 "
                       "--params-out " +
                       params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("is not used"), std::string::npos) << r.err;
  const auto p = nlohmann::json::parse(slurp(params));
  EXPECT_EQ(p["means"][0].size(), 1u);
}

// far_tight_clusters.csv: scikit-learn's EM answer (covariances 3.0e-6 with reg_covar 1e-6,
// means 0 and 1e6) and no collapse note.
TEST_F(GmmCommandLine, FarTightClustersMatchScikitLearn) {
  std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/gmm/far_tight_clusters.json");
  const auto theirs = nlohmann::json::parse(in)["em"]["100"];
  const auto params = dir / "p.json";
  const Result r = run("--model gmm --data " + kData +
                       "far_tight_clusters.csv --set k=2 --set algorithm=em --set reg_covar=1e-6 "
                       "--headless --steps 200 --params-out " +
                       params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("floored"), std::string::npos) << r.err;
  const auto p = nlohmann::json::parse(slurp(params));
  for (int c = 0; c < 2; ++c) {
    const double mean = p["means"][c][0].get<double>();
    const int j = std::fabs(mean - theirs["means"][0][0].get<double>()) < 1.0 ? 0 : 1;
    const double cov = theirs["covariances"][j][0][0].get<double>();
    EXPECT_NEAR(p["covariances"][c][0][0].get<double>(), cov, 1e-8 * cov);
    EXPECT_NEAR(mean, theirs["means"][j][0].get<double>(), 1e-6 * std::sqrt(cov));
  }
}

double loglikOf(const std::string& out) {
  const auto at = out.find("loglik=");
  return at == std::string::npos ? NAN : std::stod(out.substr(at + 7));
}

// bc10.csv (the first 10 columns of scikit-learn's breast-cancer data: areas near 1e3 next to
// fractal dimensions near 0.06): EM from k-means++ reaches scikit-learn's log-likelihood (its
// GaussianMixture from its own k-means start, reg_covar 1e-6) and says nothing of a collapse.
// A floor relative to the largest eigenvalue stopped it at 3886.4 with a false collapse note.
TEST_F(GmmCommandLine, MixedUnitsReachScikitLearnsLikelihood) {
  std::ifstream in(std::string(VILAB_SOURCE_DIR) + "/tests/reference/gmm/bc10.json");
  const double theirs = nlohmann::json::parse(in)["em"]["100"]["lower_bound"].get<double>() * 569;
  for (int seed : {1, 3}) {
    const Result r = run("--model gmm --data " + kData + "bc10.csv --set k=2 --set algorithm=em " +
                         "--set seed=" + std::to_string(seed) + " --headless --steps 300");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err.find("EM:"), std::string::npos) << r.err;
    EXPECT_NEAR(loglikOf(r.out), theirs, 1e-6) << r.out;
  }
}

// mixed_scale.csv (population 1e9 +- 3e8, rate 2e-3 +- 5e-4, independent): no false "line" or
// "singular" note from CAVI, and EM's rate variances are the data's (plus reg_covar, as
// scikit-learn adds it), not 9e7.
TEST_F(GmmCommandLine, MixedScaleKeepsEachColumnsUnits) {
  Result r = run("--model gmm --data " + kData + "mixed_scale.csv --set k=2 --headless --steps 100");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("line"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("singular"), std::string::npos) << r.err;

  std::ifstream in(kData + "mixed_scale.csv");
  std::string line;
  std::getline(in, line);  // header
  double sum = 0.0, sum2 = 0.0;
  int n = 0;
  while (std::getline(in, line)) {
    const double rate = std::stod(line.substr(line.find(',') + 1));
    sum += rate, sum2 += rate * rate, ++n;
  }
  const double variance = sum2 / n - (sum / n) * (sum / n);
  const auto params = dir / "p.json";
  r = run("--model gmm --data " + kData +
          "mixed_scale.csv --set k=2 --set algorithm=em --headless --steps 300 --params-out " +
          params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("EM:"), std::string::npos) << r.err;
  const auto p = nlohmann::json::parse(slurp(params));
  for (int c = 0; c < 2; ++c) {
    const double rateVariance = p["covariances"][c][1][1].get<double>();
    EXPECT_GT(rateVariance, 0.5 * (variance + 1e-6)) << c;
    EXPECT_LT(rateVariance, 2.0 * (variance + 1e-6)) << c;
  }
}

}  // namespace
}  // namespace vilab
