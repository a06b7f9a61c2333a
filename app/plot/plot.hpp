#pragma once
// Our small plotting layer on Dear ImGui's public API, shaped like ImPlot's immediate mode:
//   if (plot::begin("ELBO", size)) {
//     plot::setupAxes("iteration", "nats");
//     plot::line("ELBO", xs, ys, {kBlue});
//     plot::end();
//   }
// Items draw at once with the ranges fitted at the end of the previous frame (autofit lags one
// frame, as in ImPlot). Per-plot state (ranges, hidden legend entries) lives in a map keyed by
// ImGuiID. Drag pans, the wheel zooms at the cursor, a double-click fits again, a click on a
// legend entry hides or shows its item.

#include <imgui.h>

#include <optional>
#include <span>
#include <string>

#include "app/plot/canvas.hpp"
#include "app/plot/plot_math.hpp"
#include "core/trace.hpp"

namespace vilab::plot {

enum class Scale { Linear, Log };

enum Flags : unsigned {
  kNone = 0,
  kNoLegend = 1u << 0,
  kNoInput = 1u << 1,      // no pan/zoom: the caller handles clicks (e.g. adding data points)
  kEqualAspect = 1u << 2,  // one data unit is as long on x as on y (2-D data clouds)
  kNoReadout = 1u << 3,    // no x/y readout under the cursor
};

// Where the legend goes: rows above the data (the default, never hides data), a corner inside,
// or a column right of the data (East: long lists such as classes). However many entries, a
// legend stays inside its plot: it wraps into columns, and what still does not fit scrolls with
// the mouse wheel over the legend ("k–m of n" on its last row). Rows above that would squeeze
// the data move to the north-east corner.
enum class Legend { Above, NorthEast, NorthWest, SouthEast, SouthWest, East };

struct LineStyle {
  Color color = rgba(0, 0, 0);
  float thickness = 2.0f;
  bool dashed = false;
  bool dotted = false;  // dots a line's width apart (references and truths)
};

// How the screen draws (figure files keep the light look and the unscaled widths): the dark
// theme shows every neutral colour (black, greys, white) as its inverse, so black lines and text
// turn white on a black background while the palette's hues stay, and dims images (heatmaps) to
// kDarkImage; presentation mode multiplies line widths by `lineScale`.
struct ScreenLook {
  bool dark = false;
  float lineScale = 1.0f;
};
inline constexpr float kDarkImage = 0.38f;
void setScreenLook(ScreenLook look);
ScreenLook screenLook();
// `c` as the screen shows it under the current look: for panels that draw into drawList()
// themselves. Neutral means no channel differs from another by more than 24.
Color onScreen(Color c);

// Keyboard control of plots. The plot under the mouse, or the one holding keyboard focus while
// ImGui's navigation cursor shows, takes arrow keys (pan) and +/- (zoom) for the next frame:
// hasKeyboardFocus() says whether one did at the end of the last frame, keyboardInput() queues
// a pan (fractions of the visible range, +x right, +y up) and a zoom factor (< 1 zooms in).
bool hasKeyboardFocus();
void keyboardInput(double panX, double panY, double zoom);

bool begin(const char* title, ImVec2 size, unsigned flags = kNone);
void setupAxes(const char* xLabel, const char* yLabel, Scale x = Scale::Linear,
               Scale y = Scale::Linear);
// A fixed range for an axis, every frame (no autofit, no pan) or only until the user moves it.
void setupXRange(double min, double max, bool always = true);
void setupYRange(double min, double max, bool always = true);
void setupLegend(Legend placement);
// What autofit shows on an axis (instead of the items' extents, unpadded) until the user moves it.
void setupFitX(double min, double max);
void setupFitY(double min, double max);
// Named ticks on x (categories), instead of numbers.
void setupXTicks(std::span<const double> values, std::span<const std::string> labels);
// Autofit ignores values below this on y (e.g. the first iterations of an ELBO curve).
void setupYFitFloor(double floor);

void line(const char* label, std::span<const double> xs, std::span<const double> ys,
          LineStyle style);
void line(const char* label, std::span<const Point> points, LineStyle style);
// A column of a trace against another, read in place (no copy) and decimated to the pixels.
void traceLine(const char* label, const TraceView& trace, int xColumn, int yColumn,
               LineStyle style);
// A/B comparison: while `other` is set (until the next call with nullptr), every traceLine also
// draws `other`'s columns of the same names dashed in the same colour, labelled with
// `otherSuffix`, and its own curve with `ownSuffix` (e.g. " (A)" and " (B)"). The caller keeps
// `other` alive while it is set.
void setComparison(const TraceView* other, const char* ownSuffix = " (A)",
                   const char* otherSuffix = " (B)");
// For a curve a lab derives from trace rows itself (filtered, floored) instead of one column:
// the trace set by setComparison (nullptr when none), and a label with the own or the other
// run's suffix (unchanged when none is set). The lab draws the other run's curve dashed.
const TraceView* comparison();
std::string comparisonLabel(const char* label, bool other);
void band(const char* label, std::span<const double> xs, std::span<const double> lo,
          std::span<const double> hi, Color fill);
void scatter(const char* label, std::span<const double> xs, std::span<const double> ys, Color color,
             float radius = 3.0f);
void scatter(const char* label, std::span<const double> xs, std::span<const double> ys,
             std::span<const Color> colors, float radius = 3.0f);
void bars(const char* label, std::span<const double> xs, std::span<const double> heights,
          double width, Color fill);
void hline(const char* label, double y, LineStyle style);
void vline(const char* label, double x, LineStyle style);
// Level sets of a grid (values row-major: ys.size() rows of xs.size() columns).
void contour(const char* label, std::span<const double> values, std::span<const double> xs,
             std::span<const double> ys, std::span<const double> levels, LineStyle style);
// An image (a heatmap texture) stretched over a data rectangle.
void image(const char* label, ImTextureID texture, double xMin, double xMax, double yMin,
           double yMax, Color tint = rgba(255, 255, 255));
// The n-sigma ellipse of a 2-D Gaussian with covariance [[sxx, sxy], [sxy, syy]].
void ellipse(const char* label, Point centre, double sxx, double sxy, double syy, double nSigma,
             LineStyle style);
void arrow(const char* label, Point from, Point to, LineStyle style);
void marker(const char* label, Point at, Color color, float radius = 6.0f);
// Text at a data point; pivot (0..1, 0..1) says which point of the text box sits there.
void text(Point at, const char* text, Color color, ImVec2 pivot = {0.0f, 0.0f});
// A message on a pale box in a corner of the data area (Above means the top left), wrapped to
// the area's width: why a plot is empty, or what it does not show.
void note(const char* text, Legend corner = Legend::NorthWest);

// For custom drawing and input inside the current plot.
bool isHovered();
// False when the user switched the item `label` off in the legend (e.g. to skip it on hover).
bool isShown(const char* label);
Point mousePosition();
ImVec2 toPixels(Point p);
double pixelsPerUnitX();
// True when a pixel lies inside the plot's data area (what the current ranges show).
bool inDataArea(ImVec2 pixel);
ImDrawList* drawList();
// The index of the point nearest the mouse within about half a line of text, or -1 when the
// plot is not hovered or no point is that close.
int nearestPoint(std::span<const double> xs, std::span<const double> ys);
// Text centred at a pixel on a pale box, readable over a cloud of points; framed in its colour
// when `framed`.
void labelAt(ImVec2 pixel, const std::string& text, Color color, bool framed = false);

void end();

// `text` cut to `width` pixels (UTF-8 safe) with a trailing ellipsis when it does not fit.
std::string fitText(const std::string& text, float width);

// Where a plot (or a panel, see beginPanel) was drawn on screen, by its key: the text after "###"
// in its title, or its title (a leading "###" in `key` is ignored). Empty when no plot with that
// key was drawn (and visible) in this frame or the one before. What a guided tour points at.
struct ScreenRect {
  ImVec2 min, max;
};
std::optional<ScreenRect> lastRect(std::string_view key);
// The live-equations panel's emphasis: until changed, the series (line, trace, contour, ellipse)
// whose legend label equals `label` draws 2.2 times as thick and gets a framed tag "updated by
// the equation" at its highest point in the data area. Empty: nothing emphasised.
void setEmphasis(const std::string& label);

// True when some plot changed its ranges this frame and wants one more frame to settle.
bool needsAnotherFrame();

// Triangles each plot added to its draw list this frame (its data, axes, labels and legend), by
// plot key, in drawing order; the list empties on each call. What --bench-frames and the
// triangle-ceiling tests read.
struct PlotTriangles {
  std::string key;
  int triangles = 0;
};
std::vector<PlotTriangles> takeTriangleCounts();

// ---- Export ------------------------------------------------------------------------------------
// Plots draw through a Canvas (canvas.hpp). After requestCapture(), the plots drawn (every plot
// when `key` is empty, else the first plot with that key: the text after "###" in its id, or its
// title) also record their primitives and data; takeCaptures() hands them over and ends the
// request. Typical use: requestCapture(); draw a frame; takeCaptures(). Nothing is recorded
// otherwise, so the screen path costs what it did.
void requestCapture(const std::string& key = "");
// A region drawn outside the plot layer (an image grid) that exports like a plot: what the
// caller draws into the window's draw list between the two calls is recorded (images at their
// native resolution, text as text). `id` names it as a plot's title does ("text##id").
void beginPanel(const char* id, ImVec2 min, ImVec2 max);
void endPanel();
std::vector<Figure> takeCaptures();

// What the user chose in a plot's right-click menu (the app carries it out).
enum class MenuAction { None, CopyCsv, ExportSvg, ExportPdf, ExportPng, Record };
struct MenuRequest {
  MenuAction action = MenuAction::None;
  std::string key;  // the plot, as requestCapture() takes it
  int scale = 1;    // PNG: 1 to 4 times the screen's pixels
};
MenuRequest takeMenuRequest();

}  // namespace vilab::plot
