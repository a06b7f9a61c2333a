#include "app/ui/main_loop.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <time.h>

#include "app/export/png.hpp"
#include "app/plot/plot.hpp"
#include "app/platform/software_renderer.hpp"
#include "app/platform/window.hpp"
#include "app/cli/tour_cli.hpp"
#include "app/ui/app.hpp"
#include "app/ui/style.hpp"

namespace vilab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFramePeriod = std::chrono::microseconds(16667);
constexpr double kIdleWake = 0.25;  // seconds

std::unique_ptr<App> makeApp(Session& session, Window& window, bool play, float scale,
                             bool presentation, Session* compare = nullptr) {
  ui::applyStyle(ui::Presentation(presentation).styleScale(scale));
  window.refreshFontTexture();
  AppConfig config;
  config.model = std::move(session.model);
  config.scenario = std::move(session.scenario);
  config.dataNote = std::move(session.dataNote);
  config.play = play;
  config.assetDir = assetDirectory();
  config.uiScale = scale;
  config.presentation = presentation;
  config.showEquations = session.showEquations;
  if (compare) config.compareModel = std::move(compare->model), config.compareScenario = std::move(compare->scenario);
  return std::make_unique<App>(std::move(config), window);
}

}  // namespace

std::string assetDirectory() {
  std::error_code ec;
  if (std::filesystem::is_directory(VILAB_ASSET_DIR, ec)) return VILAB_ASSET_DIR;
  // An installed copy keeps assets beside the binary's folder.
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (exe.parent_path().parent_path() / "share" / "vilab").string();
}

int runWindow(Session session, const Options& options) {
  Session compare;  // --compare B.json: the GUI opens comparing A and B
  if (!options.compare.empty())
    if (Status s = buildCompareSession(options, session.model->info().name, compare); !s) {
      std::fprintf(stderr, "vilab: error: %s\n", s.message().c_str());
      return 2;
    }
  Status status;
  limitSoftwareRendererThreads();
  auto window = Window::create({}, status);
  if (!window) {
    std::fprintf(stderr, "vilab: error: %s\n", status.message().c_str());
    return 1;
  }
  auto app = makeApp(session, *window, !options.paused, options.uiScale, options.presentation,
                     compare.model ? &compare : nullptr);
  if (!options.tour.empty())
    if (Status s = startTourFromOptions(*app, options); !s) {
      std::fprintf(stderr, "vilab: error: %s\n", s.message().c_str());
      return 2;
    }
  FrameInput input;
  bool settle = true;
  int followUp = 0;  // frames still to draw after input: ImGui lays popups out over two frames
  while (!window->shouldClose() && !app->quitRequested()) {
    // Idle (paused, nothing to settle): sleep until input arrives, waking a few times a second to
    // see whether the worker published something; draw only when either happened. An untouched,
    // paused window then costs next to nothing.
    // (A text field being edited keeps drawing: its cursor blinks.)
    if (!app->running() && !settle && followUp == 0 && !ImGui::GetIO().WantTextInput) {
      if (window->waitForEvents(kIdleWake))
        followUp = 1;
      else if (!app->wantsFrame())
        continue;
    } else if (followUp > 0) {
      --followUp;
    }
    const auto start = Clock::now();
    window->beginFrame(0.0);
    const auto frameStart = Clock::now();
    input.keys = window->takeKeyPresses();
    app->frame(input);
    settle = plot::needsAnotherFrame() || ImGui::IsAnyMouseDown();
    window->render();
    std::string path;
    if (app->takeScreenshotRequest(path)) {
      int w = 0, h = 0;
      const auto pixels = window->capture(w, h);
      app->screenshotDone(path, writePng(path, w, h, pixels));
    }
    window->present();
    input.frameMs = std::chrono::duration<double, std::milli>(Clock::now() - frameStart).count();
    float scale = 1.0f;
    if (app->takeScaleChange(scale)) {
      ui::applyStyle(scale);
      window->refreshFontTexture();
    }
    // Without vsync (e.g. under Xvfb) keep to 60 frames per second and leave the CPU to the worker.
    std::this_thread::sleep_until(start + kFramePeriod);
  }
  return 0;
}

