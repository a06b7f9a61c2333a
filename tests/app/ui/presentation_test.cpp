// Presentation mode, themes and the keyboard (app/ui/presentation.cpp and its hooks in the App),
// on the null platform: no text leaves its window at UI scales 1, 1.6 and 2 in every lab, light,
// dark and presenting; the help window fits and closes with Escape; the keyboard reaches every
// control; plots pan and zoom from the keys; the exact/approximate pair keeps Okabe–Ito colours
// and differing line styles.

#include <gtest/gtest.h>
#include <imgui_internal.h>  // the window list, scroll limits and the navigation's focus

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "app/export/figure_export.hpp"
#include "app/platform/null_platform.hpp"
#include "app/plot/plot.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

struct Look {
  const char* name;
  ui::Theme theme;
  bool presentation;
};
constexpr Look kLooks[] = {{"light", ui::Theme::Light, false},
                           {"dark", ui::Theme::Dark, false},
                           {"presentation", ui::Theme::Light, true}};
constexpr float kScales[] = {1.0f, 1.6f, 2.0f};

// The shell on a model's default scenario after `steps` iterations, paused, in a look.
std::unique_ptr<App> shell(NullPlatform& platform, const std::string& name, float scale,
                           const Look& look, int steps = 3) {
  ui::setTheme(look.theme);
  ui::applyStyle(ui::Presentation(look.presentation).styleScale(scale));
  platform.refreshFontTexture();
  auto model = makeModel(name);
  auto scenario = model->defaultScenario();
  EXPECT_TRUE(model->reset(*scenario).isOk());
  for (int i = 0; i < steps; ++i) model->step();
  AppConfig config{std::move(model), std::move(scenario), false, assetDirectory(), ".", scale};
  config.presentation = look.presentation;
  auto app = std::make_unique<App>(std::move(config), platform);
  app->runner().sync();
  return app;
}

// One frame with these key presses; a scale or theme change rebuilds the style, as the main loop does.
void frame(App& app, NullPlatform& platform, std::vector<keys::Press> presses = {}) {
  platform.beginFrame();
  app.frame({0.0, std::move(presses)});
  platform.render();
  float scale = 1.0f;
  if (app.takeScaleChange(scale)) {
    ui::applyStyle(scale);
    platform.refreshFontTexture();
  }
}

// ---- Text that leaves its region -----------------------------------------------------------------

// Every glyph of the font by its texture rectangle's top left corner.
std::unordered_map<std::uint64_t, const ImFontGlyph*> glyphsByUv() {
  std::unordered_map<std::uint64_t, const ImFontGlyph*> out;
  const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  for (const ImFontGlyph& g : font->Glyphs) {
    std::uint32_t u, v;
    std::memcpy(&u, &g.U0, 4), std::memcpy(&v, &g.V0, 4);
    out[std::uint64_t(u) << 32 | v] = &g;
  }
  return out;
}

const ImFontGlyph* containingGlyph(ImVec2 uv0, ImVec2 uv1) {
  const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  for (const ImFontGlyph& g : font->Glyphs)
    if (g.Visible && uv0.x >= g.U0 && uv1.x <= g.U1 && uv0.y >= g.V0 && uv1.y <= g.V1 &&
        uv1.x > uv0.x && uv1.y > uv0.y)
      return &g;
  return nullptr;
}

std::string utf8(unsigned c) {
  std::string s;
  if (c < 0x80) s += char(c);
  else if (c < 0x800) s += char(0xC0 | c >> 6), s += char(0x80 | (c & 0x3F));
  else s += char(0xE0 | c >> 12), s += char(0x80 | ((c >> 6) & 0x3F)), s += char(0x80 | (c & 0x3F));
  return s;
}

