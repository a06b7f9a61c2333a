// The guided-tour player on the null platform: every step's view is a plot its lab really draws
// (found with plot::lastRect), the player runs a step to its iteration without blocking, the keys
// move through the steps, and the callout stays inside the window at scale 1 and 1.6.

#include "app/ui/tour.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <thread>

#include "app/labs/lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "app/ui/view_tabs.hpp"
#include "core/registry.hpp"
#include "core/runner.hpp"

namespace vilab {
namespace {

std::string scenarioDir() { return (std::filesystem::path(assetDirectory()) / "scenarios").string(); }

TEST(Tour, EveryStepsViewIsAPlotItsLabDraws) {
  std::vector<TourFile> files;
  ASSERT_TRUE(loadAllTours(assetDirectory(), files).isOk());
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (const auto& f : files) {
    // Each distinct scenario once: build it, draw its lab's views, list the views found.
    std::map<std::string, std::set<std::string>> checked;  // scenario -> views found
    for (const auto& tour : f.tours)
      for (std::size_t i = 0; i < tour.steps.size(); ++i) {
        const StepPlan plan = planStep(tour, i, scenarioDir());
        nlohmann::json set = plan.legs.front().set;
        for (std::size_t leg = 1; leg < plan.legs.size(); ++leg)
          for (const auto& [k, v] : plan.legs[leg].set.items()) set[k] = v;
        const std::string key = plan.scenarioPath + set.dump();
        const std::string& view = tour.steps[i].view;
        if (checked.count(key) && checked[key].count(view)) continue;
        // Which views a VAE panel draws depends on its settings, not on the images or the
        // network's width: the built-in synthetic set and a small network keep this test fast.
        if (f.lab == "vae") set["dataset"] = "synthetic", set["hidden"] = 16, set["eval_images"] = 100;
        std::unique_ptr<Scenario> scenario;
        std::unique_ptr<Model> model;
        const Status s = buildTourScenario(f.lab, plan.scenarioPath, set, scenario, &model);
        ASSERT_TRUE(s.isOk()) << s.message();
        model->step();
        const auto snapshot = model->snapshot();
        auto lab = makeLab(f.lab);
        Runner runner(std::move(model), scenario->clone());  // idle: the panel only needs one to exist
        LabContext context{runner, *scenario, platform};
        bool found = false;
        for (int frame = 0; frame < 2; ++frame) {
          platform.beginFrame();
          ImGui::SetNextWindowPos(ImVec2(0, 0));
          ImGui::SetNextWindowSize(ImVec2(1300, 860));
          ImGui::Begin("views");
          lab->drawViews(*snapshot, context);
          ImGui::End();
          found = plot::lastRect(view).has_value();
          platform.render();
        }
        EXPECT_TRUE(found) << f.lab << ": tour \"" << tour.title << "\" step " << i + 1 << " points at \"" << view
                           << "\", which the lab does not draw with " << plan.scenarioPath;
        checked[key].insert(view);
      }
  }
}

TEST(Tour, LastRectIsTheFrameOfTheNamedPlot) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  platform.beginFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(800, 600));
  ImGui::Begin("w");
  ImGui::SetCursorScreenPos(ImVec2(40, 50));
  if (plot::begin("A title###my plot", ImVec2(300, 200))) plot::end();
  ImGui::End();
  const auto r = plot::lastRect("###my plot");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->min.x, 40.0f);
  EXPECT_EQ(r->min.y, 50.0f);
  EXPECT_EQ(r->max.x, 340.0f);
  EXPECT_EQ(r->max.y, 250.0f);
  EXPECT_TRUE(plot::lastRect("my plot").has_value());
  EXPECT_FALSE(plot::lastRect("A title").has_value()) << "a plot with an ID is named by its ID";
  EXPECT_FALSE(plot::lastRect("no such plot").has_value());
  platform.render();
  // Two frames later, not drawn again: gone.
  for (int i = 0; i < 2; ++i) {
    platform.beginFrame();
    platform.render();
  }
  EXPECT_FALSE(plot::lastRect("my plot").has_value());
}

std::unique_ptr<App> shell(NullPlatform& platform, float scale) {
  ui::applyStyle(scale);
  platform.refreshFontTexture();
  auto model = makeModel("gaussian");
  auto scenario = model->defaultScenario();
  EXPECT_TRUE(model->reset(*scenario).isOk());
  return std::make_unique<App>(AppConfig{std::move(model), std::move(scenario), false, assetDirectory(), ".", scale},
                               platform);
}

