#include "app/plot/plot.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <array>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace vilab::plot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr Color kBackground = rgba(255, 255, 255);
constexpr Color kGrid = rgba(226, 226, 226);
constexpr Color kBorder = rgba(150, 150, 150);
constexpr Color kText = rgba(20, 20, 20);

struct AxisState {
  double min = 0.0, max = 1.0;
  bool fit = true;  // follows the data until the user pans or zooms
  bool hasRange = false;
  // The range the last fit chose: an equal-aspect plot widens min/max after fitting, and the next
  // fit must not take that for a change (it would fit and widen again every frame, forever).
  double fitLo = 0.0, fitHi = 0.0;
  bool refit = true;  // fit on the next frame whatever fitLo and fitHi say (double-click)
};

struct PlotState {
  AxisState x, y;
  std::unordered_set<std::string> hidden;  // legend entries switched off
  int legendRows = 0;                      // rows the legend above the data needed last frame
  float legendWidth = 0.0f;                // width an East legend needed last frame
  int legendFirst = 0;                     // first entry shown by a legend that scrolls
};

struct Extents {
  double xMin = kInf, xMax = -kInf, yMin = kInf, yMax = -kInf;
};

struct LegendEntry {
  std::string label;
  LineStyle style;
  bool hidden;
};

struct Current {
  PlotState* state = nullptr;
  unsigned flags = 0;
  std::string title, xLabel, yLabel;
  Scale xScale = Scale::Linear, yScale = Scale::Linear;
  ImVec2 frameMin, frameMax, areaMin, areaMax;
  int firstIndex = 0;  // the draw list's index count at begin()
  AxisMap xMap, yMap;
  Ticks xTicks, yTicks;
  std::vector<std::string> xTickLabels;  // named ticks; empty for numbers
  std::vector<double> xTickValues;
  Extents extents;
  double yFitFloor = -kInf;
  bool fitXOverride = false, fitYOverride = false;
  double fitXMin = 0, fitXMax = 1, fitYMin = 0, fitYMax = 1;
  bool fixedX = false, fixedY = false;
  bool ready = false;  // axes laid out and background drawn
  bool hovered = false, active = false;
  std::vector<LegendEntry> legend;
  Legend legendPlacement = Legend::Above;
  float legendTop = 0.0f;   // y of the legend row above the data
  bool wheelTaken = false;  // the mouse wheel scrolled the legend: no zoom
  ImDrawList* draw = nullptr;
  std::string key;         // what names the plot in files and capture requests
  int figure = -1;         // index into gCaptured while this plot is recorded
  ImGuiID id = 0;
  // setEmphasis: the emphasised series is drawing now; its highest pixel in the data area.
  bool emphasising = false, emphasisSeen = false;
  ImVec2 emphasisAt;
  Color emphasisColor = 0;
};

Current g;
std::string gEmphasis;  // setEmphasis
bool gActive = false;
bool gNeedsFrame = false;
// Keyboard control: the plot that had focus at the end of the last frame and the one that has it
// in this one (0: none), and what the keys asked of it.
ImGuiID gKeyFocus = 0, gKeyFocusNext = 0;
double gKeyPanX = 0.0, gKeyPanY = 0.0, gKeyZoom = 1.0;
int gKeyFocusFrame = -1;

// A new frame hands the focus the plots found in the last one over.
void rollKeyFocus() {
  const int frame = ImGui::GetFrameCount();
  if (frame == gKeyFocusFrame) return;
  gKeyFocus = frame == gKeyFocusFrame + 1 ? gKeyFocusNext : 0;
  gKeyFocusNext = 0;
  gKeyFocusFrame = frame;
}
std::vector<PlotTriangles> gTriangles;  // this frame's, per plot
std::unordered_map<ImGuiID, PlotState> gStates;

// Capture requests: while one stands, plots whose key matches record their primitives.
bool gCaptureAll = false;
std::string gCaptureKey;
std::vector<Figure> gCaptured;
MenuRequest gMenuRequest;

// Where each plot was last drawn, and in which ImGui frame (lastRect).
struct DrawnRect {
  ScreenRect rect;
  int frame = -1;
};
std::unordered_map<std::string, DrawnRect> gDrawnRects;
void rememberRect(const std::string& key, ImVec2 min, ImVec2 max) {
  if (gDrawnRects.size() > 4096) gDrawnRects.clear();  // keys with numbers in them cannot pile up
  gDrawnRects[key] = {{min, max}, ImGui::GetFrameCount()};
}

ImGuiCanvas gScreen;

std::string shownLabel(const char* label);

