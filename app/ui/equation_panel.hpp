#pragma once
// The live-equations panel (key E): for each update of the current algorithm (the snapshot's
// Equation list) its title, formula, the same formula with this iteration's numbers, the values
// it yields and the source, typeset by app/ui/math_layout. The numbers come from the snapshot;
// the panel only formats them. While it is open, the view series each equation changes is
// drawn emphasised (plot::setEmphasis).

#include <imgui.h>

#include <string>
#include <vector>

#include "core/equation.hpp"
#include "core/snapshot.hpp"

namespace vilab::ui {

// A number as markup: %.4g, with an exponent written as ×10^{e} and a negative number in
// parentheses when `parenthesise` (after an operator). NaN and infinities as ∞ and "NaN".
std::string numberMarkup(double value, bool parenthesise = false);

// `markup` with each #k replaced by numberMarkup(inputs[k].value); a #k without an input stays
// as it is (the layout then shows it), and `missing` (if given) counts them.
std::string substituteInputs(const std::string& markup, const std::vector<EquationValue>& inputs,
                             int* missing = nullptr);

// The results line: "= v" for one result, "sym = v, sym = v" for several.
std::string resultsMarkup(const std::vector<EquationValue>& results);

// `markup` cut at its top-level ",\quad" separators (outside braces and \left...\right): the
// assignments of a multi-part update, one per line when the whole is too wide.
std::vector<std::string> splitAssignments(const std::string& markup);

class EquationPanel {
 public:
  bool isOpen() const { return m_open; }
  void setOpen(bool open) { m_open = open; }
  void toggle() { m_open = !m_open; }

  // The legend label the views emphasise while the panel is open: the first equation's
  // non-empty highlight (empty when closed or none).
  std::string emphasis(const Snapshot* snapshot) const;

  // Draws the window when open (a docked column at the right of the work area on first use,
  // movable and resizable); Escape closes it (App::shortcuts).
  // `run`, when not empty, names whose equations these are (e.g. "run A" while comparing).
  void draw(const Snapshot* snapshot, const char* run = "");

  // What the last draw() laid out, for the tests: each text or formula's pixel rectangle and
  // the window's content rectangle, and the markup errors met.
  struct Drawn {
    ImVec2 contentMin, contentMax;
    std::vector<ImVec2> itemMin, itemMax;
    std::vector<std::string> errors;
    int formulas = 0;
  };
  const Drawn& drawn() const { return m_drawn; }

 private:
  void formula(const std::string& markup, ImU32 color, float size);
  void wrappedText(const char* text, ImU32 color);

  bool m_open = false;
  Drawn m_drawn;
};

}  // namespace vilab::ui
