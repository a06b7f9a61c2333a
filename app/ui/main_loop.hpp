#pragma once
// Runs the App in a real window: the interactive frame loop, the --bench-frames benchmark, and
// the hidden-window screenshot of a headless run.

#include <string>

#include "app/cli/options.hpp"
#include "app/cli/session.hpp"

namespace vilab {

// The interactive app; returns the process exit code.
int runWindow(Session session, const Options& options);
// F frames at 1600x900 with the optimizer running unlimited; prints the frame-time percentiles.
int benchFrames(Session session, const Options& options);
// Renders the model's current state in a hidden 1600x900 window and saves it as PNG, in the
// current theme (ui::setTheme), in presentation mode if asked; with a `compare` session
// (--compare), B beside A in the two-column view.
Status renderScreenshot(Session session, const std::string& path, float uiScale,
                        bool presentation = false, Session compare = {});

// Where shipped scenarios and other assets are found.
std::string assetDirectory();

}  // namespace vilab
