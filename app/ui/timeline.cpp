#include "app/ui/timeline.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

#include "app/platform/keys.hpp"
#include "app/ui/widgets.hpp"

namespace vilab::ui {

namespace {

constexpr const char* kResumeNote =
    "Play and Step continue the live run from its newest iteration; Branch here (B) restarts "
    "from the shown one instead.";

}  // namespace

std::vector<std::int64_t> timelinePositions(const Runner::State& state) {
  std::vector<std::int64_t> positions;
  if (state.keptIterations) positions = *state.keptIterations;
  if (positions.empty() || state.liveIteration > positions.back()) positions.push_back(state.liveIteration);
  return positions;
}

std::int64_t timelineCurrent(const Runner::State& state) {
  return state.viewingIteration >= 0 ? state.viewingIteration : state.liveIteration;
}

std::int64_t timelineNeighbour(const Runner::State& state, int direction) {
  const auto positions = timelinePositions(state);
  const std::int64_t current = timelineCurrent(state);
  if (direction < 0) {
    const auto it = std::lower_bound(positions.begin(), positions.end(), current);
    return it == positions.begin() ? current : *(it - 1);
  }
  const auto it = std::upper_bound(positions.begin(), positions.end(), current);
  return it == positions.end() ? current : *it;
}

void timelineShow(const Runner::State& state, Runner& runner, std::int64_t iteration) {
  if (iteration == timelineCurrent(state)) return;
  runner.showIteration(iteration == state.liveIteration ? -1 : iteration);
}

float timelineHeight() { return ImGui::GetFrameHeightWithSpacing(); }

void drawTimeline(const Runner::State& state, Runner& runner) {
  const auto positions = timelinePositions(state);
  if (positions.empty()) return;
  const std::int64_t current = timelineCurrent(state);
  const bool viewing = state.viewingIteration >= 0;
  ImGui::PushID("timeline");

  if (ImGui::ArrowButton("back", ImGuiDir_Left)) timelineShow(state, runner, timelineNeighbour(state, -1));
  if (ImGui::IsItemHovered()) textTooltip("Previous kept checkpoint ([)");
  ImGui::SameLine();

  const ImGuiStyle& style = ImGui::GetStyle();
  const char* branchLabel = "Branch here";
  const float tail = ImGui::GetFrameHeight() + ImGui::CalcTextSize(branchLabel).x +
                     style.FramePadding.x * 2 + style.ItemSpacing.x * 2;
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - tail, ImGui::GetFontSize() * 6));
  const auto at = std::lower_bound(positions.begin(), positions.end(), current);
  int index = static_cast<int>(std::min<std::ptrdiff_t>(at - positions.begin(), positions.size() - 1));
  // The slider's text is ours (no printf conversion): the iteration, and where the live run is.
  std::string text = viewing ? "iteration " + std::to_string(current) + " (kept)  ·  live run at " +
                                   std::to_string(state.liveIteration)
                             : "iteration " + std::to_string(current) + " (live)";
  std::string format;
  for (char c : text) format += c == '%' ? std::string("%%") : std::string(1, c);
  if (viewing) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.95f, 0.80f, 0.45f, 0.55f));
  const bool moved = ImGui::SliderInt("##slider", &index, 0, static_cast<int>(positions.size()) - 1,
                                      format.c_str(), ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoInput);
  if (viewing) ImGui::PopStyleColor();
  if (moved) timelineShow(state, runner, positions[static_cast<std::size_t>(index)]);
  if (ImGui::IsItemHovered())
    textTooltip("Timeline: drag to show the run as it was at a kept checkpoint, in every view (" +
                std::to_string(positions.size()) + " positions; fewer and farther apart as the run "
                "grows; about " + std::to_string((state.historyBytes + (1 << 19)) >> 20) +
                " MB). [ and ] step between them. " + kResumeNote);
  ImGui::SameLine();

  if (ImGui::ArrowButton("forward", ImGuiDir_Right)) timelineShow(state, runner, timelineNeighbour(state, +1));
  if (ImGui::IsItemHovered()) textTooltip("Next kept checkpoint, then the live run (])");
  ImGui::SameLine();

  ImGui::BeginDisabled(!viewing);
  if (ImGui::Button(branchLabel)) runner.branch();
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    textTooltip(viewing ? "Restart from iteration " + std::to_string(current) +
                              " with the current settings, dropping the later checkpoints (B). With "
                              "unchanged settings the run repeats exactly: same random numbers."
                        : std::string("Scrub back on the timeline first: Branch here restarts from the "
                                      "shown checkpoint with the current settings (B)."));
  ImGui::PopID();
}

bool timelineKey(int key, const Runner::State& state, Runner& runner) {
  if (key == keys::kLeftBracket) {
    timelineShow(state, runner, timelineNeighbour(state, -1));
  } else if (key == keys::kRightBracket) {
    timelineShow(state, runner, timelineNeighbour(state, +1));
  } else if (key == keys::letter('b')) {
    if (state.viewingIteration >= 0) runner.branch();
  } else {
    return false;
  }
  return true;
}

}  // namespace vilab::ui
