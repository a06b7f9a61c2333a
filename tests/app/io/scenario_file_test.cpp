#include "app/io/scenario_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/models/gaussian.hpp"

namespace vilab {
namespace {

TEST(ScenarioFile, ReadsFlatAndNestedKeys) {
  ScenarioFile f;
  ASSERT_TRUE(parseScenarioJson(R"({"model": "gaussian", "description": "d", "seed": 7,
      "prior": {"kappa0": 0.5}, "data.n": 3, "algorithm": "gradient", "halfsteps": false})", f).isOk());
  EXPECT_EQ(f.model, "gaussian");
  EXPECT_EQ(f.description, "d");
  std::unique_ptr<Scenario> s = std::make_unique<GaussianScenario>();
  ASSERT_TRUE(applyScenarioValues(f.values, s).isOk());
  const auto& g = dynamic_cast<const GaussianScenario&>(*s);
  EXPECT_EQ(g.seed, 7u);
  EXPECT_EQ(g.prior.kappa0, 0.5);
  EXPECT_EQ(g.data.n, 3);
  EXPECT_EQ(g.algorithm, GaussianScenario::Algorithm::Gradient);
  EXPECT_FALSE(g.halfsteps);
}

TEST(ScenarioFile, BadFilesSayWhatIsWrong) {
  ScenarioFile f;
  const Status broken = parseScenarioJson("{\"seed\": 1,\n \"lr\": }", f);
  ASSERT_FALSE(broken.isOk());
  EXPECT_NE(broken.message().find("line 2"), std::string::npos) << broken.message();
  EXPECT_FALSE(parseScenarioJson("[1, 2]", f).isOk());
  EXPECT_FALSE(parseScenarioJson(R"({"lr": [1]})", f).isOk());
  EXPECT_FALSE(parseScenarioJson(R"({"model": 3})", f).isOk());
  const Status missing = loadScenarioFile("/nonexistent.json", f);
  EXPECT_NE(missing.message().find("cannot open"), std::string::npos);
}

TEST(ScenarioFile, ApplyIsAllOrNothing) {
  ScenarioFile f;
  ASSERT_TRUE(parseScenarioJson(R"({"seed": 9, "prior.kappa0": -2})", f).isOk());
  std::unique_ptr<Scenario> s = std::make_unique<GaussianScenario>();
  const Status status = applyScenarioValues(f.values, s);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("prior.kappa0"), std::string::npos);
  EXPECT_EQ(s->seed, 1u);  // the valid seed was not applied either
  EXPECT_FALSE(parseScenarioJson(R"({"lr": 1e999})", f).isOk());  // overflow is a parse error
  ASSERT_TRUE(parseScenarioJson(R"({"nonsense": 1})", f).isOk());
  EXPECT_NE(applyScenarioValues(f.values, s).message().find("unknown key"), std::string::npos);
}

// "data_file" is kept apart from the fields; loading resolves a relative path against the
// scenario file's folder, so a shipped scenario finds its CSV from any working directory.
TEST(ScenarioFile, DataFileIsRelativeToTheScenarioFile) {
  ScenarioFile f;
  ASSERT_TRUE(parseScenarioJson(R"({"model": "gaussian", "data_file": "../data/x.csv"})", f).isOk());
  EXPECT_EQ(f.dataFile, "../data/x.csv");
  EXPECT_TRUE(f.values.empty());
  EXPECT_FALSE(parseScenarioJson(R"({"data_file": 3})", f).isOk());
  EXPECT_FALSE(parseScenarioJson(R"({"data_file": ""})", f).isOk());

  const auto folder = std::filesystem::temp_directory_path() / "vilab_data_file" / "scenarios";
  std::filesystem::create_directories(folder);
  const auto path = (folder / "s.json").string();
  for (const auto& [written, expected] :
       {std::pair<std::string, std::string>{"../data/x.csv", (folder.parent_path() / "data/x.csv").string()},
        {"/abs/y.csv", "/abs/y.csv"}}) {
    {
      std::ofstream out(path);
      out << R"({"model": "gaussian", "data_file": ")" << written << R"("})";
    }
    ASSERT_TRUE(loadScenarioFile(path, f).isOk());
    EXPECT_EQ(f.dataFile, expected);
  }
  std::filesystem::remove_all(folder.parent_path());
}

TEST(ScenarioFile, SaveThenLoadGivesTheSameScenario) {
  GaussianScenario original;
  original.lr = 0.123456789012345;
  original.estimator = GaussianScenario::Estimator::Score;
  original.seed = 4000000000u;
  const auto path = (std::filesystem::temp_directory_path() / "vilab_roundtrip.json").string();
  ASSERT_TRUE(saveScenarioFile(path, original, "a test").isOk());
  ScenarioFile f;
  ASSERT_TRUE(loadScenarioFile(path, f).isOk());
  EXPECT_EQ(f.description, "a test");
  std::unique_ptr<Scenario> loaded = std::make_unique<GaussianScenario>();
  ASSERT_TRUE(applyScenarioValues(f.values, loaded).isOk());
  EXPECT_EQ(scenarioToJson(*loaded).dump(), scenarioToJson(original).dump());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace vilab
