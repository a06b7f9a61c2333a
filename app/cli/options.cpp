#include "app/cli/options.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

namespace vilab {
namespace {

bool parseInteger(std::string_view text, long long& value) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::string usage() {
  return R"(VI Lab: variational inference, live.

Usage:
  vilab [--model NAME] [--scenario FILE.json] [--set key=value ...] [--data FILE.csv]
        opens the GUI (with no argument: the Gaussian lab, running)
  vilab ... --headless --steps N [--csv trace.csv] [--params-out final.json]
        [--screenshot out.png]
        runs N iterations deterministically, writes what was asked and prints one line
        "model=NAME iterations=N seconds=S elbo=E"; --screenshot renders the window hidden
  vilab [--model NAME] --print-scenario      the full default scenario as JSON: exactly the
                                             keys --set and scenario files accept
  vilab [--model NAME] --print-fields        every key with its range and meaning (Markdown)
  vilab --list-models | --version | --help
  vilab ... --headless --steps N [--export-svg DIR] [--export-pdf DIR] [--export-png DIR]
        [--png-scale S] [--figure-width CM] [--record run.gif [--record-every K]
        [--record-plot KEY]]
        figures of the final state: one file per plot, named LAB_PLOT.EXT, plus
        LAB_views.EXT (the whole views area); --record adds a frame every K iterations
  vilab ... --headless --steps N --compare B.json [--csv ab.csv] [--screenshot ab.png]
        A/B: runs B (A's lab, its defaults with B.json's values, seed included) beside A
        for the same N steps; --csv writes one joined CSV (see --compare)
  vilab ... --bench-frames F                 opens the window, runs F frames with the optimizer
        busy, then as long again without drawing, and prints frame times (p50/p95/p99 ms), the
        UI thread's CPU time per frame, triangles and filled screens per frame, the optimizer's
        rate with and without frames and their ratio, and the heaviest plots' triangles
  vilab --tour LAB:N [--tour-step K]         opens the GUI at step K of the lab's N-th guided tour
  vilab --headless --tour LAB:N [--tour-step K] --screenshot out.png [--ui-scale S]
        runs to that step (its scenario, its iteration), saves the window with the step's
        callout and prints "tour=LAB:N step=K/M iteration=I view=KEY shown=yes|no"

Options:
  --model NAME        a lab: see --list-models
  --scenario FILE     a JSON scenario (keys as --print-scenario; "model" optional)
  --set key=value     one scenario value (repeatable, applied after --scenario)
  --data FILE.csv     data to fit: one observation per row, one column per dimension,
                      optional header line
  --paused            open the GUI without starting the optimizer
  --ui-scale S        text and widget scale for projectors, 0.75 to 3 (default 1)
  --theme light|dark  the window's colours (default light, high contrast); figure files and
                      exports keep the light look. T switches in the window
  --presentation      open in presentation mode (controls hidden, type x1.5, lines x2; also
                      for --screenshot). P or Escape leaves it
  --show equations    open the live-equations panel (key E) from the start, also in
                      --screenshot
  --export-svg DIR    (headless) every plot as SVG into the folder DIR (which must exist)
  --export-pdf DIR    (headless) every plot as PDF, one page each
  --export-png DIR    (headless) every plot as PNG, rendered at --png-scale
  --png-scale S       PNG and GIF pixels per screen pixel, 1 to 4 (default 1)
  --figure-width CM   SVG and PDF width in centimetres, 1 to 100 (default: on-screen size)
  --record FILE.gif   (headless) an animated GIF of the run, a frame every K iterations
  --record-every K    iterations between frames (default 10)
  --record-plot KEY   record one plot (its file name's part after LAB_) instead of all views
  --tour LAB:N        a guided tour (assets/tours/LAB.json), N counting from 1 (G in the GUI
                      lists them); PageDown / PageUp step through it, Escape ends it
  --tour-step K       start the tour at step K (default 1)
  --compare B.json    run B, A's lab with B.json's values, beside A in lockstep (the GUI
                      opens comparing; key C toggles it there); headless:
                      --csv then writes "iteration", A's trace columns prefixed a_, then B's
                      prefixed b_, one row per iteration (an iteration one side lacks leaves
                      that side's cells empty, never a guessed value); --screenshot shows A and
                      B in two columns; --params-out, figures and --record stay A's. A B.json
                      naming another model is an error (exit 2)

Exit codes: 0 done, 1 cannot run here (no display), 2 bad input (nothing written),
3 the optimizer diverged (the message says which quantity, when, and the likely cause).
)";
}

Status parseOptions(int argc, const char* const* argv, Options& out) {
  out = Options();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    // "--key=value" and "--key value" are both accepted.
    std::string name = arg, inlineValue;
    bool hasInline = false;
    if (arg.rfind("--", 0) == 0) {
      const auto eq = arg.find('=');
      if (eq != std::string::npos && arg.rfind("--set", 0) != 0) {
        name = arg.substr(0, eq);
        inlineValue = arg.substr(eq + 1);
        hasInline = true;
      }
    }
    auto value = [&](std::string& into) -> Status {
      if (hasInline) {
        into = inlineValue;
        return Status::ok();
      }
      if (i + 1 >= argc) return Status::error(name + " needs a value");
      into = argv[++i];
      return Status::ok();
    };
    auto integer = [&](long long& into, long long min) -> Status {
      std::string text;
      if (Status s = value(text); !s) return s;
      if (!parseInteger(text, into) || into < min)
        return Status::error(name + " needs a whole number >= " + std::to_string(min) + ", not '" + text + "'");
      return Status::ok();
    };
    Status s;
    if (name == "--model") s = value(out.model);
    else if (name == "--scenario") s = value(out.scenarioFile);
    else if (name == "--data") s = value(out.dataFile);
    else if (name == "--csv") s = value(out.csv);
    else if (name == "--params-out") s = value(out.paramsOut);
    else if (name == "--screenshot") s = value(out.screenshot);
    else if (name == "--steps") s = integer(out.steps, 1);
    else if (name == "--export-svg") s = value(out.exportSvg);
    else if (name == "--export-pdf") s = value(out.exportPdf);
    else if (name == "--export-png") s = value(out.exportPng);
    else if (name == "--record") s = value(out.record);
    else if (name == "--record-plot") s = value(out.recordPlot);
    else if (name == "--record-every") s = integer(out.recordEvery, 1);
    else if (name == "--compare") s = value(out.compare);
    else if (name == "--png-scale") {
      long long scale = 0;
      s = integer(scale, 1);
      if (s && scale > 4) s = Status::error("--png-scale needs a whole number from 1 to 4, not '" + std::to_string(scale) + "'");
      out.pngScale = static_cast<int>(scale);
    } else if (name == "--figure-width") {
      std::string text;
      s = value(text);
      double cm = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), cm);
      if (s && (ec != std::errc() || ptr != text.data() + text.size() || !(cm >= 1.0 && cm <= 100.0)))
        s = Status::error("--figure-width needs centimetres from 1 to 100, not '" + text + "'");
      out.figureWidthCm = cm;
    }
    else if (name == "--bench-frames") s = integer(out.benchFrames, 1);
    else if (name == "--tour") s = value(out.tour);
    else if (name == "--tour-step") s = integer(out.tourStep, 1);
    else if (name == "--headless") out.headless = true;
    else if (name == "--paused") out.paused = true;
    else if (name == "--presentation") out.presentation = true;
    else if (name == "--theme") {
      std::string text;
      s = value(text);
      if (s && text != "light" && text != "dark")
        s = Status::error("--theme needs light or dark, not '" + text + "'");
      out.theme = text;
    }
    else if (name == "--print-scenario") out.printScenario = true;
    else if (name == "--print-fields") out.printFields = true;
    else if (name == "--list-models") out.listModels = true;
    else if (name == "--version") out.version = true;
    else if (name == "--help" || name == "-h") out.help = true;
    else if (name == "--show") {
      std::string what;
      s = value(what);
      if (s && what != "equations")
        s = Status::error("--show takes 'equations' (the live-equations panel), not '" + what + "'");
      out.showEquations = true;
    } else if (name == "--ui-scale") {
      std::string text;
      s = value(text);
      double scale = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), scale);
      if (s && (ec != std::errc() || ptr != text.data() + text.size() || !(scale >= 0.75 && scale <= 3.0)))
        s = Status::error("--ui-scale needs a number from 0.75 to 3, not '" + text + "'");
      out.uiScale = static_cast<float>(scale);
    } else if (name == "--set" || arg.rfind("--set=", 0) == 0) {
      std::string pair;
      if (arg.rfind("--set=", 0) == 0) pair = arg.substr(6);
      else if (i + 1 < argc) pair = argv[++i];
      else s = Status::error("--set needs key=value");
      const auto eq = pair.find('=');
      if (s && (eq == std::string::npos || eq == 0))
        s = Status::error("--set needs key=value, not '" + pair + "'");
      if (s) out.sets.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    } else {
      s = Status::error("unknown argument '" + arg + "' (vilab --help lists them)");
    }
    if (!s) return s;
  }
  if (out.tour.empty() && out.tourStep != 1) return Status::error("--tour-step needs --tour LAB:N");
  if (out.headless && !out.tour.empty()) {
    if (out.screenshot.empty()) return Status::error("--headless --tour needs --screenshot FILE.png");
    if (out.steps > 0 || !out.csv.empty() || !out.paramsOut.empty())
      return Status::error("--headless --tour runs to the tour step's own iteration: drop --steps, --csv and --params-out");
    return Status::ok();
  }
  if (out.headless && out.steps <= 0) return Status::error("--headless needs --steps N");
  if (!out.headless && (out.steps > 0 || !out.csv.empty() || !out.paramsOut.empty() || !out.screenshot.empty()))
    return Status::error("--steps, --csv, --params-out and --screenshot need --headless");
  if (!out.headless && (!out.exportSvg.empty() || !out.exportPdf.empty() || !out.exportPng.empty() || !out.record.empty()))
    return Status::error("--export-svg, --export-pdf, --export-png and --record need --headless (the GUI has File > Export views)");
  if (out.record.empty() && (!out.recordPlot.empty() || out.recordEvery != 10))
    return Status::error("--record-every and --record-plot need --record FILE.gif");
  if (out.headless && out.benchFrames > 0) return Status::error("--bench-frames opens a window: drop --headless");
  return Status::ok();
}

}  // namespace vilab
