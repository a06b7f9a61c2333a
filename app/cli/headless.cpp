#include "app/cli/headless.hpp"

#include <chrono>
#include <cstdio>

#include "app/export/atomic_file.hpp"
#include "app/export/trace_csv.hpp"
#include "app/labs/lab.hpp"
#include "app/ui/main_loop.hpp"
#include "core/scenario.hpp"

namespace vilab {
namespace {

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "vilab: error: %s\n", message.c_str());
  return code;
}

}  // namespace

int runHeadless(Session session, const Options& options) {
  for (const std::string* path : {&options.csv, &options.paramsOut, &options.screenshot})
    if (!path->empty())
      if (Status s = checkWritable(*path); !s) return fail(2, s.message());

  Model& model = *session.model;
  const std::string dataNote = session.dataNote;  // session moves into the screenshot below
  TraceCsvWriter csv;
  if (!options.csv.empty()) {
    if (Status s = csv.open(options.csv, model.trace().columns()); !s) return fail(2, s.message());
    model.trace().setListener([&csv](std::span<const double> row) { csv.row(row); });
  }
  const auto start = std::chrono::steady_clock::now();
  for (long long i = 0; i < options.steps; ++i) {
    model.step();
    if (Status health = model.health(); !health) return fail(3, health.message());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  model.trace().setListener(nullptr);

  const auto snapshot = model.snapshot();
  const auto lab = makeLab(model.info().name);
  if (!options.paramsOut.empty() && lab)
    if (Status s = writeFileAtomically(options.paramsOut, lab->params(*snapshot).dump(2) + "\n"); !s)
      return fail(2, s.message());
  if (!options.csv.empty())
    if (Status s = csv.commit(); !s) return fail(2, s.message());
  const auto& last = snapshot->trace.lastRow();
  const double elbo = last.size() > 1 ? last[1] : 0.0;
  const std::string extras = lab ? lab->summaryExtras(*snapshot, seconds) : "";
  const std::string name = model.info().name;
  if (!options.screenshot.empty())
    if (Status s = renderScreenshot(std::move(session), options.screenshot, options.uiScale); !s)
      return fail(1, s.message());
  // What the GUI's status bar would say (K > N, identical points, collapsed components...): on
  // standard error, so the summary line on standard output stays one line for scripts.
  if (!dataNote.empty()) std::fprintf(stderr, "vilab: note: %s\n", dataNote.c_str());
  for (const auto& note : snapshot->notes) std::fprintf(stderr, "vilab: note: %s\n", note.c_str());
  std::printf("model=%s iterations=%lld seconds=%.6g elbo=%s%s\n", name.c_str(), options.steps, seconds,
              formatReal(elbo).c_str(), extras.c_str());
  return 0;
}

}  // namespace vilab
