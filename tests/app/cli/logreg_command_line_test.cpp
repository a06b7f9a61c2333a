// The logistic-regression lab on the command line: the issue's contract (scenario keys, trace
// columns, --params-out), the shipped iris scenario and its CSV, determinism, bad labels as exit
// code 2 with a message naming the column, and divergence as exit code 3.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

using test::Result;
using test::run;
using test::slurp;

const std::string kSource = VILAB_SOURCE_DIR;
const std::string kIrisScenario = kSource + "/assets/scenarios/logreg-iris.json";
const std::string kIrisCsv = kSource + "/assets/data/iris-versicolor-virginica-petals.csv";

class LogregCommandLine : public test::TempDirTest {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path) << text;
    return path.string();
  }
};

TEST_F(LogregCommandLine, PrintFieldsListsTheIssuesScenarioKeys) {
  const Result r = run("--model logreg --print-fields");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* key : {"method", "family", "estimator", "baseline", "samples", "optimizer", "lr",
                          "prior.sigma", "data.n", "seed"})
    EXPECT_NE(r.out.find(std::string("| `") + key + "` |"), std::string::npos) << key;
}

TEST_F(LogregCommandLine, TraceAndParamsFollowTheContract) {
  const auto csv = dir / "t.csv", params = dir / "p.json";
  const Result r = run("--model logreg --set method=jj --headless --steps 40 --csv " +
                       csv.string() + " --params-out " + params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("model=logreg iterations=40"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("jj_bound="), std::string::npos) << r.out;

  std::istringstream trace(slurp(csv));
  std::string header;
  std::getline(trace, header);
  EXPECT_EQ(header.rfind("iteration,elbo,", 0), 0u) << header;
  EXPECT_NE(header.find(",log_evidence,jj_bound"), std::string::npos) << header;
  int rows = 0;
  for (std::string line; std::getline(trace, line);) rows += !line.empty();
  EXPECT_EQ(rows, 40);

  const auto p = nlohmann::json::parse(slurp(params));
  EXPECT_EQ(p["method"], "jj");
  ASSERT_EQ(p["q"]["mean"].size(), 3u);  // (w1, w2, b)
  ASSERT_EQ(p["q"]["cov"].size(), 3u);
  for (const auto& row : p["q"]["cov"]) EXPECT_EQ(row.size(), 3u);
  // The covariance is symmetric with a positive diagonal.
  for (int i = 0; i < 3; ++i) {
    EXPECT_GT(p["q"]["cov"][i][i].get<double>(), 0.0);
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(p["q"]["cov"][i][j].get<double>(), p["q"]["cov"][j][i].get<double>(), 1e-12);
  }
  ASSERT_EQ(p["map"].size(), 3u);
  const double evidence = p["log_evidence"].get<double>(), elbo = p["elbo"].get<double>(),
               bound = p["jj_bound"].get<double>();
  EXPECT_LE(bound, elbo);
  EXPECT_LE(elbo, evidence);
  EXPECT_EQ(p["laplace"]["mean"], p["map"]);  // Laplace sits at the MAP
  EXPECT_GE(p["accuracy"].get<double>(), 0.5);
  EXPECT_LE(p["accuracy"].get<double>(), 1.0);
  EXPECT_GT(p["log_loss"].get<double>(), 0.0);
}

TEST_F(LogregCommandLine, SameSeedSameTraceAnotherSeedAnother) {
  const auto a = dir / "a.csv", b = dir / "b.csv", c = dir / "c.csv";
  const std::string args = "--model logreg --set estimator=score --headless --steps 30 --csv ";
  ASSERT_EQ(run(args + a.string()).code, 0);
  ASSERT_EQ(run(args + b.string()).code, 0);
  ASSERT_EQ(run(args + c.string() + " --set seed=2").code, 0);
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_NE(slurp(a), slurp(c));
}

// The shipped iris scenario finds its CSV relative to itself, from any working directory, and
// the file is what it claims: 100 flowers, 50 of each species, two petal columns.
TEST_F(LogregCommandLine, IrisScenarioRunsOnItsShippedCsv) {
  const auto params = dir / "p.json";
  const Result r =
      run("--scenario " + kIrisScenario + " --headless --steps 30 --params-out " + params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("100 rows × 3 columns"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("species"), std::string::npos) << r.err;
  const auto p = nlohmann::json::parse(slurp(params));
  EXPECT_EQ(p["n"], 100);
  EXPECT_EQ(p["method"], "laplace");
  // Versicolor and virginica overlap a little on the petals: most, not all, are told apart.
  EXPECT_GT(p["map_accuracy"].get<double>(), 0.9);
  EXPECT_LT(p["map_accuracy"].get<double>(), 1.0);

  // --data with the same file gives the same fit as the scenario's data_file.
  const auto again = dir / "q.json";
  ASSERT_EQ(run("--scenario " + kIrisScenario + " --data " + kIrisCsv +
                " --headless --steps 30 --params-out " + again.string())
                .code,
            0);
  EXPECT_EQ(slurp(params), slurp(again));

  int species[3] = {0, 0, 0}, rows = 0;
  std::istringstream csv(slurp(kIrisCsv));
  for (std::string line; std::getline(csv, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("petal_length", 0) == 0) continue;
    ++rows;
    const int s = line.back() - '0';
    if (s >= 0 && s < 3) ++species[s];
  }
  EXPECT_EQ(rows, 100);
  EXPECT_EQ(species[1], 50);
  EXPECT_EQ(species[2], 50);
}

TEST_F(LogregCommandLine, BadLabelsExitTwoNamingTheColumn) {
  const std::string data = kSource + "/tests/data/logreg/";
  const std::string narrow = write("narrow.csv", "a,label\n1,0\n2,1\n");
  for (const auto& [file, expect] :
       {std::pair<std::string, std::string>{data + "one_class.csv", "column 3 (label)"},
        {data + "three_classes.csv", "column 3 (class)"},
        {data + "nonnumeric_label.csv", "column 3 (species)"},
        {narrow, "two input columns"}}) {
    const Result r = run("--model logreg --data " + file + " --headless --steps 5");
    EXPECT_EQ(r.code, 2) << file << ": " << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  }
}

// The divergence guard: SGD with a step far too large makes the ELBO non-finite; exit code 3 and
// a message that names the method and the remedy.
TEST_F(LogregCommandLine, DivergenceExitsThreeSayingWhy) {
  const Result r = run("--model logreg --set optimizer=sgd --set lr=10 --headless --steps 300");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("gradient VI"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("lr"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vilab
