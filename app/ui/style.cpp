#include "app/ui/style.hpp"

#include <imgui.h>

#include <filesystem>

#include "app/plot/marker_sprites.hpp"
#include "app/plot/plot.hpp"

namespace vilab::ui {
namespace {

const char* const kFontPaths[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
};

// Latin, Greek, modifier letters (Wᵀ, ψᵢ), punctuation (‖ …), super/subscripts (² ₀ ⁻¹),
// arrows, maths (≤ ∑ ∇ ∞), geometric shapes (● ■ ▶) for legends and buttons, the warning sign
// (⚠), subscript j (uⱼ), combining marks (the tilde of p̃: DejaVu draws them with no advance, over
// the letter before).
const ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D2C, 0x1D6A, 0x2000, 0x206F,
                                0x2070, 0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF,
                                0x26A0, 0x26A0, 0x2C7C, 0x2C7C, 0};

Theme gTheme = Theme::Light;

}  // namespace

void setTheme(Theme theme) {
  gTheme = theme;
  plot::ScreenLook look = plot::screenLook();
  look.dark = theme == Theme::Dark;
  plot::setScreenLook(look);
}

Theme theme() {
  return gTheme;
}

const char* themeName(Theme theme) {
  return theme == Theme::Dark ? "dark" : "light";
}

ImVec4 textColour(TextTone tone) {
  const bool dark = gTheme == Theme::Dark;
  switch (tone) {
    case TextTone::Muted: return dark ? ImVec4(0.72f, 0.72f, 0.72f, 1) : ImVec4(0.35f, 0.35f, 0.35f, 1);
    case TextTone::Error: return dark ? ImVec4(1.0f, 0.50f, 0.35f, 1) : ImVec4(0.75f, 0.05f, 0.05f, 1);
    case TextTone::Warning: return dark ? ImVec4(0.95f, 0.72f, 0.25f, 1) : ImVec4(0.60f, 0.35f, 0.0f, 1);
    case TextTone::Note: return dark ? ImVec4(0.50f, 0.75f, 1.0f, 1) : ImVec4(0.10f, 0.30f, 0.55f, 1);
    case TextTone::Ok: return dark ? ImVec4(0.45f, 0.85f, 0.55f, 1) : ImVec4(0.10f, 0.45f, 0.10f, 1);
  }
  return ImGui::GetStyle().Colors[ImGuiCol_Text];
}

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
  if (gTheme == Theme::Dark) ImGui::StyleColorsDark(&style);
  else ImGui::StyleColorsLight(&style);
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
  // Fields a shade darker than the window, framed: on white they read as plain text otherwise.
  style.Colors[ImGuiCol_FrameBg] = ImVec4(0.93f, 0.93f, 0.93f, 1.0f);
  style.FrameBorderSize = 1.0f;
  style.Colors[ImGuiCol_Border] = ImVec4(0.70f, 0.70f, 0.70f, 1.0f);
  if (gTheme == Theme::Dark) {
    // Black as the plots' areas turn black on screen (plot::onScreen of white), white text.
    style.Colors[ImGuiCol_Text] = ImVec4(0.96f, 0.96f, 0.96f, 1.0f);
    style.Colors[ImGuiCol_TextDisabled] = ImVec4(0.62f, 0.62f, 0.62f, 1.0f);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.0f, 0.0f, 0.0f, 1.0f);
    style.Colors[ImGuiCol_PopupBg] = ImVec4(0.09f, 0.09f, 0.09f, 1.0f);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.16f, 0.16f, 1.0f);
    style.Colors[ImGuiCol_Border] = ImVec4(0.45f, 0.45f, 0.45f, 1.0f);
    style.Colors[ImGuiCol_MenuBarBg] = ImVec4(0.12f, 0.12f, 0.12f, 1.0f);
  }
  // The keyboard's navigation cursor, thick enough to see from the back of a room.
  style.Colors[ImGuiCol_NavHighlight] = gTheme == Theme::Dark ? ImVec4(1.0f, 0.75f, 0.1f, 1.0f)
                                                             : ImVec4(0.0f, 0.45f, 0.70f, 1.0f);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  return dejavu;
}

}  // namespace vilab::ui