// The glyphs of the last rendered frame that stick out of their draw command's clip rectangle
// (the window's, a child's or a plot's region) or were cut by ImGui on the CPU: "window: text"
// per run of such glyphs. Cut vertically in a window that scrolls is no fault: scrolling shows it.
std::vector<std::string> clippedText() {
  const auto glyphs = glyphsByUv();
  std::map<const ImDrawList*, const ImGuiWindow*> owner;
  for (const ImGuiWindow* w : GImGui->Windows)
    if (w->Active && w->DrawList) owner[w->DrawList] = w;
  std::vector<std::string> out;
  const ImDrawData* data = ImGui::GetDrawData();
  for (int l = 0; data && l < data->CmdListsCount; ++l) {
    const ImDrawList* list = data->CmdLists[l];
    const auto it = owner.find(list);
    const ImGuiWindow* window = it == owner.end() ? nullptr : it->second;
    const bool scrolls = window && window->ScrollMax.y > 0.0f;
    const std::string name = window ? window->Name : "?";
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      std::string run, where;
      const auto flush = [&] {
        if (!run.empty()) out.push_back(name + ": \"" + run + "\"" + where);
        run.clear();
      };
      for (unsigned i = 0; i + 5 < cmd.ElemCount; i += 6) {
        const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset + i;
        const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
        // A glyph quad: two triangles (a, a+1, a+2), (a, a+2, a+3).
        if (idx[1] != idx[0] + 1 || idx[2] != idx[0] + 2 || idx[3] != idx[0] || idx[4] != idx[0] + 2 ||
            idx[5] != idx[0] + 3)
          continue;
        const ImDrawVert* q = v + idx[0];
        const ImVec2 uv0 = q[0].uv, uv1 = q[2].uv;
        std::uint32_t u, vv;
        std::memcpy(&u, &uv0.x, 4), std::memcpy(&vv, &uv0.y, 4);
        const auto g = glyphs.find(std::uint64_t(u) << 32 | vv);
        const ImFontGlyph* glyph = g != glyphs.end() && g->second->U1 == uv1.x && g->second->V1 == uv1.y
                                       ? g->second
                                       : nullptr;
        bool cutX = false, cutY = false;
        if (!glyph) {  // a glyph ImGui cut to a clip rectangle on the CPU: part of it is hidden
          glyph = containingGlyph(uv0, uv1);
          if (!glyph) continue;  // a shape, a marker sprite, an image
          cutX = uv0.x != glyph->U0 || uv1.x != glyph->U1;
          cutY = uv0.y != glyph->V0 || uv1.y != glyph->V1;
        }
        float x0 = q[0].pos.x, x1 = x0, y0 = q[0].pos.y, y1 = y0;
        for (int k = 1; k < 4; ++k)
          x0 = std::min(x0, q[k].pos.x), x1 = std::max(x1, q[k].pos.x), y0 = std::min(y0, q[k].pos.y),
          y1 = std::max(y1, q[k].pos.y);
        const ImVec4 c = cmd.ClipRect;
        constexpr float kSlack = 1.0f;  // anti-aliasing fringe of the glyph bitmaps
        cutX = cutX || x0 < c.x - kSlack || x1 > c.z + kSlack;
        cutY = cutY || y0 < c.y - kSlack || y1 > c.w + kSlack;
        if (cutX || (cutY && !scrolls)) {
          if (run.empty())
            where = " at (" + std::to_string(int(x0)) + ", " + std::to_string(int(y0)) + ") in the region (" +
                    std::to_string(int(c.x)) + ", " + std::to_string(int(c.y)) + ")–(" + std::to_string(int(c.z)) +
                    ", " + std::to_string(int(c.w)) + ")";
          run += utf8(glyph->Codepoint);
        }
        else flush();
      }
      flush();
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < 12; ++i) s += "\n  " + v[i];
  if (v.size() > 12) s += "\n  … and " + std::to_string(v.size() - 12) + " more";
  return s;
}

