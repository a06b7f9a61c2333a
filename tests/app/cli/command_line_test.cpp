// The vilab binary as scripts use it: exit codes, what is written, and determinism.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/app/cli/run_vilab.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

using test::Result;
using test::run;
using test::slurp;

using CommandLine = test::TempDirTest;

TEST_F(CommandLine, InformationalCommandsSucceed) {
  EXPECT_EQ(run("--help").code, 0);
  const Result version = run("--version");
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("vilab ", 0), 0u);
  EXPECT_NE(run("--list-models").out.find("gaussian"), std::string::npos);
  const Result fields = run("--print-fields");
  EXPECT_EQ(fields.code, 0);
  EXPECT_NE(fields.out.find("| `prior.kappa0` |"), std::string::npos);
}

TEST_F(CommandLine, PrintScenarioRoundTripsThroughAScenarioFile) {
  const Result printed = run("--print-scenario --set lr=0.02");
  ASSERT_EQ(printed.code, 0) << printed.err;
  const auto json = nlohmann::json::parse(printed.out);
  EXPECT_EQ(json["model"], "gaussian");
  EXPECT_EQ(json["lr"], 0.02);
  std::ofstream(dir / "s.json") << printed.out;
  const Result again = run("--scenario " + (dir / "s.json").string() + " --print-scenario");
  EXPECT_EQ(again.out, printed.out);
}

