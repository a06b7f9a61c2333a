// Every plot of every lab, drawn off-screen (null platform, no GL) and exported: the SVG parses
// as XML and holds the plot's title and a path per curve, the PDF opens with the plot's page
// size. New labs are covered by being registered.

#include "app/export/views_capture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "app/export/figure_export.hpp"
#include "core/registry.hpp"
#include "tests/app/export/svg_xml.hpp"

namespace vilab {
namespace {

TEST(ViewsCapture, EveryPlotOfEveryLabExportsToSvgAndPdf) {
  for (const auto& name : modelNames()) {
    auto model = makeModel(name);
    auto scenario = model->defaultScenario();
    ASSERT_TRUE(model->reset(*scenario).isOk()) << name;
    for (int i = 0; i < 5; ++i) model->step();
    ViewsCapture views(name, *scenario, 1.0f);
    const auto figures = views.capture(*model->snapshot());
    ASSERT_GE(figures.size(), 2u) << name << ": a lab has several plots";
    const TextureLookup lookup = textureLookup(&views.textures());
    for (const plot::Figure& f : figures) {
      const std::string where = name + " / " + f.key;
      EXPECT_EQ(f.lab, name);
      ASSERT_GT(f.width, 50.0f) << where;
      bool ok = false;
      const auto elements = test::parseSvg(figureToSvg(f, {}, lookup), ok);
      ASSERT_TRUE(ok) << where;
      // The title as drawn (cut with "…" when wider than the plot).
      if (!f.title.empty()) {
        bool found = false;
        for (const auto& e : elements) {
          if (e.name != "text") continue;
          std::string shown = e.content;
          const std::string ellipsis = "…";
          if (shown.size() > ellipsis.size() && shown.compare(shown.size() - 3, 3, ellipsis) == 0)
            shown.resize(shown.size() - 3);
          // Text on one baseline is read back as one element: a title may lead a longer line
          // (a colour bar's "colour: ψ  0.1 … 2").
          if (shown.rfind(f.title, 0) == 0 || (shown.size() >= 8 && f.title.rfind(shown, 0) == 0))
            found = true;
        }
        EXPECT_TRUE(found) << where << ": no text holds the title '" << f.title << "'";
      }
      int curves = 0, strokes = 0;
      for (const auto& s : f.series) {
        int finite = 0;
        for (const auto& p : s.points) finite += std::isfinite(p.x) && std::isfinite(p.y);
        curves += s.curve && finite >= 2;
      }
      for (const auto& e : elements)
        strokes += e.name == "path" && e.attributes.count("fill") && e.attributes.at("fill") == "none";
      EXPECT_GE(strokes, curves) << where << ": a path per curve";

      std::string pdf;
      ASSERT_TRUE(figureToPdf(f, {}, lookup, pdf).isOk()) << where;
      EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u) << where;
      EXPECT_NE(pdf.find("%%EOF", pdf.size() - 8), std::string::npos) << where;
      std::smatch m;
      ASSERT_TRUE(std::regex_search(pdf, m, std::regex(R"(/MediaBox \[ 0 0 ([0-9.]+) ([0-9.]+) \])")))
          << where;
      EXPECT_NEAR(std::stod(m[1]), f.width * 0.75, 0.01) << where;
      EXPECT_NEAR(std::stod(m[2]), f.height * 0.75, 0.01) << where;
    }
  }
}

TEST(ViewsCapture, TheViewsAreaComposesEveryPlotWhereItWas) {
  auto model = makeModel("gaussian");
  auto scenario = model->defaultScenario();
  ASSERT_TRUE(model->reset(*scenario).isOk());
  ViewsCapture views("gaussian", *scenario, 1.0f);
  const auto figures = views.capture(*model->snapshot());
  const plot::Figure all = composeFigures(figures, "views");
  float right = 0, bottom = 0;
  for (const auto& f : figures) {
    EXPECT_GE(f.origin.x, all.origin.x);
    EXPECT_GE(f.origin.y, all.origin.y);
    right = std::max(right, f.origin.x + f.width), bottom = std::max(bottom, f.origin.y + f.height);
  }
  EXPECT_FLOAT_EQ(all.origin.x + all.width, right);
  EXPECT_FLOAT_EQ(all.origin.y + all.height, bottom);
  std::size_t ops = 0;
  for (const auto& f : figures) ops += f.list.ops().size();
  EXPECT_EQ(all.list.ops().size(), ops);
}

}  // namespace
}  // namespace vilab

namespace vilab {
namespace {

TEST(ViewsCapture, ImagePanelsEmbedTheirImagesAtNativeResolution) {
  auto model = makeModel("vae");
  auto scenario = model->defaultScenario();
  ASSERT_TRUE(model->reset(*scenario).isOk());
  for (int i = 0; i < 3; ++i) model->step();
  ViewsCapture views("vae", *scenario, 1.0f);
  const auto figures = views.capture(*model->snapshot(), "Decoded manifold over z₁ →, z₂ ↑");
  ASSERT_EQ(figures.size(), 1u) << "the decoded manifold is a panel drawn outside the plot layer";
  const plot::Figure& f = figures[0];
  const TextureImage* texture = nullptr;
  for (const auto& op : f.list.ops())
    if (const auto* m = std::get_if<plot::Mesh>(&op); m && !m->fontAtlas && m->texture)
      texture = views.textures().find(m->texture);
  ASSERT_NE(texture, nullptr);
  std::string pdf;
  const TextureLookup lookup = textureLookup(&views.textures());
  ASSERT_TRUE(figureToPdf(f, {}, lookup, pdf).isOk());
  EXPECT_NE(pdf.find("/Width " + std::to_string(texture->width)), std::string::npos)
      << "the image at its " << texture->width << " texels, not resampled";
  bool ok = false;
  const auto elements = test::parseSvg(figureToSvg(f, {}, lookup), ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::count_if(elements.begin(), elements.end(), [](const auto& e) { return e.name == "image"; }), 1);
  EXPECT_TRUE(std::any_of(elements.begin(), elements.end(),
                          [](const auto& e) { return e.name == "text" && e.content.rfind("Decoded manifold", 0) == 0; }))
      << "the panel's title, drawn with AddText, is text";
}

}  // namespace
}  // namespace vilab