class EveryLab : public ::testing::TestWithParam<std::string> {};
class EveryLabAndLook : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(EveryLabAndLook, NoTextLeavesItsRegionAtAnyScale) {
  const std::string name = std::get<0>(GetParam());
  const Look& look = kLooks[std::get<1>(GetParam())];
  for (float scale : kScales) {
    SCOPED_TRACE(std::string(look.name) + " at " + std::to_string(scale));
    NullPlatform platform;
    auto app = shell(platform, name, scale, look);
    for (int f = 0; f < 4; ++f) frame(*app, platform);
    EXPECT_EQ(app->presentationMode(), look.presentation);
    const auto clipped = clippedText();
    EXPECT_TRUE(clipped.empty()) << clipped.size() << " runs of clipped text:" << joined(clipped);
  }
  ui::setTheme(ui::Theme::Light);
}

INSTANTIATE_TEST_SUITE_P(Labs, EveryLab, ::testing::ValuesIn(modelNames()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Labs, EveryLabAndLook,
                         ::testing::Combine(::testing::ValuesIn(modelNames()), ::testing::Range(0, 3)),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + kLooks[std::get<1>(info.param)].name;
                         });

// The detector itself: a label wider than its window is found, one that fits is not.
TEST(ClippedText, FindsTextCutByItsWindowAndPassesTextThatFits) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  for (bool tooLong : {false, true}) {
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(200, 100));
    ImGui::Begin("narrow", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::TextUnformatted(tooLong ? "a line far too long for a window two hundred pixels wide" : "fits");
    ImGui::End();
    platform.render();
    EXPECT_EQ(clippedText().empty(), !tooLong);
  }
}

// ---- The help window ------------------------------------------------------------------------------

TEST(HelpWindow, FitsItsFrameAtEveryScaleAndEscapeClosesIt) {
  for (float scale : kScales) {
    SCOPED_TRACE(scale);
    NullPlatform platform;
    auto app = shell(platform, "gaussian", scale, kLooks[0]);
    frame(*app, platform, {{keys::kF1}});
    for (int f = 0; f < 3; ++f) frame(*app, platform);
    ASSERT_TRUE(app->helpOpen());
    const ImGuiWindow* help = ImGui::FindWindowByName("Tour and shortcuts (Esc closes)###help");
    ASSERT_NE(help, nullptr);
    EXPECT_TRUE(help->Active);
    // Inside the screen, and no text of the window (or of any other) cut.
    EXPECT_GE(help->Pos.y, 0.0f);
    EXPECT_LE(help->Pos.y + help->Size.y, 900.0f);
    EXPECT_LE(help->Pos.x + help->Size.x, 1600.0f);
    const auto clipped = clippedText();
    EXPECT_TRUE(clipped.empty()) << joined(clipped);
    frame(*app, platform, {{keys::kEscape}});
    EXPECT_FALSE(app->helpOpen()) << "Escape did not close the help window";
  }
}

TEST(Escape, ClosesOneThingAPress) {
  // Help over the equations panel in presentation mode: three presses, one closed each.
  NullPlatform platform;
  auto app = shell(platform, "gaussian", 1.0f, kLooks[0]);
  frame(*app, platform, {{keys::letter('p')}});
  frame(*app, platform, {{keys::letter('e')}});
  frame(*app, platform, {{keys::kF1}});
  ASSERT_TRUE(app->presentationMode() && app->equations().isOpen() && app->helpOpen());
  frame(*app, platform, {{keys::kEscape}});
  EXPECT_FALSE(app->helpOpen());
  EXPECT_TRUE(app->equations().isOpen());
  EXPECT_TRUE(app->presentationMode());
  frame(*app, platform, {{keys::kEscape}});
  EXPECT_FALSE(app->equations().isOpen());
  EXPECT_TRUE(app->presentationMode());
  frame(*app, platform, {{keys::kEscape}});
  EXPECT_FALSE(app->presentationMode());
}

// ---- Keys -------------------------------------------------------------------------------------------