void appendUtf8(std::string& out, unsigned c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | c >> 6), out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | c >> 12), out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Glyph quads a panel drew with ImDrawList::AddText, turned back into text runs (so files get
// words, not bitmaps): a quad whose texture rectangle is a glyph's is that glyph, its line's top
// left is the quad's corner less the glyph's offset, and glyphs on one line in one colour, one
// after the other (gaps of whole spaces, which ImGui draws as nothing), make one run. What is
// not a glyph (the atlas's white pixel: shapes) stays in `mesh`.
void textFromGlyphs(Mesh& mesh, DisplayList& out) {
  const ImFont* font = ImGui::GetFont();
  if (!font) return;
  std::vector<Mesh::Vertex> rest;
  TextRun run{};
  float cursor = 0.0f, scale = 1.0f;
  const auto flush = [&] {
    if (!run.text.empty()) out.text(run);
    run.text.clear();
  };
  const ImFontGlyph* space = font->FindGlyphNoFallback(' ');
  auto& v = mesh.vertices;
  for (std::size_t i = 0; i < v.size();) {
    // ImGui's quads: (0,1,2), (0,2,3): six vertices, the first and fourth the same corner.
    const ImFontGlyph* glyph = nullptr;
    if (i + 6 <= v.size() && v[i].pos.x == v[i + 3].pos.x && v[i].pos.y == v[i + 3].pos.y) {
      const ImVec2 uv0 = v[i].uv, uv1 = v[i + 2].uv;
      for (const ImFontGlyph& g : font->Glyphs)
        if (g.U0 == uv0.x && g.V0 == uv0.y && g.U1 == uv1.x && g.V1 == uv1.y && g.Visible) {
          glyph = &g;
          break;
        }
    }
    if (!glyph) {
      rest.insert(rest.end(), v.begin() + i, v.begin() + std::min(i + 3, v.size()));
      i += 3;
      continue;
    }
    const float height = v[i + 2].pos.y - v[i].pos.y;
    const float s = glyph->Y1 > glyph->Y0 ? height / (glyph->Y1 - glyph->Y0) : 1.0f;
    const ImVec2 top(v[i].pos.x - glyph->X0 * s, v[i].pos.y - glyph->Y0 * s);
    const bool sameLine = !run.text.empty() && run.color == v[i].color &&
                          std::fabs(top.y - run.at.y) < 0.5f && std::fabs(s - scale) < 1e-3f &&
                          top.x >= cursor - 0.5f;
    if (!sameLine) {
      flush();
      scale = s;
      run = {top, "", v[i].color, font->FontSize * s, font->Ascent * s, 0.0f};
    } else if (space && top.x > cursor + 0.5f) {
      const int spaces = static_cast<int>(std::lround((top.x - cursor) / (space->AdvanceX * s)));
      run.text.append(static_cast<std::size_t>(std::max(spaces, 0)), ' ');
    }
    appendUtf8(run.text, glyph->Codepoint);
    cursor = top.x + glyph->AdvanceX * s;
    i += 6;
  }
  flush();
  v = std::move(rest);
}

// While a plot is recorded every primitive goes to the screen and to its figure's list; the
// triangles a panel added to the draw list itself in between (plot::drawList()) are kept as
// meshes, so a file misses nothing the screen shows.
class TeeCanvas final : public Canvas {
 public:
  DisplayList* list = nullptr;
  void start(DisplayList* l) {
    list = l;
    mark();
  }
  void foreign() {
    ImDrawList* d = gScreen.list();
    if (!list || d->IdxBuffer.Size <= m_idx) return;
    for (const ImDrawCmd& cmd : d->CmdBuffer) {
      const int lo = std::max<int>(m_idx, static_cast<int>(cmd.IdxOffset));
      const int hi = static_cast<int>(cmd.IdxOffset + cmd.ElemCount);
      if (hi <= lo) continue;
      Mesh mesh;
      mesh.texture = cmd.TextureId;
      mesh.fontAtlas = cmd.TextureId == ImGui::GetIO().Fonts->TexID;
      for (int i = lo; i < hi; ++i) {
        const ImDrawVert& v = d->VtxBuffer[static_cast<int>(cmd.VtxOffset) + d->IdxBuffer[i]];
        // The dark theme's neutral colours back to the light look files keep (an involution).
        mesh.vertices.push_back({v.pos, v.uv, onScreen(v.col)});
      }
      if (mesh.fontAtlas) textFromGlyphs(mesh, *list);
      list->mesh(mesh);
    }
    mark();
  }
  void mark() { m_idx = gScreen.list()->IdxBuffer.Size; }
  void polyline(std::span<const ImVec2> p, Color c, float t, float dash, bool closed) override {
    foreign(), gScreen.polyline(p, c, t, dash, closed), list->polyline(p, c, t, dash, closed), mark();
  }
  void fillPolygon(std::span<const ImVec2> p, Color c) override {
    foreign(), gScreen.fillPolygon(p, c), list->fillPolygon(p, c), mark();
  }
  void fillRect(ImVec2 a, ImVec2 b, Color c, float r) override {
    foreign(), gScreen.fillRect(a, b, c, r), list->fillRect(a, b, c, r), mark();
  }
  void strokeRect(ImVec2 a, ImVec2 b, Color c, float r, float t) override {
    foreign(), gScreen.strokeRect(a, b, c, r, t), list->strokeRect(a, b, c, r, t), mark();
  }
  void circle(ImVec2 p, float r, Color f, Color ring, float t) override {
    foreign(), gScreen.circle(p, r, f, ring, t), list->circle(p, r, f, ring, t), mark();
  }
  void text(const TextRun& run) override { foreign(), gScreen.text(run), list->text(run), mark(); }
  void image(ImTextureID tex, ImVec2 a, ImVec2 b, Color tint) override {
    foreign(), gScreen.image(tex, a, b, tint), list->image(tex, a, b, tint), mark();
  }
  void pushClip(ImVec2 a, ImVec2 b) override {
    foreign(), gScreen.pushClip(a, b), list->pushClip(a, b), mark();
  }
  void popClip() override { foreign(), gScreen.popClip(), list->popClip(), mark(); }

 private:
  int m_idx = 0;
};
TeeCanvas gTee;

Canvas& canvas() {
  return g.figure >= 0 ? static_cast<Canvas&>(gTee) : static_cast<Canvas&>(gScreen);
}

Figure* figure() {
  return g.figure >= 0 ? &gCaptured[static_cast<std::size_t>(g.figure)] : nullptr;
}

// One line of text at `at` (top left of its box) in the current ImGui font.
void drawText(ImVec2 at, const std::string& text, Color color, float angle = 0.0f) {
  const ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  canvas().text({at, text, color, size, font->Ascent * size / font->FontSize, angle});
}

// Text wrapped to `wrap` pixels as ImGui wraps it, one run per line (so files need no wrapping).
void drawWrappedText(ImVec2 at, const char* text, Color color, float wrap) {
  const ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize(), scale = size / font->FontSize;
  const char* s = text;
  const char* end = text + std::strlen(text);
  while (s < end) {
    const char* cut = font->CalcWordWrapPositionA(scale, s, end, wrap);
    if (cut == s) ++cut;  // a word wider than the wrap width still advances
    const char* lineEnd = std::find(s, cut, '\n');
    drawText(at, std::string(s, lineEnd), color);
    at.y += size;
    s = lineEnd < cut ? lineEnd + 1 : cut;
    if (lineEnd == cut)
      while (s < end && (*s == ' ' || *s == '\t')) ++s;
    if (lineEnd == cut && s < end && *s == '\n') ++s;
  }
}

std::string shownLabel(const char* label);

void recordSeries(const char* label, std::span<const Point> points) {
  if (Figure* f = figure())
    f->series.push_back({shownLabel(label), {points.begin(), points.end()}, true});
}

ImU32 toImU32(Color c) {
  return c;
}

bool visibleTitle(const std::string& s) {
  return !s.empty() && s.rfind("##", 0) != 0;
}

// The label shown for an item: ImGui's "text##id" convention hides what follows ##.
std::string shownLabel(const char* label) {
  std::string s(label);
  const auto cut = s.find("##");
  return cut == std::string::npos ? s : s.substr(0, cut);
}

void drawTextRotated(ImVec2 centre, const char* text, Color color) {
  // Turned 90 degrees counter-clockwise about its top left: the box's centre lands on `centre`.
  const ImVec2 size = ImGui::CalcTextSize(text);
  drawText(ImVec2(centre.x - 0.5f * size.y, centre.y + 0.5f * size.x), text, color,
           1.57079632679489662f);
}

// Remembers the highest pixel of the emphasised series that lies in the data area.
void trackEmphasis(std::span<const ImVec2> pts) {
  if (!g.emphasising) return;
  for (const ImVec2& p : pts)
    if (p.x >= g.areaMin.x && p.x <= g.areaMax.x && p.y >= g.areaMin.y && p.y <= g.areaMax.y &&
        (!g.emphasisSeen || p.y < g.emphasisAt.y)) {
      g.emphasisAt = p;
      g.emphasisSeen = true;
    }
}

// Scope of one item's drawing: thickens the emphasised series and tracks where it goes.
struct Emphasis {
  Emphasis(const char* label, LineStyle& style) {
    g.emphasising = !gEmphasis.empty() && gEmphasis == label;
    if (!g.emphasising) return;
    style.thickness *= 2.2f;
    g.emphasisColor = style.color;
  }
  ~Emphasis() { g.emphasising = false; }
};

void polyline(std::span<const ImVec2> pts, LineStyle style, bool closed = false) {
  if (pts.size() < 2) return;
  trackEmphasis(pts);
  const float unit = ImGui::GetFontSize() / 18.0f;
  const float width = style.thickness * unit;
  canvas().polyline(pts, toImU32(style.color), width,
                    style.dotted ? std::max(1.5f * width, 2.0f) : style.dashed ? 7.0f * unit : 0.0f,
                    closed);
}
void polyline(std::initializer_list<ImVec2> pts, LineStyle style, bool closed = false) {
  polyline(std::span<const ImVec2>(pts.begin(), pts.size()), style, closed);
}

void layout() {
  if (g.ready) return;
  g.ready = true;
  PlotState& st = *g.state;
  const float font = ImGui::GetFontSize();
  const float pad = 0.35f * font;

  // Ranges from the previous frame's fit (or the defaults), sanitised for the scales.
  auto sane = [](AxisState& a, bool log) {
    if (!std::isfinite(a.min) || !std::isfinite(a.max) || !(a.max > a.min))
      a.min = 0.0, a.max = 1.0;
    if (log && a.min <= 0.0) {
      a.min = std::max(a.max * 1e-3, 1e-300);
      if (!(a.max > a.min)) a.min = 0.1, a.max = 1.0;
    }
  };
  sane(st.x, g.xScale == Scale::Log);
  sane(st.y, g.yScale == Scale::Log);

  const float titleH = visibleTitle(g.title) ? font * 1.35f : 0.0f;
  const float xLabelH = g.xLabel.empty() ? 0.0f : font * 1.25f;
  const float xTickH = font * 1.25f;
  const float yLabelW = g.yLabel.empty() ? 0.0f : font * 1.3f;

  g.yTicks =
      g.yScale == Scale::Log ? logTicks(st.y.min, st.y.max, 6) : niceTicks(st.y.min, st.y.max, 6);
  float tickW = 0.0f;
  for (double v : g.yTicks.values)
    tickW = std::max(tickW, ImGui::CalcTextSize(formatTick(v, g.yTicks.step).c_str()).x);

  float legendH = g.legendPlacement == Legend::Above && !(g.flags & kNoLegend)
                      ? st.legendRows * font * 1.25f
                      : 0.0f;
  // A legend row that would squeeze the data (small plots, large UI scale) goes inside instead.
  const float innerH = g.frameMax.y - g.frameMin.y - 2 * pad - titleH - xTickH - xLabelH;
  if (legendH > 0.0f && innerH - legendH < 0.55f * innerH) {
    legendH = 0.0f;
    g.legendPlacement = Legend::NorthEast;
  }
  g.legendTop = g.frameMin.y + pad + titleH;
  // An East legend takes the width it needed last frame (at most 40% of the plot).
  const float eastW = g.legendPlacement == Legend::East && !(g.flags & kNoLegend)
                          ? std::min(st.legendWidth, 0.4f * (g.frameMax.x - g.frameMin.x))
                          : 0.0f;
  g.areaMin =
      ImVec2(g.frameMin.x + pad + yLabelW + tickW + pad, g.frameMin.y + pad + titleH + legendH);
  g.areaMax = ImVec2(g.frameMax.x - pad - font * 0.4f - (eastW > 0.0f ? eastW + pad : 0.0f),
                     g.frameMax.y - pad - xTickH - xLabelH);
  if (g.areaMax.x < g.areaMin.x + 10) g.areaMax.x = g.areaMin.x + 10;
  if (g.areaMax.y < g.areaMin.y + 10) g.areaMax.y = g.areaMin.y + 10;

  if (g.flags & kEqualAspect) {
    // Widen the axis with more units per pixel so both show one unit at the same length.
    const double w = g.areaMax.x - g.areaMin.x, h = g.areaMax.y - g.areaMin.y;
    const double ux = (st.x.max - st.x.min) / w, uy = (st.y.max - st.y.min) / h;
    if (ux > uy) {
      const double c = 0.5 * (st.y.min + st.y.max), half = 0.5 * ux * h;
      st.y.min = c - half, st.y.max = c + half;
    } else {
      const double c = 0.5 * (st.x.min + st.x.max), half = 0.5 * uy * w;
      st.x.min = c - half, st.x.max = c + half;
    }
    g.yTicks = niceTicks(st.y.min, st.y.max, 6);
  }

  g.xMap = {st.x.min, st.x.max, g.areaMin.x, g.areaMax.x, g.xScale == Scale::Log};
  g.yMap = {st.y.min, st.y.max, g.areaMax.y, g.areaMin.y, g.yScale == Scale::Log};
  const int maxXTicks =
      std::clamp(static_cast<int>((g.areaMax.x - g.areaMin.x) / (font * 5.0f)), 3, 10);
  g.xTicks = g.xScale == Scale::Log ? logTicks(st.x.min, st.x.max, maxXTicks)
                                    : niceTicks(st.x.min, st.x.max, maxXTicks);
  if (!g.xTickLabels.empty()) g.xTicks.values = g.xTickValues;

  Canvas& d = canvas();
  // On screen the window's own background shows behind the plot: when it is the plot's white
  // already, filling the area again would cost a software renderer a share of a screen's worth of
  // blending every frame. A figure file always gets its background.
  const ImVec4 windowBg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  if (ImGui::ColorConvertFloat4ToU32(ImVec4(windowBg.x, windowBg.y, windowBg.z, 1.0f)) != onScreen(kBackground)) {
    d.fillRect(g.areaMin, g.areaMax, toImU32(kBackground));
  } else if (Figure* f = figure()) {
    gTee.foreign();
    f->list.fillRect(g.areaMin, g.areaMax, toImU32(kBackground), 0.0f);
    gTee.mark();
  }
  for (double v : g.xTicks.values) {
    const float px = static_cast<float>(g.xMap.toPixel(v));
    const ImVec2 line[2] = {ImVec2(px, g.areaMin.y), ImVec2(px, g.areaMax.y)};
    d.polyline(line, toImU32(kGrid), 1.0f, 0.0f, false);
  }
  for (double v : g.yTicks.values) {
    const float py = static_cast<float>(g.yMap.toPixel(v));
    const ImVec2 line[2] = {ImVec2(g.areaMin.x, py), ImVec2(g.areaMax.x, py)};
    d.polyline(line, toImU32(kGrid), 1.0f, 0.0f, false);
  }
  d.pushClip(g.areaMin, g.areaMax);
}

// Registers an item in the legend; false when the user has hidden it.
bool item(const char* label, LineStyle style) {
  layout();
  const std::string shown = shownLabel(label);
  const bool hidden = g.state->hidden.count(label) > 0;
  if (!shown.empty() && !(g.flags & kNoLegend)) {
    const bool known = std::any_of(g.legend.begin(), g.legend.end(),
                                   [&](const LegendEntry& e) { return e.label == label; });
    if (!known) g.legend.push_back({label, style, hidden});
  }
  return !hidden;
}

void fitX(double x) {
  if (!std::isfinite(x) || (g.xScale == Scale::Log && x <= 0)) return;
  g.extents.xMin = std::min(g.extents.xMin, x);
  g.extents.xMax = std::max(g.extents.xMax, x);
}
void fitY(double y) {
  if (!std::isfinite(y) || (g.yScale == Scale::Log && y <= 0) || y < g.yFitFloor) return;
  g.extents.yMin = std::min(g.extents.yMin, y);
  g.extents.yMax = std::max(g.extents.yMax, y);
}

ImVec2 px(double x, double y) {
  return ImVec2(static_cast<float>(g.xMap.toPixel(x)), static_cast<float>(g.yMap.toPixel(y)));
}

bool finite(double x, double y) {
  return std::isfinite(x) && std::isfinite(y) && (g.xScale != Scale::Log || x > 0) &&
         (g.yScale != Scale::Log || y > 0);
}

// Draws a polyline of data points, broken at non-finite values, decimated to the pixels.
void drawSeries(std::span<const Point> pts, LineStyle style) {
  std::vector<ImVec2> pixels;
  const auto drawRun = [&](std::size_t a, std::size_t b) {
    if (a >= b) return;
    const std::span<const Point> run = pts.subspan(a, b - a);
    const bool sorted = std::is_sorted(run.begin(), run.end(),
                                       [](const Point& p, const Point& q) { return p.x < q.x; });
    pixels.clear();
    if (sorted) {
      for (const Point& p : decimateMinMax(run, g.xMap)) pixels.push_back(px(p.x, p.y));
    } else {
      for (const Point& p : run) pixels.push_back(px(p.x, p.y));
    }
    if (pixels.size() == 1)
      canvas().circle(pixels[0], style.thickness, toImU32(style.color));
    polyline(pixels, style);
  };
  std::size_t start = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (finite(pts[i].x, pts[i].y)) {
      fitX(pts[i].x);
      fitY(pts[i].y);
    } else {
      drawRun(start, i);
      start = i + 1;
    }
  }
  drawRun(start, pts.size());
}

