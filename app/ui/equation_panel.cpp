#include "app/ui/equation_panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/ui/math_layout.hpp"
#include "app/ui/style.hpp"

namespace vilab::ui {

std::string numberMarkup(double value, bool parenthesise) {
  if (std::isnan(value)) return "\\text{NaN}";
  if (std::isinf(value)) return value > 0 ? "\\infty" : "\\left(-\\infty\\right)";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  std::string text = buffer;
  if (const auto e = text.find('e'); e != std::string::npos) {
    const int exponent = std::atoi(text.c_str() + e + 1);
    std::string mantissa = text.substr(0, e);
    text = (mantissa == "1" ? "" : mantissa == "-1" ? "-" : mantissa + "\\times ") + "10^{" +
           std::to_string(exponent) + "}";
  }
  if (value < 0 && parenthesise) text = "\\left(" + text + "\\right)";
  return text;
}

std::string substituteInputs(const std::string& markup, const std::vector<EquationValue>& inputs,
                             int* missing) {
  std::string out;
  if (missing) *missing = 0;
  for (std::size_t i = 0; i < markup.size(); ++i) {
    if (markup[i] != '#' || i + 1 >= markup.size() || !std::isdigit(static_cast<unsigned char>(markup[i + 1]))) {
      out += markup[i];
      continue;
    }
    std::size_t j = i + 1;
    std::size_t k = 0;
    while (j < markup.size() && std::isdigit(static_cast<unsigned char>(markup[j])))
      k = k * 10 + static_cast<std::size_t>(markup[j++] - '0');
    if (k >= inputs.size()) {
      if (missing) ++*missing;
      out += "\\#" + markup.substr(i + 1, j - i - 1);
    } else {
      // After an operator a negative number goes in parentheses: "+ (−0.5)", not "+ −0.5".
      std::size_t p = out.find_last_not_of(' ');
      bool afterOperator = false;
      if (p != std::string::npos) {
        const char c = out[p];
        afterOperator = c == '+' || c == '-' || c == '*' || c == '^' || c == '_' ||
                        (std::isalpha(static_cast<unsigned char>(c)) &&
                         (out.rfind("\\cdot", p) == p - 4 || out.rfind("\\times", p) == p - 5));
        // A number right after a number or a symbol would read as one: parenthesise too.
        afterOperator = afterOperator || std::isdigit(static_cast<unsigned char>(c)) || c == '}';
      }
      out += numberMarkup(inputs[k].value, afterOperator);
    }
    i = j - 1;
  }
  return out;
}

std::string resultsMarkup(const std::vector<EquationValue>& results) {
  if (results.size() == 1) return "= " + numberMarkup(results[0].value);
  std::string out;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i) out += ",\\quad ";
    out += "{" + results[i].symbol + "} = " + numberMarkup(results[i].value);
  }
  return out;
}

std::vector<std::string> splitAssignments(const std::string& markup) {
  static const std::string kSeparator = ",\\quad";
  std::vector<std::string> pieces;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < markup.size(); ++i) {
    const char c = markup[i];
    if (c == '\\' && i + 1 < markup.size() && (markup[i + 1] == '{' || markup[i + 1] == '}')) {
      ++i;  // an escaped brace
      continue;
    }
    const auto command = [&](const char* name, std::size_t length) {
      return markup.compare(i, length, name) == 0 &&
             (i + length >= markup.size() || !std::isalpha(static_cast<unsigned char>(markup[i + length])));
    };
    if (c == '{' || command("\\left", 5)) ++depth;
    if (c == '}' || command("\\right", 6)) --depth;
    if (depth == 0 && markup.compare(i, kSeparator.size(), kSeparator) == 0 &&
        (i + kSeparator.size() >= markup.size() || !std::isalpha(static_cast<unsigned char>(markup[i + kSeparator.size()])))) {
      pieces.push_back(markup.substr(start, i - start));
      start = i + kSeparator.size();
      i = start - 1;
    }
  }
  pieces.push_back(markup.substr(start));
  return pieces;
}

std::string EquationPanel::emphasis(const Snapshot* snapshot) const {
  if (!m_open || !snapshot) return {};
  for (const Equation& e : snapshot->equations)
    if (!e.highlight.empty()) return e.highlight;
  return {};
}

void EquationPanel::wrappedText(const char* text, ImU32 color) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
  m_drawn.itemMin.push_back(at);
  m_drawn.itemMax.push_back(ImGui::GetItemRectMax());
}