TEST(PresentationMode, PAndEscapeToggleItAndTheControlsHide) {
  NullPlatform platform;
  auto app = shell(platform, "gaussian", 1.0f, kLooks[0]);
  frame(*app, platform);
  frame(*app, platform, {{keys::letter('p')}});
  EXPECT_TRUE(app->presentationMode());
  frame(*app, platform);
  EXPECT_NEAR(ImGui::GetFontSize(), ui::kBaseFontPixels * ui::kPresentationScale, 0.5f)
      << "the style was not rebuilt at the larger scale";
  EXPECT_EQ(plot::screenLook().lineScale, ui::kPresentationLines);
  frame(*app, platform);
  bool controlsShown = false;
  for (const ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::strstr(w->Name, "controls")) controlsShown = true;
  EXPECT_FALSE(controlsShown) << "the control panel shows in presentation mode";
  frame(*app, platform, {{keys::kEscape}});
  EXPECT_FALSE(app->presentationMode());
  EXPECT_EQ(plot::screenLook().lineScale, 1.0f);
  frame(*app, platform);
  controlsShown = false;
  for (const ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::strstr(w->Name, "controls")) controlsShown = true;
  EXPECT_TRUE(controlsShown);
}

TEST(Themes, TSwitchesToDarkWhereBlackDrawsWhiteAndFilesStayLight) {
  NullPlatform platform;
  auto app = shell(platform, "gaussian", 1.0f, kLooks[0]);
  frame(*app, platform);
  EXPECT_EQ(plot::onScreen(ui::kTruth), ui::kTruth);
  frame(*app, platform, {{keys::letter('t')}});
  EXPECT_EQ(ui::theme(), ui::Theme::Dark);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg], text = ImGui::GetStyle().Colors[ImGuiCol_Text];
  EXPECT_LT(bg.x + bg.y + bg.z, 0.3f);
  EXPECT_GT(text.x + text.y + text.z, 2.7f);
  // Okabe–Ito black shows white; hues stay; the mapping is its own inverse (files get light back).
  EXPECT_EQ(plot::onScreen(ui::okabe_ito::kBlack), plot::rgba(255, 255, 255));
  EXPECT_EQ(plot::onScreen(ui::kApprox), ui::kApprox);
  EXPECT_EQ(plot::onScreen(plot::onScreen(ui::kData)), ui::kData);
  frame(*app, platform, {{keys::letter('t')}});
  EXPECT_EQ(ui::theme(), ui::Theme::Light);
}

// Figure files keep the light look whatever the window shows: every plot (and the VAE's image
// panels, drawn straight into the draw list) exports to the same SVG in both themes.
TEST(Themes, FiguresExportTheSameInTheDarkTheme) {
  for (const char* name : {"gaussian", "vae"}) {
    SCOPED_TRACE(name);
    NullPlatform platform;
    auto app = shell(platform, name, 1.0f, kLooks[0], 2);
    std::map<std::string, std::string> light;
    for (bool dark : {false, true}) {
      if (dark) frame(*app, platform, {{keys::letter('t')}});
      for (int f = 0; f < 4; ++f) frame(*app, platform);
      plot::requestCapture();
      frame(*app, platform);
      const auto figures = plot::takeCaptures();
      ASSERT_GE(figures.size(), 3u);
      const TextureLookup textures = textureLookup(&platform);
      for (const plot::Figure& f : figures) {
        const std::string svg = figureToSvg(f, {}, textures);
        if (!dark) light[f.key] = svg;
        else EXPECT_EQ(svg, light[f.key]) << f.key << " exports differently in the dark theme";
      }
    }
    frame(*app, platform, {{keys::letter('t')}});
    EXPECT_EQ(ui::theme(), ui::Theme::Light);
  }
}

