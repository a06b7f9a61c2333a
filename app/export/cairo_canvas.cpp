#include "app/export/cairo_canvas.hpp"

#include <algorithm>
#include <cmath>

namespace vilab {
namespace {

constexpr const char* kFontFamily = "DejaVu Sans";

void setColor(cairo_t* cr, plot::Color c) {
  cairo_set_source_rgba(cr, (c & 0xFF) / 255.0, ((c >> 8) & 0xFF) / 255.0,
                        ((c >> 16) & 0xFF) / 255.0, ((c >> 24) & 0xFF) / 255.0);
}

void roundedRect(cairo_t* cr, ImVec2 a, ImVec2 b, double r) {
  const double w = b.x - a.x, h = b.y - a.y;
  r = std::clamp(r, 0.0, 0.5 * std::min(std::fabs(w), std::fabs(h)));
  if (r <= 0.0) return cairo_rectangle(cr, a.x, a.y, w, h);
  const double pi = 3.14159265358979323846;
  cairo_new_sub_path(cr);
  cairo_arc(cr, b.x - r, a.y + r, r, -0.5 * pi, 0.0);
  cairo_arc(cr, b.x - r, b.y - r, r, 0.0, 0.5 * pi);
  cairo_arc(cr, a.x + r, b.y - r, r, 0.5 * pi, pi);
  cairo_arc(cr, a.x + r, a.y + r, r, pi, 1.5 * pi);
  cairo_close_path(cr);
}

void selectFont(cairo_t* cr) {
  cairo_select_font_face(cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  // Unhinted metrics: text advances as the outline says, the same at every scale.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

}  // namespace

double emForLineHeight(double lineHeight) {
  static const double ratio = [] {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t* cr = cairo_create(s);
    selectFont(cr);
    cairo_set_font_size(cr, 1000.0);
    cairo_font_extents_t e;
    cairo_font_extents(cr, &e);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    const double height = (e.ascent + e.descent) / 1000.0;
    return height > 0.5 && height < 2.0 ? 1.0 / height : 1.0;
  }();
  return lineHeight * ratio;
}

CairoCanvas::CairoCanvas(cairo_t* cr, TextureLookup textures)
    : m_cr(cr), m_textures(std::move(textures)) {
  selectFont(m_cr);
  cairo_set_line_join(m_cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(m_cr, CAIRO_LINE_CAP_BUTT);
}

CairoCanvas::~CairoCanvas() {
  for (auto& [id, surface] : m_surfaces) cairo_surface_destroy(surface);
}

void CairoCanvas::polyline(std::span<const ImVec2> pts, plot::Color color, float thickness,
                           float dash, bool closed) {
  if (pts.size() < 2) return;
  cairo_new_path(m_cr);
  cairo_move_to(m_cr, pts[0].x, pts[0].y);
  for (std::size_t i = 1; i < pts.size(); ++i) cairo_line_to(m_cr, pts[i].x, pts[i].y);
  if (closed) cairo_close_path(m_cr);
  const double pattern[2] = {dash, 0.7 * dash};
  cairo_set_dash(m_cr, pattern, dash > 0.0f ? 2 : 0, 0.0);
  cairo_set_line_width(m_cr, thickness);
  setColor(m_cr, color);
  cairo_stroke(m_cr);
  cairo_set_dash(m_cr, nullptr, 0, 0.0);
}

void CairoCanvas::fillPolygon(std::span<const ImVec2> pts, plot::Color color) {
  if (pts.size() < 3) return;
  cairo_new_path(m_cr);
  cairo_move_to(m_cr, pts[0].x, pts[0].y);
  for (std::size_t i = 1; i < pts.size(); ++i) cairo_line_to(m_cr, pts[i].x, pts[i].y);
  cairo_close_path(m_cr);
  setColor(m_cr, color);
  cairo_fill(m_cr);
}

void CairoCanvas::fillRect(ImVec2 min, ImVec2 max, plot::Color color, float rounding) {
  cairo_new_path(m_cr);
  roundedRect(m_cr, min, max, rounding);
  setColor(m_cr, color);
  cairo_fill(m_cr);
}

void CairoCanvas::strokeRect(ImVec2 min, ImVec2 max, plot::Color color, float rounding,
                             float thickness) {
  // ImGui strokes a rectangle half a pixel inside its corners.
  cairo_new_path(m_cr);
  roundedRect(m_cr, ImVec2(min.x + 0.5f, min.y + 0.5f), ImVec2(max.x - 0.5f, max.y - 0.5f),
              rounding);
  cairo_set_line_width(m_cr, thickness);
  setColor(m_cr, color);
  cairo_stroke(m_cr);
}

void CairoCanvas::circle(ImVec2 centre, float radius, plot::Color fill, plot::Color ring,
                         float ringThickness) {
  cairo_new_path(m_cr);
  cairo_arc(m_cr, centre.x, centre.y, radius, 0.0, 2.0 * 3.14159265358979323846);
  setColor(m_cr, fill);
  if (ring != 0 && ringThickness > 0.0f) {
    cairo_fill_preserve(m_cr);
    cairo_set_line_width(m_cr, ringThickness);
    setColor(m_cr, ring);
    cairo_stroke(m_cr);
  } else {
    cairo_fill(m_cr);
  }
}

void CairoCanvas::text(const plot::TextRun& run) {
  cairo_save(m_cr);
  cairo_translate(m_cr, run.at.x, run.at.y);
  if (run.angle != 0.0f) cairo_rotate(m_cr, -run.angle);  // y points down: negative turns left
  cairo_set_font_size(m_cr, emForLineHeight(run.size));
  setColor(m_cr, run.color);
  cairo_move_to(m_cr, 0.0, run.ascent);
  cairo_show_text(m_cr, run.text.c_str());
  cairo_restore(m_cr);
}

cairo_surface_t* CairoCanvas::surfaceFor(ImTextureID texture) {
  for (auto& [id, surface] : m_surfaces)
    if (id == texture) return surface;
  const TextureImage* image = m_textures ? m_textures(texture) : nullptr;
  if (!image || image->width <= 0 || image->height <= 0 ||
      image->rgba.size() < std::size_t(image->width) * image->height)
    return nullptr;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, image->width, image->height);
  cairo_surface_flush(s);
  unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < image->height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + std::size_t(y) * stride);
    for (int x = 0; x < image->width; ++x) {
      const std::uint32_t c = image->rgba[std::size_t(y) * image->width + x];
      const std::uint32_t a = c >> 24, r = c & 0xFF, g = (c >> 8) & 0xFF, b = (c >> 16) & 0xFF;
      // Premultiplied, native-endian ARGB.
      row[x] = a << 24 | (r * a + 127) / 255 << 16 | (g * a + 127) / 255 << 8 | (b * a + 127) / 255;
    }
  }
  cairo_surface_mark_dirty(s);
  m_surfaces.emplace_back(texture, s);
  return s;
}

void CairoCanvas::image(ImTextureID texture, ImVec2 min, ImVec2 max, plot::Color tint) {
  cairo_surface_t* s = surfaceFor(texture);
  if (!s) return;
  const double w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  cairo_save(m_cr);
  cairo_rectangle(m_cr, min.x, min.y, max.x - min.x, max.y - min.y);
  cairo_clip(m_cr);
  cairo_translate(m_cr, min.x, min.y);
  cairo_scale(m_cr, (max.x - min.x) / w, (max.y - min.y) / h);
  cairo_set_source_surface(m_cr, s, 0.0, 0.0);
  cairo_pattern_set_filter(cairo_get_source(m_cr), CAIRO_FILTER_GOOD);
  // On a page the image goes in as it is (PAD would make cairo embed a padded copy); on pixels
  // PAD keeps the edge texels from fading into transparency.
  const bool page = cairo_surface_get_type(cairo_get_target(m_cr)) != CAIRO_SURFACE_TYPE_IMAGE;
  cairo_pattern_set_extend(cairo_get_source(m_cr), page ? CAIRO_EXTEND_NONE : CAIRO_EXTEND_PAD);
  cairo_paint_with_alpha(m_cr, ((tint >> 24) & 0xFF) / 255.0);
  cairo_restore(m_cr);
}

void CairoCanvas::pushClip(ImVec2 min, ImVec2 max) {
  cairo_save(m_cr);
  cairo_new_path(m_cr);
  cairo_rectangle(m_cr, min.x, min.y, max.x - min.x, max.y - min.y);
  cairo_clip(m_cr);
}

void CairoCanvas::popClip() {
  cairo_restore(m_cr);
}

void CairoCanvas::mesh(const plot::Mesh& mesh) {
  // Each triangle in its vertices' mean colour; where its texture coordinates vary (glyphs,
  // thin anti-aliased lines from the font atlas), masked by the texture mapped affinely on it.
  cairo_surface_t* texture = surfaceFor(mesh.texture);
  for (std::size_t t = 0; t + 2 < mesh.vertices.size(); t += 3) {
    ImVec2 min, max;
    if (mesh.imageQuad(t, min, max)) {  // an image a panel drew: embedded whole
      image(mesh.texture, min, max, mesh.vertices[t].color);
      t += 3;
      continue;
    }
    const plot::Mesh::Vertex* v = &mesh.vertices[t];
    double rgba[4] = {0, 0, 0, 0};
    for (int k = 0; k < 3; ++k)
      for (int c = 0; c < 4; ++c) rgba[c] += ((v[k].color >> (8 * c)) & 0xFF) / (3.0 * 255.0);
    if (rgba[3] <= 0.0) continue;
    cairo_new_path(m_cr);
    cairo_move_to(m_cr, v[0].pos.x, v[0].pos.y);
    cairo_line_to(m_cr, v[1].pos.x, v[1].pos.y);
    cairo_line_to(m_cr, v[2].pos.x, v[2].pos.y);
    cairo_close_path(m_cr);
    cairo_set_source_rgba(m_cr, rgba[0], rgba[1], rgba[2], rgba[3]);
    const double du1 = v[1].uv.x - v[0].uv.x, dv1 = v[1].uv.y - v[0].uv.y;
    const double du2 = v[2].uv.x - v[0].uv.x, dv2 = v[2].uv.y - v[0].uv.y;
    const double det = du1 * dv2 - du2 * dv1;
    if (!texture || std::fabs(det) < 1e-12) {
      cairo_fill(m_cr);
      continue;
    }
    // Pattern space is texels: the matrix maps user space (pixels) to texels, through the
    // triangle's own affine map from texture coordinates to positions.
    const double tw = cairo_image_surface_get_width(texture),
                 th = cairo_image_surface_get_height(texture);
    const double px1 = v[1].pos.x - v[0].pos.x, py1 = v[1].pos.y - v[0].pos.y;
    const double px2 = v[2].pos.x - v[0].pos.x, py2 = v[2].pos.y - v[0].pos.y;
    // texel = A * (pos - pos0) + texel0, with A = [du dv] * inverse([dp]).
    const double pdet = px1 * py2 - px2 * py1;
    if (std::fabs(pdet) < 1e-12) continue;
    const double i11 = py2 / pdet, i12 = -px2 / pdet, i21 = -py1 / pdet, i22 = px1 / pdet;
    cairo_matrix_t m;
    m.xx = tw * (du1 * i11 + du2 * i21);
    m.xy = tw * (du1 * i12 + du2 * i22);
    m.yx = th * (dv1 * i11 + dv2 * i21);
    m.yy = th * (dv1 * i12 + dv2 * i22);
    m.x0 = tw * v[0].uv.x - (m.xx * v[0].pos.x + m.xy * v[0].pos.y);
    m.y0 = th * v[0].uv.y - (m.yx * v[0].pos.x + m.yy * v[0].pos.y);
    cairo_save(m_cr);
    cairo_clip(m_cr);
    cairo_pattern_t* pattern = cairo_pattern_create_for_surface(texture);
    cairo_pattern_set_matrix(pattern, &m);
    cairo_pattern_set_filter(pattern, CAIRO_FILTER_BILINEAR);
    if (mesh.fontAtlas) {
      cairo_mask(m_cr, pattern);  // coverage from the atlas, colour from the vertices
    } else {
      cairo_set_source(m_cr, pattern);
      cairo_paint_with_alpha(m_cr, rgba[3]);
    }
    cairo_pattern_destroy(pattern);
    cairo_restore(m_cr);
  }
}

std::vector<std::uint8_t> surfaceToRgba(cairo_surface_t* surface) {
  cairo_surface_flush(surface);
  const int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  std::vector<std::uint8_t> out(std::size_t(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + std::size_t(y) * stride);
    for (int x = 0; x < w; ++x) {
      const std::uint32_t p = row[x];
      const std::uint32_t a = p >> 24;
      std::uint8_t* o = &out[(std::size_t(y) * w + x) * 4];
      const auto un = [a](std::uint32_t c) {
        return static_cast<std::uint8_t>(a == 0 ? 0 : std::min<std::uint32_t>(255, (c * 255 + a / 2) / a));
      };
      o[0] = un((p >> 16) & 0xFF), o[1] = un((p >> 8) & 0xFF), o[2] = un(p & 0xFF);
      o[3] = static_cast<std::uint8_t>(a);
    }
  }
  return out;
}

}  // namespace vilab
