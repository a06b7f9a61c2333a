// The plot layer's recording for export (plot.cpp, canvas.cpp) on the null platform: what a plot
// records is what it draws, and what a panel draws straight into the draw list is kept too.

#include <gtest/gtest.h>

#include "app/platform/null_platform.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"

namespace vilab {
namespace {

// One frame of a plot whose panel also draws text and a line straight into ImGui's draw list,
// recorded; `capture` false draws the same frame without recording.
std::vector<plot::Figure> frame(NullPlatform& platform, bool capture, int* vertices = nullptr) {
  platform.beginFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(500, 400));
  ImGui::Begin("w");
  if (capture) plot::requestCapture("p");
  const double xs[3] = {0, 1, 2}, ys[3] = {1, 0, 1};
  if (plot::begin("Recorded###p", ImVec2(400, 300))) {
    plot::line("line", xs, ys, {plot::rgba(200, 0, 0)});
    const ImVec2 at = plot::toPixels({1.0, 0.5});
    plot::drawList()->AddText(at, plot::rgba(0, 0, 255), "KL gap = 0.5");
    plot::drawList()->AddLine(at, ImVec2(at.x + 30, at.y), plot::rgba(0, 255, 0), 2.0f);
    plot::end();
  }
  if (vertices) *vertices = ImGui::GetWindowDrawList()->VtxBuffer.Size;
  ImGui::End();
  platform.render();
  return plot::takeCaptures();
}

TEST(PlotCapture, RecordsOnlyWhenAskedAndDrawsTheSameEitherWay) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  int plain = 0, recorded = 0;
  frame(platform, false), frame(platform, false);
  EXPECT_TRUE(frame(platform, false, &plain).empty()) << "nothing recorded unasked";
  const auto figures = frame(platform, true, &recorded);
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_EQ(plain, recorded) << "recording does not change what the screen gets";
  EXPECT_EQ(figures[0].key, "p");
  EXPECT_EQ(figures[0].title, "Recorded");
  EXPECT_TRUE(frame(platform, false).empty()) << "a request lasts one frame";
}

TEST(PlotCapture, TextAPanelDrewIntoTheDrawListBecomesTextAgain) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  frame(platform, false), frame(platform, false);
  const auto figures = frame(platform, true);
  ASSERT_EQ(figures.size(), 1u);
  const plot::Figure& f = figures[0];
  const plot::TextRun* found = nullptr;
  bool greenLine = false;
  for (const auto& op : f.list.ops()) {
    if (const auto* t = std::get_if<plot::TextRun>(&op); t && t->text == "KL gap = 0.5") found = t;
    if (const auto* m = std::get_if<plot::Mesh>(&op))
      for (const auto& v : m->vertices) greenLine |= v.color == plot::rgba(0, 255, 0);
  }
  ASSERT_NE(found, nullptr) << "glyph quads read back as the words, spaces included";
  // Where AddText put it: the data point (1, 0.5) through the plot's axes.
  EXPECT_NEAR(found->at.x - f.origin.x, f.xMap.toPixel(1.0), 0.5);
  EXPECT_NEAR(found->at.y - f.origin.y, f.yMap.toPixel(0.5), 0.5);
  EXPECT_EQ(found->color, plot::rgba(0, 0, 255));
  EXPECT_NEAR(found->size, ImGui::GetFontSize(), 0.01);
  EXPECT_TRUE(greenLine) << "the line stays as triangles";
}

}  // namespace
}  // namespace vilab