namespace {

// CPU time of the calling thread (ms): the UI thread's own work, apart from the worker's.
double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

// The area the frame's triangles cover, in screens (overlaps counted each time): what a software
// rasterizer shades and blends.
double filledScreens(const ImDrawData* draw) {
  if (!draw || draw->DisplaySize.x <= 0 || draw->DisplaySize.y <= 0) return 0.0;
  double area = 0.0;
  for (int l = 0; l < draw->CmdListsCount; ++l) {
    const ImDrawList* list = draw->CmdLists[l];
    for (int i = 0; i + 2 < list->IdxBuffer.Size; i += 3) {
      const ImVec2 a = list->VtxBuffer[list->IdxBuffer[i]].pos, b = list->VtxBuffer[list->IdxBuffer[i + 1]].pos,
                   c = list->VtxBuffer[list->IdxBuffer[i + 2]].pos;
      area += 0.5 * std::fabs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y));
    }
  }
  return area / (static_cast<double>(draw->DisplaySize.x) * draw->DisplaySize.y);
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

}  // namespace

int benchFrames(Session session, const Options& options) {
  Status status;
  limitSoftwareRendererThreads();
  auto window = Window::create({}, status);
  if (!window) {
    std::fprintf(stderr, "vilab: error: %s\n", status.message().c_str());
    return 1;
  }
  session.scenario->speed = 0.0;  // the optimizer as busy as it can be
  auto app = makeApp(session, *window, true, options.uiScale, options.presentation);
  std::vector<double> times, cpu, triangles, fill;
  std::vector<plot::PlotTriangles> heaviest;
  const auto iterationNow = [&] {
    const auto snapshot = app->runner().state().snapshot;
    return snapshot ? snapshot->iteration : std::int64_t{0};
  };
  const auto begin = Clock::now();
  const auto firstIteration = iterationNow();
  for (long long f = 0; f < options.benchFrames && !window->shouldClose(); ++f) {
    const auto start = Clock::now();
    const double cpuStart = threadCpuMs();
    window->beginFrame(0.0);
    app->frame({times.empty() ? 0.0 : times.back(), window->takeKeyPresses()});
    window->render();
    window->present();
    window->finish();
    cpu.push_back(threadCpuMs() - cpuStart);
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    const ImDrawData* draw = ImGui::GetDrawData();
    triangles.push_back(draw ? draw->TotalIdxCount / 3.0 : 0.0);
    fill.push_back(filledScreens(draw));
    auto plots = plot::takeTriangleCounts();
    if (triangles.back() >= percentile(triangles, 0.5)) heaviest = std::move(plots);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  const double guiRate = static_cast<double>(iterationNow() - firstIteration) / seconds;
  // The same run with no frames drawn for as long: the optimizer's rate without the GUI's cost.
  const auto quietBegin = Clock::now();
  const auto quietFirst = iterationNow();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const double quietRate = static_cast<double>(iterationNow() - quietFirst) /
                           std::chrono::duration<double>(Clock::now() - quietBegin).count();
  app->runner().pause();
  app->runner().sync();
  std::printf("frames=%zu p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f ui_cpu_p50_ms=%.2f ui_cpu_p95_ms=%.2f "
              "triangles_p50=%.0f triangles_max=%.0f filled_screens_p50=%.2f iterations_per_s=%.0f undrawn_iterations_per_s=%.0f "
              "throughput_ratio=%.3f\n",
              times.size(), percentile(times, 0.5), percentile(times, 0.95), percentile(times, 0.99),
              percentile(cpu, 0.5), percentile(cpu, 0.95), percentile(triangles, 0.5),
              percentile(triangles, 1.0), percentile(fill, 0.5), guiRate, quietRate, quietRate > 0 ? guiRate / quietRate : 0.0);
  // Where a typical frame's triangles go, heaviest plot first (to judge later changes).
  std::sort(heaviest.begin(), heaviest.end(), [](const auto& a, const auto& b) { return a.triangles > b.triangles; });
  std::string plots;
  for (std::size_t i = 0; i < std::min<std::size_t>(heaviest.size(), 6); ++i)
    plots += (i ? ", " : "") + heaviest[i].key + " " + std::to_string(heaviest[i].triangles);
  std::printf("triangles_by_plot: %s\n", plots.c_str());
  return 0;
}

Status renderScreenshot(Session session, const std::string& path, float uiScale, bool presentation,
                        Session compare) {
  Status status;
  auto window = Window::create({.visible = false}, status);
  if (!window) return status;
  auto app = makeApp(session, *window, false, uiScale, presentation, compare.model ? &compare : nullptr);
  app->runner().sync();
  if (Lockstep* both = app->compare().lockstep()) both->sync();
  std::vector<std::uint8_t> pixels;
  int w = 0, h = 0;
  // A few frames: ImGui lays windows out and the plots fit their ranges before the capture.
  for (int frame = 0; frame < 6; ++frame) {
    window->beginFrame(0.0);
    app->frame({});
    window->render();
    if (frame == 5) pixels = window->capture(w, h);
    window->present();
  }
  return writePng(path, w, h, pixels);
}

}  // namespace vilab
