#include "app/plot/canvas.hpp"

#include "app/plot/marker_sprites.hpp"
#include "app/plot/plot.hpp"

#include <algorithm>
#include <cmath>

namespace vilab::plot {

// ---- The screen's look (plot.hpp) ----------------------------------------------------------------

namespace {
ScreenLook gLook;
}

void setScreenLook(ScreenLook look) {
  gLook = look;
}

ScreenLook screenLook() {
  return gLook;
}

Color onScreen(Color c) {
  if (!gLook.dark) return c;
  const int r = static_cast<int>(c & 0xFF), g = static_cast<int>((c >> 8) & 0xFF),
            b = static_cast<int>((c >> 16) & 0xFF);
  if (std::max({r, g, b}) - std::min({r, g, b}) > 24) return c;  // a hue: the palette stays
  // 255 - v: its own inverse, so a recorded panel can be turned back to the light look.
  return rgba(255 - r, 255 - g, 255 - b, static_cast<int>(c >> 24));
}

// ---- ImGuiCanvas: the screen -------------------------------------------------------------------

void ImGuiCanvas::polyline(std::span<const ImVec2> pts, Color color, float thickness, float dash,
                           bool closed) {
  if (pts.size() < 2) return;
  color = onScreen(color);
  thickness *= gLook.lineScale;
  dash *= gLook.lineScale;
  // Whole-pixel widths take ImGui's textured anti-aliased lines (2 triangles a segment, against
  // 6 for a fractional width): the UI scale makes widths fractional.
  if (thickness > 1.0f) thickness = std::round(thickness);
  if (dash <= 0.0f) {
    // On screen, points within a third of a pixel of the line from the last point kept to the
    // next are dropped: smooth curves sampled at every pixel column (or finer) then cost a few
    // segments instead of several per column. Files keep every point.
    m_simplified.clear();
    m_simplified.push_back(pts[0]);
    for (std::size_t i = 1; i + 1 < pts.size(); ++i) {
      const ImVec2 a = m_simplified.back(), b = pts[i + 1], p = pts[i];
      const float dx = b.x - a.x, dy = b.y - a.y, length = std::sqrt(dx * dx + dy * dy);
      const float off = length > 1e-3f ? std::fabs(dx * (p.y - a.y) - dy * (p.x - a.x)) / length
                                       : std::hypot(p.x - a.x, p.y - a.y);
      if (off > 0.33f) m_simplified.push_back(p);
    }
    m_simplified.push_back(pts.back());
    m_list->AddPolyline(m_simplified.data(), static_cast<int>(m_simplified.size()), color,
                        closed ? ImDrawFlags_Closed : 0, thickness);
    return;
  }
  const float gap = 0.7f * dash;
  float phase = 0.0f;  // distance into the current dash+gap period
  const std::size_t n = pts.size() + (closed ? 1 : 0);
  for (std::size_t i = 1; i < n; ++i) {
    const ImVec2 a = pts[i - 1], b = pts[i % pts.size()];
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    float t = 0.0f;
    while (t < length) {
      const bool on = phase < dash;
      const float step = std::min(length - t, on ? dash - phase : dash + gap - phase);
      if (on) {
        const ImVec2 p(a.x + dx * t / length, a.y + dy * t / length);
        const ImVec2 q(a.x + dx * (t + step) / length, a.y + dy * (t + step) / length);
        m_list->AddLine(p, q, color, thickness);
      }
      t += step;
      phase = std::fmod(phase + step, dash + gap);
    }
  }
}

void ImGuiCanvas::fillPolygon(std::span<const ImVec2> pts, Color color) {
  color = onScreen(color);
  if (pts.size() == 3)
    m_list->AddTriangleFilled(pts[0], pts[1], pts[2], color);
  else if (pts.size() == 4)
    m_list->AddQuadFilled(pts[0], pts[1], pts[2], pts[3], color);
  else if (pts.size() > 4)
    m_list->AddConvexPolyFilled(pts.data(), static_cast<int>(pts.size()), color);
}

void ImGuiCanvas::fillRect(ImVec2 min, ImVec2 max, Color color, float rounding) {
  m_list->AddRectFilled(min, max, onScreen(color), rounding);
}

void ImGuiCanvas::strokeRect(ImVec2 min, ImVec2 max, Color color, float rounding,
                             float thickness) {
  m_list->AddRect(min, max, onScreen(color), rounding, 0, thickness);
}

void ImGuiCanvas::sprite(ImVec2 centre, const MarkerSprite& sprite, Color color) {
  const float h = sprite.halfSize;
  m_list->AddImage(ImGui::GetIO().Fonts->TexID, ImVec2(centre.x - h, centre.y - h), ImVec2(centre.x + h, centre.y + h),
                   sprite.uv0, sprite.uv1, onScreen(color));
}

void ImGuiCanvas::circle(ImVec2 centre, float radius, Color fill, Color ring,
                         float ringThickness) {
  // A ringed marker is a disc of the ring's colour out to the ring's outer edge under the fill's
  // disc out to its inner edge: what the ring stroke over the filled disc shows.
  const bool ringed = ring != 0 && ringThickness > 0.0f;
  MarkerSprite outer, inner;
  if (!ringed && markerSprite(radius, inner)) {
    sprite(centre, inner, fill);
    return;
  }
  if (ringed && markerSprite(radius + 0.5f * ringThickness, outer) &&
      markerSprite(radius - 0.5f * ringThickness, inner)) {
    sprite(centre, outer, ring);
    sprite(centre, inner, fill);
    return;
  }
  // Segment counts as the plot layer always used: small markers need few.
  const int segments = ring != 0 ? 16 : 10;
  m_list->AddCircleFilled(centre, radius, onScreen(fill), segments);
  if (ring != 0 && ringThickness > 0.0f)
    m_list->AddCircle(centre, radius, onScreen(ring), segments, ringThickness);
}

void ImGuiCanvas::text(const TextRun& run) {
  if (run.angle == 0.0f) {
    m_list->AddText(ImGui::GetFont(), run.size, run.at, onScreen(run.color), run.text.c_str());
    return;
  }
  // Drawn level in the middle of the clip rectangle (ImGui culls glyphs outside it), then its
  // vertices turned about the top left and moved to `at`.
  const ImVec2 lo = m_list->GetClipRectMin(), hi = m_list->GetClipRectMax();
  const ImVec2 level(0.5f * (lo.x + hi.x), 0.5f * (lo.y + hi.y));
  const int start = m_list->VtxBuffer.Size;
  m_list->AddText(ImGui::GetFont(), run.size, level, onScreen(run.color), run.text.c_str());
  const float c = std::cos(run.angle), s = std::sin(run.angle);
  for (int i = start; i < m_list->VtxBuffer.Size; ++i) {
    ImVec2& p = m_list->VtxBuffer[i].pos;
    const float dx = p.x - level.x, dy = p.y - level.y;
    // Counter-clockwise on screen (y down).
    p = ImVec2(run.at.x + c * dx + s * dy, run.at.y - s * dx + c * dy);
  }
}

void ImGuiCanvas::image(ImTextureID texture, ImVec2 min, ImVec2 max, Color tint) {
  // Dark theme: images dimmed (heatmaps are white where nothing is), lines over them stay bright.
  if (gLook.dark) tint = mix(rgba(0, 0, 0, static_cast<int>(tint >> 24)), tint, kDarkImage);
  m_list->AddImage(texture, min, max, ImVec2(0, 0), ImVec2(1, 1), tint);
}

void ImGuiCanvas::pushClip(ImVec2 min, ImVec2 max) {
  m_list->PushClipRect(min, max, true);
}

void ImGuiCanvas::popClip() {
  m_list->PopClipRect();
}

// ---- DisplayList: recorded for export ------------------------------------------------------------

void DisplayList::polyline(std::span<const ImVec2> pts, Color color, float thickness, float dash,
                           bool closed) {
  if (pts.size() < 2) return;
  m_ops.emplace_back(Poly{{pts.begin(), pts.end()}, color, thickness, dash, closed, false});
}

void DisplayList::fillPolygon(std::span<const ImVec2> pts, Color color) {
  if (pts.size() < 3) return;
  m_ops.emplace_back(Poly{{pts.begin(), pts.end()}, color, 0.0f, 0.0f, true, true});
}

void DisplayList::fillRect(ImVec2 min, ImVec2 max, Color color, float rounding) {
  m_ops.emplace_back(Rect{min, max, color, rounding, 0.0f});
}

void DisplayList::strokeRect(ImVec2 min, ImVec2 max, Color color, float rounding,
                             float thickness) {
  m_ops.emplace_back(Rect{min, max, color, rounding, std::max(thickness, 1e-3f)});
}

void DisplayList::circle(ImVec2 centre, float radius, Color fill, Color ring,
                         float ringThickness) {
  m_ops.emplace_back(Circle{centre, radius, fill, ring, ringThickness});
}

void DisplayList::text(const TextRun& run) {
  if (!run.text.empty()) m_ops.emplace_back(run);
}

void DisplayList::image(ImTextureID texture, ImVec2 min, ImVec2 max, Color tint) {
  m_ops.emplace_back(Image{texture, min, max, tint});
}

void DisplayList::pushClip(ImVec2 min, ImVec2 max) {
  m_ops.emplace_back(Clip{min, max, true});
}

void DisplayList::popClip() {
  m_ops.emplace_back(Clip{{}, {}, false});
}

void DisplayList::mesh(const Mesh& mesh) {
  if (!mesh.vertices.empty()) m_ops.emplace_back(mesh);
}

void DisplayList::replay(Canvas& out, ImVec2 o) const {
  const auto at = [o](ImVec2 p) { return ImVec2(p.x - o.x, p.y - o.y); };
  std::vector<ImVec2> moved;
  for (const Op& op : m_ops) {
    if (const auto* p = std::get_if<Poly>(&op)) {
      moved.clear();
      for (ImVec2 q : p->points) moved.push_back(at(q));
      if (p->filled)
        out.fillPolygon(moved, p->color);
      else
        out.polyline(moved, p->color, p->thickness, p->dash, p->closed);
    } else if (const auto* r = std::get_if<Rect>(&op)) {
      if (r->thickness > 0.0f)
        out.strokeRect(at(r->min), at(r->max), r->color, r->rounding, r->thickness);
      else
        out.fillRect(at(r->min), at(r->max), r->color, r->rounding);
    } else if (const auto* c = std::get_if<Circle>(&op)) {
      out.circle(at(c->centre), c->radius, c->fill, c->ring, c->ringThickness);
    } else if (const auto* t = std::get_if<TextRun>(&op)) {
      TextRun run = *t;
      run.at = at(run.at);
      out.text(run);
    } else if (const auto* i = std::get_if<Image>(&op)) {
      out.image(i->texture, at(i->min), at(i->max), i->tint);
    } else if (const auto* k = std::get_if<Clip>(&op)) {
      if (k->push)
        out.pushClip(at(k->min), at(k->max));
      else
        out.popClip();
    } else if (const auto* m = std::get_if<Mesh>(&op)) {
      Mesh shifted = *m;
      for (auto& v : shifted.vertices) v.pos = at(v.pos);
      out.mesh(shifted);
    }
  }
}

}  // namespace vilab::plot
