#pragma once
// `vilab --headless --steps N`: runs N iterations in this thread (deterministically: the same
// scenario and seed give the same bytes), writes the trace CSV, the parameters and the screenshot
// that were asked for, and prints the one-line summary.

#include "app/cli/options.hpp"
#include "app/cli/session.hpp"

namespace vilab {

// Returns the process exit code: 0, 1 (no display for --screenshot), 2 (bad output path),
// 3 (the optimizer diverged).
int runHeadless(Session session, const Options& options);

}  // namespace vilab