// Arrow keys and +/- (queued by keyboardInput for the plot that has focus).
void applyKeys() {
  if (g.id != gKeyFocus || (gKeyPanX == 0.0 && gKeyPanY == 0.0 && gKeyZoom == 1.0)) return;
  PlotState& st = *g.state;
  const auto move = [](AxisState& a, const AxisMap& m, double pan, double zoom, bool fixed) {
    if (fixed) return;
    // In pixels, so that log axes pan and zoom as the mouse does.
    const double span = m.pixelMax - m.pixelMin, centre = 0.5 * (m.pixelMin + m.pixelMax);
    const double shift = pan * span, half = 0.5 * span * zoom;
    const double lo = m.toData(centre + shift - half), hi = m.toData(centre + shift + half);
    if (!std::isfinite(lo) || !std::isfinite(hi) || lo == hi) return;
    a.min = std::min(lo, hi), a.max = std::max(lo, hi);
    a.fit = false;
  };
  // The y map runs from the bottom pixel up, so a positive pan moves the view up on both axes.
  move(st.x, g.xMap, gKeyPanX, gKeyZoom, g.fixedX);
  move(st.y, g.yMap, gKeyPanY, gKeyZoom, g.fixedY);
  gKeyPanX = gKeyPanY = 0.0;
  gKeyZoom = 1.0;
  gNeedsFrame = true;
}

