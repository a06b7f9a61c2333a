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

}  // namespace
}  // namespace vilab
