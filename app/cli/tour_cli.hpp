#pragma once
// Guided tours from the command line: `--tour LAB:N [--tour-step K]` opens the GUI at step K of the
// lab's N-th tour; with --headless it runs to that step and saves the window (--screenshot).

#include <cstddef>
#include <string>

#include "app/cli/options.hpp"
#include "core/status.hpp"

namespace vilab {

class App;

// "gmm:2" -> lab "gmm", tour index 1 (tours count from 1 on the command line).
Status parseTourSpec(const std::string& spec, std::string& lab, std::size_t& tourIndex);
// Starts the tour --tour names at --tour-step in `app`; the error names the option and the
// allowed values.
Status startTourFromOptions(App& app, const Options& options);
// --headless --tour LAB:N [--tour-step K] --screenshot F [--ui-scale S]: runs to the step in a
// hidden 1600x900 window, saves it with the callout, prints "tour=LAB:N step=K/M iteration=I
// view=KEY shown=yes|no"; returns the exit code.
int runTourHeadless(const Options& options);

}  // namespace vilab