void applyInput() {
  PlotState& st = *g.state;
  ImGuiIO& io = ImGui::GetIO();
  if (g.flags & kNoInput) return;
  applyKeys();
  if (g.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    st.x.fit = st.y.fit = true;
    st.x.refit = st.y.refit = true;
    gNeedsFrame = true;
    return;
  }
  if (g.active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
    const ImVec2 delta = io.MouseDelta;
    if (delta.x != 0.0f || delta.y != 0.0f) {
      auto pan = [](AxisState& a, const AxisMap& m, float d, bool fixed) {
        if (fixed) return;
        const double lo = m.toData(m.pixelMin - d), hi = m.toData(m.pixelMax - d);
        a.min = std::min(lo, hi), a.max = std::max(lo, hi);
        a.fit = false;
      };
      pan(st.x, g.xMap, delta.x, g.fixedX);
      pan(st.y, g.yMap, delta.y, g.fixedY);
    }
  }
  if (g.hovered && io.MouseWheel != 0.0f && !g.wheelTaken) {
    const double factor = std::pow(0.85, io.MouseWheel);
    auto zoom = [factor](AxisState& a, const AxisMap& m, float mouse, bool fixed) {
      if (fixed) return;
      const double lo = m.toData(mouse + (m.pixelMin - mouse) * factor);
      const double hi = m.toData(mouse + (m.pixelMax - mouse) * factor);
      a.min = std::min(lo, hi), a.max = std::max(lo, hi);
      a.fit = false;
    };
    zoom(st.x, g.xMap, io.MousePos.x, g.fixedX);
    zoom(st.y, g.yMap, io.MousePos.y, g.fixedY);
  }
}

void legendEntry(const LegendEntry& e, ImVec2 at, float swatch, float rowH) {
  const float font = ImGui::GetFontSize();
  LineStyle style = e.style;
  if (e.hidden) style.color = rgba(190, 190, 190);
  const float y = at.y + rowH * 0.5f;
  if (style.thickness >= 6.0f) {  // filled items (bars, points): a box
    canvas().fillRect(ImVec2(at.x, y - font * 0.3f), ImVec2(at.x + swatch, y + font * 0.3f),
                      toImU32(style.color));
  } else {
    style.thickness = std::max(style.thickness, 2.0f);
    polyline({ImVec2(at.x, y), ImVec2(at.x + swatch, y)}, style);
  }
  drawText(ImVec2(at.x + swatch + font * 0.3f, at.y + (rowH - font) * 0.5f),
           shownLabel(e.label.c_str()), toImU32(e.hidden ? rgba(150, 150, 150) : kText));
}

void toggleOnClick(const LegendEntry& e, ImVec2 min, ImVec2 max) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool inside = mouse.x >= min.x && mouse.x <= max.x && mouse.y >= min.y && mouse.y < max.y;
  if (inside && g.hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    if (e.hidden)
      g.state->hidden.erase(e.label);
    else
      g.state->hidden.insert(e.label);
    gNeedsFrame = true;
  }
}

void drawLegend() {
  if (g.flags & kNoLegend) return;
  const float font = ImGui::GetFontSize();
  const float swatch = font * 1.4f, pad = font * 0.35f, rowH = font * 1.25f;
  std::vector<float> widths;
  for (const auto& e : g.legend)
    widths.push_back(swatch + font * 0.3f +
                     ImGui::CalcTextSize(shownLabel(e.label.c_str()).c_str()).x);

  if (g.legendPlacement == Legend::Above) {
    // Entries in rows centred over the data; the rows needed are reserved from the next frame on.
    const float gap = font * 1.1f, width = g.areaMax.x - g.areaMin.x;
    std::vector<std::vector<std::size_t>> rows(1);
    float used = 0.0f;
    for (std::size_t i = 0; i < g.legend.size(); ++i) {
      if (!rows.back().empty() && used + gap + widths[i] > width) rows.emplace_back(), used = 0.0f;
      used += (rows.back().empty() ? 0.0f : gap) + widths[i];
      rows.back().push_back(i);
    }
    const int needed = g.legend.empty() ? 0 : static_cast<int>(rows.size());
    if (needed != g.state->legendRows) g.state->legendRows = needed, gNeedsFrame = true;
    for (std::size_t r = 0; r < rows.size() && static_cast<int>(r) < g.state->legendRows; ++r) {
      float total = 0.0f;
      for (std::size_t i : rows[r]) total += widths[i] + (total > 0 ? gap : 0.0f);
      float x = 0.5f * (g.areaMin.x + g.areaMax.x - total);
      const float y = g.legendTop + rowH * r;
      for (std::size_t i : rows[r]) {
        legendEntry(g.legend[i], ImVec2(x, y), swatch, rowH);
        toggleOnClick(g.legend[i], ImVec2(x, y), ImVec2(x + widths[i], y + rowH));
        x += widths[i] + gap;
      }
    }
    return;
  }
  if (g.legend.empty()) return;
  // A grid of equal columns, inside the plot: a column right of the data (East) or a box in a
  // corner of the data area. Entries that do not fit scroll with the wheel over the legend.
  const int n = static_cast<int>(g.legend.size());
  const float columnW = *std::max_element(widths.begin(), widths.end()) + font * 0.8f;
  const bool eastColumn = g.legendPlacement == Legend::East;
  const float maxW =
      eastColumn ? 0.4f * (g.frameMax.x - g.frameMin.x) : g.areaMax.x - g.areaMin.x - 4 * pad;
  const float maxH =
      eastColumn ? g.frameMax.y - pad - g.areaMin.y : g.areaMax.y - g.areaMin.y - 4 * pad;
  const LegendGrid grid = legendGrid(n, rowH, columnW, maxW, maxH);
  const float boxW = grid.columns * columnW + (eastColumn ? 0.0f : 2 * pad);
  const float boxH = grid.rows * rowH + (eastColumn ? 0.0f : 2 * pad);
  if (eastColumn && std::fabs(boxW - g.state->legendWidth) > 0.5f)
    g.state->legendWidth = boxW, gNeedsFrame = true;
  const bool east = eastColumn || g.legendPlacement == Legend::NorthEast ||
                    g.legendPlacement == Legend::SouthEast;
  const bool north = eastColumn || g.legendPlacement == Legend::NorthEast ||
                     g.legendPlacement == Legend::NorthWest;
  const ImVec2 boxMin(eastColumn ? g.frameMax.x - pad - boxW
                                 : (east ? g.areaMax.x - boxW - pad : g.areaMin.x + pad),
                      north ? g.areaMin.y + (eastColumn ? 0.0f : pad) : g.areaMax.y - boxH - pad);
  const ImVec2 boxMax(boxMin.x + boxW, boxMin.y + boxH);
  if (!eastColumn) {
    canvas().fillRect(boxMin, boxMax, toImU32(withAlpha(kBackground, 0.88f)), 3.0f);
    canvas().strokeRect(boxMin, boxMax, toImU32(kBorder), 3.0f);
  }
  int& first = g.state->legendFirst;
  if (grid.scrolls) {
    const ImGuiIO& io = ImGui::GetIO();
    const bool over = io.MousePos.x >= boxMin.x && io.MousePos.x < boxMax.x &&
                      io.MousePos.y >= boxMin.y && io.MousePos.y < boxMax.y;
    if (over && g.hovered && io.MouseWheel != 0.0f) {
      first -= (io.MouseWheel > 0.0f ? 1 : -1) * grid.columns;
      g.wheelTaken = gNeedsFrame = true;
    }
    const int last = (n - grid.shown + grid.columns - 1) / grid.columns * grid.columns;
    first = std::clamp(first, 0, std::max(last, 0));
  } else {
    first = 0;
  }
  const float inset = eastColumn ? 0.0f : pad;
  int shown = 0;
  for (int i = first; i < n && shown < grid.shown; ++i, ++shown) {
    const ImVec2 at(boxMin.x + inset + (shown % grid.columns) * columnW,
                    boxMin.y + inset + (shown / grid.columns) * rowH);
    legendEntry(g.legend[i], at, swatch, rowH);
    toggleOnClick(g.legend[i], at, ImVec2(at.x + columnW, at.y + rowH));
  }
  if (grid.scrolls && grid.rows > 1) {
    const std::string range = "▲▼ " + std::to_string(first + 1) + "–" +
                              std::to_string(first + shown) + " of " + std::to_string(n);
    drawText(
        ImVec2(boxMin.x + inset, boxMin.y + inset + (grid.rows - 1) * rowH + (rowH - font) * 0.5f),
        fitText(range, boxW - inset), toImU32(rgba(110, 110, 110)));
  }
}

