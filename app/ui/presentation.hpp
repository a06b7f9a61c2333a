#pragma once
// Presentation mode (controls hidden, views over the whole window, large type, thick lines) and
// the keyboard's way around the window: ImGui's navigation through the controls, arrow keys and
// +/- for the plot under the mouse or the keyboard's focus, and the global run keys otherwise.

#include <vector>

#include "app/platform/keys.hpp"

namespace vilab::ui {

class Presentation {
 public:
  explicit Presentation(bool on = false) : m_on(on) {}
  bool on() const { return m_on; }
  void set(bool on) { m_on = on; }
  // The scale the style is built at: the user's UI scale, times kPresentationScale while on.
  float styleScale(float userScale) const;
  // Sets the plots' screen look for this frame: lines kPresentationLines times as wide while on.
  void applyLineScale() const;

 private:
  bool m_on = false;
};

// Turns ImGui's keyboard navigation on (Tab through text fields, arrows through every control,
// Space or Enter to activate, Escape to back out) with the GLFW key codes the platform reports.
void enableKeyboardNavigation();

// Before the app's shortcuts each frame: when a plot has the keyboard's focus, the arrow keys pan
// it by a tenth of its range and + / - (also = and the keypad's) zoom it by 1.25; those presses
// are taken out of `presses`, so that → does not also step the run.
void routePlotKeys(std::vector<keys::Press>& presses);

// True when ImGui's navigation cursor shows (the user is moving through controls with the
// keyboard): Space and → then act on the focused control, not on the run.
bool navigating();

// After the frame: which arrow keys ImGui's navigation sees in the next one. A plot with focus
// keeps all four; → belongs to "step" until the navigation cursor shows (Tab, ↑ or ↓ bring it);
// a text field being edited gets them all.
void routeNavigationKeys();

}  // namespace vilab::ui
