// Figure export (app/export/figure_export.cpp): a plot drawn on the null platform (no window, no
// GPU), recorded by the plot layer, written as SVG, PDF and PNG, and read back.

#include "app/export/figure_export.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>

#include "app/platform/null_platform.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/style.hpp"
#include "tests/app/export/svg_xml.hpp"

namespace vilab {
namespace {

constexpr plot::Color kCurve = plot::rgba(10, 90, 200);
constexpr plot::Color kBar = plot::rgba(200, 50, 30);

const std::vector<double> kXs = {0.0, 1.0, 2.5, 4.0, 6.0};
const std::vector<double> kYs = {1.0, -0.5, 2.0, 0.25, 1.5};

// A plot with one curve and two bars, drawn for a few frames (autofit settles), the last one
// recorded.
plot::Figure drawFigure(NullPlatform& platform) {
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const std::vector<double> barX = {1.0, 3.0}, barH = {1.5, 0.75};
  for (int frame = 0; frame < 4; ++frame) {
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(520, 380));
    ImGui::Begin("figure");
    if (frame == 3) plot::requestCapture("coords");
    if (plot::begin("A test curve###coords", ImVec2(480, 320))) {
      plot::setupAxes("x", "y");
      plot::line("curve", kXs, kYs, {kCurve, 2.0f});
      plot::bars("bars", barX, barH, 0.8, kBar);
      plot::end();
    }
    ImGui::End();
    platform.render();
  }
  auto figures = plot::takeCaptures();
  EXPECT_EQ(figures.size(), 1u);
  if (figures.empty()) return {};
  figures[0].lab = "test";
  return figures[0];
}

std::vector<double> numbers(const std::string& pathData) {
  std::vector<double> out;
  std::regex number(R"(-?[0-9]+(\.[0-9]+)?)");
  for (auto it = std::sregex_iterator(pathData.begin(), pathData.end(), number);
       it != std::sregex_iterator(); ++it)
    out.push_back(std::stod(it->str()));
  return out;
}

TEST(FigureExport, SvgCurveIsThePlotsDataThroughItsOwnAxes) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const std::string svg = figureToSvg(f, {}, textureLookup(&platform));
  bool ok = false;
  const auto elements = test::parseSvg(svg, ok);
  ASSERT_TRUE(ok) << svg.substr(0, 400);
  const test::SvgElement* curve = nullptr;
  for (const auto& e : elements)
    if (!curve && e.name == "path" && e.attributes.count("stroke") &&
        e.attributes.at("stroke") == "#0a5ac8")
      curve = &e;  // the first: the legend's swatch comes after
  ASSERT_NE(curve, nullptr) << "no path in the curve's colour";
  const auto xy = numbers(curve->attributes.at("d"));
  ASSERT_EQ(xy.size(), 2 * kXs.size());
  for (std::size_t i = 0; i < kXs.size(); ++i) {
    EXPECT_NEAR(xy[2 * i], f.xMap.toPixel(kXs[i]), 0.01) << i;
    EXPECT_NEAR(xy[2 * i + 1], f.yMap.toPixel(kYs[i]), 0.01) << i;
  }
  // The axes map the data into the plot's own frame.
  EXPECT_GT(f.xMap.toPixel(kXs.front()), 0.0);
  EXPECT_LT(f.xMap.toPixel(kXs.back()), f.width);
}

TEST(FigureExport, SvgHoldsTheTitleAndLabelsAsTextInDejaVuSans) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const std::string svg = figureToSvg(f, {8.0, 1}, textureLookup(&platform));
  bool ok = false;
  const auto elements = test::parseSvg(svg, ok);
  ASSERT_TRUE(ok);
  std::vector<std::string> texts;
  for (const auto& e : elements)
    if (e.name == "text") texts.push_back(e.content);
  for (const char* expected : {"A test curve", "curve", "bars", "x", "y"})
    EXPECT_NE(std::find(texts.begin(), texts.end(), expected), texts.end()) << expected;
  EXPECT_EQ(elements.front().attributes.at("font-family"), "DejaVu Sans");
  EXPECT_EQ(elements.front().attributes.at("width"), "8.000cm");
}

TEST(FigureExport, PdfOpensAndHasThePlotsPageSize) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  for (double widthCm : {0.0, 8.0}) {
    std::string pdf;
    ASSERT_TRUE(figureToPdf(f, {widthCm, 1}, textureLookup(&platform), pdf).isOk());
    ASSERT_EQ(pdf.rfind("%PDF-1.", 0), 0u);
    EXPECT_NE(pdf.find("%%EOF", pdf.size() - 8), std::string::npos) << "trailer";
    EXPECT_NE(pdf.find("startxref"), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(pdf, m, std::regex(R"(/MediaBox \[ 0 0 ([0-9.]+) ([0-9.]+) \])")));
    // On-screen size: 96 pixels per inch, 72 points per inch; else the width asked for.
    const double width = widthCm > 0 ? widthCm / 2.54 * 72 : f.width * 0.75;
    EXPECT_NEAR(std::stod(m[1]), width, 0.01);
    EXPECT_NEAR(std::stod(m[2]), width * f.height / f.width, 0.01);
  }
}