void autofit() {
  PlotState& st = *g.state;
  auto fit = [](AxisState& a, double lo, double hi, bool log, bool fixed) {
    if (fixed || !a.fit || !(hi >= lo)) return;
    const auto [nlo, nhi] = paddedRange(lo, hi, 0.05, log);
    const double tolerance = 1e-9 * (std::fabs(a.fitHi - a.fitLo) + 1e-300);
    if (!a.hasRange || a.refit || std::fabs(nlo - a.fitLo) > tolerance || std::fabs(nhi - a.fitHi) > tolerance) {
      a.min = a.fitLo = nlo, a.max = a.fitHi = nhi, a.hasRange = true, a.refit = false;
      gNeedsFrame = true;
    }
  };
  auto exact = [](AxisState& a, double lo, double hi) {
    if (!a.fit || !(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return;
    if (a.min != lo || a.max != hi || !a.hasRange) {
      a.min = lo, a.max = hi, a.hasRange = true;
      gNeedsFrame = true;
    }
  };
  if (g.fitXOverride)
    exact(st.x, g.fitXMin, g.fitXMax);
  else
    fit(st.x, g.extents.xMin, g.extents.xMax, g.xScale == Scale::Log, g.fixedX);
  if (g.fitYOverride)
    exact(st.y, g.fitYMin, g.fitYMax);
  else
    fit(st.y, g.extents.yMin, g.extents.yMax, g.yScale == Scale::Log, g.fixedY);
}

// The right-click menu every plot has. Plots that take clicks themselves (kNoInput) open it
// from their margins (title, ticks, labels), others from anywhere on the plot.
void contextMenu() {
  const std::string id = "##plot menu " + g.key;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const bool inData = m.x >= g.areaMin.x && m.x <= g.areaMax.x && m.y >= g.areaMin.y &&
                      m.y <= g.areaMax.y;
  if (g.hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right) &&
      !(inData && (g.flags & kNoInput)))
    ImGui::OpenPopup(id.c_str());
  if (!ImGui::BeginPopup(id.c_str())) return;
  ImGui::TextDisabled("%s", fitText(g.title.empty() ? g.key : g.title,
                                    24 * ImGui::GetFontSize()).c_str());
  ImGui::Separator();
  const auto ask = [](MenuAction action, int scale = 1) { gMenuRequest = {action, g.key, scale}; };
  if (ImGui::MenuItem("Copy values as CSV")) ask(MenuAction::CopyCsv);
  if (ImGui::MenuItem("Export SVG")) ask(MenuAction::ExportSvg);
  if (ImGui::MenuItem("Export PDF")) ask(MenuAction::ExportPdf);
  if (ImGui::BeginMenu("Export PNG")) {
    for (int scale = 1; scale <= 4; ++scale)
      if (ImGui::MenuItem((std::to_string(scale) + "× (" + std::to_string(scale * 96) +
                           " dpi)").c_str()))
        ask(MenuAction::ExportPng, scale);
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Record this plot (GIF)")) ask(MenuAction::Record);
  ImGui::EndPopup();
}

}  // namespace

void beginPanel(const char* id, ImVec2 min, ImVec2 max) {
  IM_ASSERT(!gActive && "plot::beginPanel inside a plot");
  const std::string s(id);
  const auto hash3 = s.find("###"), hash2 = s.find("##");
  const std::string key = hash3 != std::string::npos ? s.substr(hash3 + 3)
                          : hash2 != std::string::npos ? s.substr(0, hash2)
                                                       : s;
  g = Current();
  g.key = key.empty() ? s : key;
  g.frameMin = min, g.frameMax = max;
  rememberRect(g.key, min, max);
  gScreen.setList(ImGui::GetWindowDrawList());
  if (gCaptureAll || (!gCaptureKey.empty() && gCaptureKey == g.key)) {
    Figure& f = gCaptured.emplace_back();
    f.key = g.key;
    f.title = shownLabel(id);
    f.origin = min;
    f.width = max.x - min.x, f.height = max.y - min.y;
    g.figure = static_cast<int>(gCaptured.size()) - 1;
    gTee.start(&f.list);
  }
}

void endPanel() {
  if (g.figure >= 0) gTee.foreign();
  g.figure = -1;
}

void requestCapture(const std::string& key) {
  gCaptured.clear();
  gCaptureAll = key.empty();
  gCaptureKey = key;
}

std::vector<Figure> takeCaptures() {
  gCaptureAll = false;
  gCaptureKey.clear();
  std::vector<Figure> out = std::move(gCaptured);
  gCaptured.clear();
  return out;
}

MenuRequest takeMenuRequest() {
  MenuRequest r = std::move(gMenuRequest);
  gMenuRequest = {};
  return r;
}

bool begin(const char* title, ImVec2 size, unsigned flags) {
  IM_ASSERT(!gActive && "plot::begin without plot::end");
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = std::max(avail.x, 50.0f);
  if (size.y <= 0) size.y = std::max(avail.y, 50.0f);
  const ImGuiID id = ImGui::GetID(title);
  g = Current();
  g.state = &gStates[id];
  g.flags = flags;
  g.title = shownLabel(title);
  {
    const std::string id(title);
    const auto hash3 = id.find("###");
    g.key = hash3 != std::string::npos ? id.substr(hash3 + 3) : g.title;
    if (g.key.empty()) g.key = id;
  }
  g.frameMin = ImGui::GetCursorScreenPos();
  g.frameMax = ImVec2(g.frameMin.x + size.x, g.frameMin.y + size.y);
  ImGui::InvisibleButton(title, size,
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  g.hovered = ImGui::IsItemHovered();
  g.active = ImGui::IsItemActive();
  rollKeyFocus();
  // Focus for the keys: under the mouse, or holding the navigation cursor while it shows.
  if (g.hovered || (ImGui::IsItemFocused() && ImGui::GetIO().NavVisible)) gKeyFocusNext = id;
  g.id = id;
  if (!ImGui::IsItemVisible()) return false;
  rememberRect(g.key, g.frameMin, g.frameMax);
  g.draw = ImGui::GetWindowDrawList();
  g.firstIndex = g.draw->IdxBuffer.Size;
  gScreen.setList(g.draw);
  if (gCaptureAll || (!gCaptureKey.empty() && gCaptureKey == g.key &&
                      std::none_of(gCaptured.begin(), gCaptured.end(),
                                   [](const Figure& f) { return f.key == g.key; }))) {
    Figure& f = gCaptured.emplace_back();
    f.key = g.key;
    f.title = g.title;
    g.figure = static_cast<int>(gCaptured.size()) - 1;
    gTee.start(&f.list);
  }
  gActive = true;
  return true;
}

void setupAxes(const char* xLabel, const char* yLabel, Scale x, Scale y) {
  g.xLabel = xLabel ? xLabel : "";
  g.yLabel = yLabel ? yLabel : "";
  g.xScale = x;
  g.yScale = y;
}

void setupXRange(double min, double max, bool always) {
  AxisState& a = g.state->x;
  if (always || !a.hasRange) a.min = min, a.max = max, a.hasRange = true;
  if (always)
    g.fixedX = true;
  else
    a.fit = false;
}

void setupYRange(double min, double max, bool always) {
  AxisState& a = g.state->y;
  if (always || !a.hasRange) a.min = min, a.max = max, a.hasRange = true;
  if (always)
    g.fixedY = true;
  else
    a.fit = false;
}

void setupYFitFloor(double floor) {
  g.yFitFloor = floor;
}

void setupLegend(Legend placement) {
  g.legendPlacement = placement;
}

void setupFitX(double min, double max) {
  g.fitXOverride = true;
  g.fitXMin = min, g.fitXMax = max;
}

void setupFitY(double min, double max) {
  g.fitYOverride = true;
  g.fitYMin = min, g.fitYMax = max;
}

void setupXTicks(std::span<const double> values, std::span<const std::string> labels) {
  const std::size_t n = std::min(values.size(), labels.size());
  g.xTickValues.assign(values.begin(), values.begin() + n);
  g.xTickLabels.assign(labels.begin(), labels.begin() + n);
}

void line(const char* label, std::span<const double> xs, std::span<const double> ys,
          LineStyle style) {
  const Emphasis emphasis(label, style);
  if (!item(label, style)) return;
  std::vector<Point> pts(std::min(xs.size(), ys.size()));
  for (std::size_t i = 0; i < pts.size(); ++i) pts[i] = {xs[i], ys[i]};
  recordSeries(label, pts);
  drawSeries(pts, style);
}

void line(const char* label, std::span<const Point> points, LineStyle style) {
  const Emphasis emphasis(label, style);
  if (!item(label, style)) return;
  recordSeries(label, points);
  drawSeries(points, style);
}

namespace {

struct Comparison {
  const TraceView* other = nullptr;
  std::string ownSuffix, otherSuffix;
} gComparison;

// `label` with `suffix` before any "##id" part, so the shown text and the id both change.
std::string suffixed(const char* label, const std::string& suffix) {
  std::string s(label);
  const auto cut = s.find("##");
  return cut == std::string::npos ? s + suffix : s.insert(cut, suffix);
}

void drawTrace(const char* label, const TraceView& trace, int xColumn, int yColumn, LineStyle style);

}  // namespace

void setComparison(const TraceView* other, const char* ownSuffix, const char* otherSuffix) {
  gComparison = {other, ownSuffix ? ownSuffix : "", otherSuffix ? otherSuffix : ""};
}

const TraceView* comparison() { return gComparison.other; }

std::string comparisonLabel(const char* label, bool other) {
  if (!gComparison.other) return label;
  return suffixed(label, other ? gComparison.otherSuffix : gComparison.ownSuffix);
}

void traceLine(const char* label, const TraceView& trace, int xColumn, int yColumn,
               LineStyle style) {
  const Emphasis emphasis(label, style);
  const TraceView* other = gComparison.other;
  if (!other || xColumn < 0 || yColumn < 0 || other->columnCount() == 0)
    return drawTrace(label, trace, xColumn, yColumn, style);
  // The other run's columns by name: a changed scenario may give it other columns.
  const auto& names = trace.columns();
  const int ox = other->column(names[static_cast<std::size_t>(xColumn)]);
  const int oy = other->column(names[static_cast<std::size_t>(yColumn)]);
  drawTrace(suffixed(label, gComparison.ownSuffix).c_str(), trace, xColumn, yColumn, style);
  LineStyle dashed = style;
  dashed.dashed = true;
  drawTrace(suffixed(label, gComparison.otherSuffix).c_str(), *other, ox, oy, dashed);
}

namespace {

void drawTrace(const char* label, const TraceView& trace, int xColumn, int yColumn, LineStyle style) {
  if (!item(label, style)) return;
  if (xColumn < 0 || yColumn < 0) return;
  // Rows stream straight from the trace's chunks into the decimator: no copy of a long history.
  std::vector<ImVec2> pixels;
  ColumnDecimator decimator(g.xMap);
  bool open = false;
  const auto flush = [&] {
    if (!open) return;
    decimator.finish();
    pixels.clear();
    for (const Point& p : decimator.points()) pixels.push_back(px(p.x, p.y));
    polyline(pixels, style);
    decimator = ColumnDecimator(g.xMap);
    open = false;
  };
  std::vector<Point>* values = nullptr;
  if (Figure* f = figure()) values = &f->series.emplace_back(Series{shownLabel(label), {}, true}).points;
  const auto add = [&](double x, double y) {
    if (values) values->push_back({x, y});
    if (!finite(x, y)) return flush();
    fitX(x);
    fitY(y);
    decimator.add({x, y});
    open = true;
  };
  double lastX = -kInf;
  for (std::size_t r = 0; r < trace.rows(); ++r)
    add(lastX = trace.at(r, xColumn), trace.at(r, yColumn));
  // The newest row, which thinning may not have kept.
  const auto& last = trace.lastRow();
  if (!last.empty() && last[xColumn] > lastX) add(last[xColumn], last[yColumn]);
  flush();
}

}  // namespace

void band(const char* label, std::span<const double> xs, std::span<const double> lo,
          std::span<const double> hi, Color fill) {
  if (!item(label, {fill, 6.0f})) return;
  const std::size_t n = std::min({xs.size(), lo.size(), hi.size()});
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!finite(xs[i], lo[i]) || !finite(xs[i + 1], hi[i + 1]) || !finite(xs[i], hi[i]) ||
        !finite(xs[i + 1], lo[i + 1]))
      continue;
    const ImVec2 quad[4] = {px(xs[i], lo[i]), px(xs[i + 1], lo[i + 1]), px(xs[i + 1], hi[i + 1]),
                            px(xs[i], hi[i])};
    canvas().fillPolygon(quad, toImU32(fill));
  }
  for (std::size_t i = 0; i < n; ++i) fitX(xs[i]), fitY(lo[i]), fitY(hi[i]);
}

