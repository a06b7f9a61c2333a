#pragma once
// The plot layer's Canvas as SVG text: paths for lines and polygons, <text> in DejaVu Sans for
// text (real, selectable words: cairo's SVG surface would turn them into glyph outlines), and
// images as embedded PNGs at their native resolution. Coordinates are the plot's pixels, written
// with two decimals, so the same primitives give the same bytes.

#include <string>

#include "app/export/cairo_canvas.hpp"

namespace vilab {

class SvgCanvas final : public plot::Canvas {
 public:
  // `width` and `height` in pixels (the viewBox); `physicalWidth` such as "8cm" or "600px".
  SvgCanvas(float width, float height, const std::string& physicalWidth,
            const std::string& physicalHeight, const std::string& title, TextureLookup textures);

  void polyline(std::span<const ImVec2> points, plot::Color color, float thickness, float dash,
                bool closed) override;
  void fillPolygon(std::span<const ImVec2> points, plot::Color color) override;
  void fillRect(ImVec2 min, ImVec2 max, plot::Color color, float rounding) override;
  void strokeRect(ImVec2 min, ImVec2 max, plot::Color color, float rounding,
                  float thickness) override;
  void circle(ImVec2 centre, float radius, plot::Color fill, plot::Color ring,
              float ringThickness) override;
  void text(const plot::TextRun& run) override;
  void image(ImTextureID texture, ImVec2 min, ImVec2 max, plot::Color tint) override;
  void pushClip(ImVec2 min, ImVec2 max) override;
  void popClip() override;
  void mesh(const plot::Mesh& mesh) override;

  // The whole document (closes open groups).
  std::string finish();

 private:
  std::string m_out;
  TextureLookup m_textures;
  int m_clips = 0, m_open = 0;
};

// `text` with &, <, >, " escaped for XML.
std::string xmlEscape(const std::string& text);

}  // namespace vilab
