// The scenario editor with a reference scenario (B's editor beside A's): exactly the fields whose
// values differ are drawn on the highlight colour.

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/platform/null_platform.hpp"
#include "app/ui/style.hpp"
#include "app/ui/widgets.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

// Vertices of the editor's window drawn in the highlight colour, in the second of two frames.
int highlighted(NullPlatform& platform, Scenario& scenario, const Scenario* reference) {
  int count = 0;
  for (int frame = 0; frame < 2; ++frame) {
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 2000));
    ImGui::Begin("editor");
    ui::editScenario(scenario, {}, "", reference, "A");
    const ImU32 colour = ImGui::ColorConvertFloat4ToU32(ui::differenceColor());
    count = 0;
    for (const ImDrawVert& v : ImGui::GetWindowDrawList()->VtxBuffer) count += v.col == colour;
    ImGui::End();
    platform.render();
  }
  return count;
}

TEST(WidgetsReference, OnlyFieldsThatDifferFromTheReferenceAreHighlighted) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const auto a = makeModel("gmm")->defaultScenario();
  auto b = a->clone();
  EXPECT_EQ(highlighted(platform, *b, nullptr), 0);
  EXPECT_EQ(highlighted(platform, *b, a.get()), 0) << "same values: nothing highlighted";
  ASSERT_TRUE(setFieldFromText(*b, "k", "2").isOk());
  const int one = highlighted(platform, *b, a.get());
  EXPECT_GT(one, 0) << "k differs from A's";
  ASSERT_TRUE(setFieldFromText(*b, "init", "random").isOk());
  EXPECT_GT(highlighted(platform, *b, a.get()), one) << "two fields differ: more highlighted";
}

}  // namespace
}  // namespace vilab
