#pragma once
// The plot layer's Canvas on a cairo context (libcairo2): the back-end for PDF pages and for
// off-screen PNG/GIF frames at any scale. Pixels of the display list become cairo user units;
// the caller sets the context's scale (points per pixel for PDF, 1-4 for PNG). Text is set as
// text in DejaVu Sans, the font ImGui draws with, so a PDF's words are real, searchable text.

#include <cairo.h>

#include <functional>
#include <vector>

#include "app/plot/canvas.hpp"
#include "app/platform/textures.hpp"

namespace vilab {

// The pixels behind a texture id (a heatmap, the font atlas), or nullptr.
using TextureLookup = std::function<const TextureImage*(ImTextureID)>;

// A cairo font size (em) for text whose line is `lineHeight` pixels high in ImGui, which sizes
// fonts by ascent + descent (stb_truetype's ScaleForPixelHeight): lineHeight * em / (a + d).
double emForLineHeight(double lineHeight);

class CairoCanvas final : public plot::Canvas {
 public:
  CairoCanvas(cairo_t* cr, TextureLookup textures);
  ~CairoCanvas() override;

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

 private:
  cairo_surface_t* surfaceFor(ImTextureID texture);
  cairo_t* m_cr;
  TextureLookup m_textures;
  std::vector<std::pair<ImTextureID, cairo_surface_t*>> m_surfaces;  // made once per texture
};

// A cairo image surface (ARGB32, premultiplied) as straight RGBA bytes, top row first.
std::vector<std::uint8_t> surfaceToRgba(cairo_surface_t* surface);

}  // namespace vilab
