#pragma once
// Test helpers for the live equations (core/equation.hpp): look up a number by its symbol.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/equation.hpp"

namespace vilab::testing {

// The value named `symbol`; fails the test (and returns NaN) when there is none.
inline double valueOf(const std::vector<EquationValue>& values, const std::string& symbol) {
  for (const EquationValue& v : values)
    if (v.symbol == symbol) return v.value;
  ADD_FAILURE() << "no value named " << symbol;
  return std::numeric_limits<double>::quiet_NaN();
}

// The equation whose title starts with `prefix`; fails the test when there is none.
inline const Equation* equationStarting(const std::vector<Equation>& equations, const std::string& prefix) {
  for (const Equation& e : equations)
    if (e.title.rfind(prefix, 0) == 0) return &e;
  ADD_FAILURE() << "no equation titled " << prefix << "...";
  return nullptr;
}

// Adam's update as the row states it: theta + alpha m / (sqrt(v) + eps).
inline double adamFromInputs(const Equation& e) {
  const auto& in = e.inputs;
  return in[0].value + in[1].value * in[2].value / (std::sqrt(in[3].value) + in[4].value);
}

}  // namespace vilab::testing
