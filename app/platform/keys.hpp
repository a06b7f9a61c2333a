#pragma once
// Keyboard shortcuts as the platform reports them: GLFW key codes (ASCII for letters and digits)
// with modifier bits. Dear ImGui 1.86 drops a press and release that arrive within one frame, so
// the window queues every press itself and hands them to the App each frame.

#include <vector>

namespace vilab::keys {

struct Press {
  int key = 0;
  bool ctrl = false;
  bool shift = false;
};

inline constexpr int kF1 = 290;   // GLFW_KEY_F1
inline constexpr int kF12 = 301;  // GLFW_KEY_F12
inline constexpr int kRight = 262;
inline constexpr int kLeft = 263;
inline constexpr int kDown = 264;
inline constexpr int kUp = 265;
inline constexpr int kTab = 258;
inline constexpr int kEnter = 257;
inline constexpr int kKeypadEnter = 335;
inline constexpr int kSpace = 32;
inline constexpr int kEqual = 61;     // '=' (with Ctrl: larger UI)
inline constexpr int kMinus = 45;     // '-' (with Ctrl: smaller UI)
inline constexpr int kKeypadAdd = 334;
inline constexpr int kKeypadSubtract = 333;
inline constexpr int kEscape = 256;  // GLFW_KEY_ESCAPE
inline constexpr int kPageUp = 266;    // presentation clickers send PageUp/PageDown
inline constexpr int kPageDown = 267;
inline constexpr int kLeftBracket = 91;   // [ (timeline: previous checkpoint)
inline constexpr int kRightBracket = 93;  // ] (timeline: next checkpoint)
inline constexpr int letter(char c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

}  // namespace vilab::keys
