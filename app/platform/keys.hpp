#pragma once
// Key indices for ImGui::IsKeyPressed. Dear ImGui 1.86's GLFW backend indexes io.KeysDown by GLFW
// key codes, which are ASCII for letters and digits.

namespace vilab::keys {

inline constexpr int kF1 = 290;   // GLFW_KEY_F1
inline constexpr int kF12 = 301;  // GLFW_KEY_F12
inline constexpr int kRight = 262;
inline constexpr int kSpace = 32;
inline constexpr int kEqual = 61;     // '=' (with Ctrl: larger UI)
inline constexpr int kMinus = 45;     // '-' (with Ctrl: smaller UI)
inline constexpr int kKeypadAdd = 334;
inline constexpr int kKeypadSubtract = 333;
inline constexpr int letter(char c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

}  // namespace vilab::keys