void scatter(const char* label, std::span<const double> xs, std::span<const double> ys,
             std::span<const Color> colors, float radius) {
  if (!item(label, {colors.empty() ? rgba(0, 0, 0) : colors[0], 6.0f})) return;
  const std::size_t n = std::min(xs.size(), ys.size());
  const float r = radius * ImGui::GetFontSize() / 18.0f;
  const bool squares = n > 3000;  // many points: cheap quads instead of circles
  if (Figure* f = figure()) {
    Series& out = f->series.emplace_back(Series{shownLabel(label), {}});
    for (std::size_t i = 0; i < n; ++i) out.points.push_back({xs[i], ys[i]});
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!finite(xs[i], ys[i])) continue;
    fitX(xs[i]);
    fitY(ys[i]);
    const ImVec2 p = px(xs[i], ys[i]);
    const ImU32 c = toImU32(colors.size() == n ? colors[i]
                            : colors.empty()   ? rgba(0, 0, 0)
                                               : colors[0]);
    if (squares)
      canvas().fillRect(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), c);
    else
      canvas().circle(p, r, c);
  }
}

void scatter(const char* label, std::span<const double> xs, std::span<const double> ys, Color color,
             float radius) {
  scatter(label, xs, ys, std::span<const Color>(&color, 1), radius);
}

