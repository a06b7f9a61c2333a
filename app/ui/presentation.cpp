#include "app/ui/presentation.hpp"

#include <imgui.h>

#include <algorithm>

#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"

namespace vilab::ui {

float Presentation::styleScale(float userScale) const {
  // A little beyond kMaxScale: presentation on top of the largest user scale still grows.
  return m_on ? std::min(userScale * kPresentationScale, kMaxScale * kPresentationScale) : userScale;
}

void Presentation::applyLineScale() const {
  plot::ScreenLook look = plot::screenLook();
  look.lineScale = m_on ? kPresentationLines : 1.0f;
  plot::setScreenLook(look);
}

void enableKeyboardNavigation() {
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  // The GLFW backend sets these too; the null platform (tests) relies on them being here.
  io.KeyMap[ImGuiKey_Tab] = keys::kTab;
  io.KeyMap[ImGuiKey_LeftArrow] = keys::kLeft;
  io.KeyMap[ImGuiKey_RightArrow] = keys::kRight;
  io.KeyMap[ImGuiKey_UpArrow] = keys::kUp;
  io.KeyMap[ImGuiKey_DownArrow] = keys::kDown;
  io.KeyMap[ImGuiKey_Space] = keys::kSpace;
  io.KeyMap[ImGuiKey_Enter] = keys::kEnter;
  io.KeyMap[ImGuiKey_KeyPadEnter] = keys::kKeypadEnter;
  io.KeyMap[ImGuiKey_Escape] = keys::kEscape;
}

void routePlotKeys(std::vector<keys::Press>& presses) {
  if (!plot::hasKeyboardFocus() || ImGui::GetIO().WantTextInput) return;
  constexpr double kPan = 0.1, kZoom = 1.25;
  const auto taken = [](const keys::Press& p) {
    if (p.ctrl) return false;  // Ctrl+= and Ctrl+- scale the UI
    switch (p.key) {
      case keys::kLeft: plot::keyboardInput(-kPan, 0.0, 1.0); return true;
      case keys::kRight: plot::keyboardInput(kPan, 0.0, 1.0); return true;
      case keys::kUp: plot::keyboardInput(0.0, kPan, 1.0); return true;
      case keys::kDown: plot::keyboardInput(0.0, -kPan, 1.0); return true;
      case keys::kEqual:
      case keys::kKeypadAdd: plot::keyboardInput(0.0, 0.0, 1.0 / kZoom); return true;
      case keys::kMinus:
      case keys::kKeypadSubtract: plot::keyboardInput(0.0, 0.0, kZoom); return true;
      default: return false;
    }
  };
  presses.erase(std::remove_if(presses.begin(), presses.end(), taken), presses.end());
}

bool navigating() {
  const ImGuiIO& io = ImGui::GetIO();
  return (io.ConfigFlags & ImGuiConfigFlags_NavEnableKeyboard) && io.NavVisible;
}

void routeNavigationKeys() {
  ImGuiIO& io = ImGui::GetIO();
  if (!(io.ConfigFlags & ImGuiConfigFlags_NavEnableKeyboard)) return;
  const bool text = io.WantTextInput;
  const bool plot = plot::hasKeyboardFocus() && !text;
  io.KeyMap[ImGuiKey_LeftArrow] = plot ? -1 : keys::kLeft;
  io.KeyMap[ImGuiKey_UpArrow] = plot ? -1 : keys::kUp;
  io.KeyMap[ImGuiKey_DownArrow] = plot ? -1 : keys::kDown;
  io.KeyMap[ImGuiKey_RightArrow] = plot || (!text && !navigating()) ? -1 : keys::kRight;
}

}  // namespace vilab::ui
