#pragma once
// Small widgets shared by the shell and the labs: help markers and the scenario field editor
// that turns each FieldSpec into the right control, with its help text as the tooltip.

#include <string>
#include <vector>

#include <imgui.h>

#include "core/scenario.hpp"

namespace vilab::ui {

// A dimmed "(?)" on the same line that explains something on hover.
void helpMarker(const char* text);

// A number for labels and tooltips (printf format, %.4g by default); "—" when not finite.
std::string number(double v, const char* format = "%.4g");

// A tooltip with wrapped text (call when the item or area is hovered).
void textTooltip(const std::string& text);

// The next cell of the current table: its text, and `help` (if any) as a tooltip on hover.
void tableCell(const std::string& text, const char* help = nullptr);

// Edits one field with the control its kind calls for; true when the value changed. A
// `readOnlyWhy` that is not empty draws a disabled "from the data file" instead, with that reason
// in its tooltip (the scenario's value is not the one in use).
bool editField(Scenario& scenario, const FieldSpec& spec, const std::string& readOnlyWhy = "",
               const std::string& difference = "");

// Every field, grouped in collapsible sections (Data, Prior, Algorithm, Optimizer, ..., Run);
// true when any value changed. The fields keyed in `readOnly` (those the loaded data decide) are
// drawn disabled, with `readOnlyWhy` in their tooltip.
// With a `reference` (A/B comparison: B's editor with A's scenario), each field whose value
// differs from the reference's is highlighted, and its tooltip starts "<referenceName> has ...".
bool editScenario(Scenario& scenario, const std::vector<std::string>& readOnly = {},
                  const std::string& readOnlyWhy = "", const Scenario* reference = nullptr,
                  const std::string& referenceName = "A");

// The highlight of a field that differs from the reference scenario (frame background).
ImVec4 differenceColor();

// The tooltip text of a field: help, allowed values, and the key for --set.
std::string fieldTooltip(const FieldSpec& spec);

}  // namespace vilab::ui
