#pragma once
// Where a plot's primitives go: a small drawing interface in pixel coordinates (y down, as
// ImGui), with one back-end per destination: ImGui's draw list for the screen (ImGuiCanvas),
// a recorded display list for export (DisplayList, replayed into app/export's cairo and SVG
// canvases). The plot layer draws each primitive once, through this interface, so a file shows
// exactly what the screen shows without a second copy of any plot's code.

#include <imgui.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "app/plot/plot_math.hpp"

namespace vilab::plot {

struct MarkerSprite;

// Text: `at` is the top left of the line box (as ImGui::AddText); `ascent` the baseline's depth
// below it and `size` the line height, both in pixels, from the ImGui font (DejaVu Sans).
// `angle` turns the text counter-clockwise about `at` in radians (pi/2: reads upwards).
struct TextRun {
  ImVec2 at;
  std::string text;
  Color color;
  float size, ascent, angle = 0.0f;
};

// Triangles a panel drew straight into the draw list inside a plot (plot::drawList()), kept so
// an export shows them too. Colours per vertex; uv into `texture` (the font atlas for glyphs).
struct Mesh {
  struct Vertex {
    ImVec2 pos, uv;
    Color color;
  };
  std::vector<Vertex> vertices;  // three per triangle
  ImTextureID texture = nullptr;
  bool fontAtlas = false;  // the texture is ImGui's font atlas (only its white pixel is left:
                           // glyphs were turned back into text when recorded)
  // Whether the six vertices from `i` are one ImDrawList::AddImage quad (the whole texture,
  // untinted); its corners then go to `min` and `max`.
  bool imageQuad(std::size_t i, ImVec2& min, ImVec2& max) const {
    if (fontAtlas || !texture || i + 6 > vertices.size()) return false;
    const Vertex* v = &vertices[i];
    if (v[0].pos.x != v[3].pos.x || v[0].pos.y != v[3].pos.y) return false;
    if (v[0].uv.x != 0.0f || v[0].uv.y != 0.0f || v[2].uv.x != 1.0f || v[2].uv.y != 1.0f)
      return false;
    min = v[0].pos, max = v[2].pos;
    return true;
  }
};

class Canvas {
 public:
  virtual ~Canvas() = default;
  // An open or closed polyline of `thickness` pixels; dashed when `dash` > 0 (dashes of `dash`
  // pixels, gaps of 0.7 dash), else solid.
  virtual void polyline(std::span<const ImVec2> points, Color color, float thickness, float dash,
                        bool closed) = 0;
  // A filled convex polygon (quads of a band, an arrow head).
  virtual void fillPolygon(std::span<const ImVec2> points, Color color) = 0;
  virtual void fillRect(ImVec2 min, ImVec2 max, Color color, float rounding = 0.0f) = 0;
  virtual void strokeRect(ImVec2 min, ImVec2 max, Color color, float rounding = 0.0f,
                          float thickness = 1.0f) = 0;
  // A filled disc, and optionally a ring of `ringThickness` around it in `ring`.
  virtual void circle(ImVec2 centre, float radius, Color fill, Color ring = 0,
                      float ringThickness = 0.0f) = 0;
  virtual void text(const TextRun& run) = 0;
  // An image stretched over [min, max]; row 0 of the texture at min.y.
  virtual void image(ImTextureID texture, ImVec2 min, ImVec2 max, Color tint) = 0;
  virtual void pushClip(ImVec2 min, ImVec2 max) = 0;
  virtual void popClip() = 0;
  // Raw triangles (see Mesh); back-ends that cannot draw them ignore them.
  virtual void mesh(const Mesh&) {}
};

// The screen back-end: draws at once into an ImGui draw list.
class ImGuiCanvas final : public Canvas {
 public:
  explicit ImGuiCanvas(ImDrawList* list = nullptr) : m_list(list) {}
  void setList(ImDrawList* list) { m_list = list; }
  ImDrawList* list() const { return m_list; }

  void polyline(std::span<const ImVec2> points, Color color, float thickness, float dash,
                bool closed) override;
  void fillPolygon(std::span<const ImVec2> points, Color color) override;
  void fillRect(ImVec2 min, ImVec2 max, Color color, float rounding) override;
  void strokeRect(ImVec2 min, ImVec2 max, Color color, float rounding, float thickness) override;
  void circle(ImVec2 centre, float radius, Color fill, Color ring, float ringThickness) override;
  void text(const TextRun& run) override;
  void image(ImTextureID texture, ImVec2 min, ImVec2 max, Color tint) override;
  void pushClip(ImVec2 min, ImVec2 max) override;
  void popClip() override;

 private:
  // A baked disc (marker_sprites.hpp) centred at `centre`, tinted.
  void sprite(ImVec2 centre, const MarkerSprite& sprite, Color color);
  ImDrawList* m_list;
  std::vector<ImVec2> m_simplified;  // polyline() scratch
};

// A recorded sequence of primitives; replay() draws them, in order, into another canvas.
class DisplayList final : public Canvas {
 public:
  void polyline(std::span<const ImVec2> points, Color color, float thickness, float dash,
                bool closed) override;
  void fillPolygon(std::span<const ImVec2> points, Color color) override;
  void fillRect(ImVec2 min, ImVec2 max, Color color, float rounding) override;
  void strokeRect(ImVec2 min, ImVec2 max, Color color, float rounding, float thickness) override;
  void circle(ImVec2 centre, float radius, Color fill, Color ring, float ringThickness) override;
  void text(const TextRun& run) override;
  void image(ImTextureID texture, ImVec2 min, ImVec2 max, Color tint) override;
  void pushClip(ImVec2 min, ImVec2 max) override;
  void popClip() override;
  void mesh(const Mesh& mesh) override;

  // Draws every primitive into `out`, moved by -`offset` pixels (a figure's origin to 0, 0).
  void replay(Canvas& out, ImVec2 offset) const;
  bool empty() const { return m_ops.empty(); }
  void clear() { m_ops.clear(); }

  struct Poly {
    std::vector<ImVec2> points;
    Color color;
    float thickness, dash;
    bool closed, filled;
  };
  struct Rect {
    ImVec2 min, max;
    Color color;
    float rounding, thickness;  // thickness 0: filled
  };
  struct Circle {
    ImVec2 centre;
    float radius;
    Color fill, ring;
    float ringThickness;
  };
  struct Image {
    ImTextureID texture;
    ImVec2 min, max;
    Color tint;
  };
  struct Clip {
    ImVec2 min, max;
    bool push;
  };
  using Op = std::variant<Poly, Rect, Circle, TextRun, Image, Clip, Mesh>;
  const std::vector<Op>& ops() const { return m_ops; }

 private:
  std::vector<Op> m_ops;
};

// One item's data as the plot drew it (for "copy values as CSV"): points in data coordinates.
struct Series {
  std::string label;
  std::vector<Point> points;
  bool curve = false;  // drawn as a polyline (line, traceLine), not points or bars
};

// One plot as recorded in a frame: its name, pixel size and primitives (pixels relative to the
// top left of the plot's frame), and the data behind its items. `key` is what follows "###" in
// the plot's id, else its title; `lab` is filled in by whoever asked for the capture.
struct Figure {
  std::string lab, key, title;
  float width = 0.0f, height = 0.0f;  // pixels on screen
  ImVec2 origin;                      // the frame's top left on screen
  DisplayList list;
  std::vector<Series> series;
  AxisMap xMap, yMap;  // the plot's axes at capture (pixels relative to `origin`)
};

}  // namespace vilab::plot
