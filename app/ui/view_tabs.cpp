#include "app/ui/view_tabs.hpp"

#include <algorithm>

namespace vilab::ui {
namespace {

int gSeekIndex = -1;        // the tab seekHiddenView() selects
int gSeekFrame = -1;        // the frame in which it applies
int gTabCount = 0;          // tabs of the last frame's largest bar
int gTabCountFrame = -1;    // the frame gTabCount was counted in
int gCountingFrame = -1;    // the frame being counted now
int gCounting = 0;

}  // namespace

ViewTabs::ViewTabs(const char* id) : m_open(ImGui::BeginTabBar(id)) {}

ViewTabs::~ViewTabs() {
  if (!m_open) return;
  ImGui::EndTabBar();
  const int frame = ImGui::GetFrameCount();
  if (gCountingFrame != frame) gCountingFrame = frame, gCounting = 0;
  gCounting = std::max(gCounting, m_index);
  gTabCount = gCounting, gTabCountFrame = frame;
}

bool ViewTabs::beginTab(const char* name) {
  const bool select = gSeekFrame == ImGui::GetFrameCount() && m_index == gSeekIndex;
  ++m_index;
  return ImGui::BeginTabItem(name, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0);
}

void seekHiddenView() {
  gSeekIndex = (gSeekIndex + 1) % std::max(1, gTabCount);
  gSeekFrame = ImGui::GetFrameCount() + 1;
}

int viewTabCount() { return gTabCountFrame >= ImGui::GetFrameCount() - 1 ? gTabCount : 0; }

}  // namespace vilab::ui
