#pragma once
// Small logistic-regression problems shared by the lab's tests.

#include "core/models/logreg/data.hpp"
#include "core/models/logreg/likelihood.hpp"

namespace vilab::testing {

struct Problem {
  LogregData data;
  LogregLikelihood likelihood;
  LogregPrior prior;
};

inline Problem makeProblem(int n, std::uint64_t seed, double separation = 2.0, double sigma0 = 2.0, bool flatBias = false,
                           double offset = 0.0, double correlation = 0.0) {
  LogregDataSettings s;
  s.n = n;
  s.separation = separation;
  s.offset = offset;
  s.correlation = correlation;
  Problem p;
  p.data = generateLogregData(s, seed);
  p.likelihood = LogregLikelihood(p.data.design(), p.data.y);
  p.prior = LogregPrior::make(3, sigma0, flatBias);
  return p;
}

}  // namespace vilab::testing
