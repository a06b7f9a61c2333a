#include "app/ui/widgets.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

namespace vilab::ui {

void helpMarker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) textTooltip(text);
}

std::string number(double v, const char* format) {
  if (!std::isfinite(v)) return "—";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

void textTooltip(const std::string& text) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void tableCell(const std::string& text, const char* help) {
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(text.c_str());
  if (help && ImGui::IsItemHovered()) textTooltip(help);
}

std::string fieldTooltip(const FieldSpec& spec) {
  return spec.help + "\n\nAllowed: " + describeRange(spec) + "\nCommand line: --set " + spec.key +
         "=...";
}

namespace {

void tooltip(const FieldSpec& spec, const std::string& readOnlyWhy, const std::string& difference = "") {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  if (!difference.empty()) ImGui::TextColored(ImVec4(0.7f, 0.4f, 0.0f, 1.0f), "%s", (difference + "\n").c_str());
  if (!readOnlyWhy.empty()) ImGui::TextUnformatted((readOnlyWhy + "\n\n").c_str());
  ImGui::TextUnformatted(fieldTooltip(spec).c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

int groupRank(const std::string& group) {
  static const std::vector<std::string> order = {"Data",      "Prior",     "Model",
                                                 "Algorithm", "Optimizer", "View"};
  // A lab's own groups (e.g. the VAE's Estimator, Objective) come after these, in the lab's order,
  // and Run always last: sharing Run's rank split it in two sections around them.
  if (group == "Run") return static_cast<int>(order.size()) + 1;
  const auto it = std::find(order.begin(), order.end(), group);
  return it == order.end() ? static_cast<int>(order.size()) : static_cast<int>(it - order.begin());
}

}  // namespace

bool editField(Scenario& scenario, const FieldSpec& spec, const std::string& readOnlyWhy,
               const std::string& difference) {
  const auto current = getField(scenario, spec.key);
  if (!current) return false;
  const std::string id = spec.label + "##" + spec.key;
  if (!readOnlyWhy.empty()) {
    // The scenario's value (e.g. N of the generated data) is not what runs: say where it comes from.
    ImGui::BeginDisabled();
    std::string shown = "from the data file";
    ImGui::InputText(id.c_str(), &shown, ImGuiInputTextFlags_ReadOnly);
    tooltip(spec, readOnlyWhy, difference);
    ImGui::EndDisabled();
    return false;
  }
  bool changed = false;
  FieldValue next = *current;
  switch (spec.kind) {
    case FieldKind::Real: {
      double v = std::get<double>(*current);
      const ImGuiSliderFlags flags =
          ImGuiSliderFlags_AlwaysClamp |
          (spec.logScale ? ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_NoRoundToFormat : 0);
      if (spec.logScale) {
        changed = ImGui::SliderScalar(id.c_str(), ImGuiDataType_Double, &v, &spec.min, &spec.max,
                                      "%.4g", flags);
      } else {
        const float speed = static_cast<float>(std::max(std::fabs(v), 0.1) * 0.005);
        changed = ImGui::DragScalar(id.c_str(), ImGuiDataType_Double, &v, speed, &spec.min,
                                    &spec.max, "%.4g", flags);
      }
      next = v;
      break;
    }
    case FieldKind::Integer: {
      long long v = std::get<std::int64_t>(*current);
      const long long lo = static_cast<long long>(spec.min), hi = static_cast<long long>(spec.max);
      if (spec.logScale) {
        changed = ImGui::SliderScalar(id.c_str(), ImGuiDataType_S64, &v, &lo, &hi, "%lld",
                                      ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
      } else {
        changed = ImGui::DragScalar(id.c_str(), ImGuiDataType_S64, &v, 0.2f, &lo, &hi, "%lld",
                                    ImGuiSliderFlags_AlwaysClamp);
      }
      next = static_cast<std::int64_t>(v);
      break;
    }
    case FieldKind::Boolean: {
      bool v = std::get<bool>(*current);
      changed = ImGui::Checkbox(id.c_str(), &v);
      next = v;
      break;
    }
    case FieldKind::Choice: {
      const std::string& name = std::get<std::string>(*current);
      if (ImGui::BeginCombo(id.c_str(), name.c_str())) {
        for (const auto& choice : spec.choices)
          if (ImGui::Selectable(choice.c_str(), choice == name))
            next = choice, changed = choice != name;
        ImGui::EndCombo();
      }
      break;
    }
    case FieldKind::Text: {
      std::string v = std::get<std::string>(*current);
      changed = ImGui::InputText(id.c_str(), &v, ImGuiInputTextFlags_EnterReturnsTrue);
      tooltip(spec, "", difference);
      if (!spec.choices.empty()) {
        ImGui::SameLine();
        if (ImGui::BeginCombo(("##pick" + spec.key).c_str(), "", ImGuiComboFlags_NoPreview)) {
          for (const auto& choice : spec.choices)
            if (ImGui::Selectable(choice.c_str(), choice == v)) v = choice, changed = true;
          ImGui::EndCombo();
        }
      }
      next = v;
      break;
    }
  }
  if (spec.kind != FieldKind::Text) tooltip(spec, "", difference);
  if (!changed) return false;
  return setField(scenario, spec.key, next).isOk();
}

ImVec4 differenceColor() { return ImVec4(0.98f, 0.78f, 0.35f, 1.0f); }

bool editScenario(Scenario& scenario, const std::vector<std::string>& readOnly, const std::string& readOnlyWhy,
                  const Scenario* reference, const std::string& referenceName) {
  std::vector<FieldSpec> specs = fieldSpecs(scenario);
  std::stable_sort(specs.begin(), specs.end(), [](const FieldSpec& a, const FieldSpec& b) {
    return groupRank(a.group) < groupRank(b.group);
  });
  const std::vector<std::string> idle = scenario.idleFields();
  std::erase_if(specs, [&](const FieldSpec& spec) { return std::find(idle.begin(), idle.end(), spec.key) != idle.end(); });
  bool changed = false;
  std::string group;
  bool open = false;
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  for (const FieldSpec& spec : specs) {
    if (spec.group != group || group.empty()) {
      group = spec.group;
      open = ImGui::CollapsingHeader(group.c_str(), ImGuiTreeNodeFlags_DefaultOpen);
    }
    const bool decided = std::find(readOnly.begin(), readOnly.end(), spec.key) != readOnly.end();
    if (!open) continue;
    std::string difference;
    if (reference) {
      const auto mine = getField(scenario, spec.key), theirs = getField(*reference, spec.key);
      if (theirs && mine && *theirs != *mine) difference = referenceName + " has " + formatValue(*theirs);
    }
    if (!difference.empty()) {
      const ImVec4 c = differenceColor();
      ImGui::PushStyleColor(ImGuiCol_FrameBg, c);
      ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, ImVec4(c.x, c.y * 0.9f, c.z * 0.8f, 1.0f));
    }
    changed |= editField(scenario, spec, decided ? readOnlyWhy : std::string(), difference);
    if (!difference.empty()) ImGui::PopStyleColor(2);
  }
  ImGui::PopItemWidth();
  return changed;
}

}  // namespace vilab::ui