void bars(const char* label, std::span<const double> xs, std::span<const double> heights,
          double width, Color fill) {
  if (!item(label, {fill, 6.0f})) return;
  const std::size_t n = std::min(xs.size(), heights.size());
  const double base = g.yScale == Scale::Log ? g.yMap.min : 0.0;
  if (Figure* f = figure()) {
    Series& out = f->series.emplace_back(Series{shownLabel(label), {}});
    for (std::size_t i = 0; i < n; ++i) out.points.push_back({xs[i], heights[i]});
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(heights[i])) continue;
    const ImVec2 a = px(xs[i] - 0.5 * width, base), b = px(xs[i] + 0.5 * width, heights[i]);
    canvas().fillRect(ImVec2(a.x, std::min(a.y, b.y)), ImVec2(b.x, std::max(a.y, b.y)),
                      toImU32(fill));
    fitX(xs[i] - 0.5 * width);
    fitX(xs[i] + 0.5 * width);
    fitY(heights[i]);
    if (g.yScale != Scale::Log) fitY(0.0);
  }
}

void hline(const char* label, double y, LineStyle style) {
  if (!item(label, style) || !std::isfinite(y)) return;
  fitY(y);
  polyline({ImVec2(g.areaMin.x, px(0, y).y), ImVec2(g.areaMax.x, px(0, y).y)}, style);
}

void vline(const char* label, double x, LineStyle style) {
  if (!item(label, style) || !std::isfinite(x)) return;
  fitX(x);
  const float p = px(x, g.yScale == Scale::Log ? 1.0 : 0.0).x;
  polyline({ImVec2(p, g.areaMin.y), ImVec2(p, g.areaMax.y)}, style);
}

void contour(const char* label, std::span<const double> values, std::span<const double> xs,
             std::span<const double> ys, std::span<const double> levels, LineStyle style) {
  const Emphasis emphasis(label, style);
  if (!item(label, style)) return;
  const float thickness = style.thickness * ImGui::GetFontSize() / 18.0f;
  for (double level : levels) {
    const std::vector<Segment> segments = contourSegments(values, xs, ys, level);
    if (style.dashed || style.dotted) {  // joined, so the pattern runs along each curve
      std::vector<ImVec2> pts;
      for (const std::vector<Point>& line : joinSegments(segments)) {
        pts.clear();
        for (const Point& p : line) fitX(p.x), fitY(p.y), pts.push_back(px(p.x, p.y));
        polyline(pts, style);
      }
      continue;
    }
    for (const Segment& s : segments) {
      fitX(s.a.x), fitX(s.b.x), fitY(s.a.y), fitY(s.b.y);
      const std::array<ImVec2, 2> segment{px(s.a.x, s.a.y), px(s.b.x, s.b.y)};
      trackEmphasis(segment);
      canvas().polyline(segment, toImU32(style.color), thickness, 0.0f, false);
    }
  }
}

void image(const char* label, ImTextureID texture, double xMin, double xMax, double yMin,
           double yMax, Color tint) {
  if (!item(label, {tint, 6.0f})) return;
  fitX(xMin), fitX(xMax), fitY(yMin), fitY(yMax);
  // Texture row 0 is the top edge (yMax).
  canvas().image(texture, px(xMin, yMax), px(xMax, yMin), toImU32(tint));
}

void ellipse(const char* label, Point c, double sxx, double sxy, double syy, double nSigma,
             LineStyle style) {
  const Emphasis emphasis(label, style);
  if (!item(label, style)) return;
  const double mean = 0.5 * (sxx + syy);
  const double root = std::hypot(0.5 * (sxx - syy), sxy);  // no overflow for covariances ~1e160
  const double r1 = std::sqrt(std::max(0.0, mean + root)) * nSigma;
  const double r2 = std::sqrt(std::max(0.0, mean - root)) * nSigma;
  const double angle = 0.5 * std::atan2(2.0 * sxy, sxx - syy);
  if (!std::isfinite(r1) || !std::isfinite(c.x) || !std::isfinite(c.y)) return;
  std::vector<ImVec2> pts;
  const int n = 72;
  for (int i = 0; i < n; ++i) {
    const double t = 2.0 * 3.14159265358979 * i / n;
    const double u = r1 * std::cos(t), v = r2 * std::sin(t);
    const double x = c.x + u * std::cos(angle) - v * std::sin(angle);
    const double y = c.y + u * std::sin(angle) + v * std::cos(angle);
    fitX(x), fitY(y);
    pts.push_back(px(x, y));
  }
  polyline(pts, style, true);
}

void arrow(const char* label, Point from, Point to, LineStyle style) {
  if (!item(label, style) || !finite(from.x, from.y) || !finite(to.x, to.y)) return;
  fitX(from.x), fitX(to.x), fitY(from.y), fitY(to.y);
  const ImVec2 a = px(from.x, from.y), b = px(to.x, to.y);
  polyline({a, b}, style);
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1.0f) return;
  const float head = std::min(len * 0.4f, 0.6f * ImGui::GetFontSize());
  const float ux = dx / len, uy = dy / len;
  const ImVec2 left(b.x - head * ux + 0.5f * head * uy, b.y - head * uy - 0.5f * head * ux);
  const ImVec2 right(b.x - head * ux - 0.5f * head * uy, b.y - head * uy + 0.5f * head * ux);
  canvas().fillPolygon(std::array<ImVec2, 3>{b, left, right}, toImU32(style.color));
}

void marker(const char* label, Point at, Color color, float radius) {
  if (!item(label, {color, 6.0f}) || !finite(at.x, at.y)) return;
  fitX(at.x), fitY(at.y);
  const float r = radius * ImGui::GetFontSize() / 18.0f;
  const ImVec2 p = px(at.x, at.y);
  canvas().circle(p, r, toImU32(color), toImU32(rgba(255, 255, 255)), 1.5f);
}

void text(Point at, const char* text, Color color, ImVec2 pivot) {
  layout();
  if (!finite(at.x, at.y)) return;
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 p = px(at.x, at.y);
  drawText(ImVec2(p.x - pivot.x * size.x, p.y - pivot.y * size.y), text, toImU32(color));
}

void note(const char* text, Legend corner) {
  layout();
  const float font = ImGui::GetFontSize(), pad = 0.35f * font;
  const float wrap = std::max(font * 4.0f, g.areaMax.x - g.areaMin.x - 4.0f * pad);
  const ImVec2 size = ImGui::CalcTextSize(text, nullptr, false, wrap);
  const bool east = corner == Legend::NorthEast || corner == Legend::SouthEast;
  const bool south = corner == Legend::SouthEast || corner == Legend::SouthWest;
  const ImVec2 at(east ? g.areaMax.x - 2.0f * pad - size.x : g.areaMin.x + 2.0f * pad,
                  south ? g.areaMax.y - 2.0f * pad - size.y : g.areaMin.y + 2.0f * pad);
  canvas().fillRect(ImVec2(at.x - pad, at.y - pad),
                    ImVec2(at.x + size.x + pad, at.y + size.y + pad),
                    toImU32(withAlpha(kBackground, 0.9f)), 3.0f);
  canvas().strokeRect(ImVec2(at.x - pad, at.y - pad),
                      ImVec2(at.x + size.x + pad, at.y + size.y + pad), toImU32(kBorder), 3.0f);
  drawWrappedText(at, text, toImU32(kText), wrap);
}

bool isHovered() {
  const ImVec2 m = ImGui::GetIO().MousePos;
  return g.hovered && m.x >= g.areaMin.x && m.x <= g.areaMax.x && m.y >= g.areaMin.y &&
         m.y <= g.areaMax.y;
}

Point mousePosition() {
  layout();
  const ImVec2 m = ImGui::GetIO().MousePos;
  return {g.xMap.toData(m.x), g.yMap.toData(m.y)};
}

ImVec2 toPixels(Point p) {
  layout();
  return px(p.x, p.y);
}

bool inDataArea(ImVec2 pixel) {
  layout();
  return pixel.x >= g.areaMin.x && pixel.x <= g.areaMax.x && pixel.y >= g.areaMin.y && pixel.y <= g.areaMax.y;
}

