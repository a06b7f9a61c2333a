#include "app/export/figure_export.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <cstring>
#include <map>
#include <memory>

#include "app/export/atomic_file.hpp"
#include "app/export/png.hpp"
#include "app/export/svg_canvas.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

constexpr double kPointsPerPixel = 72.0 / 96.0;

// Points per display-list pixel for a vector page.
double pageScale(const plot::Figure& f, const FigureSize& size) {
  return size.widthCm > 0.0 && f.width > 0.0f ? size.widthCm / 2.54 * 72.0 / f.width
                                             : kPointsPerPixel;
}

cairo_status_t appendStream(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string slug(const std::string& input) {
  // Greek letters by name (plots are titled in the field's symbols: μ, τ, σ, ...).
  static const std::pair<const char*, const char*> kGreek[] = {
      {"α", "alpha"}, {"β", "beta"}, {"γ", "gamma"}, {"δ", "delta"}, {"ε", "epsilon"},
      {"η", "eta"},   {"θ", "theta"}, {"κ", "kappa"}, {"λ", "lambda"}, {"μ", "mu"},
      {"ν", "nu"},    {"π", "pi"},   {"ρ", "rho"},   {"σ", "sigma"},  {"τ", "tau"},
      {"φ", "phi"},   {"ψ", "psi"},  {"ω", "omega"}, {"Σ", "sigma"},  {"Ψ", "psi"}};
  std::string text = input;
  for (const auto& [letter, name] : kGreek)
    for (std::size_t at = text.find(letter); at != std::string::npos; at = text.find(letter, at))
      text.replace(at, std::strlen(letter), std::string(" ") + name + " ");
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) && c < 128) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 60) out.resize(60);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "plot" : out;
}

}  // namespace

Status figureFormat(const std::string& path, FigureFormat& format) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".svg") return format = FigureFormat::Svg, Status::ok();
  if (ext == ".pdf") return format = FigureFormat::Pdf, Status::ok();
  if (ext == ".png") return format = FigureFormat::Png, Status::ok();
  return Status::error("'" + path + "': unknown figure extension '" + ext +
                       "' (allowed: .svg, .pdf, .png)");
}

const char* extensionOf(FigureFormat format) {
  return format == FigureFormat::Svg ? "svg" : format == FigureFormat::Pdf ? "pdf" : "png";
}

std::string figureFileName(const plot::Figure& figure, const std::string& extension) {
  const std::string lab = slug(figure.lab);
  std::string plot = slug(figure.key);
  // Keys often repeat the lab ("###gmm data"): gmm_data.svg, not gmm_gmm-data.svg.
  if (plot.size() > lab.size() + 1 && plot.compare(0, lab.size() + 1, lab + "-") == 0)
    plot = plot.substr(lab.size() + 1);
  return lab + "_" + plot + "." + extension;
}

TextureLookup textureLookup(const TextureStore* store) {
  auto atlas = std::make_shared<TextureImage>();
  return [store, atlas](ImTextureID id) -> const TextureImage* {
    if (ImGui::GetCurrentContext() && id == ImGui::GetIO().Fonts->TexID) {
      if (atlas->rgba.empty()) {
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        if (!pixels) return nullptr;
        atlas->width = w, atlas->height = h;
        atlas->rgba.resize(std::size_t(w) * h);
        std::memcpy(atlas->rgba.data(), pixels, atlas->rgba.size() * 4);
      }
      return atlas.get();
    }
    return store ? store->find(id) : nullptr;
  };
}

std::string figureToSvg(const plot::Figure& f, const FigureSize& size, const TextureLookup& textures) {
  const double scale = pageScale(f, size);
  const auto length = [&](double pixels) {
    char b[32];
    if (size.widthCm > 0.0) std::snprintf(b, sizeof b, "%.3fcm", pixels * scale * 2.54 / 72.0);
    else std::snprintf(b, sizeof b, "%.2fpt", pixels * scale);
    return std::string(b);
  };
  SvgCanvas svg(f.width, f.height, length(f.width), length(f.height), f.title, textures);
  f.list.replay(svg, f.origin);
  return svg.finish();
}

