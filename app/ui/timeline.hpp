#pragma once
// The timeline row under the views: a slider over the runner's kept checkpoints and the live
// end, ◀ ▶ to step between them, "Branch here" to restart from the shown one. Keys [ ] and B.
// Scrubbing only sends Runner commands; the views draw whichever snapshot the runner publishes.

#include <cstdint>
#include <vector>

#include "core/runner.hpp"

namespace vilab::ui {

// The positions the slider offers: the kept iterations, then the live run's iteration when it is
// newer than the newest kept one (increasing; empty before the runner's first publish).
std::vector<std::int64_t> timelinePositions(const Runner::State& state);

// The iteration the timeline shows: the scrubbed one, else the live one.
std::int64_t timelineCurrent(const Runner::State& state);

// The position before (direction < 0) or after (> 0) the shown one; the shown one at either end.
std::int64_t timelineNeighbour(const Runner::State& state, int direction);

// Shows `iteration` (a position): the live end goes back to the live run.
void timelineShow(const Runner::State& state, Runner& runner, std::int64_t iteration);

// The row's height, for the views region to leave room for it.
float timelineHeight();

// Draws the row in the current window, full width.
void drawTimeline(const Runner::State& state, Runner& runner);

// Handles the timeline's keys ([ previous, ] next, B branch); true when `key` was one of them.
bool timelineKey(int key, const Runner::State& state, Runner& runner);

}  // namespace vilab::ui
