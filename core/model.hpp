#pragma once
// The interface every lab's model implements. The Runner's worker thread owns the model and is
// the only caller; the UI sees it only through snapshots.

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "core/data/csv.hpp"
#include "core/data/data_range.hpp"
#include "core/scenario.hpp"
#include "core/snapshot.hpp"
#include "core/status.hpp"
#include "core/trace.hpp"

namespace vilab {

struct ModelInfo {
  std::string name;     // command-line name: "gaussian"
  std::string title;    // GUI name: "Univariate Gaussian"
  std::string summary;  // one sentence: what the lab teaches
};

class Model {
 public:
  virtual ~Model() = default;

  virtual const ModelInfo& info() const = 0;
  virtual std::unique_ptr<Scenario> defaultScenario() const = 0;

  // Starts over from a valid scenario of this model: new data (unless user data is set), fresh q,
  // empty trace. Fails only on problems visible with the data (e.g. k > number of points).
  virtual Status reset(const Scenario& scenario) = 0;

  // Takes a changed scenario while running, keeping what still makes sense (q, the trace) and
  // restarting what must (e.g. new data). By default it starts over.
  virtual Status apply(const Scenario& scenario) { return reset(scenario); }

  // Replaces generated data with the user's (one row per observation); empty restores generated
  // data. Takes effect at the next reset. Fails, changing nothing, if the shape does not fit.
  virtual Status setData(const Eigen::MatrixXd& data, const std::string& source) = 0;

  // Takes the user's table as read from a file (values, column names, editor lines, source, note),
  // with the same contract as setData, which it calls by default after checkDataRange (values
  // within ±1e100, columns that vary not below 1e-100; the message names the line). A lab that
  // uses the column names (the VAE finds its label column by name) overrides it.
  virtual Status setDataTable(const CsvData& table) {
    if (Status s = checkDataRange(table); !s) return s;
    return setData(table.values, table.source);
  }

  // True for a lab that takes a label column from the user's table (the VAE). For every other
  // lab, the Runner and the command line leave a named label column out (withoutLabelColumn).
  virtual bool takesLabels() const { return false; }

  // Keys of the scenario fields that the user data set by setData decide (e.g. "dim", "data.n"):
  // the GUI shows them read-only while the data are loaded. Empty with generated data.
  virtual std::vector<std::string> dataDecidedFields() const { return {}; }

  // Makes the scenario's data-dependent fields agree with the user data set by setData (e.g. the
  // dimension taken from the CSV's columns). Called after setData, before validation.
  virtual void adaptScenario(Scenario& /*scenario*/) const {}

  // One iteration of the current algorithm.
  virtual void step() = 0;
  virtual std::int64_t iteration() const = 0;

  // Empty when every tracked quantity is finite, else e.g. "ELBO is NaN at iteration 12".
  virtual Status health() const { return Status::ok(); }

  virtual std::shared_ptr<const Snapshot> snapshot() const = 0;
  virtual TraceLog& trace() = 0;

  // A deep copy of the whole state, generator included (the divergence guard's checkpoint);
  // nullptr for a model that cannot be copied.
  virtual std::unique_ptr<Model> clone() const { return nullptr; }
};

}  // namespace vilab
