#include "app/cli/tour_cli.hpp"

#include <imgui.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <thread>

#include "app/export/atomic_file.hpp"
#include "app/export/png.hpp"
#include "app/platform/software_renderer.hpp"
#include "app/platform/window.hpp"
#include "app/ui/app.hpp"
#include "app/ui/main_loop.hpp"
#include "app/ui/style.hpp"
#include "app/ui/tour.hpp"
#include "core/registry.hpp"

namespace vilab {

Status parseTourSpec(const std::string& spec, std::string& lab, std::size_t& tourIndex) {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  std::string labs;
  for (const auto& n : modelNames()) labs += (labs.empty() ? "" : ", ") + n;
  if (!makeModel(name)) return Status::error("--tour '" + spec + "': unknown lab '" + name + "' (allowed: " + labs + ")");
  long long number = 1;
  if (colon != std::string::npos) {
    const std::string text = spec.substr(colon + 1);
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || ptr != text.data() + text.size() || number < 1)
      return Status::error("--tour '" + spec + "': the tour number after ':' must be a whole number >= 1");
  }
  lab = name;
  tourIndex = static_cast<std::size_t>(number - 1);
  return Status::ok();
}

Status startTourFromOptions(App& app, const Options& options) {
  std::string lab;
  std::size_t tour = 0;
  if (Status s = parseTourSpec(options.tour, lab, tour); !s) return s;
  if (!app.tours().loadError().empty()) return Status::error(app.tours().loadError());
  if (Status s = app.tours().start(app, lab, tour, static_cast<std::size_t>(options.tourStep - 1)); !s)
    return Status::error("--tour " + options.tour + " --tour-step " + std::to_string(options.tourStep) + ": " +
                         s.message());
  return Status::ok();
}

int runTourHeadless(const Options& options) {
  const auto fail = [](int code, const std::string& message) {
    std::fprintf(stderr, "vilab: error: %s\n", message.c_str());
    return code;
  };
  std::string lab;
  std::size_t tour = 0;
  if (Status s = parseTourSpec(options.tour, lab, tour); !s) return fail(2, s.message());
  if (Status s = checkWritable(options.screenshot); !s) return fail(2, s.message());
  {  // Bad input before any window: the file, the tour and the step must exist.
    std::vector<TourFile> files;
    if (Status s = loadAllTours(assetDirectory(), files); !s) return fail(2, s.message());
    const auto file = std::find_if(files.begin(), files.end(), [&](const TourFile& f) { return f.lab == lab; });
    if (file == files.end()) return fail(2, "--tour " + options.tour + ": no tours for the " + lab + " lab");
    if (tour >= file->tours.size())
      return fail(2, "--tour " + options.tour + ": the " + lab + " lab has tours 1 to " +
                         std::to_string(file->tours.size()));
    if (static_cast<std::size_t>(options.tourStep) > file->tours[tour].steps.size())
      return fail(2, "--tour-step " + std::to_string(options.tourStep) + ": tour " + options.tour + " (\"" +
                         file->tours[tour].title + "\") has steps 1 to " +
                         std::to_string(file->tours[tour].steps.size()));
  }
  Status status;
  limitSoftwareRendererThreads();
  auto window = Window::create({.visible = false}, status);
  if (!window) return fail(1, status.message());
  ui::applyStyle(options.uiScale);
  window->refreshFontTexture();
  AppConfig config;
  config.model = makeModel(lab);
  config.scenario = config.model->defaultScenario();
  if (Status s = config.model->reset(*config.scenario); !s) return fail(2, s.message());
  config.play = false;
  config.assetDir = assetDirectory();
  config.uiScale = options.uiScale;
  App app(std::move(config), *window);
  if (Status s = startTourFromOptions(app, options); !s) return fail(2, s.message());
  const auto frame = [&] {
    window->beginFrame(0.0);
    app.frame({});
    window->render();
  };
  // Run to the step's iteration (the tour never blocks a frame), then let the plots fit their
  // ranges and the callout find its size before the capture.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  while (app.tours().active() && !app.tours().ready() && std::chrono::steady_clock::now() < deadline) {
    frame();
    window->present();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!app.tours().ready()) return fail(3, "the tour step did not reach its iteration (see the callout)");
  std::vector<std::uint8_t> pixels;
  int w = 0, h = 0;
  for (int i = 0; i < 8; ++i) {
    frame();
    if (i == 7) pixels = window->capture(w, h);
    window->present();
  }
  if (Status s = writePng(options.screenshot, w, h, pixels); !s) return fail(2, s.message());
  const TourStep* step = app.tours().step();
  const auto& tours = app.tours().files();
  std::size_t steps = 0;
  for (const auto& f : tours)
    if (f.lab == lab) steps = f.tours[tour].steps.size();
  std::printf("tour=%s:%zu step=%lld/%zu iteration=%lld view=%s shown=%s\n", lab.c_str(), tour + 1,
              options.tourStep, steps, static_cast<long long>(app.snapshot()->iteration), step->view.c_str(),
              app.tours().viewFound() ? "yes" : "no");
  return 0;
}

}  // namespace vilab
