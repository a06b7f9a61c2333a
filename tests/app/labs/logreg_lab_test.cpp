// Level 3: the logistic-regression panel on a null platform, in the cases its views branch on
// (each method, each estimator, full-rank, D > 2 with HMC, a flat bias prior, the bias on the
// weight view's axis, a user table with named labels, before any step, tabs on a small region,
// the cursor over each view), clicks in the data view reaching the model through the runner,
// and its --params-out shape.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/labs/lab.hpp"
#include "app/labs/logreg_lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/style.hpp"
#include "core/models/logreg/model.hpp"

namespace vilab {
namespace {

struct Case {
  std::string name;
  std::vector<std::pair<std::string, std::string>> fields;
  int steps = 20;
  bool userData = false;
};

// A user's table: two inputs and a label column named "class" with values 3 and 7.
CsvData userTable() {
  CsvData t;
  t.values.resize(12, 3);
  for (int i = 0; i < 12; ++i) {
    const bool seven = i % 2 == 1;
    t.values(i, 0) = (seven ? 1.0 : -1.0) + 0.3 * std::sin(1.7 * i);
    t.values(i, 1) = 0.5 * std::cos(2.3 * i);
    t.values(i, 2) = seven ? 7.0 : 3.0;
  }
  t.header = {"length", "width", "class"};
  t.source = "table.csv";
  return t;
}

std::shared_ptr<const LogregSnapshot> run(const Case& c, LogregModel& model,
                                          LogregScenario& scenario) {
  for (const auto& [key, value] : c.fields)
    EXPECT_TRUE(setFieldFromText(scenario, key, value).isOk()) << key;
  if (c.userData) {
    EXPECT_TRUE(model.setDataTable(userTable()).isOk());
    model.adaptScenario(scenario);
  }
  EXPECT_TRUE(model.reset(scenario).isOk()) << c.name;
  for (int i = 0; i < c.steps; ++i) model.step();
  return std::dynamic_pointer_cast<const LogregSnapshot>(model.snapshot());
}

void frame(NullPlatform& platform, Lab& lab, const Snapshot& snapshot, LabContext& context,
           ImVec2 region) {
  platform.beginFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(region);
  ImGui::Begin("views");
  EXPECT_NO_THROW(lab.drawViews(snapshot, context));
  EXPECT_NO_THROW(lab.drawControls(snapshot, context));
  ImGui::End();
  platform.render();
}

TEST(LogregLab, DrawsEveryCaseInAGridAndInTabsWithTheCursorOverEachView) {
  const std::vector<Case> cases = {
      {"default (gradient, reparam)", {}},
      {"jj", {{"method", "jj"}}},
      {"laplace", {{"method", "laplace"}}},
      {"score without a baseline",
       {{"estimator", "score"}, {"baseline", "none"}, {"predictive", "mc"}}},
      {"full-rank, optimal control variate",
       {{"family", "fullrank"}, {"estimator", "score"}, {"baseline", "optimal"}}},
      {"d = 4 by hmc", {{"data.dim", "4"}, {"exact.hmc", "200"}, {"view.y", "3"}}, 5},
      {"flat bias, bias on the weight view", {{"prior.bias", "flat"}, {"view.bias", "true"}}},
      {"separable, wide prior", {{"data.separation", "8"}, {"prior.sigma", "30"}}},
      {"user table", {}, 20, true},
      {"before any step", {}, 0},
  };
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    LogregModel model;
    LogregScenario scenario;
    const auto snapshot = run(c, model, scenario);
    ASSERT_TRUE(snapshot);
    auto lab = makeLab("logreg");
    ASSERT_TRUE(lab);
    auto idle = std::make_unique<LogregModel>();
    ASSERT_TRUE(idle->reset(LogregScenario()).isOk());
    Runner runner(std::move(idle), scenario.clone());
    LabContext context{runner, scenario, platform};
    // A large region (the grid of views) and a small one (tabs); the cursor sweeps the window so
    // that every view's tooltip and the nearest-point search run. No button is pressed.
    for (ImVec2 region : {ImVec2(1200, 850), ImVec2(700, 500)}) {
      for (int f = 0; f < 14; ++f) {
        ImGui::GetIO().MousePos = ImVec2(40.0f + 85.0f * f, 70.0f + 57.0f * f);
        frame(platform, *lab, *snapshot, context, region);
      }
      EXPECT_GT(NullPlatform::drawnVertices(), region.x > 1000 ? 5000 : 1000)
          << "the views drew almost nothing";
    }
  }
}

// A click in the data view (the top-left view of the grid) goes to the model as an edit: left
// adds a point of class 1, shift-left one of class 0, right removes the nearest point.
TEST(LogregLab, ClicksInTheDataViewEditThePointsThroughTheRunner) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  LogregScenario scenario;
  auto model = std::make_unique<LogregModel>();
  ASSERT_TRUE(model->reset(scenario).isOk());
  Runner runner(std::move(model), scenario.clone());
  LabContext context{runner, scenario, platform};
  auto lab = makeLab("logreg");
  const auto counts = [&] {
    runner.sync();
    const auto s = std::dynamic_pointer_cast<const LogregSnapshot>(runner.state().snapshot);
    const auto ones = std::count(s->labels->begin(), s->labels->end(), 1);
    return std::pair<long, long>(s->n - ones, ones);
  };
  const auto click = [&](int button, bool shift) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(300, 300);  // inside the data view of a 1200 x 850 grid
    for (int f = 0; f < 3; ++f) {
      io.MouseDown[button] = f == 1;
      io.KeyShift = shift && f == 1;
      frame(platform, *lab, *runner.state().snapshot, context, ImVec2(1200, 850));
    }
    io.KeyShift = false;
  };
  const auto [zeros, ones] = counts();
  click(ImGuiMouseButton_Left, false);
  EXPECT_EQ(counts(), std::make_pair(zeros, ones + 1));
  click(ImGuiMouseButton_Left, true);
  EXPECT_EQ(counts(), std::make_pair(zeros + 1, ones + 1));
  click(ImGuiMouseButton_Right, false);
  const auto after = counts();
  EXPECT_EQ(after.first + after.second, zeros + ones + 1);
}

