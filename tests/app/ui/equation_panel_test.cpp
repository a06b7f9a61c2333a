// The live-equations panel: numbers substituted as markup, and in the Gaussian lab's window at
// projector scales every line stays inside the window (shrunk or broken, never clipped).

#include "app/ui/equation_panel.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/platform/null_platform.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

TEST(EquationPanel, NumbersBecomeMarkup) {
  EXPECT_EQ(ui::numberMarkup(1.5), "1.5");
  EXPECT_EQ(ui::numberMarkup(0.123456789), "0.1235");
  EXPECT_EQ(ui::numberMarkup(2.5e-7), "2.5\\times 10^{-7}");
  EXPECT_EQ(ui::numberMarkup(1e10), "10^{10}");
  EXPECT_EQ(ui::numberMarkup(-2.0, true), "\\left(-2\\right)");
  const std::vector<EquationValue> in = {{"a", 2.0}, {"b", -3.0}};
  EXPECT_EQ(ui::substituteInputs("\\frac{#0}{#1 + #0}", in), "\\frac{2}{-3 + 2}");
  EXPECT_EQ(ui::substituteInputs("#0 + #1", in), "2 + \\left(-3\\right)");
  int missing = 0;
  EXPECT_EQ(ui::substituteInputs("#0 \\cdot #7", in, &missing), "2 \\cdot \\#7");
  EXPECT_EQ(missing, 1);
  EXPECT_EQ(ui::resultsMarkup({{"x", 4.0}}), "= 4");
  EXPECT_EQ(ui::resultsMarkup({{"x", 4.0}, {"y", 5.0}}), "{x} = 4,\\quad {y} = 5");
  EXPECT_EQ(ui::splitAssignments("a = \\frac{1,\\quad 2}{3},\\quad b = \\left(c,\\quad d\\right),\\quad e"),
            (std::vector<std::string>{"a = \\frac{1,\\quad 2}{3}", " b = \\left(c,\\quad d\\right)", " e"}));
}

// Opens the panel with E in the Gaussian lab (CAVI, and gradient VI after a step) and checks
// that each title, formula and number it laid out lies inside the window's content region.
TEST(EquationPanel, GaussianLabPanelStaysInsideItsWindowAtEachScale) {
  NullPlatform platform;
  for (float scale : {1.0f, 1.6f}) {
    for (const char* algorithm : {"cavi", "gradient"}) {
      ui::applyStyle(scale);
      platform.refreshFontTexture();
      auto model = makeModel("gaussian");
      auto scenario = model->defaultScenario();
      ASSERT_TRUE(setFieldFromText(*scenario, "algorithm", algorithm).isOk());
      ASSERT_TRUE(model->reset(*scenario).isOk());
      App app({std::move(model), std::move(scenario), false, assetDirectory(), ".", scale}, platform);
      app.runner().step(1);
      app.runner().sync();
      for (int frame = 0; frame < 4; ++frame) {
        platform.beginFrame();
        std::vector<keys::Press> keys;
        if (frame == 0) keys.push_back({keys::letter('e')});
        EXPECT_NO_THROW(app.frame({0.0, keys}));
        platform.render();
      }
      const ui::EquationPanel& panel = app.equations();
      ASSERT_TRUE(panel.isOpen());
      const auto& d = panel.drawn();
      EXPECT_GE(d.formulas, 4) << algorithm << " at " << scale;
      EXPECT_TRUE(d.errors.empty()) << d.errors.front();
      ASSERT_FALSE(d.itemMin.empty());
      for (std::size_t i = 0; i < d.itemMin.size(); ++i) {
        EXPECT_GE(d.itemMin[i].x, d.contentMin.x - 0.5f) << "item " << i << " at " << scale;
        EXPECT_LE(d.itemMax[i].x, d.contentMax.x + 0.5f) << "item " << i << " at " << scale;
      }
      // The window itself lies inside the display.
      EXPECT_LE(d.contentMax.x, ImGui::GetIO().DisplaySize.x);
      EXPECT_GE(d.contentMin.x, 0.0f);
      // E again closes it.
      platform.beginFrame();
      app.frame({0.0, {{keys::letter('e')}}});
      platform.render();
      EXPECT_FALSE(app.equations().isOpen());
    }
  }
}

}  // namespace
}  // namespace vilab
