// plot::setComparison (plot.cpp): a traceLine draws the other trace's same column dashed, with the
// labels suffixed, and nothing more once the comparison is cleared.

#include <gtest/gtest.h>

#include "app/platform/null_platform.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"

namespace vilab {
namespace {

TraceView traceOf(std::vector<std::string> columns, std::vector<std::vector<double>> rows) {
  TraceLog log(std::move(columns));
  for (const auto& r : rows) log.append(r);
  return log.view();
}

std::vector<plot::Series> seriesDrawn(NullPlatform& platform, const TraceView& a, const TraceView* b) {
  platform.beginFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(500, 400));
  ImGui::Begin("w");
  plot::requestCapture("p");
  plot::setComparison(b);
  if (plot::begin("ELBO###p", ImVec2(400, 300))) {
    plot::traceLine("ELBO", a, a.column("iteration"), a.column("elbo"), {plot::rgba(0, 0, 200)});
    plot::end();
  }
  plot::setComparison(nullptr);
  ImGui::End();
  platform.render();
  auto figures = plot::takeCaptures();
  return figures.empty() ? std::vector<plot::Series>{} : figures.front().series;
}

TEST(PlotComparison, TheOtherTracesColumnOfTheSameNameIsDrawnLabelledB) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const TraceView a = traceOf({"iteration", "elbo"}, {{1, -5}, {2, -4}});
  // B's columns in another order: found by name.
  const TraceView b = traceOf({"elbo", "extra", "iteration"}, {{-9, 0, 1}, {-8, 0, 2}, {-7, 0, 3}});
  const auto both = seriesDrawn(platform, a, &b);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].label, "ELBO (A)");
  EXPECT_EQ(both[1].label, "ELBO (B)");
  ASSERT_EQ(both[1].points.size(), 3u);
  EXPECT_EQ(both[1].points[2].x, 3.0);
  EXPECT_EQ(both[1].points[2].y, -7.0);
  const auto alone = seriesDrawn(platform, a, nullptr);
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].label, "ELBO");
}

TEST(PlotComparison, ALabDerivingACurveFromRowsGetsTheOtherTraceAndLabels) {
  const TraceView b = traceOf({"iteration", "kl"}, {{1, 0.5}});
  EXPECT_EQ(plot::comparison(), nullptr);
  EXPECT_EQ(plot::comparisonLabel("KL gap##g", true), "KL gap##g");
  plot::setComparison(&b, " (B)", " (A)");  // as column B draws: its own run is B
  EXPECT_EQ(plot::comparison(), &b);
  EXPECT_EQ(plot::comparisonLabel("KL gap##g", false), "KL gap (B)##g");
  EXPECT_EQ(plot::comparisonLabel("KL gap##g", true), "KL gap (A)##g");
  plot::setComparison(nullptr);
  EXPECT_EQ(plot::comparison(), nullptr);
}

}  // namespace
}  // namespace vilab