double pixelsPerUnitX() {
  layout();
  return std::fabs((g.xMap.pixelMax - g.xMap.pixelMin) / (g.xMap.max - g.xMap.min));
}

ImDrawList* drawList() {
  layout();
  if (g.figure >= 0) gTee.foreign();  // keeps the order of what came before
  return g.draw;
}

int nearestPoint(std::span<const double> xs, std::span<const double> ys) {
  if (!isHovered()) return -1;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const float reach = 0.6f * ImGui::GetFontSize();
  float best = reach * reach;
  int found = -1;
  for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    const ImVec2 p = toPixels({xs[i], ys[i]});
    const float d = (p.x - m.x) * (p.x - m.x) + (p.y - m.y) * (p.y - m.y);
    if (d < best) best = d, found = static_cast<int>(i);
  }
  return found;
}

bool isShown(const char* label) {
  return g.state && g.state->hidden.count(label) == 0;
}

void labelAt(ImVec2 pixel, const std::string& text, Color color, bool framed) {
  if (!std::isfinite(pixel.x) || !std::isfinite(pixel.y)) return;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  const ImVec2 min(pixel.x - 0.5f * size.x - 2.0f, pixel.y - 0.5f * size.y);
  const ImVec2 max(pixel.x + 0.5f * size.x + 2.0f, pixel.y + 0.5f * size.y);
  layout();
  canvas().fillRect(min, max, withAlpha(rgba(255, 255, 255), 0.85f), 3.0f);
  if (framed) canvas().strokeRect(min, max, color, 3.0f);
  drawText(ImVec2(min.x + 2.0f, min.y), text, color);
}

void setEmphasis(const std::string& label) { gEmphasis = label; }

void end() {
  IM_ASSERT(gActive && "plot::end without plot::begin");
  layout();
  if (g.emphasisSeen) {
    // The tag sits just above the series' highest point, kept inside the data area.
    const std::string tag = "updated by the equation";
    const ImVec2 size = ImGui::CalcTextSize(tag.c_str());
    const float x = std::clamp(g.emphasisAt.x, g.areaMin.x + 0.5f * size.x + 3.0f,
                               std::max(g.areaMin.x + 0.5f * size.x + 3.0f, g.areaMax.x - 0.5f * size.x - 3.0f));
    const float y = std::clamp(g.emphasisAt.y - size.y, g.areaMin.y + 0.5f * size.y + 2.0f,
                               std::max(g.areaMin.y + 0.5f * size.y + 2.0f, g.areaMax.y - 0.5f * size.y - 2.0f));
    labelAt(ImVec2(x, y), tag, g.emphasisColor, true);
  }
  Canvas& d = canvas();
  d.popClip();
  const float font = ImGui::GetFontSize();
  d.strokeRect(g.areaMin, g.areaMax, toImU32(kBorder));

  // Tick labels, axis labels and the title, outside the data area.
  for (std::size_t i = 0; i < g.xTicks.values.size(); ++i) {
    const double v = g.xTicks.values[i];
    const std::string s = g.xTickLabels.empty() ? formatTick(v, g.xTicks.step) : g.xTickLabels[i];
    const float x = static_cast<float>(g.xMap.toPixel(v));
    const float w = ImGui::CalcTextSize(s.c_str()).x;
    polyline({ImVec2(x, g.areaMax.y), ImVec2(x, g.areaMax.y + font * 0.25f)},
             {kBorder, 18.0f / font});
    drawText(
        ImVec2(std::clamp(x - w * 0.5f, g.frameMin.x, g.frameMax.x - w), g.areaMax.y + font * 0.2f),
        s, toImU32(kText));
  }
  for (double v : g.yTicks.values) {
    const std::string s = formatTick(v, g.yTicks.step);
    const float y = static_cast<float>(g.yMap.toPixel(v));
    const ImVec2 size = ImGui::CalcTextSize(s.c_str());
    drawText(ImVec2(g.areaMin.x - size.x - font * 0.3f,
                    std::clamp(y - size.y * 0.5f, g.frameMin.y, g.frameMax.y - size.y)),
             s, toImU32(kText));
  }
  if (!g.xLabel.empty()) {
    const float w = ImGui::CalcTextSize(g.xLabel.c_str()).x;
    drawText(ImVec2(0.5f * (g.areaMin.x + g.areaMax.x - w), g.areaMax.y + font * 1.3f), g.xLabel,
             toImU32(kText));
  }
  if (!g.yLabel.empty())
    drawTextRotated(ImVec2(g.frameMin.x + font * 0.85f, 0.5f * (g.areaMin.y + g.areaMax.y)),
                    g.yLabel.c_str(), kText);
  if (visibleTitle(g.title)) {
    const std::string title = fitText(g.title, g.frameMax.x - g.frameMin.x - font);
    const float w = ImGui::CalcTextSize(title.c_str()).x;
    const float centre = std::clamp(0.5f * (g.areaMin.x + g.areaMax.x), g.frameMin.x + 0.5f * w,
                                    g.frameMax.x - 0.5f * w);
    drawText(ImVec2(centre - 0.5f * w, g.frameMin.y + font * 0.2f), title, toImU32(kText));
  }

  drawLegend();
  if (g.figure >= 0) {
    gTee.foreign();  // what the panel drew last
    Figure& f = *figure();
    f.origin = g.frameMin;
    f.width = g.frameMax.x - g.frameMin.x;
    f.height = g.frameMax.y - g.frameMin.y;
    f.xMap = g.xMap, f.yMap = g.yMap;
    f.xMap.pixelMin -= g.frameMin.x, f.xMap.pixelMax -= g.frameMin.x;
    f.yMap.pixelMin -= g.frameMin.y, f.yMap.pixelMax -= g.frameMin.y;
  }
  contextMenu();
  if (isHovered() && !(g.flags & kNoReadout)) {
    const Point m = mousePosition();
    const std::string s = "x " + formatTick(m.x, g.xTicks.step * 0.1) + "   y " +
                          formatTick(m.y, g.yTicks.step * 0.1);
    const ImVec2 size = ImGui::CalcTextSize(s.c_str());
    const ImVec2 at(g.areaMin.x + font * 0.3f, g.areaMax.y - size.y - font * 0.3f);
    // On screen only: a file shows the plot, not where the mouse was.
    g.draw->AddRectFilled(ImVec2(at.x - 3, at.y - 2),
                          ImVec2(at.x + size.x + 3, at.y + size.y + 2),
                          onScreen(withAlpha(kBackground, 0.9f)));
    g.draw->AddText(at, onScreen(kText), s.c_str());
  }
  applyInput();
  autofit();
  if (gTriangles.size() < 1024) gTriangles.push_back({g.key, (g.draw->IdxBuffer.Size - g.firstIndex) / 3});
  g.figure = -1;
  gActive = false;
}

std::string fitText(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  std::string cut = text;
  while (!cut.empty() && ImGui::CalcTextSize((cut + "…").c_str()).x > width) {
    cut.pop_back();
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80)
      cut.pop_back();  // UTF-8
    if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0) cut.pop_back();
  }
  return cut + "…";
}

std::optional<ScreenRect> lastRect(std::string_view key) {
  if (key.rfind("###", 0) == 0) key.remove_prefix(3);
  const auto it = gDrawnRects.find(std::string(key));
  if (it == gDrawnRects.end() || it->second.frame < ImGui::GetFrameCount() - 1) return std::nullopt;
  return it->second.rect;
}

std::vector<PlotTriangles> takeTriangleCounts() { return std::exchange(gTriangles, {}); }

bool hasKeyboardFocus() {
  rollKeyFocus();
  return gKeyFocus != 0;
}

void keyboardInput(double panX, double panY, double zoom) {
  gKeyPanX += panX, gKeyPanY += panY, gKeyZoom *= zoom;
}

bool needsAnotherFrame() {
  const bool again = gNeedsFrame;
  gNeedsFrame = false;
  return again;
}

}  // namespace vilab::plot
