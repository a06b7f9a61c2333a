#pragma once
// The live-equations row of one optimizer step on one followed entry (AdamProbe): Adam's update
// (Kingma & Ba 2015, Algorithm 1) or plain gradient ascent, with the last step's numbers. The
// step has been taken, so the row is Equation::When::Last and its result is the current entry.

#include <string>

#include "core/equation.hpp"
#include "core/optim/adam_probe.hpp"

namespace vilab {

// symbol: markup naming the entry (e.g. "m_{1}"); what: plain words for the title (e.g. "the
// mean of w₁"); adam: the step was Adam's, else theta + lr g.
template <class Scalar>
Equation optimizerStepEquation(const AdamProbe<Scalar>& p, const std::string& symbol,
                               const std::string& what, bool adam, const std::string& highlight) {
  Equation e;
  e.when = Equation::When::Last;
  e.highlight = highlight;
  const std::string g = "g_{" + symbol + "}";
  if (adam) {
    e.title = "Adam step on " + what + " (t = " + std::to_string(p.t) + ")";
    e.source = "Kingma & Ba 2015, Algorithm 1 (ε scaled by √(1−β₂ᵗ) like α_t)";
    e.formula = symbol + " ← " + symbol + " + \\alpha_{t} \\frac{m_{t}}{\\sqrt{v_{t}} + \\hat{\\epsilon}},\\quad " +
                "m_{t} = \\beta_{1} m_{t-1} + (1-\\beta_{1}) " + g + ",\\quad " +
                "v_{t} = \\beta_{2} v_{t-1} + (1-\\beta_{2}) " + g + "^{2}";
    e.substituted = "#0 + #1 \\frac{#2}{\\sqrt{#3} + #4}";
    e.inputs = {{symbol, double(p.before)},
                {"\\alpha_{t}", double(p.alpha())},
                {"m_{t}", double(p.m)},
                {"v_{t}", double(p.v)},
                {"\\hat{\\epsilon}", double(p.scaledEpsilon())},
                {g, double(p.gradient)}};
  } else {
    e.title = "Gradient-ascent step on " + what;
    e.source = "plain stochastic gradient ascent (Robbins & Monro 1951)";
    e.formula = symbol + " ← " + symbol + " + \\eta " + g;
    e.substituted = "#0 + #1 \\times #2";
    e.inputs = {{symbol, double(p.before)}, {"\\eta", double(p.lr)}, {g, double(p.gradient)}};
  }
  e.results = {{symbol, double(p.after)}};
  return e;
}

}  // namespace vilab
