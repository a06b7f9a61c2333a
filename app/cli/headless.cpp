#include "app/cli/headless.hpp"

#include <chrono>
#include <cstdio>

#include <filesystem>
#include <optional>

#include "app/export/atomic_file.hpp"
#include "app/export/compare_csv.hpp"
#include "app/export/figure_export.hpp"
#include "app/export/gif_writer.hpp"
#include "app/export/trace_csv.hpp"
#include "app/export/views_capture.hpp"
#include "app/labs/lab.hpp"
#include "app/ui/main_loop.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "vilab: error: %s\n", message.c_str());
  return code;
}

Status checkFolder(const std::string& option, const std::string& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    return Status::error(option + " '" + folder + "' is not a folder");
  if (Status s = checkWritable((std::filesystem::path(folder) / "vilab-figure.probe").string()); !s)
    return Status::error(option + " '" + folder + "': " + s.message());
  return Status::ok();
}

Status checkRecordPath(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".mp4")
    return Status::error("--record '" + path + "': MP4 is not written (see README, Figures for slides and books); use .gif");
  if (ext != ".gif")
    return Status::error("--record '" + path + "': unknown extension '" + ext + "' (allowed: .gif)");
  return checkWritable(path);
}

// The frame a recording shows: one plot, or every plot where it sits in the views area.
std::optional<plot::Figure> recordFrame(ViewsCapture& views, const Snapshot& snapshot,
                                        const std::string& key) {
  auto figures = views.capture(snapshot, key);
  if (figures.empty()) return std::nullopt;
  if (!key.empty()) return std::move(figures.front());
  return composeFigures(figures, "views");
}

}  // namespace

