#pragma once
// One update of an algorithm as the live-equations panel shows it: the formula, the same formula
// with this iteration's numbers substituted, and the values it yields. Models fill these in their
// snapshots from their own state; the UI lays them out and never recomputes a number.

#include <string>
#include <vector>

namespace vilab {

// A named number: `symbol` is markup (below), `value` the number in the model's units.
struct EquationValue {
  std::string symbol;
  double value = 0.0;
};

// Markup is a small TeX subset that app/ui typesets: \frac{a}{b}, x^{2}, x_{n}, \sqrt{a},
// \sum_{n=1}^{N}, \mathbb{E}, \bar{x}, \hat{k}, Greek letters by name (\mu, \tau, \kappa, ...),
// \cdot, \times, \ln, \exp, \left( \right), braces for grouping, and plain UTF-8 text.
struct Equation {
  enum class When {
    Next,  // the update the next step applies; `results` are what that step will set
    Last,  // the step just taken (a stochastic gradient's samples are known only once drawn);
           // `results` are what it set, i.e. the current state
  };

  std::string title;    // what the update does, e.g. "CAVI: update q(μ) given E[τ]"
  std::string source;   // where the formula comes from, e.g. "Bishop PRML eq. (10.26)"
  std::string formula;  // symbolic markup, e.g. "\\mu_N = \\frac{\\kappa_0\\mu_0 + N\\bar{x}}{\\kappa_0 + N}"
  // The right-hand side again with numbers: markup in which #k (k = 0, 1, ...) stands for
  // inputs[k].value (formatted by the panel).
  std::string substituted;
  std::vector<EquationValue> inputs;   // this iteration's numbers, in the order #k refers to
  std::vector<EquationValue> results;  // the values the update yields (see When)
  When when = When::Next;
  // Legend label of the view series this update changes (e.g. "q(μ)"), drawn emphasised while
  // the panel is open; empty when no single series does.
  std::string highlight;
};

}  // namespace vilab
