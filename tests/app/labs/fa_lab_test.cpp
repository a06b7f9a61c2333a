// Level 3: the factor-analysis panel on a null platform, in the cases its views branch on (one
// factor, PPCA, user data without a truth, Heywood cases, tabs on a small region, the cursor over
// each view), and its --params-out shape.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/style.hpp"
#include "core/models/fa.hpp"

namespace vilab {
namespace {

struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> fields;
  int steps = 7;
  bool userData = false;
};

std::shared_ptr<const FaSnapshot> run(const Case& c, FaModel& model, FaScenario& scenario) {
  for (const auto& [key, value] : c.fields)
    EXPECT_TRUE(setFieldFromText(scenario, key, value).isOk()) << key;
  if (c.userData) {
    // A duplicated column: a Heywood case, and no truth to compare with.
    FaModel generator;
    FaScenario s;
    EXPECT_TRUE(generator.reset(s).isOk());
    Eigen::MatrixXd y = *std::dynamic_pointer_cast<const FaSnapshot>(generator.snapshot())->data;
    y.conservativeResize(40, Eigen::NoChange);
    y.col(3) = 2.0 * y.col(1).array() + 1.0;
    EXPECT_TRUE(model.setData(y, "dup.csv").isOk());
    model.adaptScenario(scenario);
  }
  EXPECT_TRUE(model.reset(scenario).isOk()) << c.name;
  for (int i = 0; i < c.steps; ++i) model.step();
  return std::dynamic_pointer_cast<const FaSnapshot>(model.snapshot());
}

TEST(FaLab, DrawsEveryCaseInAGridAndInTabsWithTheCursorOverEachView) {
  const std::vector<Case> cases = {
      {"default (half steps)", {}},
      {"one factor", {{"k", "1"}, {"data.k", "1"}}},
      {"ppca, full steps", {{"ppca", "true"}, {"halfsteps", "false"}}},
      {"d = 20 in the pca plane", {{"d", "20"}, {"k", "3"}, {"view.pca", "true"}}},
      {"heywood", {{"d", "12"}, {"k", "4"}, {"data.n", "6"}, {"halfsteps", "false"}}, 150},
      {"user data", {{"halfsteps", "false"}}, 200, true},
      {"before any step", {}, 0},
      // Images (5 x 7 pixels, one constant): the tiles of μ, W and Ψ, and classes as colours.
      {"images",
       {{"dataset", std::string(VILAB_SOURCE_DIR) + "/tests/data/own-data/nonsquare_5x7_idx"},
        {"data.n", "12"},
        {"view.pca", "true"}}},
  };
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (const Case& c : cases) {
    FaModel model;
    FaScenario scenario;
    const auto snapshot = run(c, model, scenario);
    ASSERT_TRUE(snapshot) << c.name;
    if (c.name == "heywood" || c.name == "user data") {
      EXPECT_FALSE(snapshot->floored.empty()) << c.name;
    }
    if (c.name == "images") {
      EXPECT_EQ(snapshot->imageRows, 5);
      EXPECT_EQ(snapshot->constant.size(), 1u);
    }
    auto lab = makeLab("fa");
    ASSERT_TRUE(lab);
    auto idle = std::make_unique<FaModel>();
    ASSERT_TRUE(idle->reset(FaScenario()).isOk());
    Runner runner(std::move(idle), scenario.clone());
    LabContext context{runner, scenario, platform};
    // A large region (the grid of views) and a small one (tabs); the cursor sweeps the window so
    // that every view's tooltip and the nearest-point search run.
    for (ImVec2 region : {ImVec2(1200, 850), ImVec2(700, 500)}) {
      for (int frame = 0; frame < 12; ++frame) {
        ImGui::GetIO().MousePos = ImVec2(60.0f + 95.0f * frame, 80.0f + 60.0f * (frame % 12));
        platform.beginFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(region);
        ImGui::Begin("views");
        EXPECT_NO_THROW(lab->drawViews(*snapshot, context)) << c.name;
        EXPECT_NO_THROW(lab->drawControls(*snapshot, context)) << c.name;
        ImGui::End();
        platform.render();
      }
      EXPECT_GT(NullPlatform::drawnVertices(), region.x > 1000 ? 3000 : 1000)
          << c.name << ": the views drew almost nothing";
    }
  }
}

TEST(FaLab, ParamsAreWAsDRowsOfKNumbersThenPsiThenMu) {
  FaModel model;
  FaScenario scenario;
  const auto snapshot = run({"d = 5, k = 3", {{"d", "5"}, {"k", "3"}}}, model, scenario);
  const auto json = makeLab("fa")->params(*snapshot);
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"W", "psi", "mu"}));
  ASSERT_EQ(json["W"].size(), 5u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(json["W"][i].size(), 3u);
    for (int j = 0; j < 3; ++j) EXPECT_EQ(json["W"][i][j].get<double>(), snapshot->W(i, j));
  }
  ASSERT_EQ(json["psi"].size(), 5u);
  ASSERT_EQ(json["mu"].size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(json["psi"][i].get<double>(), snapshot->psi[i]);
    EXPECT_EQ(json["mu"][i].get<double>(), snapshot->mu[i]);
  }
}

}  // namespace
}  // namespace vilab
