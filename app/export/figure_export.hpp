#pragma once
// Figures for slides and books: a plot recorded by the plot layer (plot::Figure) written as SVG
// (own writer: text stays text), PDF (cairo, text as embedded DejaVu Sans) or PNG (cairo image
// surface at 1-4x the screen's pixels, rendered off-screen, not an upscaled screenshot), at the
// on-screen size (96 pixels per inch) or a physical width. Output is deterministic: the same
// figure gives the same bytes (the PDF's creation date is fixed).

#include <string>
#include <vector>

#include "app/export/cairo_canvas.hpp"
#include "app/plot/canvas.hpp"
#include "core/status.hpp"

namespace vilab {

enum class FigureFormat { Svg, Pdf, Png };

struct FigureSize {
  double widthCm = 0.0;  // 0: the on-screen size, 96 pixels per inch
  int pngScale = 1;      // PNG pixels per screen pixel, 1 to 4
};

// The format named by a path's extension (.svg, .pdf, .png, any case); an error naming the
// path and the allowed extensions otherwise.
Status figureFormat(const std::string& path, FigureFormat& format);
const char* extensionOf(FigureFormat format);

// "<lab>_<plot key>.<extension>", lower case, Greek letters by name, runs of anything but a-z,
// 0-9 as one '-', the lab's name not repeated ("###gmm data" in the gmm lab: gmm_data.svg).
std::string figureFileName(const plot::Figure& figure, const std::string& extension);

// Textures by id: the store's images and ImGui's font atlas (glyphs a panel drew itself).
TextureLookup textureLookup(const TextureStore* store);

std::string figureToSvg(const plot::Figure& figure, const FigureSize& size,
                        const TextureLookup& textures);
Status figureToPdf(const plot::Figure& figure, const FigureSize& size,
                   const TextureLookup& textures, std::string& bytes);
// RGBA, top row first, on white, round(width * scale) x round(height * scale) pixels.
std::vector<std::uint8_t> renderFigure(const plot::Figure& figure, double scale,
                                       const TextureLookup& textures, int& width, int& height);

// Writes one figure to `path` in the format of its extension, atomically.
Status writeFigure(const plot::Figure& figure, const std::string& path, const FigureSize& size,
                   const TextureLookup& textures);
// One file per figure in `folder` (which must exist and be writable), named by figureFileName
// (a second figure of the same name gets "-2", ...). Checks the folder before writing anything.
Status writeFigures(const std::vector<plot::Figure>& figures, const std::string& folder,
                    FigureFormat format, const FigureSize& size, const TextureLookup& textures,
                    std::vector<std::string>* written = nullptr);

// The data behind a figure's items: "item,x,y" rows, one per point, items in drawing order.
std::string seriesToCsv(const plot::Figure& figure);

}  // namespace vilab
