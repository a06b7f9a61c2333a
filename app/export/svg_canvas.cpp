#include "app/export/svg_canvas.hpp"

#include <stb_image_write.h>

#include <cmath>
#include <cstdio>

namespace vilab {
namespace {

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  std::string s = buffer;
  // Trailing zeros say nothing: "12.50" -> "12.5", "3.00" -> "3".
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string colour(plot::Color c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c & 0xFF, (c >> 8) & 0xFF,
                (c >> 16) & 0xFF);
  return buffer;
}

// ` fill="#rrggbb"` (or stroke), with an opacity when not opaque.
std::string paint(const char* what, plot::Color c) {
  std::string s = std::string(" ") + what + "=\"" + colour(c) + "\"";
  const unsigned a = c >> 24;
  if (a != 255) s += std::string(" ") + what + "-opacity=\"" + num(a / 255.0) + "\"";
  return s;
}

std::string points(std::span<const ImVec2> pts, bool closed) {
  std::string d = "M";
  for (std::size_t i = 0; i < pts.size(); ++i)
    d += (i == 0 ? "" : " L") + num(pts[i].x) + " " + num(pts[i].y);
  if (closed) d += " Z";
  return d;
}

void appendBytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                             static_cast<std::size_t>(size));
}

std::string base64(const std::string& bytes) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 |
                       (unsigned char)bytes[i + 2];
    out += k[v >> 18], out += k[(v >> 12) & 63], out += k[(v >> 6) & 63], out += k[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = (unsigned char)bytes[i] << 16;
    out += k[v >> 18], out += k[(v >> 12) & 63], out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8;
    out += k[v >> 18], out += k[(v >> 12) & 63], out += k[(v >> 6) & 63], out += '=';
  }
  return out;
}

}  // namespace

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

SvgCanvas::SvgCanvas(float width, float height, const std::string& physicalWidth,
                     const std::string& physicalHeight, const std::string& title,
                     TextureLookup textures)
    : m_textures(std::move(textures)) {
  m_out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
          "version=\"1.1\" width=\"" + physicalWidth + "\" height=\"" + physicalHeight +
          "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
          "\" font-family=\"DejaVu Sans\">\n<title>" + xmlEscape(title) + "</title>\n";
}

void SvgCanvas::polyline(std::span<const ImVec2> pts, plot::Color color, float thickness,
                         float dash, bool closed) {
  if (pts.size() < 2) return;
  m_out += "<path d=\"" + points(pts, closed) + "\" fill=\"none\"" + paint("stroke", color) +
           " stroke-width=\"" + num(thickness) + "\" stroke-linejoin=\"round\"";
  if (dash > 0.0f) m_out += " stroke-dasharray=\"" + num(dash) + " " + num(0.7 * dash) + "\"";
  m_out += "/>\n";
}

void SvgCanvas::fillPolygon(std::span<const ImVec2> pts, plot::Color color) {
  if (pts.size() < 3) return;
  m_out += "<path d=\"" + points(pts, true) + "\"" + paint("fill", color) + "/>\n";
}

void SvgCanvas::fillRect(ImVec2 a, ImVec2 b, plot::Color color, float rounding) {
  m_out += "<rect x=\"" + num(a.x) + "\" y=\"" + num(a.y) + "\" width=\"" + num(b.x - a.x) +
           "\" height=\"" + num(b.y - a.y) + "\"";
  if (rounding > 0.0f) m_out += " rx=\"" + num(rounding) + "\"";
  m_out += paint("fill", color) + "/>\n";
}

void SvgCanvas::strokeRect(ImVec2 a, ImVec2 b, plot::Color color, float rounding,
                           float thickness) {
  m_out += "<rect x=\"" + num(a.x + 0.5) + "\" y=\"" + num(a.y + 0.5) + "\" width=\"" +
           num(b.x - a.x - 1.0) + "\" height=\"" + num(b.y - a.y - 1.0) + "\"";
  if (rounding > 0.0f) m_out += " rx=\"" + num(rounding) + "\"";
  m_out += " fill=\"none\"" + paint("stroke", color) + " stroke-width=\"" + num(thickness) +
           "\"/>\n";
}