int runHeadless(Session session, const Options& options) {
  for (const std::string* path : {&options.csv, &options.paramsOut, &options.screenshot})
    if (!path->empty())
      if (Status s = checkWritable(*path); !s) return fail(2, s.message());
  const std::pair<const char*, const std::string*> folders[] = {
      {"--export-svg", &options.exportSvg}, {"--export-pdf", &options.exportPdf}, {"--export-png", &options.exportPng}};
  for (const auto& [option, folder] : folders)
    if (!folder->empty())
      if (Status s = checkFolder(option, *folder); !s) return fail(2, s.message());
  if (!options.record.empty())
    if (Status s = checkRecordPath(options.record); !s) return fail(2, s.message());
  const bool figures = !options.exportSvg.empty() || !options.exportPdf.empty() || !options.exportPng.empty();
  std::unique_ptr<ViewsCapture> views;
  if (figures || !options.record.empty())
    views = std::make_unique<ViewsCapture>(session.model->info().name, *session.scenario, options.uiScale);
  const TextureLookup textures = views ? textureLookup(&views->textures()) : TextureLookup();

  // A recording: the first frame is the state before the run; it fixes the frame size and the
  // palette, and gives the size estimate.
  GifWriter gif;
  float recordW = 0, recordH = 0;
  const auto addFrame = [&](const Snapshot& snapshot) -> Status {
    auto frame = recordFrame(*views, snapshot, options.recordPlot);
    if (!frame) return Status::error("--record-plot '" + options.recordPlot + "': no such plot in the " +
                                     session.model->info().name + " lab (see the names --export-svg writes)");
    if (recordW == 0) recordW = frame->width, recordH = frame->height;
    frame->width = recordW, frame->height = recordH;  // every frame the size of the first
    int w = 0, h = 0;
    const auto rgba = renderFigure(*frame, options.pngScale, textures, w, h);
    if (gif.frames() == 0) {
      gif.start(w, h, 10);
      const long long frames = 1 + options.steps / options.recordEvery;
      std::fprintf(stderr, "vilab: note: recording %lld frames of %d x %d pixels to %s, about %.1f MB\n", frames, w, h,
                   options.record.c_str(), GifWriter::estimateBytes(rgba, w, h, static_cast<int>(frames)) / 1e6);
    }
    return gif.add(rgba);
  };

  Model& model = *session.model;
  const std::string dataNote = session.dataNote;  // session moves into the screenshot below
  // --compare: run B, stepped right after A each iteration.
  Session compare;
  if (!options.compare.empty())
    if (Status s = buildCompareSession(options, model.info().name, compare); !s) return fail(2, s.message());
  TraceCsvWriter csv;
  CompareCsvWriter compareCsv;
  if (!options.csv.empty() && compare.model) {
    if (Status s = compareCsv.open(options.csv, model.trace().columns(), compare.model->trace().columns()); !s)
      return fail(2, s.message());
    model.trace().setListener([&compareCsv](std::span<const double> row) { compareCsv.rowA(row); });
    compare.model->trace().setListener([&compareCsv](std::span<const double> row) { compareCsv.rowB(row); });
  } else if (!options.csv.empty()) {
    if (Status s = csv.open(options.csv, model.trace().columns()); !s) return fail(2, s.message());
    model.trace().setListener([&csv](std::span<const double> row) { csv.row(row); });
  }
  if (!options.record.empty())
    if (Status s = addFrame(*model.snapshot()); !s) return fail(2, s.message());
  double seconds = 0.0;  // the optimizer's time alone, not the recording's
  for (long long i = 0; i < options.steps; ++i) {
    const auto start = std::chrono::steady_clock::now();
    model.step();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (Status health = model.health(); !health) return fail(3, health.message());
    if (compare.model) {
      compare.model->step();
      if (Status health = compare.model->health(); !health) return fail(3, "B (" + options.compare + "): " + health.message());
    }
    if (!options.record.empty() && (i + 1) % options.recordEvery == 0)
      if (Status s = addFrame(*model.snapshot()); !s) return fail(2, s.message());
  }
  model.trace().setListener(nullptr);
  if (compare.model) compare.model->trace().setListener(nullptr);

  const auto snapshot = model.snapshot();
  const auto lab = makeLab(model.info().name);
  if (!options.paramsOut.empty() && lab)
    if (Status s = writeFileAtomically(options.paramsOut, lab->params(*snapshot).dump(2) + "\n"); !s)
      return fail(2, s.message());
  if (!options.csv.empty())
    if (Status s = compare.model ? compareCsv.commit() : csv.commit(); !s) return fail(2, s.message());
  if (!options.record.empty()) {
    if (Status s = gif.finish(); !s) return fail(2, s.message());
    if (Status s = writeFileAtomically(options.record, gif.bytes()); !s) return fail(2, s.message());
  }
  if (figures) {
    std::vector<plot::Figure> all = views->capture(*snapshot);
    all.push_back(composeFigures(all, "views"));
    const FigureSize size{options.figureWidthCm, options.pngScale};
    const std::pair<const std::string*, FigureFormat> outputs[] = {
        {&options.exportSvg, FigureFormat::Svg}, {&options.exportPdf, FigureFormat::Pdf}, {&options.exportPng, FigureFormat::Png}};
    for (const auto& [folder, format] : outputs)
      if (!folder->empty())
        if (Status s = writeFigures(all, *folder, format, size, textures); !s) return fail(2, s.message());
  }
  const auto& last = snapshot->trace.lastRow();
  const double elbo = last.size() > 1 ? last[1] : 0.0;
  const std::string extras = lab ? lab->summaryExtras(*snapshot, seconds) : "";
  const std::string name = model.info().name;
  std::string compareSummary;
  if (compare.model) {
    const auto snapshotB = compare.model->snapshot();  // held: lastRow() refers into it
    const auto& lastB = snapshotB->trace.lastRow();
    compareSummary = " elbo_b=" + formatReal(lastB.size() > 1 ? lastB[1] : 0.0);
  }
  views.reset();  // its ImGui context goes before the screenshot's window makes one
  if (!options.screenshot.empty())
    if (Status s = renderScreenshot(std::move(session), options.screenshot, options.uiScale, options.presentation,
                                    std::move(compare));
        !s)
      return fail(1, s.message());
  // What the GUI's status bar would say (K > N, identical points, collapsed components...): on
  // standard error, so the summary line on standard output stays one line for scripts.
  if (!dataNote.empty()) std::fprintf(stderr, "vilab: note: %s\n", dataNote.c_str());
  for (const auto& note : snapshot->notes) std::fprintf(stderr, "vilab: note: %s\n", note.c_str());
  std::printf("model=%s iterations=%lld seconds=%.6g elbo=%s%s%s\n", name.c_str(), options.steps, seconds,
              formatReal(elbo).c_str(), extras.c_str(), compareSummary.c_str());
  return 0;
}

}  // namespace vilab
