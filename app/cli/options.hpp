#pragma once
// The command line: a contract that scripts and later labs rely on (see usage()).

#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"

namespace vilab {

struct Options {
  std::string model;         // empty: the scenario file's model, else "gaussian"
  std::string scenarioFile;
  std::vector<std::pair<std::string, std::string>> sets;  // --set key=value, in order
  std::string dataFile;
  bool headless = false;
  long long steps = 0;
  std::string csv, paramsOut, screenshot;
  bool printScenario = false, printFields = false, listModels = false, version = false, help = false;
  long long benchFrames = 0;
  float uiScale = 1.0f;
  bool paused = false;  // open the GUI without starting the optimizer
  std::string theme = "light";  // "light" or "dark" (the window only; files stay light)
  bool presentation = false;    // open in presentation mode
  bool showEquations = false;  // --show equations: the live-equations panel open from the start
  // Figures (headless): one file per plot, and the whole views area, into these folders.
  std::string exportSvg, exportPdf, exportPng;
  int pngScale = 1;           // PNG and GIF pixels per screen pixel, 1 to 4
  double figureWidthCm = 0;   // SVG/PDF width; 0: the on-screen size
  std::string record;         // animated GIF of the run
  long long recordEvery = 10; // iterations between frames
  std::string recordPlot;     // one plot's key; empty: the whole views area
  std::string tour;           // "LAB:N": start the lab's N-th guided tour (app/cli/tour_cli.hpp)
  long long tourStep = 1;     // at this step (from 1)
  std::string compare;        // (headless) run B from this scenario file beside A, in lockstep
};

// Parses argv; on error `out` is unspecified and the message names the argument.
Status parseOptions(int argc, const char* const* argv, Options& out);
std::string usage();

}  // namespace vilab