// ImGui's navigation: from the first frame the control panel has the keyboard; ↓ and ↑ walk
// through its controls (→ and ← reach the buttons beside them), every scenario field among them.
TEST_P(EveryLab, ArrowKeysReachEveryControlOfThePanel) {
  const std::string name = GetParam();
  NullPlatform platform;
  auto app = shell(platform, name, 1.0f, kLooks[0]);
  frame(*app, platform);
  frame(*app, platform);
  ImGuiIO& io = ImGui::GetIO();
  std::set<ImGuiID> visited;
  const ImGuiWindow* panel = nullptr;
  const auto press = [&](int key) {
    io.KeysDown[key] = true;
    frame(*app, platform);
    io.KeysDown[key] = false;
    frame(*app, platform);
    ASSERT_NE(GImGui->NavWindow, nullptr);
    ASSERT_TRUE(std::strstr(GImGui->NavWindow->Name, "controls")) << "the focus left the panel for "
                                                                  << GImGui->NavWindow->Name;
    panel = GImGui->NavWindow;
    visited.insert(GImGui->NavId);
  };
  for (int i = 0; i < 70; ++i) press(keys::kDown);
  for (int i = 0; i < 70; ++i) press(keys::kUp);
  for (int i = 0; i < 6; ++i) press(keys::kRight);  // along the row of run buttons
  ASSERT_NE(panel, nullptr);
  EXPECT_TRUE(ui::navigating()) << "the navigation cursor does not show";
  // Every field the panel shows is a control, with the lab picker and the five run buttons.
  auto scenario = makeModel(name)->defaultScenario();
  const auto idle = scenario->idleFields();
  std::size_t shown = 0;
  for (const FieldSpec& spec : fieldSpecs(*scenario))
    shown += std::find(idle.begin(), idle.end(), spec.key) == idle.end();
  EXPECT_GE(visited.size(), shown + 6) << "the keyboard reached " << visited.size() << " controls";
}

// While the navigation cursor shows, Space presses the focused control instead of playing.
TEST(Keyboard, SpaceAndRightArrowActOnTheFocusedControlWhileNavigating) {
  NullPlatform platform;
  auto app = shell(platform, "gaussian", 1.0f, kLooks[0]);
  frame(*app, platform);
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[keys::kDown] = true;
  frame(*app, platform);
  io.KeysDown[keys::kDown] = false;
  frame(*app, platform);
  ASSERT_TRUE(ui::navigating());
  const auto before = app->snapshot()->iteration;
  frame(*app, platform, {{keys::kSpace}, {keys::kRight}});
  app->runner().sync();
  EXPECT_FALSE(app->runner().state().playing) << "Space played the run while navigating";
  EXPECT_EQ(app->runner().state().snapshot->iteration, before) << "→ stepped while navigating";
  // Escape steps out of the panel, then hides the cursor; → steps again.
  for (int press = 0; press < 2; ++press) {
    io.KeysDown[keys::kEscape] = true;
    frame(*app, platform, {{keys::kEscape}});
    io.KeysDown[keys::kEscape] = false;
    frame(*app, platform);
  }
  EXPECT_FALSE(ui::navigating());
  frame(*app, platform, {{keys::kRight}});
  app->runner().sync();
  EXPECT_EQ(app->runner().state().snapshot->iteration, before + 1);
}

