#pragma once
// The "draw your own" target's bumps as text, for the scenario's text field:
// "x,y,sd,w; x,y,sd,w" (one bump per ';'-separated item: its centre x, y in [-20, 20], its sd in
// [0.05, 10] and its weight in [0.01, 100]; at most kMaxBumps of them).

#include <string>
#include <string_view>
#include <vector>

#include "core/models/targets/target.hpp"
#include "core/status.hpp"

namespace vilab {

inline constexpr int kMaxBumps = 64;

// Parses text into bumps (empty on error). Blank text gives no bumps (the target then uses one
// bump at the origin). Spaces around numbers are allowed; an empty item (a trailing ';') is not.
// Errors name the bump (1-based), the field and the allowed range, e.g.
//   "bump 2: field sd is \"0\"; it must be a number in [0.05, 10]".
Status parseBumps(std::string_view text, std::vector<TargetBump>& bumps);

// The text that parseBumps reads back exactly (shortest round-trip decimal for each number).
std::string formatBumps(const std::vector<TargetBump>& bumps);

}  // namespace vilab