TEST_F(CommandLine, HeadlessRunWritesTraceAndParamsAndSummary) {
  const auto csv = dir / "t.csv", params = dir / "p.json";
  const Result r =
      run("--headless --steps 25 --csv " + csv.string() + " --params-out " + params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("model=gaussian iterations=25 seconds=", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(" elbo=-"), std::string::npos);
  const std::string text = slurp(csv);
  EXPECT_EQ(text.rfind("iteration,elbo,log_evidence,kl", 0), 0u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 26);
  const auto p = nlohmann::json::parse(slurp(params));
  EXPECT_TRUE(p.contains("q"));
  EXPECT_TRUE(p.contains("log_evidence"));
}

TEST_F(CommandLine, SameScenarioSameBytes) {
  const std::string args =
      " --headless --steps 300 --set algorithm=gradient --set estimator=score --csv ";
  ASSERT_EQ(run(args + (dir / "a.csv").string()).code, 0);
  ASSERT_EQ(run(args + (dir / "b.csv").string()).code, 0);
  EXPECT_EQ(slurp(dir / "a.csv"), slurp(dir / "b.csv"));
  ASSERT_EQ(run(args + (dir / "c.csv").string() + " --set seed=2").code, 0);
  EXPECT_NE(slurp(dir / "a.csv"), slurp(dir / "c.csv"));
}

TEST_F(CommandLine, BadInputExitsTwoWithOneLineAndWritesNothing) {
  std::ofstream(dir / "bad.json") << "{\"lr\": }";
  std::ofstream(dir / "bad.csv") << "1\n2\nx\n";
  std::ofstream(dir / "wide.csv") << "1,2\n3,4\n";
  const std::string out = " --headless --steps 5 --csv " + (dir / "t.csv").string();
  for (const std::string& args :
       {std::string("--model nope") + out, "--set lr=0" + out, "--set lr=nan" + out,
        "--set nokey=1" + out, "--set algorithm=newton" + out,
        "--scenario " + (dir / "bad.json").string() + out,
        "--scenario " + (dir / "missing.json").string() + out,
        "--data " + (dir / "bad.csv").string() + out, "--data " + (dir / "wide.csv").string() + out,
        std::string("--bogus"),
        "--headless --steps 5 --csv " + (dir / "no_such_dir" / "t.csv").string()}) {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("vilab: error: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir / "t.csv")) << args;
  }
}

TEST_F(CommandLine, DataFileIsFitted) {
  std::ofstream(dir / "x.csv") << "x\n1.0\n2.0\n4.5\n";
  const Result r = run("--data " + (dir / "x.csv").string() +
                       " --headless --steps 3 --params-out " + (dir / "p.json").string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto p = nlohmann::json::parse(slurp(dir / "p.json"));
  EXPECT_NEAR(p["maximum_likelihood"]["mu"].get<double>(), 2.5, 1e-12);
}

TEST_F(CommandLine, FactorAnalysisWritesItsTraceParamsAndSummary) {
  const auto csv = dir / "t.csv", params = dir / "p.json";
  const Result r = run("--model fa --headless --steps 10 --set d=5 --set k=2 --csv " +
                       csv.string() + " --params-out " + params.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("model=fa iterations=10 ", 0), 0u) << r.out;
  for (const char* key : {" elbo=", " loglik=", " kl=", " error="})
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
  const std::string text = slurp(csv);
  EXPECT_EQ(text.rfind("iteration,elbo,loglik,kl,phase,error\n", 0), 0u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11);
  // Exactly {"W": D rows of K numbers, "psi": D numbers, "mu": D numbers}, in that order.
  const auto p = nlohmann::ordered_json::parse(slurp(params));
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.begin().key(), "W");
  EXPECT_EQ(std::next(p.begin()).key(), "psi");
  EXPECT_EQ(std::next(p.begin(), 2).key(), "mu");
  ASSERT_EQ(p["W"].size(), 5u);
  for (const auto& row : p["W"]) {
    ASSERT_EQ(row.size(), 2u);
    for (const auto& v : row) EXPECT_TRUE(v.is_number_float());
  }
  ASSERT_EQ(p["psi"].size(), 5u);
  ASSERT_EQ(p["mu"].size(), 5u);
  for (const auto& v : p["psi"]) EXPECT_GT(v.get<double>(), 0.0);
}

TEST_F(CommandLine, FactorAnalysisFitsADataFile) {
  std::ofstream(dir / "x.csv") << "a,b,c\n1,2,0.5\n2,4.5,1\n3,5,2.5\n4,8.5,2\n5,10,4\n";
  const Result r =
      run("--model fa --data " + (dir / "x.csv").string() +
          " --set k=1 --headless --steps 50 --params-out " + (dir / "p.json").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find(" error="), std::string::npos) << "no truth for user data: " << r.out;
  const auto p = nlohmann::json::parse(slurp(dir / "p.json"));
  ASSERT_EQ(p["W"].size(), 3u);
  EXPECT_EQ(p["W"][0].size(), 1u);
  EXPECT_NEAR(p["mu"][0].get<double>(), 3.0, 1e-12);
  EXPECT_NEAR(p["mu"][1].get<double>(), 6.0, 1e-12);
  EXPECT_NEAR(p["mu"][2].get<double>(), 2.0, 1e-12);
}

TEST_F(CommandLine, FactorAnalysisBadInputExitsTwoWithOneLine) {
  // Constant columns are kept (psi on scikit-learn's floor), but two must vary.
  std::ofstream(dir / "const.csv") << "1,7\n2,7\n3,7\n4,7\n";
  std::ofstream(dir / "x.csv") << "1,2,0\n2,1,1\n3,5,0\n4,4,2\n";
  const std::string out = " --headless --steps 5 --csv " + (dir / "t.csv").string();
  for (const std::string& args :
       {"--model fa --set k=6" + out, "--model fa --set data.n=2 --set k=2" + out,
        "--model fa --data " + (dir / "const.csv").string() + " --set k=1" + out,
        "--model fa --data " + (dir / "x.csv").string() + " --set k=3" + out,
        "--model fa --set view.x=9" + out}) {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("vilab: error: ", 0), 0u) << r.err;
    EXPECT_FALSE(fs::exists(dir / "t.csv")) << args;
  }
}

TEST_F(CommandLine, DivergenceExitsThreeAndSaysWhy) {
  const Result r =
      run("--headless --steps 2000 --set algorithm=gradient --set estimator=score "
          "--set baseline=false --set optimizer=sgd --set lr=10 --csv " +
          (dir / "t.csv").string());
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("non-finite"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "t.csv"));
}

}  // namespace
}  // namespace vilab