Status figureToPdf(const plot::Figure& f, const FigureSize& size, const TextureLookup& textures,
                   std::string& bytes) {
  bytes.clear();
  const double scale = pageScale(f, size);
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(appendStream, &bytes, f.width * scale, f.height * scale);
  // A fixed date: the same figure gives the same bytes (cairo would write the current time).
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, f.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "VI Lab");
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, scale, scale);
  {
    CairoCanvas canvas(cr, textures);
    f.list.replay(canvas, f.origin);
  }
  cairo_show_page(cr);
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t surfaceStatus = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS || surfaceStatus != CAIRO_STATUS_SUCCESS)
    return Status::error(std::string("cairo could not make the PDF: ") +
                         cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : surfaceStatus));
  return Status::ok();
}

std::vector<std::uint8_t> renderFigure(const plot::Figure& f, double scale,
                                       const TextureLookup& textures, int& width, int& height) {
  width = std::max(1, static_cast<int>(std::lround(f.width * scale)));
  height = std::max(1, static_cast<int>(std::lround(f.height * scale)));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, scale, scale);
  {
    CairoCanvas canvas(cr, textures);
    f.list.replay(canvas, f.origin);
  }
  cairo_destroy(cr);
  auto rgba = surfaceToRgba(surface);
  cairo_surface_destroy(surface);
  return rgba;
}

Status writeFigure(const plot::Figure& f, const std::string& path, const FigureSize& size,
                   const TextureLookup& textures) {
  FigureFormat format;
  if (Status s = figureFormat(path, format); !s) return s;
  if (Status s = checkWritable(path); !s) return s;
  if (format == FigureFormat::Svg) return writeFileAtomically(path, figureToSvg(f, size, textures));
  if (format == FigureFormat::Pdf) {
    std::string bytes;
    if (Status s = figureToPdf(f, size, textures, bytes); !s) return s;
    return writeFileAtomically(path, bytes);
  }
  int w = 0, h = 0;
  const auto rgba = renderFigure(f, std::clamp(size.pngScale, 1, 4), textures, w, h);
  return writePng(path, w, h, rgba);
}

Status writeFigures(const std::vector<plot::Figure>& figures, const std::string& folder,
                    FigureFormat format, const FigureSize& size, const TextureLookup& textures,
                    std::vector<std::string>* written) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    return Status::error("'" + folder + "' is not a folder (figures need an existing folder)");
  const std::string probe = (std::filesystem::path(folder) / "vilab-figure.probe").string();
  if (Status s = checkWritable(probe); !s) return Status::error("cannot write figures into '" + folder + "': " + s.message());
  std::map<std::string, int> seen;
  for (const plot::Figure& f : figures) {
    std::string name = figureFileName(f, extensionOf(format));
    if (const int n = ++seen[name]; n > 1) {
      const auto dot = name.rfind('.');
      name = name.substr(0, dot) + "-" + std::to_string(n) + name.substr(dot);
    }
    const std::string path = (std::filesystem::path(folder) / name).string();
    if (Status s = writeFigure(f, path, size, textures); !s) return s;
    if (written) written->push_back(path);
  }
  return Status::ok();
}

std::string seriesToCsv(const plot::Figure& f) {
  std::string out = "item,x,y\n";
  for (const plot::Series& s : f.series) {
    std::string label = s.label;
    if (label.find_first_of(",\"\n") != std::string::npos) {
      std::string quoted = "\"";
      for (char c : label) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      label = quoted + "\"";
    }
    for (const plot::Point& p : s.points)
      out += label + "," + formatReal(p.x) + "," + formatReal(p.y) + "\n";
  }
  return out;
}

}  // namespace vilab