void EquationPanel::formula(const std::string& markup, ImU32 color, float size) {
  ImFont* font = ImGui::GetFont();
  const float avail = std::max(1.0f, ImGui::GetContentRegionAvail().x);
  math::Layout layout = math::typeset(markup, font, size);
  // Too wide for a readable shrink: one line per assignment, the later ones indented.
  if (layout.ok() && layout.metrics().width > 1.2f * avail) {
    const std::vector<std::string> pieces = splitAssignments(markup);
    if (pieces.size() > 1) {
      for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (i) ImGui::Indent(size);
        formula(pieces[i], color, size);
        if (i) ImGui::Unindent(size);
      }
      return;
    }
  }
  // Too wide: shrink to the width (the layout's width is close to linear in the size).
  for (int pass = 0; pass < 4 && layout.metrics().width > avail; ++pass) {
    size *= 0.98f * avail / layout.metrics().width;
    layout = math::typeset(markup, font, std::max(size, 4.0f));
  }
  const math::Metrics& m = layout.metrics();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  layout.draw(ImGui::GetWindowDrawList(), ImVec2(at.x, at.y + m.ascent), color);
  ImGui::Dummy(ImVec2(m.width, m.height()));
  m_drawn.itemMin.push_back(at);
  m_drawn.itemMax.push_back(ImVec2(at.x + m.width, at.y + m.height()));
  ++m_drawn.formulas;
  if (!layout.ok()) {
    m_drawn.errors.push_back(layout.error());
    const std::string message = "(shown as text: " + layout.error() + ")";
    wrappedText(message.c_str(), ImGui::ColorConvertFloat4ToU32(ImVec4(0.75f, 0.1f, 0.1f, 1.0f)));
  }
}

void EquationPanel::draw(const Snapshot* snapshot, const char* run) {
  m_drawn = {};
  if (!m_open) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float font = ImGui::GetFontSize();
  const float width = std::min(font * 26.0f, viewport->WorkSize.x * 0.45f);
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - width - font * 0.5f,
                                 viewport->WorkPos.y + font * 2.0f),
                          ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(ImVec2(width, std::min(font * 30.0f, viewport->WorkSize.y - font * 4.0f)),
                           ImGuiCond_Appearing);
  // Escape closes it through the App, which gives each press to one window (see App::shortcuts).
  if (ImGui::Begin("Live equations###equations", &m_open, ImGuiWindowFlags_NoSavedSettings)) {
    const ImVec2 pos = ImGui::GetWindowPos();
    m_drawn.contentMin = ImVec2(pos.x + ImGui::GetWindowContentRegionMin().x, pos.y + ImGui::GetWindowContentRegionMin().y);
    m_drawn.contentMax = ImVec2(pos.x + ImGui::GetWindowContentRegionMax().x, pos.y + ImGui::GetWindowContentRegionMax().y);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImU32 result = kApprox;  // plot::Color is ImGui's packing
    if (run[0] != '\0') wrappedText((std::string("The equations of ") + run + ".").c_str(), muted);
    if (!snapshot || snapshot->equations.empty()) {
      wrappedText("This lab's algorithm shows no equations yet.", muted);
    } else {
      for (std::size_t i = 0; i < snapshot->equations.size(); ++i) {
        const Equation& e = snapshot->equations[i];
        if (i) ImGui::Separator();
        std::string title = e.title;
        if (e.when == Equation::When::Last) title += "   (last step)";
        wrappedText(title.c_str(), text);
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip(e.when == Equation::When::Last
                                ? "The step just taken: its samples are known only once drawn; the "
                                  "values shown are the current state."
                                : "The update the next step applies, with this iteration's numbers; "
                                  "the values are what that step will set.");
        formula(e.formula, text, font * 1.1f);
        int missing = 0;
        formula("= " + substituteInputs(e.substituted, e.inputs, &missing), text, font * 1.1f);
        if (missing > 0) m_drawn.errors.push_back("#k without an input");
        if (!e.results.empty()) formula(resultsMarkup(e.results), result, font * 1.1f);
        if (!e.highlight.empty()) {
          const std::string what = "Emphasised in the views: " + e.highlight;
          wrappedText(what.c_str(), muted);
        }
        if (!e.source.empty()) wrappedText(e.source.c_str(), muted);
      }
    }
  }
  ImGui::End();
}

}  // namespace vilab::ui
