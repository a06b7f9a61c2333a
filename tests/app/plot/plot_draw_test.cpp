// Level 3: drawing helpers of the plot layer, on a null platform (no window, no GPU).

#include <gtest/gtest.h>

#include <cmath>

#include <string>

#include "app/platform/null_platform.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"

namespace vilab {
namespace {

TEST(PlotDraw, NoteDrawsAWrappedBoxInsideTheDataAreaInTheCornerAsked) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const char* message = "the gap opens after the first M step; this sentence is long enough to wrap";
  for (plot::Legend corner : {plot::Legend::NorthWest, plot::Legend::SouthEast}) {
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::Begin("plot");
    ImVec2 lo(1e9f, 1e9f), hi(-1e9f, -1e9f), frameMin = ImGui::GetCursorScreenPos();
    ASSERT_TRUE(plot::begin("p", ImVec2(300, 200)));
    plot::setupAxes("x", "y");
    ImDrawList* d = plot::drawList();
    const int before = d->VtxBuffer.Size;
    plot::note(message, corner);
    for (int i = before; i < d->VtxBuffer.Size; ++i) {
      const ImVec2 p = d->VtxBuffer[i].pos;
      lo = ImVec2(std::min(lo.x, p.x), std::min(lo.y, p.y)), hi = ImVec2(std::max(hi.x, p.x), std::max(hi.y, p.y));
    }
    const int added = d->VtxBuffer.Size - before;
    plot::end();
    ImGui::End();
    platform.render();
    EXPECT_GT(added, 200) << "a box and the text's glyphs";
    EXPECT_GE(lo.x, frameMin.x);
    EXPECT_LE(hi.x, frameMin.x + 300.0f) << "wrapped to the plot's width";
    EXPECT_GE(lo.y, frameMin.y);
    EXPECT_LE(hi.y, frameMin.y + 200.0f);
    const float middle = frameMin.y + 100.0f;
    if (corner == plot::Legend::NorthWest) EXPECT_LT(lo.y, middle);
    else EXPECT_GT(hi.y, middle);
  }
}

TEST(PlotDraw, ALegendOfManyEntriesStaysInsideItsPlot) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const double x[1] = {0.5}, y[1] = {0.5};
  for (plot::Legend where : {plot::Legend::East, plot::Legend::NorthEast, plot::Legend::Above}) {
    ImVec2 lo(1e9f, 1e9f), hi(-1e9f, -1e9f), frameMin;
    for (int frame = 0; frame < 3; ++frame) {  // the East column's width settles on frame two
      platform.beginFrame();
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImVec2(400, 300));
      ImGui::Begin("plot");
      frameMin = ImGui::GetCursorScreenPos();
      ASSERT_TRUE(plot::begin("many", ImVec2(300, 200)));
      plot::setupAxes("x", "y");
      plot::setupLegend(where);
      for (int k = 0; k < 27; ++k)
        plot::scatter(("class " + std::to_string(k)).c_str(), x, y, plot::categorical(k));
      ImDrawList* d = plot::drawList();
      const int before = d->VtxBuffer.Size;
      plot::end();  // axes, labels and the legend
      lo = ImVec2(1e9f, 1e9f), hi = ImVec2(-1e9f, -1e9f);
      for (int i = before; i < d->VtxBuffer.Size; ++i) {
        const ImVec2 p = d->VtxBuffer[i].pos;
        lo = ImVec2(std::min(lo.x, p.x), std::min(lo.y, p.y));
        hi = ImVec2(std::max(hi.x, p.x), std::max(hi.y, p.y));
      }
      ImGui::End();
      platform.render();
    }
    const int w = static_cast<int>(where);
    EXPECT_GE(lo.x, frameMin.x - 1.0f) << w;
    EXPECT_LE(hi.x, frameMin.x + 301.0f) << w;
    EXPECT_GE(lo.y, frameMin.y - 1.0f) << w;
    EXPECT_LE(hi.y, frameMin.y + 201.0f) << w << ": the legend runs past the plot's bottom";
  }
}

// Covariances of data in units of 1e80 are ~1e160: their squares overflow a double.
TEST(PlotDraw, EllipsesOfHugeAndTinyCovariancesAreDrawn) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (double c : {1.0, 1e160, 1e-160}) {
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::Begin("plot");
    ASSERT_TRUE(plot::begin("p", ImVec2(300, 200)));
    ImDrawList* d = plot::drawList();
    const int before = d->VtxBuffer.Size;
    plot::ellipse("e", {0.0, 0.0}, 2.0 * c, 0.5 * c, 1.0 * c, 2.0, {plot::rgba(0, 0, 255), 2.0f});
    const int added = d->VtxBuffer.Size - before;
    plot::end();
    ImGui::End();
    platform.render();
    // Something drawn (the screen merges points within a third of a pixel of a straight run, so
    // an ellipse a few pixels wide, as the first frame's ranges make some of these, takes few).
    EXPECT_GT(added, 0) << "covariance scale " << c;
  }
}

}  // namespace
}  // namespace vilab