void SvgCanvas::circle(ImVec2 c, float r, plot::Color fill, plot::Color ring, float ringThickness) {
  m_out += "<circle cx=\"" + num(c.x) + "\" cy=\"" + num(c.y) + "\" r=\"" + num(r) + "\"" +
           paint("fill", fill);
  if (ring != 0 && ringThickness > 0.0f)
    m_out += paint("stroke", ring) + " stroke-width=\"" + num(ringThickness) + "\"";
  m_out += "/>\n";
}

void SvgCanvas::text(const plot::TextRun& run) {
  m_out += "<text x=\"" + num(run.at.x) + "\" y=\"" + num(run.at.y + run.ascent) +
           "\" font-size=\"" + num(emForLineHeight(run.size)) + "\"" + paint("fill", run.color);
  if (run.angle != 0.0f)
    m_out += " transform=\"rotate(" + num(-run.angle * 180.0 / 3.14159265358979323846) + " " +
             num(run.at.x) + " " + num(run.at.y) + ")\"";
  m_out += " xml:space=\"preserve\">" + xmlEscape(run.text) + "</text>\n";
}

void SvgCanvas::image(ImTextureID texture, ImVec2 a, ImVec2 b, plot::Color) {
  const TextureImage* image = m_textures ? m_textures(texture) : nullptr;
  if (!image || image->width <= 0 || image->height <= 0) return;
  std::string png;
  stbi_write_png_to_func(appendBytes, &png, image->width, image->height, 4, image->rgba.data(),
                         image->width * 4);
  m_out += "<image x=\"" + num(a.x) + "\" y=\"" + num(a.y) + "\" width=\"" + num(b.x - a.x) +
           "\" height=\"" + num(b.y - a.y) +
           "\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64," + base64(png) +
           "\"/>\n";
}

void SvgCanvas::pushClip(ImVec2 a, ImVec2 b) {
  const std::string id = "clip" + std::to_string(++m_clips);
  m_out += "<clipPath id=\"" + id + "\"><rect x=\"" + num(a.x) + "\" y=\"" + num(a.y) +
           "\" width=\"" + num(b.x - a.x) + "\" height=\"" + num(b.y - a.y) +
           "\"/></clipPath>\n<g clip-path=\"url(#" + id + ")\">\n";
  ++m_open;
}

void SvgCanvas::popClip() {
  if (m_open == 0) return;
  m_out += "</g>\n";
  --m_open;
}

void SvgCanvas::mesh(const plot::Mesh& mesh) {
  // Images as images; flat triangles in their vertices' mean colour (other textured triangles
  // have no vector form here and are left out; glyphs were already turned into text).
  for (std::size_t t = 0; t + 2 < mesh.vertices.size(); t += 3) {
    ImVec2 min, max;
    if (mesh.imageQuad(t, min, max)) {
      image(mesh.texture, min, max, mesh.vertices[t].color);
      t += 3;
      continue;
    }
    const plot::Mesh::Vertex* v = &mesh.vertices[t];
    if (v[0].uv.x != v[1].uv.x || v[0].uv.y != v[1].uv.y || v[0].uv.x != v[2].uv.x ||
        v[0].uv.y != v[2].uv.y)
      continue;
    unsigned sum[4] = {0, 0, 0, 0};
    for (int k = 0; k < 3; ++k)
      for (int c = 0; c < 4; ++c) sum[c] += (v[k].color >> (8 * c)) & 0xFF;
    if (sum[3] == 0) continue;
    const plot::Color mean =
        plot::rgba(int(sum[0] / 3), int(sum[1] / 3), int(sum[2] / 3), int(sum[3] / 3));
    const ImVec2 tri[3] = {v[0].pos, v[1].pos, v[2].pos};
    fillPolygon(tri, mean);
  }
}

std::string SvgCanvas::finish() {
  while (m_open > 0) popClip();
  return m_out + "</svg>\n";
}

}  // namespace vilab
