// The scenario editor with user data loaded: fields the data decide are drawn disabled (a drag
// leaves them as they are) while the others still edit; the shell shows the reader's note.

#include "app/ui/widgets.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>

#include "app/platform/null_platform.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/data/csv.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

// Drags the mouse across the control of `key` for a few frames, as a user would; the value after.
FieldValue dragAcross(NullPlatform& platform, Scenario& scenario, const std::string& key,
                      const std::string& readOnlyWhy) {
  const auto specs = fieldSpecs(scenario);
  const auto spec =
      std::find_if(specs.begin(), specs.end(), [&](const FieldSpec& s) { return s.key == key; });
  EXPECT_NE(spec, specs.end());
  ImGuiIO& io = ImGui::GetIO();
  ImVec2 min, max;
  for (int frame = 0; frame < 8; ++frame) {
    if (frame > 0) {
      const float x = min.x + (max.x - min.x) * (frame < 3 ? 0.2f : 0.9f) + float(frame) * 20.0f;
      io.MousePos = ImVec2(x, (min.y + max.y) * 0.5f);
      io.MouseDown[0] = frame >= 2 && frame < 7;
    }
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 400));
    ImGui::Begin("editor");
    ImGui::PushItemWidth(300);
    ui::editField(scenario, *spec, readOnlyWhy);
    ImGui::PopItemWidth();
    min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    ImGui::End();
    platform.render();
  }
  io.MouseDown[0] = false;
  return *getField(scenario, key);
}

TEST(Widgets, FieldsTheDataDecideAreReadOnly) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  auto model = makeModel("gmm");
  auto scenario = model->defaultScenario();
  const FieldValue before = *getField(*scenario, "data.n");
  EXPECT_EQ(dragAcross(platform, *scenario, "data.n", "Set by the loaded data file"), before);
  // The same gesture on the same control edits it when no file decides it: the test can fail.
  EXPECT_NE(dragAcross(platform, *scenario, "data.n", ""), before);
}

TEST(Widgets, ShellTakesTheDecidedFieldsAndNoteFromTheRunner) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  auto model = makeModel("gmm");
  auto scenario = model->defaultScenario();
  ASSERT_TRUE(model->reset(*scenario).isOk());
  App app({std::move(model), std::move(scenario), false, assetDirectory(), "."}, platform);
  EXPECT_TRUE(app.runner().state().dataDecidedFields.empty());
  CsvData table;
  ASSERT_TRUE(parseCsv("x,y\n0,0\n0.2,0.1\n5,5.2\n5.1,4.9\n", table, "two.csv").isOk());
  app.runner().setData(table);
  app.runner().sync();
  for (int frame = 0; frame < 3; ++frame) {
    platform.beginFrame();
    EXPECT_NO_THROW(app.frame({}));
    platform.render();
  }
  const Runner::State state = app.runner().state();
  EXPECT_TRUE(state.problem.empty()) << state.problem;
  EXPECT_EQ(state.dataNote, "two.csv: 4 rows × 2 columns, header: x, y; separator ','");
  for (const char* key : {"dim", "data.n", "data.components"})
    EXPECT_NE(std::find(state.dataDecidedFields.begin(), state.dataDecidedFields.end(), key),
              state.dataDecidedFields.end())
        << key;
  EXPECT_EQ(std::find(state.dataDecidedFields.begin(), state.dataDecidedFields.end(), "k"),
            state.dataDecidedFields.end());
  // Generated data again: every field edits.
  app.runner().setData(Eigen::MatrixXd(), "");
  app.runner().sync();
  EXPECT_TRUE(app.runner().state().dataDecidedFields.empty());
  EXPECT_TRUE(app.runner().state().dataNote.empty());
}

}  // namespace
}  // namespace vilab
