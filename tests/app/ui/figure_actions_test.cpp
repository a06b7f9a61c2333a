// The GUI's figure exports (app/ui/figure_actions.cpp) and the plot layer's right-click menu,
// on the null platform: what the menus and the record button do, without a window.

#include "app/ui/figure_actions.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/export/gif_writer.hpp"
#include "app/labs/lab.hpp"
#include "app/platform/null_platform.hpp"
#include "app/ui/style.hpp"
#include "core/registry.hpp"

namespace vilab {
namespace {

namespace fs = std::filesystem;

struct LabOnNullPlatform {
  NullPlatform platform;
  std::unique_ptr<Model> model = makeModel("gaussian");
  std::unique_ptr<Scenario> scenario = model->defaultScenario();
  std::unique_ptr<Lab> lab = makeLab("gaussian");
  std::unique_ptr<Runner> runner;
  FigureActions actions{platform};
  fs::path folder = fs::temp_directory_path() / ("vilab_figure_actions_" + std::to_string(::getpid()));

  LabOnNullPlatform() {
    ui::applyStyle(1.0f);
    platform.refreshFontTexture();
    EXPECT_TRUE(model->reset(*scenario).isOk());
    auto idle = makeModel("gaussian");
    EXPECT_TRUE(idle->reset(*scenario).isOk());
    runner = std::make_unique<Runner>(std::move(idle), scenario->clone());
    fs::create_directories(folder);
  }
  ~LabOnNullPlatform() { fs::remove_all(folder); }

  // One UI frame of the lab's views after `steps` more iterations, at `seconds` on the UI clock;
  // the status message.
  std::string frame(int steps = 0, double seconds = 0.0) {
    for (int i = 0; i < steps; ++i) model->step();
    const auto snapshot = model->snapshot();
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(1180, 830));
    ImGui::Begin("views");
    actions.beforeViews(static_cast<long long>(snapshot->iteration), seconds);
    LabContext context{*runner, *scenario, platform};
    lab->drawViews(*snapshot, context);
    bool error = false;
    std::string message = actions.afterViews("gaussian", folder.string(), error);
    EXPECT_FALSE(error) << message;
    ImGui::End();
    platform.render();
    return message;
  }
};

TEST(FigureActions, ExportViewsWritesEveryPlotAndTheViewsArea) {
  LabOnNullPlatform app;
  app.frame(), app.frame();
  app.actions.exportViews(FigureFormat::Pdf, 1);
  const std::string message = app.frame();
  EXPECT_NE(message.find("figures saved"), std::string::npos) << message;
  EXPECT_TRUE(fs::exists(app.folder / "gaussian_views.pdf"));
  EXPECT_TRUE(fs::exists(app.folder / "gaussian_elbo.pdf"));
}

TEST(FigureActions, ARecordingTakesAFrameEveryKIterationsAndSavesTheGif) {
  LabOnNullPlatform app;
  app.frame();
  app.actions.startRecording("elbo", {.iterations = 3}, 5, 1);
  EXPECT_TRUE(app.actions.recording());
  std::string message;
  int uiFrames = 0;
  while (app.actions.recording() && uiFrames < 40) message = app.frame(1), ++uiFrames;
  EXPECT_FALSE(app.actions.recording());
  EXPECT_NE(message.find("recording saved"), std::string::npos) << message;
  // Frames at iterations 1, 4, 7, 10, 13: thirteen UI frames of one iteration each.
  EXPECT_EQ(uiFrames, 13);
  int frames = 0, w = 0, h = 0;
  ASSERT_TRUE(readGifInfo((app.folder / "gaussian_elbo.gif").string(), frames, w, h).isOk());
  EXPECT_EQ(frames, 5);
  EXPECT_GT(w, 100);
}

TEST(FigureActions, ARecordingByTheClockTakesAFrameEveryTSecondsEvenWhilePaused) {
  LabOnNullPlatform app;
  app.frame();
  app.actions.startRecording("elbo", {.iterations = 1, .seconds = 0.5}, 4, 1);
  // UI frames every 0.2 s with the optimizer paused (no iterations): frames at 0, 0.6, 1.2, 1.8.
  std::string message;
  int uiFrames = 0;
  for (double t = 0.0; app.actions.recording() && uiFrames < 40; t += 0.2) message = app.frame(0, t), ++uiFrames;
  EXPECT_FALSE(app.actions.recording());
  EXPECT_NE(message.find("recording saved"), std::string::npos) << message;
  EXPECT_EQ(uiFrames, 10);
  int frames = 0, w = 0, h = 0;
  ASSERT_TRUE(readGifInfo((app.folder / "gaussian_elbo.gif").string(), frames, w, h).isOk());
  EXPECT_EQ(frames, 4);
}

TEST(FigureActions, RightClickOpensThePlotMenuOutsideTheDataOfPlotsThatTakeClicks) {
  NullPlatform platform;
  ui::applyStyle(1.0f);
  platform.refreshFontTexture();
  const double xs[2] = {0, 1}, ys[2] = {0, 1};
  const auto frame = [&](ImVec2 mouse, bool down, unsigned flags) {
    ImGui::GetIO().MousePos = mouse;
    ImGui::GetIO().MouseDown[1] = down;
    platform.beginFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(500, 400));
    ImGui::Begin("w");
    if (plot::begin("Clicks###clicks", ImVec2(400, 300), flags)) {
      plot::line("l", xs, ys, {plot::rgba(0, 0, 0)});
      plot::end();
    }
    const bool open = ImGui::IsPopupOpen("##plot menu clicks");
    ImGui::End();
    platform.render();
    return open;
  };
  const ImVec2 inside(220, 180), title(220, 45);  // below the window's title bar
  for (unsigned flags : {plot::kNone, plot::kNoInput}) {
    frame(ImVec2(-100, -100), false, flags);
    frame(inside, true, flags);
    frame(inside, false, flags);
    EXPECT_EQ(frame(inside, false, flags), flags == plot::kNone) << flags;
    frame(ImVec2(480, 390), true, flags), frame(ImVec2(480, 390), false, flags);  // closes it
    frame(title, true, flags);
    frame(title, false, flags);
    EXPECT_TRUE(frame(title, false, flags)) << "the title opens the menu of every plot, flags " << flags;
    frame(ImVec2(480, 390), true, flags), frame(ImVec2(480, 390), false, flags);
  }
}

}  // namespace
}  // namespace vilab
