// The A/B comparison in the shell (app/ui/compare.cpp) on the null platform: for every lab, the
// two-column view draws each plot in A's column and in B's, the overlay every plot of the lab once;
// the key C toggles the comparison and S steps both.

#include "app/ui/compare.hpp"

#include <gtest/gtest.h>

#include <map>

#include "app/platform/null_platform.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

// Plots drawn in the last of `frames` frames, counted by key.
std::map<std::string, int> plotsDrawn(App& app, NullPlatform& platform, int frames = 2) {
  std::map<std::string, int> counts;
  for (int f = 0; f < frames; ++f) {
    platform.beginFrame();
    app.frame({});
    platform.render();
    const auto drawn = plot::takeTriangleCounts();

    if (f == frames - 1)
      for (const auto& p : drawn) ++counts[p.key];
  }
  return counts;
}

std::unique_ptr<App> shell(NullPlatform& platform, const std::string& name, bool compare) {
  auto model = makeModel(name);
  auto scenario = model->defaultScenario();
  EXPECT_TRUE(model->reset(*scenario).isOk());
  for (int i = 0; i < 3; ++i) model->step();
  AppConfig config{std::move(model), scenario->clone(), false, assetDirectory(), ".", 1.0f};
  if (compare) {
    config.compareModel = makeModel(name);
    EXPECT_TRUE(config.compareModel->reset(*scenario).isOk());
    for (int i = 0; i < 3; ++i) config.compareModel->step();
    config.compareScenario = scenario->clone();
  }
  return std::make_unique<App>(std::move(config), platform);
}

class CompareLabFrames : public ::testing::TestWithParam<std::string> {};

TEST_P(CompareLabFrames, TwoColumnsDrawBothRunsAndOverlayDrawsAOnce) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const std::string name = GetParam();
  std::map<std::string, int> single, both, overlay;
  {
    auto app = shell(platform, name, false);
    single = plotsDrawn(*app, platform);
  }
  {
    auto app = shell(platform, name, true);
    ASSERT_TRUE(app->compare().active()) << name;
    EXPECT_NO_THROW(both = plotsDrawn(*app, platform)) << name;
    app->compare().setLayout(Compare::Layout::Overlay);
    EXPECT_NO_THROW(overlay = plotsDrawn(*app, platform)) << name;
  }
  ASSERT_FALSE(single.empty()) << name;
  // A half-width column may show the lab's narrow layout (one view per tab), but whatever A's
  // column draws, B's draws too.
  ASSERT_FALSE(both.empty()) << name << ": the columns drew no plot";
  for (const auto& [key, count] : both) EXPECT_EQ(count % 2, 0) << name << ": plot " << key << " in one column only";
  for (const auto& [key, count] : single) EXPECT_EQ(overlay[key], count) << name << ": plot " << key << " in the overlay";
}

INSTANTIATE_TEST_SUITE_P(EveryLab, CompareLabFrames, ::testing::ValuesIn(modelNames()),
                         [](const auto& info) { return info.param; });

TEST(CompareFrames, TheKeyCTogglesSStepsBothAndCopyAToBGivesBAsScenario) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  auto app = shell(platform, "gaussian", false);
  platform.beginFrame();
  app->frame({0.0, {keys::Press{keys::letter('c')}}});
  platform.render();
  ASSERT_TRUE(app->compare().active());
  app->compare().lockstep()->sync();
  EXPECT_EQ(app->compare().runnerB()->state().snapshot->iteration, app->runner().state().snapshot->iteration)
      << "B starts as a copy of A";
  platform.beginFrame();
  app->frame({0.0, {keys::Press{keys::letter('s')}}});  // one step of both
  platform.render();
  app->compare().lockstep()->sync();
  EXPECT_EQ(app->runner().state().snapshot->iteration, 4);
  EXPECT_EQ(app->compare().runnerB()->state().snapshot->iteration, 4);
  // B changed, then Copy A → B: B's controls and its runner have A's values again.
  auto changed = app->compare().scenarioB()->clone();
  ASSERT_TRUE(setFieldFromText(*changed, "prior.kappa0", "7").isOk());
  app->compare().runnerB()->apply(changed->clone());
  app->compare().copyAToB(*app->runner().state().scenario);
  app->compare().lockstep()->sync();
  EXPECT_TRUE(sameFieldValues(*app->compare().scenarioB(), *app->runner().state().scenario));
  EXPECT_TRUE(sameFieldValues(*app->compare().runnerB()->state().scenario, *app->runner().state().scenario));
  EXPECT_EQ(scenarioDifferences(*app->compare().runnerB()->state().scenario, *app->runner().state().scenario), "");
  platform.beginFrame();
  app->frame({0.0, {keys::Press{keys::letter('c')}}});
  platform.render();
  EXPECT_FALSE(app->compare().active());
}

TEST(CompareFrames, ScenarioDifferencesNameTheChangedFields) {
  auto a = makeModel("gmm")->defaultScenario();
  auto b = a->clone();
  EXPECT_EQ(scenarioDifferences(*a, *b), "");
  ASSERT_TRUE(setFieldFromText(*b, "k", "2").isOk());
  const std::string d = scenarioDifferences(*b, *a);
  EXPECT_NE(d.find("= 2"), std::string::npos) << d;
  EXPECT_EQ(d.find(','), std::string::npos) << "one field differs: " << d;
}

}  // namespace
}  // namespace vilab