TEST(FigureExport, PdfinfoReadsThePageSizeWhenPopplerIsInstalled) {
  if (std::system("pdfinfo -v >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdfinfo (poppler-utils) missing";
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const auto path = std::filesystem::temp_directory_path() / "vilab_figure_test.pdf";
  ASSERT_TRUE(writeFigure(f, path.string(), {}, textureLookup(&platform)).isOk());
  const std::string command = "pdfinfo " + path.string() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[512];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  EXPECT_EQ(pipe ? pclose(pipe) : -1, 0) << out;
  std::filesystem::remove(path);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(Page size:\s+([0-9.]+) x ([0-9.]+) pts)"))) << out;
  EXPECT_NEAR(std::stod(m[1]), f.width * 0.75, 0.01);
  EXPECT_NE(out.find("Title:           A test curve"), std::string::npos) << out;
}

TEST(FigureExport, PngAtTwiceTheScaleHasTwiceThePixelsAndTheSameColours) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const auto lookup = textureLookup(&platform);
  int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
  const auto one = renderFigure(f, 1.0, lookup, w1, h1);
  const auto two = renderFigure(f, 2.0, lookup, w2, h2);
  EXPECT_EQ(w2, 2 * w1);
  EXPECT_EQ(h2, 2 * h1);
  // Solid areas keep their exact colour; at 2x they cover four times the pixels.
  const auto count = [](const std::vector<std::uint8_t>& rgba, plot::Color c) {
    long n = 0;
    for (std::size_t i = 0; i < rgba.size(); i += 4)
      n += rgba[i] == (c & 0xFF) && rgba[i + 1] == ((c >> 8) & 0xFF) &&
           rgba[i + 2] == ((c >> 16) & 0xFF) && rgba[i + 3] == 255;
    return n;
  };
  for (plot::Color c : {kBar, plot::rgba(255, 255, 255)}) {
    const long n1 = count(one, c), n2 = count(two, c);
    EXPECT_GT(n1, 200) << std::hex << c;
    EXPECT_NEAR(static_cast<double>(n2) / n1, 4.0, 0.25) << std::hex << c;
  }
  EXPECT_GT(count(one, kCurve), 20) << "the curve's colour, exact at its centre";
}

TEST(FigureExport, TheSameFigureGivesTheSameBytes) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const auto lookup = textureLookup(&platform);
  std::string a, b;
  ASSERT_TRUE(figureToPdf(f, {}, lookup, a).isOk());
  ASSERT_TRUE(figureToPdf(f, {}, lookup, b).isOk());
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("/CreationDate (20000101000000Z)"), std::string::npos) << "a fixed date";
  EXPECT_EQ(figureToSvg(f, {}, lookup), figureToSvg(f, {}, lookup));
}

TEST(FigureExport, AnUnknownExtensionIsAnErrorAndNothingIsWritten) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const auto path = std::filesystem::temp_directory_path() / "vilab_figure_test.bmp";
  const Status s = writeFigure(f, path.string(), {}, textureLookup(&platform));
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find(".bmp"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(".svg, .pdf, .png"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(path));
  const Status folder = writeFigures({f}, "/nonexistent/folder", FigureFormat::Svg, {}, {});
  EXPECT_FALSE(folder.isOk());
}

TEST(FigureExport, CsvHoldsEveryItemsValues) {
  NullPlatform platform;
  const plot::Figure f = drawFigure(platform);
  const std::string csv = seriesToCsv(f);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "item,x,y");
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), kXs.size() + 2);
  EXPECT_EQ(rows[2], "curve,2.5,2");
  EXPECT_EQ(rows[5], "bars,1,1.5");
}

TEST(FigureExport, FileNamesSayLabAndPlot) {
  plot::Figure f;
  f.lab = "gaussian";
  f.key = "Marginal of μ: q(μ) vs p(μ | x)";
  EXPECT_EQ(figureFileName(f, "svg"), "gaussian_marginal-of-mu-q-mu-vs-p-mu-x.svg");
  f.lab = "gmm";
  f.key = "gmm data";
  EXPECT_EQ(figureFileName(f, "pdf"), "gmm_data.pdf");
}

}  // namespace
}  // namespace vilab