TEST(LogregLab, ParamsGiveQAndTheMapInParameterOrderAndJjOnceItRan) {
  LogregModel model;
  LogregScenario scenario;
  auto snapshot = run({"gradient", {}, 30}, model, scenario);
  const auto lab = makeLab("logreg");
  auto json = lab->params(*snapshot);
  EXPECT_EQ(json["method"], "gradient");
  EXPECT_EQ(json["parameters"], nlohmann::ordered_json({"w1", "w2", "b"}));
  ASSERT_EQ(json["q"]["mean"].size(), 3u);
  ASSERT_EQ(json["q"]["cov"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(json["q"]["mean"][i].get<double>(), snapshot->q.mean[i]);
    EXPECT_EQ(json["map"][i].get<double>(), snapshot->map[i]);
    ASSERT_EQ(json["q"]["cov"][i].size(), 3u);
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(json["q"]["cov"][i][j].get<double>(), snapshot->q.cov(i, j));
  }
  EXPECT_EQ(json["log_evidence"].get<double>(), snapshot->logEvidence);
  EXPECT_EQ(json["elbo"].get<double>(), snapshot->elbo);
  EXPECT_LE(json["elbo"].get<double>(), json["log_evidence"].get<double>());
  EXPECT_FALSE(json.contains("jj_bound")) << "JJ has not run";
  EXPECT_EQ(json["laplace"]["mean"].size(), 3u);
  EXPECT_EQ(json["n"], 100);

  ASSERT_TRUE(setFieldFromText(scenario, "method", "jj").isOk());
  ASSERT_TRUE(model.apply(scenario).isOk());
  for (int i = 0; i < 10; ++i) model.step();
  snapshot = std::dynamic_pointer_cast<const LogregSnapshot>(model.snapshot());
  json = lab->params(*snapshot);
  EXPECT_EQ(json["method"], "jj");
  ASSERT_TRUE(json.contains("jj_bound"));
  EXPECT_EQ(json["jj_bound"].get<double>(), snapshot->jjBound);
  EXPECT_LE(json["jj_bound"].get<double>(), json["elbo"].get<double>());
  EXPECT_EQ(json["jj"]["mean"].size(), 3u);
}

// The heatmap's colour scale: white at 0.5, towards each class's colour at 0 and 1.
TEST(LogregLab, ProbabilityColoursRunFromClassZeroThroughWhiteToClassOne) {
  EXPECT_EQ(LogregLab::probabilityColour(0.5), plot::rgba(255, 255, 255));
  const auto distance = [](plot::Color a, plot::Color b) {
    int d = 0;
    for (int shift : {0, 8, 16}) d += std::abs(int((a >> shift) & 0xff) - int((b >> shift) & 0xff));
    return d;
  };
  const plot::Color white = plot::rgba(255, 255, 255);
  EXPECT_LT(distance(LogregLab::probabilityColour(1.0), LogregLab::classColour(1)),
            distance(white, LogregLab::classColour(1)));
  EXPECT_LT(distance(LogregLab::probabilityColour(0.0), LogregLab::classColour(0)),
            distance(white, LogregLab::classColour(0)));
  // Farther from 0.5, farther from white.
  EXPECT_GT(distance(LogregLab::probabilityColour(0.95), white),
            distance(LogregLab::probabilityColour(0.7), white));
  EXPECT_GT(distance(LogregLab::probabilityColour(0.05), white),
            distance(LogregLab::probabilityColour(0.3), white));
}

}  // namespace
}  // namespace vilab
