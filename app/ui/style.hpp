#pragma once
// The look of VI Lab: DejaVu Sans with Greek and math glyphs (ImGui's own font if the file is
// missing), a light high-contrast theme for projectors, and the colours every lab shares.

#include "app/plot/plot_math.hpp"

namespace vilab::ui {

inline constexpr float kBaseFontPixels = 18.0f;
inline constexpr float kMinScale = 0.75f;
inline constexpr float kMaxScale = 3.0f;

// Rebuilds the font atlas (CPU side) and the style for a UI scale; the platform re-uploads the
// font texture afterwards. Returns false when DejaVu Sans was not found and ImGui's font is used.
bool applyStyle(float scale);

// Shared colours: exact quantities red, the approximation q blue, data grey.
inline constexpr plot::Color kExact = plot::rgba(214, 39, 40);
inline constexpr plot::Color kApprox = plot::rgba(31, 119, 180);
inline constexpr plot::Color kData = plot::rgba(150, 150, 150);
inline constexpr plot::Color kTruth = plot::rgba(60, 60, 60);
inline constexpr plot::Color kPoint = plot::rgba(20, 20, 20);
inline constexpr plot::Color kAccent = plot::rgba(255, 127, 14);
inline constexpr plot::Color kGood = plot::rgba(44, 160, 44);
inline constexpr plot::Color kWarning = plot::rgba(200, 40, 30);

}  // namespace vilab::ui