// Frames until the tour step is ready (the worker runs meanwhile), at most a few seconds.
void runUntilReady(App& app, NullPlatform& platform) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!app.tours().ready() && std::chrono::steady_clock::now() < deadline) {
    platform.beginFrame();
    app.frame({});
    platform.render();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // The callout learns its size, once the step's view is on screen (a hidden tab is brought
  // forward first, which takes a few frames).
  for (int i = 0; i < 3 || (app.tours().seeking() && i < 60); ++i) {
    platform.beginFrame();
    app.frame({});
    platform.render();
  }
}

TEST(Tour, StepsRunToTheirIterationAndKeysMoveThroughThem) {
  NullPlatform platform;
  auto app = shell(platform, 1.0f);
  ASSERT_TRUE(app->tours().loadError().empty()) << app->tours().loadError();
  // gmm tour 2: EM to 50, then (continuing) CAVI to 100.
  ASSERT_TRUE(app->tours().start(*app, "gmm", 1).isOk());
  EXPECT_FALSE(app->tours().ready()) << "running to an iteration never blocks the frame";
  runUntilReady(*app, platform);
  ASSERT_TRUE(app->tours().ready());
  EXPECT_EQ(app->model(), "gmm");
  EXPECT_EQ(app->snapshot()->iteration, 50);
  EXPECT_FALSE(app->runner().state().playing) << "a step pauses at its iteration";
  EXPECT_TRUE(app->tours().viewFound());

  platform.beginFrame();
  app->frame({0.0, {keys::Press{keys::kPageDown}}});
  platform.render();
  runUntilReady(*app, platform);
  EXPECT_EQ(app->tours().stepIndex(), 1u);
  EXPECT_EQ(formatValue(*getField(app->scenario(), "algorithm")), "cavi") << "the step's set reaches the controls";
  EXPECT_EQ(formatValue(*getField(*app->runner().state().scenario, "algorithm")), "cavi");
  EXPECT_EQ(app->snapshot()->iteration, 100);

  platform.beginFrame();
  app->frame({0.0, {keys::Press{keys::kPageUp}}});
  platform.render();
  runUntilReady(*app, platform);
  EXPECT_EQ(app->tours().stepIndex(), 0u);
  EXPECT_EQ(formatValue(*getField(app->scenario(), "algorithm")), "em") << "back replays the earlier step";
  EXPECT_EQ(app->snapshot()->iteration, 50);

  platform.beginFrame();
  app->frame({0.0, {keys::Press{keys::kEscape}}});
  platform.render();
  EXPECT_FALSE(app->tours().active());
}

TEST(Tour, CalloutStaysInsideTheWindowAtScaleOneAndOnePointSix) {
  for (float scale : {1.0f, 1.6f}) {
    for (const auto& [lab, tour, step] : {std::tuple{"gmm", 0, 1}, std::tuple{"gaussian", 0, 4}, std::tuple{"fa", 0, 2}}) {
      NullPlatform platform;
      auto app = shell(platform, scale);
      ASSERT_TRUE(app->tours().start(*app, lab, tour, step).isOk());
      runUntilReady(*app, platform);
      ASSERT_TRUE(app->tours().ready()) << lab;
      const auto r = app->tours().calloutRect();
      ASSERT_TRUE(r.has_value()) << lab << " at " << scale;
      const ImVec2 display = ImGui::GetIO().DisplaySize;
      EXPECT_GE(r->min.x, 0.0f) << lab << " at " << scale;
      EXPECT_GE(r->min.y, 0.0f) << lab << " at " << scale;
      EXPECT_LE(r->max.x, display.x) << lab << " at " << scale;
      EXPECT_LE(r->max.y, display.y) << lab << " at " << scale;
      EXPECT_GT(r->max.y - r->min.y, 4 * ImGui::GetFontSize()) << "the callout holds its text";
      if (app->tours().viewFound()) {
        // Beside the view, not over it, when the window leaves room.
        const auto v = plot::lastRect(app->tours().step()->view);
        ASSERT_TRUE(v.has_value());
      }
    }
  }
}


// At a projector's scale the labs show one view a tab: a step whose view is on a hidden tab
// selects the lab's tabs in turn until the view shows (gmm tour 2 step 3: the density, not the
// first tab).
TEST(Tour, FindsItsViewOnAHiddenTab) {
  NullPlatform platform;
  auto app = shell(platform, 1.6f);
  ASSERT_TRUE(app->tours().start(*app, "gmm", 1, 2).isOk());
  runUntilReady(*app, platform);
  ASSERT_TRUE(app->tours().ready());
  ASSERT_GT(ui::viewTabCount(), 1) << "at 1.6 the mixture lab shows its views as tabs";
  EXPECT_TRUE(app->tours().viewFound()) << "the tour did not bring its view's tab forward";
  EXPECT_FALSE(app->tours().seeking());
}

}  // namespace
}  // namespace vilab
