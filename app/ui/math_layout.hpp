#pragma once
// A small typesetter for the equation markup of core/equation.hpp (a TeX subset): parses it into
// a box tree, lays the boxes out with TeX-like rules (fractions on the math axis with a bar,
// scripts at 70 % and 50 % size, \sum with limits above and below, radicals and \left( \right)
// grown to their content) and draws the result with ImGui's draw list at any font size.
//
// Why our own: Debian 12 packages no math renderer that draws into an ImGui draw list (MathJax
// and KaTeX need a browser, matplotlib's mathtext and LaTeX produce images, far too slow to
// re-render at frame rate as the numbers change each iteration). The subset the models use is
// small, so a few hundred lines on ImFont's glyph metrics do it.
//
// Measuring is separate from drawing so that the layout can be tested without a frame.

#include <imgui.h>

#include <memory>
#include <string>

namespace vilab::ui::math {

// Extents of a laid-out formula in pixels: width, height above and depth below the baseline.
struct Metrics {
  float width = 0.0f, ascent = 0.0f, descent = 0.0f;
  float height() const { return ascent + descent; }
};

struct Box;  // the laid-out tree (math_layout.cpp)

// A formula ready to draw. When the markup does not parse, `error` says why and where (e.g.
// "missing '}' opened at column 7") and the layout holds the markup as plain text instead.
class Layout {
 public:
  Layout();
  ~Layout();
  Layout(Layout&&) noexcept;
  Layout& operator=(Layout&&) noexcept;

  const Metrics& metrics() const { return m_metrics; }
  bool ok() const { return m_error.empty(); }
  const std::string& error() const { return m_error; }
  // Draws with the baseline's left end at `origin` (pixels, y down) in `color`.
  void draw(ImDrawList* list, ImVec2 origin, ImU32 color) const;

  // Test hooks: the font size of the smallest glyph run, the largest, and the baseline offset
  // (pixels, up positive) of the first run whose text is `text` (NaN if none).
  float smallestRunSize() const;
  float largestRunSize() const;
  float baselineOf(const std::string& text) const;

 private:
  friend Layout typeset(const std::string&, ImFont*, float);
  std::unique_ptr<Box> m_root;
  ImFont* m_font = nullptr;
  Metrics m_metrics;
  std::string m_error;
};

// Lays out `markup` with `font` at `size` pixels (the display size of the formula's body).
// Never throws: malformed markup yields a plain-text layout with error() set.
Layout typeset(const std::string& markup, ImFont* font, float size);

}  // namespace vilab::ui::math
