#pragma once
// What a view draws: an immutable picture of a model after some iteration. Each model derives
// its own snapshot (densities on grids, parameters); the worker publishes them as
// shared_ptr<const Snapshot> and the UI only ever reads them.

#include <cstdint>
#include <string>
#include <vector>

#include "core/equation.hpp"
#include "core/trace.hpp"

namespace vilab {

struct Snapshot {
  virtual ~Snapshot() = default;

  std::string model;           // the model's name, e.g. "gaussian"
  std::int64_t iteration = 0;  // iterations done since the last reset
  TraceView trace;             // iteration, elbo, model columns (the CSV trace)
  std::vector<std::string> notes;  // conditions to flag on screen (e.g. "data from x.csv")
  // The updates of the current algorithm with this iteration's numbers (the live-equations
  // panel), in the order the algorithm applies them.
  std::vector<Equation> equations;
};

}  // namespace vilab