// A plot with focus takes the arrows and +/-: its range moves by a tenth, shrinks by 1.25.
TEST(Keyboard, AHoveredPlotPansAndZoomsFromTheKeysAndTheRunKeysStayTheApps) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  ui::enableKeyboardNavigation();
  // One frame of a 0..10 plot under the mouse; returns the presses the plot left, and where the
  // data points 0 and 10 (on x) land.
  float at0 = 0.0f, at10 = 0.0f;
  bool focus = false;
  const auto draw = [&](std::vector<keys::Press> presses) {
    platform.beginFrame();
    focus = plot::hasKeyboardFocus();
    ImGui::GetIO().MousePos = ImVec2(300, 300);
    ui::routePlotKeys(presses);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(600, 600));
    ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
    if (plot::begin("keys plot", ImVec2(-1, -1), plot::kNoLegend)) {
      plot::setupXRange(0.0, 10.0, false);
      plot::setupYRange(0.0, 10.0, false);
      const double xs[] = {0, 10}, ys[] = {0, 10};
      plot::line("l", xs, ys, {});
      at0 = plot::toPixels({0.0, 0.0}).x, at10 = plot::toPixels({10.0, 0.0}).x;
      plot::end();
    }
    ImGui::End();
    platform.render();
    return presses;
  };
  draw({});
  draw({});
  draw({});
  ASSERT_TRUE(focus) << "the hovered plot has no focus";
  const float width = at10 - at0, x0 = at0;
  const auto left = draw({{keys::kRight}, {keys::letter('s')}});
  ASSERT_EQ(left.size(), 1u) << "→ was not taken by the plot, or S was";
  EXPECT_EQ(left[0].key, keys::letter('s'));
  draw({});
  // → shows what lies right: the data move left by a tenth of the width.
  EXPECT_NEAR(at0, x0 - 0.1f * width, 0.5f);
  EXPECT_NEAR(at10 - at0, width, 0.5f);
  const float shifted = at0;
  draw({});
  EXPECT_NEAR(at0, shifted, 0.5f) << "the pan repeated without a key";
  const auto zoom = draw({{keys::kKeypadAdd}});
  EXPECT_TRUE(zoom.empty());
  draw({});
  // (The axes' labels may take a little more or less room at the new range.)
  EXPECT_NEAR((at10 - at0) / width, 1.25f, 0.04f) << "+ did not zoom in by 1.25";
  // Away from the plot the keys stay with the app.
  platform.beginFrame();
  ImGui::GetIO().MousePos = ImVec2(-100, -100);
  platform.render();
  platform.beginFrame();
  platform.render();
  std::vector<keys::Press> presses = {{keys::kRight}};
  ui::routePlotKeys(presses);
  EXPECT_EQ(presses.size(), 1u);
}

// ---- Palette -----------------------------------------------------------------------------------------

TEST(Palette, ExactAndApproximationAreOkabeItoAndDifferInLineStyle) {
  const auto inPalette = [](plot::Color c) {
    return std::find(ui::okabe_ito::kAll.begin(), ui::okabe_ito::kAll.end(), c) != ui::okabe_ito::kAll.end();
  };
  for (plot::Color c : {ui::kExact, ui::kApprox, ui::kTruth, ui::kAccent, ui::kGood, ui::kWarning, ui::kPurple})
    EXPECT_TRUE(inPalette(c)) << std::hex << c;
  EXPECT_NE(ui::kExact, ui::kApprox);
  const plot::LineStyle exact = ui::exactLine(), approx = ui::approxLine(), truth = ui::truthLine();
  const auto pattern = [](const plot::LineStyle& s) { return int(s.dashed) + 2 * int(s.dotted); };
  EXPECT_NE(pattern(exact), pattern(approx));
  EXPECT_NE(pattern(exact), pattern(truth));
  EXPECT_NE(pattern(approx), pattern(truth));
  // Okabe & Ito's published values.
  EXPECT_EQ(ui::okabe_ito::kOrange, plot::rgba(230, 159, 0));
  EXPECT_EQ(ui::okabe_ito::kSkyBlue, plot::rgba(86, 180, 233));
  EXPECT_EQ(ui::okabe_ito::kBluishGreen, plot::rgba(0, 158, 115));
  EXPECT_EQ(ui::okabe_ito::kYellow, plot::rgba(240, 228, 66));
  EXPECT_EQ(ui::okabe_ito::kBlue, plot::rgba(0, 114, 178));
  EXPECT_EQ(ui::okabe_ito::kVermillion, plot::rgba(213, 94, 0));
  EXPECT_EQ(ui::okabe_ito::kReddishPurple, plot::rgba(204, 121, 167));
}

}  // namespace
}  // namespace vilab
