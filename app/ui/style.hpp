#pragma once
// The look of VI Lab: DejaVu Sans with Greek and math glyphs (ImGui's own font if the file is
// missing), a high-contrast light theme and a dark one, and the colours every lab shares, all
// from Okabe and Ito's palette for colour-blind viewers.

#include <imgui.h>

#include <array>

#include "app/plot/plot.hpp"

namespace vilab::ui {

inline constexpr float kBaseFontPixels = 18.0f;
inline constexpr float kMinScale = 0.75f;
inline constexpr float kMaxScale = 3.0f;
// Presentation mode multiplies the UI scale by this and the plots' line widths by kPresentationLines.
inline constexpr float kPresentationScale = 1.5f;
inline constexpr float kPresentationLines = 2.0f;

enum class Theme { Light, Dark };
// The theme the next applyStyle() uses and the plots draw in (plot::setScreenLook).
void setTheme(Theme theme);
Theme theme();
const char* themeName(Theme theme);  // "light" or "dark", as --theme takes it

// Rebuilds the font atlas (CPU side) and the style for a UI scale in the current theme; the
// platform re-uploads the font texture afterwards. Returns false when DejaVu Sans was not found
// and ImGui's font is used.
bool applyStyle(float scale);

// Okabe & Ito (2008), "Color Universal Design": eight colours told apart by viewers with any of
// the common colour-vision deficiencies. Drawn on screen in the dark theme, black shows as white
// (the plot layer inverts neutral colours there; see plot::onScreen).
namespace okabe_ito {
inline constexpr plot::Color kBlack = plot::rgba(0, 0, 0);
inline constexpr plot::Color kOrange = plot::rgba(0xE6, 0x9F, 0x00);
inline constexpr plot::Color kSkyBlue = plot::rgba(0x56, 0xB4, 0xE9);
inline constexpr plot::Color kBluishGreen = plot::rgba(0x00, 0x9E, 0x73);
inline constexpr plot::Color kYellow = plot::rgba(0xF0, 0xE4, 0x42);
inline constexpr plot::Color kBlue = plot::rgba(0x00, 0x72, 0xB2);
inline constexpr plot::Color kVermillion = plot::rgba(0xD5, 0x5E, 0x00);
inline constexpr plot::Color kReddishPurple = plot::rgba(0xCC, 0x79, 0xA7);
inline constexpr std::array<plot::Color, 8> kAll = {kBlack,  kOrange, kSkyBlue,   kBluishGreen,
                                                    kYellow, kBlue,   kVermillion, kReddishPurple};
}  // namespace okabe_ito

// Shared colours. Colour never carries a meaning alone: the exact quantity is a solid line, the
// approximation q a dashed one (kApproxLine), the truth or a reference a dotted one (kTruthLine).
inline constexpr plot::Color kExact = okabe_ito::kVermillion;
inline constexpr plot::Color kApprox = okabe_ito::kBlue;
inline constexpr plot::Color kData = plot::rgba(136, 136, 136);  // neutral grey, under everything
inline constexpr plot::Color kTruth = okabe_ito::kBlack;
inline constexpr plot::Color kPoint = okabe_ito::kBlack;
inline constexpr plot::Color kAccent = okabe_ito::kOrange;
inline constexpr plot::Color kGood = okabe_ito::kBluishGreen;
inline constexpr plot::Color kWarning = okabe_ito::kVermillion;
inline constexpr plot::Color kPurple = okabe_ito::kReddishPurple;  // KL(q‖p), the third series
inline constexpr plot::Color kSky = okabe_ito::kSkyBlue;

// The line styles that go with them, at a width in (unscaled) pixels.
inline constexpr plot::LineStyle exactLine(float width = 2.2f) { return {kExact, width}; }
inline constexpr plot::LineStyle approxLine(float width = 2.2f) { return {kApprox, width, true}; }
inline constexpr plot::LineStyle truthLine(float width = 1.6f) { return {kTruth, width, false, true}; }

// Text colours that read on the current theme's background.
enum class TextTone { Muted, Error, Warning, Note, Ok };
ImVec4 textColour(TextTone tone);

}  // namespace vilab::ui
