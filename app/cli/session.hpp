#pragma once
// What a run starts from: the model and its validated scenario, built from the command line
// (--model, --scenario, --set, --data) in that order, with one clear error for any bad input. A
// scenario file's "data_file" is loaded as --data would be, unless --data is given.

#include <memory>
#include <string>

#include "app/cli/options.hpp"
#include "core/model.hpp"

namespace vilab {

struct Session {
  std::unique_ptr<Model> model;  // reset with `scenario` and ready to step
  std::unique_ptr<Scenario> scenario;
  std::string dataNote;  // the CSV reader's account of --data ("x.csv: 6 rows × 2 columns, ..."), or empty
  bool showEquations = false;  // --show equations
};

// The model's default scenario, overridden by the scenario file and then by each --set, without
// resetting the model (for --print-scenario).
Status buildScenario(const Options& options, std::unique_ptr<Model>& model,
                     std::unique_ptr<Scenario>& scenario);
// buildScenario, then the data file (--data, else the scenario's "data_file"), validation and the
// model's reset.
Status buildSession(const Options& options, Session& session);
// Run B of `--compare FILE`: model `modelName`'s defaults, then FILE's values (a FILE naming
// another model is an error), then its data as buildSession loads them (--data wins, as for A).
// Every error names FILE.
Status buildCompareSession(const Options& options, const std::string& modelName, Session& session);

}  // namespace vilab
