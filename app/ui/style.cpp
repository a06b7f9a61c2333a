#include "app/ui/style.hpp"

#include <imgui.h>

#include <filesystem>

#include "app/plot/marker_sprites.hpp"

namespace vilab::ui {
namespace {

const char* const kFontPaths[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
};

// Latin, Greek, modifier letters (Wᵀ, ψᵢ), punctuation (‖ …), super/subscripts (² ₀ ⁻¹),
// arrows, maths (≤ ∑ ∇ ∞), geometric shapes (● ■ ▶) for legends and buttons, the warning sign
// (⚠), subscript j (uⱼ).
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x1D2C, 0x1D6A, 0x2000, 0x206F,
                                0x2070, 0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF,
                                0x26A0, 0x26A0, 0x2C7C, 0x2C7C, 0};

}  // namespace

bool applyStyle(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  bool dejavu = false;
  for (const char* path : kFontPaths) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    if (io.Fonts->AddFontFromFileTTF(path, kBaseFontPixels * scale, &config, kGlyphRanges)) {
      dejavu = true;
      break;
    }
  }
  if (!dejavu) {
    ImFontConfig config;
    config.SizePixels = 13.0f * scale * kBaseFontPixels / 15.0f;
    io.Fonts->AddFontDefault(&config);
  }
  plot::reserveMarkerSprites(*io.Fonts);
  io.Fonts->Build();
  plot::bakeMarkerSprites(*io.Fonts);

  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.FramePadding = ImVec2(6, 4);
  style.ItemSpacing = ImVec2(8, 6);
  style.WindowPadding = ImVec2(8, 8);
  style.Colors[ImGuiCol_Text] = ImVec4(0.05f, 0.05f, 0.05f, 1.0f);
  // White, as the plots' areas: the screen then need not fill them (see plot.cpp's layout).
  style.Colors[ImGuiCol_WindowBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  // Children show their parent's background: every full-screen layer costs a software renderer
  // (Mesa's llvmpipe under Xvfb, remote desktops) a whole blended pass over the window.
  style.Colors[ImGuiCol_ChildBg] = ImVec4(0.0f, 0.0f, 0.0f, 0.0f);
  style.Colors[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
  style.Colors[ImGuiCol_Border] = ImVec4(0.70f, 0.70f, 0.70f, 1.0f);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  return dejavu;
}

}  // namespace vilab::ui
