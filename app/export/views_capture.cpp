#include "app/export/views_capture.hpp"

#include <algorithm>

#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

// The views area of the 1600 x 900 window: the width left by the control panel (22 em at
// 18 px), the height between menu and status bars.
constexpr float kViewsWidth = 1180.0f, kViewsHeight = 830.0f;

}  // namespace

ViewsCapture::ViewsCapture(const std::string& model, const Scenario& scenario, float uiScale)
    : m_platform({1600.0f, 900.0f}), m_model(model), m_scenario(scenario.clone()) {
  ui::applyStyle(uiScale);
  m_platform.refreshFontTexture();
  m_lab = makeLab(model);
  auto idle = makeModel(model);
  auto idleScenario = scenario.clone();
  if (idle && !idle->reset(*idleScenario)) {
    idleScenario = idle->defaultScenario();
    (void)idle->reset(*idleScenario);
  }
  if (idle) m_runner = std::make_unique<Runner>(std::move(idle), std::move(idleScenario));
}

ViewsCapture::~ViewsCapture() = default;

void ViewsCapture::frame(const Snapshot& snapshot) {
  m_platform.beginFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(kViewsWidth, kViewsHeight));
  ImGui::Begin("views", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
  if (m_lab && m_runner) {
    LabContext context{*m_runner, *m_scenario, m_platform};
    m_lab->drawViews(snapshot, context);
  }
  ImGui::End();
  m_platform.render();
}

std::vector<plot::Figure> ViewsCapture::capture(const Snapshot& snapshot, const std::string& key) {
  // Autofit lags a frame (as in ImPlot) and legends reserve their rows a frame later.
  for (int f = 0; f < 8; ++f) {
    frame(snapshot);
    if (f >= 1 && !plot::needsAnotherFrame()) break;
  }
  plot::requestCapture(key);
  frame(snapshot);
  std::vector<plot::Figure> figures = plot::takeCaptures();
  for (auto& f : figures) f.lab = m_model;
  return figures;
}

plot::Figure composeFigures(const std::vector<plot::Figure>& figures, const std::string& key) {
  plot::Figure out;
  out.key = key;
  out.title = key;
  if (figures.empty()) return out;
  out.lab = figures.front().lab;
  ImVec2 lo(1e30f, 1e30f), hi(-1e30f, -1e30f);
  for (const auto& f : figures) {
    lo = ImVec2(std::min(lo.x, f.origin.x), std::min(lo.y, f.origin.y));
    hi = ImVec2(std::max(hi.x, f.origin.x + f.width), std::max(hi.y, f.origin.y + f.height));
  }
  out.origin = lo;
  out.width = hi.x - lo.x, out.height = hi.y - lo.y;
  // The lists stay in screen pixels, as each figure's does.
  for (const auto& f : figures) f.list.replay(out.list, ImVec2(0, 0));
  return out;
}

}  // namespace vilab
