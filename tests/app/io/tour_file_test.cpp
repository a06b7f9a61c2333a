// Guided-tour files: every shipped file loads and every step's scenario validates against its lab;
// bad files are refused with the file, tour, step, field and allowed values in the message.

#include "app/io/tour_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "app/ui/main_loop.hpp"
#include "core/model.hpp"
#include "core/registry.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

std::string scenarioDir() { return (std::filesystem::path(assetDirectory()) / "scenarios").string(); }

TEST(TourFile, EveryLabShipsAtLeastThreeToursThatLoad) {
  std::vector<TourFile> files;
  const Status s = loadAllTours(assetDirectory(), files);
  ASSERT_TRUE(s.isOk()) << s.message();
  std::set<std::string> labs;
  for (const auto& f : files) {
    labs.insert(f.lab);
    EXPECT_EQ(std::filesystem::path(f.path).stem().string(), f.lab) << "one file per lab, named after it";
    EXPECT_GE(f.tours.size(), 3u) << f.lab;
  }
  const auto names = modelNames();
  EXPECT_EQ(labs, std::set<std::string>(names.begin(), names.end()));
}

TEST(TourFile, EveryStepsScenarioValidatesAgainstItsLab) {
  std::vector<TourFile> files;
  ASSERT_TRUE(loadAllTours(assetDirectory(), files).isOk());
  for (const auto& f : files)
    for (const auto& tour : f.tours) {
      EXPECT_FALSE(tour.steps.front().scenario.empty()) << f.lab << ": " << tour.title;
      for (std::size_t i = 0; i < tour.steps.size(); ++i) {
        const StepPlan plan = planStep(tour, i, scenarioDir());
        std::unique_ptr<Scenario> scenario;
        const Status built = buildTourScenario(f.lab, plan.scenarioPath, plan.legs.front().set, scenario);
        ASSERT_TRUE(built.isOk()) << built.message();
        EXPECT_EQ(scenario->modelName(), f.lab);
        for (std::size_t leg = 1; leg < plan.legs.size(); ++leg)
          ASSERT_TRUE(applyTourSet(plan.legs[leg].set, scenario).isOk());
        EXPECT_TRUE(validate(*scenario).empty()) << f.lab << ": " << tour.title << " step " << i + 1;
        // The step's overrides are in force.
        for (const auto& [key, value] : tour.steps[i].set.items())
          EXPECT_EQ(formatValue(*getField(*scenario, key)),
                    value.is_string() ? value.get<std::string>()
                    : value.is_boolean() ? std::string(value.get<bool>() ? "true" : "false")
                                         : formatReal(value.get<double>()))
              << key;
        const auto& views = knownViews(f.lab);
        EXPECT_NE(std::find(views.begin(), views.end(), tour.steps[i].view), views.end());
      }
    }
}

TEST(TourFile, PlanStartsAtTheLastRunAndContinuesWithEachStepsSettings) {
  Tour tour;
  tour.steps = {{"gaussian-few-points.json", {{"data.n", 5}}, true, 10, "elbo", "a"},
                {"", {{"prior.kappa0", 2.0}}, false, 20, "elbo", "b"},
                {"", {{"samples", 3}}, true, 5, "elbo", "c"},
                {"", {{"lr", 0.01}}, false, 9, "elbo", "d"}};
  const StepPlan first = planStep(tour, 1, "dir");
  EXPECT_EQ(first.scenarioPath, (std::filesystem::path("dir") / "gaussian-few-points.json").string());
  ASSERT_EQ(first.legs.size(), 2u);
  EXPECT_EQ(first.legs[0].iteration, 10);
  EXPECT_EQ(first.legs[1].set, (nlohmann::json{{"prior.kappa0", 2.0}}));
  // A restart runs again from the file with every setting since it.
  const StepPlan restarted = planStep(tour, 3, "dir");
  EXPECT_EQ(restarted.firstStep, 2u);
  ASSERT_EQ(restarted.legs.size(), 2u);
  EXPECT_EQ(restarted.legs[0].set, (nlohmann::json{{"data.n", 5}, {"prior.kappa0", 2.0}, {"samples", 3}}));
  EXPECT_EQ(restarted.legs[0].iteration, 5);
  EXPECT_EQ(restarted.legs[1].iteration, 9);
}

