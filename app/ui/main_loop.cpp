#include "app/ui/main_loop.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "app/export/png.hpp"
#include "app/plot/plot.hpp"
#include "app/platform/window.hpp"
#include "app/ui/app.hpp"
#include "app/ui/style.hpp"

namespace vilab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFramePeriod = std::chrono::microseconds(16667);

std::unique_ptr<App> makeApp(Session& session, Window& window, bool play, float scale) {
  ui::applyStyle(scale);
  window.refreshFontTexture();
  AppConfig config;
  config.model = std::move(session.model);
  config.scenario = std::move(session.scenario);
  config.dataNote = std::move(session.dataNote);
  config.play = play;
  config.assetDir = assetDirectory();
  config.uiScale = scale;
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
  Status status;
  auto window = Window::create({}, status);
  if (!window) {
    std::fprintf(stderr, "vilab: error: %s\n", status.message().c_str());
    return 1;
  }
  auto app = makeApp(session, *window, !options.paused, options.uiScale);
  FrameInput input;
  bool settle = true;
  while (!window->shouldClose() && !app->quitRequested()) {
    const auto start = Clock::now();
    // Idle (paused, nothing to settle): wait for input instead of spinning.
    const bool idle = !app->runner().state().playing && !settle;
    window->beginFrame(idle ? 0.1 : 0.0);
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

int benchFrames(Session session, const Options& options) {
  Status status;
  auto window = Window::create({}, status);
  if (!window) {
    std::fprintf(stderr, "vilab: error: %s\n", status.message().c_str());
    return 1;
  }
  session.scenario->speed = 0.0;  // the optimizer as busy as it can be
  auto app = makeApp(session, *window, true, options.uiScale);
  std::vector<double> times;
  const auto begin = Clock::now();
  const auto firstIteration = app->snapshot() ? app->snapshot()->iteration : 0;
  for (long long f = 0; f < options.benchFrames && !window->shouldClose(); ++f) {
    const auto start = Clock::now();
    window->beginFrame(0.0);
    app->frame({times.empty() ? 0.0 : times.back(), window->takeKeyPresses()});
    window->render();
    window->present();
    window->finish();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  app->runner().pause();
  app->runner().sync();
  const auto iterations = app->snapshot()->iteration - firstIteration;
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  const auto pct = [&](double p) { return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))]; };
  std::printf("frames=%zu p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f iterations_per_s=%.0f\n", sorted.size(), pct(0.5),
              pct(0.95), pct(0.99), iterations / seconds);
  return 0;
}

Status renderScreenshot(Session session, const std::string& path, float uiScale) {
  Status status;
  auto window = Window::create({.visible = false}, status);
  if (!window) return status;
  auto app = makeApp(session, *window, false, uiScale);
  app->runner().sync();
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
