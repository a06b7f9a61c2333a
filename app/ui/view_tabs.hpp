#pragma once
// One view per tab, for a window too small for a lab's grid of views at its text size (a
// projector's scale); written once for every lab. A guided tour whose view lies on a hidden tab
// calls seekHiddenView() once a frame: the tabs are then selected in turn, one a frame, until
// the view is drawn.

#include <imgui.h>

namespace vilab::ui {

class ViewTabs {
 public:
  explicit ViewTabs(const char* id);  // ImGui::BeginTabBar
  ~ViewTabs();                        // ImGui::EndTabBar, if it began
  ViewTabs(const ViewTabs&) = delete;
  ViewTabs& operator=(const ViewTabs&) = delete;

  bool open() const { return m_open; }
  // A tab named `name`; when it is the selected one, draw(size) fills it (size in pixels).
  template <class Draw>
  void tab(const char* name, Draw&& draw) {
    if (!beginTab(name)) return;
    draw(ImGui::GetContentRegionAvail());
    ImGui::EndTabItem();
  }

 private:
  bool beginTab(const char* name);
  bool m_open = false;
  int m_index = 0;  // tabs begun so far in this bar
};

// Asks the next frame's tab bars to select their next tab (cycling), for a view not on screen.
void seekHiddenView();
// The most tabs a lab's bar had in the last frame that drew one (0: no tab bar, all views show).
int viewTabCount();

}  // namespace vilab::ui