// A one-tour gmm file whose second step is `step`.
std::string withStep(const std::string& step) {
  return R"({"lab": "gmm", "tours": [{"title": "T", "steps": [
    {"scenario": "gmm-overlapping.json", "iteration": 5, "view": "gmm curves", "text": "first"},
    )" + step + "]}]}";
}

void expectError(const std::string& text, std::initializer_list<const char*> parts) {
  TourFile out;
  const Status s = parseTourJson(text, "tours/x.json", scenarioDir(), out);
  ASSERT_FALSE(s.isOk()) << text;
  for (const char* part : parts) EXPECT_NE(s.message().find(part), std::string::npos) << s.message() << "\nlacks: " << part;
}

TEST(TourFile, BadFilesSayFileStepFieldAndAllowedValues) {
  expectError(withStep(R"({"iteration": 9, "view": "gmm curvez", "text": "x"})"),
              {"tours/x.json", "tour 1", "step 2", "\"view\"", "\"gmm curvez\"", "allowed", "\"gmm weights\""});
  expectError(withStep(R"({"scenario": "gmm-nope.json", "iteration": 9, "view": "gmm curves", "text": "x"})"),
              {"tours/x.json", "step 2", "\"scenario\"", "gmm-nope.json", "allowed", "gmm-overlapping.json"});
  expectError(withStep(R"({"iteration": -1, "view": "gmm curves", "text": "x"})"),
              {"step 2", "\"iteration\"", "[0, 1000000]"});
  expectError(withStep(R"({"iteration": 2, "view": "gmm curves", "text": "x"})"),
              {"step 2", "\"iteration\"", "at least the previous step's 5"});
  expectError(withStep(R"({"set": {"k": 0}, "iteration": 9, "view": "gmm curves", "text": "x"})"),
              {"tours/x.json", "step 2", "k", "[1, 20]"});
  expectError(withStep(R"({"set": {"kk": 3}, "iteration": 9, "view": "gmm curves", "text": "x"})"),
              {"step 2", "unknown field \"kk\""});
  expectError(withStep(R"({"iteration": 9, "view": "gmm curves"})"), {"step 2", "\"text\""});
  expectError(withStep(R"({"iteration": 9, "view": "gmm curves", "text": "x", "wait": 1})"),
              {"step 2", "unknown key \"wait\"", "allowed"});
  expectError(R"({"lab": "gmm", "tours": [{"title": "T", "steps": [{"iteration": 0, "view": "gmm curves", "text": "x"}]}]})",
              {"step 1", "needs \"scenario\""});
  expectError(R"({"lab": "gmn", "tours": []})", {"tours/x.json", "\"lab\"", "gaussian", "targets"});
  expectError(R"({"lab": "gmm", "tours": [)", {"tours/x.json", "not valid JSON"});
  // A scenario of another lab is not in the list.
  expectError(withStep(R"({"scenario": "fa-heywood.json", "iteration": 9, "view": "gmm curves", "text": "x"})"),
              {"step 2", "fa-heywood.json"});
  // And a good one parses.
  TourFile ok;
  const Status s = parseTourJson(withStep(R"({"set": {"k": 3}, "iteration": 9, "view": "gmm weights", "text": "x"})"),
                                 "tours/x.json", scenarioDir(), ok);
  ASSERT_TRUE(s.isOk()) << s.message();
  ASSERT_EQ(ok.tours.size(), 1u);
  ASSERT_EQ(ok.tours[0].steps.size(), 2u);
  EXPECT_EQ(ok.tours[0].steps[1].iteration, 9);
  EXPECT_FALSE(ok.tours[0].steps[1].restart);
}

}  // namespace
}  // namespace vilab
