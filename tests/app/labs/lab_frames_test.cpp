// Level 3: every lab panel and the whole shell, built for several frames on a null platform
// (no window, no GPU), with IM_ASSERT throwing.

#include <gtest/gtest.h>

#include <thread>

#include "app/labs/lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

// The shell on the default Gaussian scenario, paused, at UI scale 1.
std::unique_ptr<App> pausedGaussianShell(NullPlatform& platform,
                                         const std::string& outputDirectory) {
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  auto model = makeModel("gaussian");
  auto scenario = model->defaultScenario();
  EXPECT_TRUE(model->reset(*scenario).isOk());
  return std::make_unique<App>(AppConfig{std::move(model), std::move(scenario), false,
                                         assetDirectory(), outputDirectory, 1.0f},
                               platform);
}

TEST(LabFrames, EveryModelHasAPanelThatDrawsItsSnapshot) {
  for (const auto& name : modelNames()) {
    NullPlatform platform;
    ui::applyStyle(1.0f);
    platform.refreshFontTexture();
    auto model = makeModel(name);
    auto scenario = model->defaultScenario();
    ASSERT_TRUE(model->reset(*scenario).isOk()) << name;
    for (int i = 0; i < 5; ++i) model->step();
    auto lab = makeLab(name);
    ASSERT_TRUE(lab) << "no panel for model " << name;
    auto idle = makeModel(name);
    ASSERT_TRUE(idle->reset(*scenario).isOk());
    Runner runner(std::move(idle), scenario->clone());
    LabContext context{runner, *scenario, platform};
    const auto snapshot = model->snapshot();
    for (int frame = 0; frame < 4; ++frame) {
      platform.beginFrame();
      ImGui::SetNextWindowSize(ImVec2(1200, 800));
      ImGui::Begin("views");
      EXPECT_NO_THROW(lab->drawViews(*snapshot, context)) << name;
      EXPECT_NO_THROW(lab->drawControls(*snapshot, context)) << name;
      ImGui::End();
      platform.render();
    }
    EXPECT_GT(NullPlatform::drawnVertices(), 5000) << name << ": the views drew almost nothing";
    EXPECT_FALSE(lab->params(*snapshot).empty()) << name;
  }
}

TEST(LabFrames, ShellRunsWhileTheOptimizerPlaysAndAtEveryScale) {
  NullPlatform platform;
  for (float scale : {0.75f, 1.0f, 2.0f}) {
    ui::applyStyle(scale);
    platform.refreshFontTexture();
    auto model = makeModel("gaussian");
    auto scenario = model->defaultScenario();
    scenario->speed = 0;
    ASSERT_TRUE(model->reset(*scenario).isOk());
    App app({std::move(model), std::move(scenario), true, assetDirectory(), ".", scale}, platform);
    for (int frame = 0; frame < 20; ++frame) {
      platform.beginFrame();
      EXPECT_NO_THROW(app.frame({}));
      platform.render();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_GT(app.snapshot()->iteration, 0);
  }
}

TEST(LabFrames, EveryShippedScenarioOpensAndRuns) {
  NullPlatform platform;
  const auto shell = pausedGaussianShell(platform, ".");
  App& app = *shell;
  ASSERT_GE(app.shippedScenarios().size(), 3u) << "assets/scenarios should ship teaching scenarios";
  for (const auto& shipped : app.shippedScenarios()) {
    EXPECT_FALSE(shipped.description.empty()) << shipped.path;
    const Status s = app.openScenario(shipped.path);
    ASSERT_TRUE(s.isOk()) << shipped.path << ": " << s.message();
    EXPECT_EQ(app.model(), shipped.model);
    app.runner().step(3);
    app.runner().sync();
    for (int frame = 0; frame < 3; ++frame) {
      platform.beginFrame();
      EXPECT_NO_THROW(app.frame({})) << shipped.path;
      platform.render();
    }
  }
  EXPECT_FALSE(app.openScenario("/nonexistent.json").isOk());
}

TEST(LabFrames, KeyboardShortcutsDriveTheRunner) {
  NullPlatform platform;
  const auto shell = pausedGaussianShell(platform, "/tmp");
  App& app = *shell;
  const auto frame = [&](std::vector<keys::Press> presses) {
    platform.beginFrame();
    app.frame({0.0, std::move(presses)});
    platform.render();
    app.runner().sync();
  };
  frame({{keys::letter('s')}, {keys::kRight}});
  EXPECT_EQ(app.runner().state().snapshot->iteration, 2);
  frame({{keys::letter('s'), false, true}});
  EXPECT_EQ(app.runner().state().snapshot->iteration, 12);
  frame({{keys::letter('r')}});
  EXPECT_EQ(app.runner().state().snapshot->iteration, 0);
  frame({{keys::kSpace}});
  EXPECT_TRUE(app.runner().state().playing);
  frame({{keys::kSpace}});
  EXPECT_FALSE(app.runner().state().playing);
  frame({{keys::kF12}});
  std::string path;
  EXPECT_TRUE(app.takeScreenshotRequest(path));
  EXPECT_NE(path.find("/tmp/vilab-"), std::string::npos);
  frame({{keys::kEqual, true}});
  float scale = 0;
  ASSERT_TRUE(app.takeScaleChange(scale));
  EXPECT_GT(scale, 1.0f);
  frame({{keys::letter('q'), true}});
  EXPECT_TRUE(app.quitRequested());
}

}  // namespace
}  // namespace vilab
